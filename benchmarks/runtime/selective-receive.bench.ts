// With `queue` unmatched messages in the mailbox, time per receive of a newly sent matching
// message, and per skipped message (the same loop with an empty mailbox is subtracted).
// Twin: benchmarks/beam/selective_receive.erl.
import { type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { runScenario } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ queue: 10_000, rounds: 1000 });
const { queue, rounds } = args.params;

interface Tagged {
  readonly tag: 'junk' | 'match';
  readonly i: number;
}

function isMatch(msg: unknown): boolean {
  return (msg as Tagged).tag === 'match';
}

function* roundsGen(self: Self): Generator<unknown, number, unknown> {
  const t0 = nowNs();
  for (let k = rounds; k > 0; k--) {
    self.send(self.pid, { tag: 'match', i: k });
    yield* self.receive(isMatch);
  }
  return sinceNs(t0);
}

async function roundsAsync(self: Self): Promise<number> {
  const t0 = nowNs();
  for (let k = rounds; k > 0; k--) {
    self.send(self.pid, { tag: 'match', i: k });
    await self.receive(isMatch);
  }
  return sinceNs(t0);
}

function fillMailbox(self: Self): void {
  for (let i = 1; i <= queue; i++) self.send(self.pid, { tag: 'junk', i });
}

function record(self: Self, report: Report, emptyNs: number, fullNs: number): void {
  const left = self.runtime.processInfo(self.pid)?.messageQueueLen;
  if (left !== queue) throw new Error(`expected ${queue} unmatched messages left in the mailbox, found ${left}`);
  report.add('selective_receive.per_receive', fullNs / rounds, 'ns', 'lower');
  report.add('selective_receive.per_skipped', (fullNs - emptyNs) / rounds / queue, 'ns', 'lower');
}

function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  const emptyNs = yield* roundsGen(self);
  fillMailbox(self);
  const fullNs = yield* roundsGen(self);
  record(self, report, emptyNs, fullNs);
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  const emptyNs = await roundsAsync(self);
  fillMailbox(self);
  const fullNs = await roundsAsync(self);
  record(self, report, emptyNs, fullNs);
}

runScenario(args, new Report(args), coordinatorGen, coordinatorAsync);
