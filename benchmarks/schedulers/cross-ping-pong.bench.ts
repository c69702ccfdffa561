// Request/reply round trips between a process on scheduler 0 and one on scheduler 1: round
// trips/s and latency percentiles. Latency-bound by thread wake-up, whatever the batching.
import { Runtime, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { main } from '../lib/process.ts';
import { percentile } from '../lib/percentile.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ rounds: 100_000 });
const { rounds } = args.params;
const PROCS = new URL('./procs.js', import.meta.url);

main(async () => {
  const rt = new Runtime({ schedulers: 2 });
  await rt.ready();
  const result = await new Promise<{ totalMs: number; samples: Float64Array }>((resolve) => {
    rt.spawn(async (self: Self) => {
      const server = self.spawn({ module: PROCS, export: 'pong', scheduler: 1 });
      const client = self.spawn({ module: PROCS, export: 'ping', scheduler: 0 }, server, rounds, self.pid);
      self.send(client, 'go');
      resolve((await self.receive()) as { totalMs: number; samples: Float64Array });
    });
  });
  await rt.shutdown();
  const sorted = Float64Array.from(result.samples).sort();
  const report = new Report(args);
  report.add('cross_ping_pong.throughput', rounds / (result.totalMs / 1000), 'round trips/s', 'higher');
  report.add('cross_ping_pong.p50', percentile(sorted, 50) * 1000, 'µs', 'lower');
  report.add('cross_ping_pong.p99', percentile(sorted, 99) * 1000, 'µs', 'lower');
  report.print();
});
