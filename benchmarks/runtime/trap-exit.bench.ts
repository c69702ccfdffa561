// A process trapping exits, linked to n children, exits each with `shutdown` and receives the
// n EXIT messages (what a supervisor does at shutdown). Twin: benchmarks/beam/trap_exit.erl.
import { isExit, type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceMs, sinceNs } from '../lib/clock.ts';
import { idleBody, runScenario, untilWaiting, untilWaitingGen } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000 });
const { n } = args.params;

function isShutdownExit(msg: unknown): boolean {
  return isExit(msg) && msg.reason === 'shutdown';
}

function spawnChildren(self: Self): Pid[] {
  const body = idleBody(args.form);
  const children: Pid[] = [];
  for (let i = 0; i < n; i++) children.push(self.spawnLink(body));
  return children;
}

function shutdownAll(self: Self, children: Pid[]): void {
  for (const child of children) self.exit(child, 'shutdown');
}

function record(report: Report, setupMs: number, exitNs: number): void {
  report.add('trap_exit.setup', setupMs, 'ms', 'lower');
  report.add('trap_exit.throughput', n / (exitNs / 1e9), 'exit/s', 'higher');
}

function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  self.trapExit(true);
  const t0 = nowNs();
  const children = spawnChildren(self);
  yield* untilWaitingGen(self, children[children.length - 1]!);
  const setupMs = sinceMs(t0);
  const t1 = nowNs();
  shutdownAll(self, children);
  for (let k = 0; k < n; k++) yield* self.receive(isShutdownExit);
  record(report, setupMs, sinceNs(t1));
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  self.trapExit(true);
  const t0 = nowNs();
  const children = spawnChildren(self);
  await untilWaiting(self.runtime, children[children.length - 1]!);
  const setupMs = sinceMs(t0);
  const t1 = nowNs();
  shutdownAll(self, children);
  for (let k = 0; k < n; k++) await self.receive(isShutdownExit);
  record(report, setupMs, sinceNs(t1));
}

runScenario(args, new Report(args), coordinatorGen, coordinatorAsync);
