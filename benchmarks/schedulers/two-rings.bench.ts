// Two independent rings of m nodes, one token of `hops` hops each: total messages/s with both
// rings on one scheduler, then with one ring per scheduler, in the same run (the ratio is the
// multi-core speed-up). Each configuration first runs an untimed lap of `warmup` hops per ring,
// so the timed lap measures steady state on both threads (the worker's isolate otherwise
// compiles the ring's code inside the timed lap, while the main thread's is already warm from
// the one-scheduler run). Twin: benchmarks/beam/two_rings.erl (+S 1 vs +S 2).
import { Runtime, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { percentile } from '../lib/percentile.ts';
import { main } from '../lib/process.ts';
import { Report } from '../lib/report.ts';
import { spawnRing, untilAllWaiting } from './rings.ts';

const args = parseArgs({ m: 1000, hops: 1_000_000, warmup: 300_000, rounds: 5 });
const { m, hops, warmup, rounds } = args.params;

async function run(schedulers: number): Promise<number> {
  const rt = new Runtime({ schedulers });
  await rt.ready();
  const done = new Promise<number>((resolve, reject) => {
    rt.spawn(async (self: Self) => {
      const a = spawnRing(self, m, () => 0);
      const b = spawnRing(self, m, () => schedulers - 1);
      await untilAllWaiting(rt, [...a, ...b]);
      const lap = async (k: number): Promise<number> => {
        const t0 = nowNs();
        self.send(a[0]!, k);
        self.send(b[0]!, k);
        await self.receive();
        await self.receive();
        return (2 * k) / (sinceNs(t0) / 1e9);
      };
      if (warmup > 0) await lap(warmup);
      resolve(await lap(hops));
    });
    rt.events.on('crash', (r) => reject(new Error(`crash ${r.pid}: ${JSON.stringify(r.reason)}`)));
  });
  const rate = await done;
  await rt.shutdown();
  return rate;
}

main(async () => {
  // The configurations alternate for `rounds` rounds; each figure is the median over rounds
  // (the speed-up is the median of each round's ratio), so one noisy lap does not decide it.
  const ones: number[] = [];
  const twos: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < Math.max(1, rounds); r++) {
    const one = await run(1);
    const two = await run(2);
    ones.push(one);
    twos.push(two);
    ratios.push(two / one);
    if (process.env.KAIROS_BENCH_VERBOSE) console.error(`round ${r}: ${(one / 1e6).toFixed(2)} M, ${(two / 1e6).toFixed(2)} M, ${(two / one).toFixed(2)}x`);
  }
  const report = new Report(args);
  report.add('two_rings.one_scheduler', median(ones), 'msg/s', 'higher');
  report.add('two_rings.two_schedulers', median(twos), 'msg/s', 'higher');
  report.add('two_rings.speedup', median(ratios), 'x', 'higher');
  report.add('two_rings.speedup_min', Math.min(...ratios), 'x', 'higher');
  report.add('two_rings.speedup_max', Math.max(...ratios), 'x', 'higher');
  report.print();
});

function median(values: number[]): number {
  return percentile(Float64Array.from(values).sort(), 50);
}
