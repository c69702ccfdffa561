// register, whereis and unregister n names (one idle process per name), `rounds` times over;
// ns per operation in the last round (the first rounds warm up the JIT and caches, on both
// sides). Twin: benchmarks/beam/registry.erl.
import { type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs } from '../lib/clock.ts';
import { idleBody, runScenario, untilWaiting, untilWaitingGen } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000, rounds: 3 });
const { n, rounds } = args.params;

function spawnIdle(self: Self): Pid[] {
  const body = idleBody(args.form);
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

runScenario(args, new Report(args), coordinatorGen, coordinatorAsync);
