// Two independent rings of m nodes, one token of `hops` hops each: total messages/s with both
// rings on one scheduler, then with one ring per scheduler, in the same run (the ratio is the
// multi-core speed-up). Twin: benchmarks/beam/two_rings.erl (+S 1 vs +S 2).
import { Runtime, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { main } from '../lib/process.ts';
import { Report } from '../lib/report.ts';
import { spawnRing, untilAllWaiting } from './rings.ts';

const args = parseArgs({ m: 1000, hops: 1_000_000 });
const { m, hops } = args.params;

async function run(schedulers: number): Promise<number> {
  const rt = new Runtime({ schedulers });
  await rt.ready();
  const done = new Promise<number>((resolve, reject) => {
    rt.spawn(async (self: Self) => {
      const a = spawnRing(self, m, () => 0);
      const b = spawnRing(self, m, () => schedulers - 1);
      await untilAllWaiting(rt, [...a, ...b]);
      const t0 = nowNs();
      self.send(a[0]!, hops);
      self.send(b[0]!, hops);
      await self.receive();
      await self.receive();
      resolve((2 * hops) / (sinceNs(t0) / 1e9));
    });
    rt.events.on('crash', (r) => reject(new Error(`crash ${r.pid}: ${JSON.stringify(r.reason)}`)));
  });
  const rate = await done;
  await rt.shutdown();
  return rate;
}

main(async () => {
  const report = new Report(args);
  const one = await run(1);
  const two = await run(2);
  report.add('two_rings.one_scheduler', one, 'msg/s', 'higher');
  report.add('two_rings.two_schedulers', two, 'msg/s', 'higher');
  report.add('two_rings.speedup', two / one, 'x', 'higher');
  report.print();
});
