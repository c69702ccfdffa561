// Spawn N processes that block in receive, in batches: ns per spawn (first batch, warm
// batches, all), bytes per idle process (heap after forced GC, and RSS), ns per kill.
// Twin: benchmarks/beam/spawn.erl.
import { Runtime, type Pid } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { settledMemory } from '../lib/memory.ts';
import { idleBody, main, untilWaiting } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000, batch: 10_000 });
const { n, batch } = args.params;

async function spawnBatches(rt: Runtime, pids: Pid[]): Promise<number[]> {
  const body = idleBody(args.form);
  const times: number[] = [];
  while (pids.length < n) {
    const size = Math.min(batch, n - pids.length);
    const t0 = nowNs();
    for (let i = 0; i < size; i++) pids.push(rt.spawn(body));
    await untilWaiting(rt, pids[pids.length - 1]!);
    times.push(sinceNs(t0));
  }
  return times;
}

async function killAll(rt: Runtime, pids: Pid[]): Promise<number> {
  const t0 = nowNs();
  for (const pid of pids) rt.exit(pid, 'kill');
  await rt.wait(pids[pids.length - 1]!);
  const ns = sinceNs(t0);
  const left = rt.processes().length;
  if (left !== 0) throw new Error(`${left} processes survived the kill`);
  return ns;
}

main(async () => {
  const rt = new Runtime({ schedulers: 1 });
  const report = new Report(args);
  const pids: Pid[] = [];
  const before = settledMemory();
  const [first = 0, ...warm] = await spawnBatches(rt, pids);
  const after = settledMemory();
  const warmNs = warm.reduce((a, b) => a + b, 0);
  report.add('spawn.first_batch', first / Math.min(batch, n), 'ns/process', 'lower');
  if (n > batch) report.add('spawn.warm', warmNs / (n - batch), 'ns/process', 'lower');
  report.add('spawn.all', (first + warmNs) / n, 'ns/process', 'lower');
  report.add('spawn.memory', (after.heapUsed - before.heapUsed) / n, 'bytes/process', 'lower', {
    heap_used_mib: Math.round(after.heapUsed / 2 ** 20),
  });
  report.add('spawn.rss', (after.rss - before.rss) / n, 'bytes/process', 'lower');
  report.add('spawn.kill', (await killAll(rt, pids)) / n, 'ns/process', 'lower');
  await rt.shutdown();
  report.print();
});
