// Memory per extra scheduler thread: RSS (and heap) of a booted runtime with N schedulers
// minus that of one with a single scheduler, divided by N - 1.
import { Runtime } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { main } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ schedulers: 4 });
const { schedulers } = args.params;

async function rssWith(n: number): Promise<number> {
  const rt = new Runtime({ schedulers: n });
  await rt.ready();
  await new Promise((r) => setTimeout(r, 200));
  (globalThis as { gc?: () => void }).gc?.();
  const rss = process.memoryUsage().rss;
  await rt.shutdown();
  return rss;
}

main(async () => {
  const base = await rssWith(1);
  const many = await rssWith(schedulers);
  const report = new Report(args);
  report.add('scheduler_thread.rss', (many - base) / (schedulers - 1) / 2 ** 20, 'MiB/thread', 'lower');
  report.print();
});
