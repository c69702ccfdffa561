// register, whereis and unregister n names (one idle process per name), `rounds` times over;
// ns per operation in the last round (the first rounds warm up the JIT and caches, on both
// sides). Twin: benchmarks/beam/registry.erl.
import { Runtime, type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs } from '../lib/clock.ts';
import { main, runProcess, untilWaiting, untilWaitingGen } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000, rounds: 3 });
const { n, rounds } = args.params;

function* idleGen(self: Self): Generator<unknown, void, unknown> {
  yield* self.receive();
}

async function idleAsync(self: Self): Promise<void> {
  await self.receive();
}

function spawnIdle(self: Self): Pid[] {
  const body = args.form === 'gen' ? idleGen : idleAsync;
  const pids: Pid[] = [];
  for (let i = 0; i < n; i++) pids.push(self.spawn(body));
  return pids;
}

function measure(self: Self, report: Report, names: string[], pids: Pid[]): void {
  for (let r = 1; r < rounds; r++) measureRound(self, null, names, pids);
  measureRound(self, report, names, pids);
}

function measureRound(self: Self, report: Report | null, names: string[], pids: Pid[]): void {
  const rt = self.runtime;
  const t0 = nowNs();
  for (let i = 0; i < n; i++) rt.register(names[i]!, pids[i]!);
  const t1 = nowNs();
  let found = 0;
  for (const name of names) if (rt.whereis(name) !== undefined) found++;
  const t2 = nowNs();
  for (const name of names) rt.unregister(name);
  const t3 = nowNs();
  if (found !== n) throw new Error(`whereis found ${found} of ${n} names`);
  if (report === null) return;
  report.add('registry.register', (t1 - t0) / n, 'ns/op', 'lower');
  report.add('registry.whereis', (t2 - t1) / n, 'ns/op', 'lower');
  report.add('registry.unregister', (t3 - t2) / n, 'ns/op', 'lower');
}

function names(): string[] {
  return Array.from({ length: n }, (_, i) => `bench_name_${i + 1}`);
}

function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  const pids = spawnIdle(self);
  yield* untilWaitingGen(self, pids[pids.length - 1]!);
  measure(self, report, names(), pids);
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  const pids = spawnIdle(self);
  await untilWaiting(self.runtime, pids[pids.length - 1]!);
  measure(self, report, names(), pids);
}

main(async () => {
  const rt = new Runtime({ schedulers: 1 });
  const report = new Report(args);
  await runProcess(rt, args.form === 'gen' ? coordinatorGen : coordinatorAsync, report);
  await rt.shutdown();
  report.print();
});
