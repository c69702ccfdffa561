// A ring of m nodes alternating between two schedulers, so every hop crosses threads, with
// `tokens` tokens in flight of `hops` hops each: messages/s (batched per scheduler tick).
// A single token would measure thread wake-up latency instead (see cross-ping-pong).
import { Runtime, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { main } from '../lib/process.ts';
import { Report } from '../lib/report.ts';
import { spawnRing, untilAllWaiting } from './rings.ts';

const args = parseArgs({ m: 1000, tokens: 1000, hops: 1000 });
const { m, tokens, hops } = args.params;

main(async () => {
  const rt = new Runtime({ schedulers: 2 });
  await rt.ready();
  const rate = await new Promise<number>((resolve) => {
    rt.spawn(async (self: Self) => {
      const nodes = spawnRing(self, m, (i) => i % 2);
      await untilAllWaiting(rt, nodes);
      const t0 = nowNs();
      for (let i = 0; i < tokens; i++) self.send(nodes[i % m]!, hops);
      for (let i = 0; i < tokens; i++) await self.receive();
      resolve((tokens * hops) / (sinceNs(t0) / 1e9));
    });
  });
  await rt.shutdown();
  const report = new Report(args);
  report.add('cross_ring.throughput', rate, 'msg/s', 'higher');
  report.print();
});
