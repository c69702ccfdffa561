// A root spawn-links n children; kill the root and time until every child is dead (setup
// timed separately). Twin: benchmarks/beam/star.erl.
import { downOf, type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceMs } from '../lib/clock.ts';
import { idleAsync, idleGen, runScenario, untilProcessCount, untilProcessCountGen, untilWaiting, untilWaitingGen } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000 });
const { n } = args.params;

function* rootGen(self: Self, coordinator: Pid): Generator<unknown, void, unknown> {
  let last = self.pid;
  for (let i = 0; i < n; i++) last = self.spawnLink(idleGen);
  yield* untilWaitingGen(self, last);
  self.send(coordinator, last);
  yield* self.receive();
}

async function rootAsync(self: Self, coordinator: Pid): Promise<void> {
  let last = self.pid;
  for (let i = 0; i < n; i++) last = self.spawnLink(idleAsync);
  await untilWaiting(self.runtime, last);
  self.send(coordinator, last);
  await self.receive();
}

function record(report: Report, setupMs: number, killMs: number): void {
  report.add('star.setup', setupMs, 'ms', 'lower');
  report.add('star.kill', killMs, 'ms', 'lower');
}

// The clock stops at the DOWN of the child spawned last and, should any child still be
// alive then, when the process count says they are all gone.
function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  const t0 = nowNs();
  const root = self.spawn(rootGen, self.pid);
  const last = (yield* self.receive()) as Pid;
  const setupMs = sinceMs(t0);
  const ref = self.monitor(last);
  const t1 = nowNs();
  self.exit(root, 'kill');
  yield* self.receive(downOf(ref));
  yield* untilProcessCountGen(self, 1);
  record(report, setupMs, sinceMs(t1));
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  const t0 = nowNs();
  const root = self.spawn(rootAsync, self.pid);
  const last = (await self.receive()) as Pid;
  const setupMs = sinceMs(t0);
  const ref = self.monitor(last);
  const t1 = nowNs();
  self.exit(root, 'kill');
  await self.receive(downOf(ref));
  await untilProcessCount(self.runtime, 1);
  record(report, setupMs, sinceMs(t1));
}

runScenario(args, new Report(args), coordinatorGen, coordinatorAsync);
