// n processes, each spawn-linked by the previous one; kill the root and time until the whole
// chain is dead (setup timed separately). Twin: benchmarks/beam/chain.erl.
import { downOf, type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceMs } from '../lib/clock.ts';
import { runScenario, untilProcessCount, untilProcessCountGen } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000 });
const { n } = args.params;

function* nodeGen(self: Self, k: number, coordinator: Pid): Generator<unknown, void, unknown> {
  if (k > 0) self.spawnLink(nodeGen, k - 1, coordinator);
  else self.send(coordinator, self.pid);
  yield* self.receive();
}

async function nodeAsync(self: Self, k: number, coordinator: Pid): Promise<void> {
  if (k > 0) self.spawnLink(nodeAsync, k - 1, coordinator);
  else self.send(coordinator, self.pid);
  await self.receive();
}

function record(report: Report, setupMs: number, killMs: number): void {
  report.add('chain.setup', setupMs, 'ms', 'lower');
  report.add('chain.kill', killMs, 'ms', 'lower');
}

// The leaf dies last (the exit travels down the links), so its DOWN ends the clock; the
// process count confirms that nothing survived.
function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  const t0 = nowNs();
  const root = self.spawn(nodeGen, n - 1, self.pid);
  const leaf = (yield* self.receive()) as Pid;
  const setupMs = sinceMs(t0);
  const ref = self.monitor(leaf);
  const t1 = nowNs();
  self.exit(root, 'kill');
  yield* self.receive(downOf(ref));
  yield* untilProcessCountGen(self, 1);
  record(report, setupMs, sinceMs(t1));
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  const t0 = nowNs();
  const root = self.spawn(nodeAsync, n - 1, self.pid);
  const leaf = (await self.receive()) as Pid;
  const setupMs = sinceMs(t0);
  const ref = self.monitor(leaf);
  const t1 = nowNs();
  self.exit(root, 'kill');
  await self.receive(downOf(ref));
  await untilProcessCount(self.runtime, 1);
  record(report, setupMs, sinceMs(t1));
}

runScenario(args, new Report(args), coordinatorGen, coordinatorAsync);
