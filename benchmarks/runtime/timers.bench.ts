// n processes each wait in receive with a `timeout` ms timeout; how late each timeout fires
// (p50, p99, max; min shows none fired early). Each process writes its lateness into a
// shared array (a message per timeout would load the scheduler with work that is not the
// timer's); the one that completes the count tells the coordinator, as in the twin,
// benchmarks/beam/timers.erl.
import { TIMEOUT, type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceMs } from '../lib/clock.ts';
import { percentile } from '../lib/percentile.ts';
import { runScenario } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000, timeout: 100 });
const { n, timeout } = args.params;
const late = new Float64Array(n);
let fired = 0;

function record(self: Self, coordinator: Pid, i: number, t0: number, result: unknown): void {
  if (result !== TIMEOUT) throw new Error(`expected the receive to time out, got ${String(result)}`);
  late[i] = performance.now() - t0 - timeout;
  if (++fired === n) self.send(coordinator, 'done');
}

function* waiterGen(self: Self, coordinator: Pid, i: number): Generator<unknown, void, unknown> {
  const t0 = performance.now();
  const result = yield* self.receive(null, { timeout });
  record(self, coordinator, i, t0, result);
}

async function waiterAsync(self: Self, coordinator: Pid, i: number): Promise<void> {
  const t0 = performance.now();
  const result = await self.receive(null, { timeout });
  record(self, coordinator, i, t0, result);
}

function spawnWaiters(self: Self): number {
  const t0 = nowNs();
  for (let i = 0; i < n; i++) {
    if (args.form === 'gen') self.spawn(waiterGen, self.pid, i);
    else self.spawn(waiterAsync, self.pid, i);
  }
  return sinceMs(t0);
}

function report(out: Report, spawnMs: number): void {
  late.sort();
  out.add('timers.spawn', spawnMs, 'ms', 'lower');
  out.add('timers.late_p50', percentile(late, 50), 'ms', 'lower');
  out.add('timers.late_p99', percentile(late, 99), 'ms', 'lower');
  out.add('timers.late_max', late[n - 1]!, 'ms', 'lower');
  out.add('timers.late_min', late[0]!, 'ms', 'lower');
}

function* coordinatorGen(self: Self, out: Report): Generator<unknown, void, unknown> {
  const spawnMs = spawnWaiters(self);
  yield* self.receive();
  report(out, spawnMs);
}

async function coordinatorAsync(self: Self, out: Report): Promise<void> {
  const spawnMs = spawnWaiters(self);
  await self.receive();
  report(out, spawnMs);
}

runScenario(args, new Report(args), coordinatorGen, coordinatorAsync);
