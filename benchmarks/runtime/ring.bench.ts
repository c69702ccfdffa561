// M processes pass a token round a ring for `hops` messages: messages/s, and setup (spawn
// and close the ring) separately. Twin: benchmarks/beam/ring.erl.
import { type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceMs, sinceNs } from '../lib/clock.ts';
import { runScenario, untilWaiting, untilWaitingGen } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ m: 1000, hops: 1_000_000 });
const { m, hops } = args.params;

// The node spawned first closes the ring: it learns its successor (the node spawned last) by
// message, as in the twin.
function* nodeGen(self: Self, next: Pid | null, coordinator: Pid): Generator<unknown, void, unknown> {
  const to = next ?? ((yield* self.receive()) as Pid);
  for (;;) {
    const k = (yield* self.receive()) as number;
    if (k === 0) self.send(coordinator, 'done');
    else self.send(to, k - 1);
  }
}

async function nodeAsync(self: Self, next: Pid | null, coordinator: Pid): Promise<void> {
  const to = next ?? ((await self.receive()) as Pid);
  for (;;) {
    const k = (await self.receive()) as number;
    if (k === 0) self.send(coordinator, 'done');
    else self.send(to, k - 1);
  }
}

function spawnRing(self: Self): Pid {
  const node = args.form === 'gen' ? nodeGen : nodeAsync;
  const closing = self.spawn(node, null, self.pid);
  let first = closing;
  for (let i = 1; i < m; i++) first = self.spawn(node, first, self.pid);
  self.send(closing, first);
  return first;
}

function record(report: Report, setupMs: number, tokenNs: number): void {
  report.add('ring.setup', setupMs, 'ms', 'lower');
  report.add('ring.throughput', hops / (tokenNs / 1e9), 'msg/s', 'higher');
}

function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  const t0 = nowNs();
  const first = spawnRing(self);
  yield* untilWaitingGen(self, first);
  const setupMs = sinceMs(t0);
  const t1 = nowNs();
  self.send(first, hops);
  yield* self.receive();
  record(report, setupMs, sinceNs(t1));
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  const t0 = nowNs();
  const first = spawnRing(self);
  await untilWaiting(self.runtime, first);
  const setupMs = sinceMs(t0);
  const t1 = nowNs();
  self.send(first, hops);
  await self.receive();
  record(report, setupMs, sinceNs(t1));
}

runScenario(args, new Report(args), coordinatorGen, coordinatorAsync);
