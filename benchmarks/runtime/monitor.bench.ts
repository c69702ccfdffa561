// n monitors on live processes that then exit (DOWN/s), and n monitors on dead pids
// (noproc DOWN/s); also ns per monitor call. Twin: benchmarks/beam/monitor.erl.
import { isDown, type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { idleBody, runScenario, untilProcessCount, untilProcessCountGen, untilWaiting, untilWaitingGen } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000 });
const { n } = args.params;

function isNormalDown(msg: unknown): boolean {
  return isDown(msg) && msg.reason === 'normal';
}

function isNoprocDown(msg: unknown): boolean {
  return isDown(msg) && msg.reason === 'noproc';
}

function spawnIdle(self: Self): Pid[] {
  const body = idleBody(args.form);
  const pids: Pid[] = [];
  for (let i = 0; i < n; i++) pids.push(self.spawn(body));
  return pids;
}

function monitorAll(self: Self, pids: Pid[]): number {
  const t0 = nowNs();
  for (const pid of pids) self.monitor(pid);
  return sinceNs(t0);
}

function stopAll(self: Self, pids: Pid[]): void {
  for (const pid of pids) self.send(pid, 'stop');
}

interface Timings {
  monitorNs: number;
  liveNs: number;
  deadNs: number;
}

function record(report: Report, t: Timings): void {
  report.add('monitor.monitor_call', t.monitorNs / n, 'ns/monitor', 'lower');
  report.add('monitor.down_live', n / (t.liveNs / 1e9), 'down/s', 'higher');
  report.add('monitor.down_noproc', n / (t.deadNs / 1e9), 'down/s', 'higher');
}

function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  const pids = spawnIdle(self);
  yield* untilWaitingGen(self, pids[pids.length - 1]!);
  const monitorNs = monitorAll(self, pids);
  const t1 = nowNs();
  stopAll(self, pids);
  for (let k = 0; k < n; k++) yield* self.receive(isNormalDown);
  const liveNs = sinceNs(t1);
  yield* untilProcessCountGen(self, 1);
  const t2 = nowNs();
  monitorAll(self, pids);
  for (let k = 0; k < n; k++) yield* self.receive(isNoprocDown);
  record(report, { monitorNs, liveNs, deadNs: sinceNs(t2) });
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  const pids = spawnIdle(self);
  await untilWaiting(self.runtime, pids[pids.length - 1]!);
  const monitorNs = monitorAll(self, pids);
  const t1 = nowNs();
  stopAll(self, pids);
  for (let k = 0; k < n; k++) await self.receive(isNormalDown);
  const liveNs = sinceNs(t1);
  await untilProcessCount(self.runtime, 1);
  const t2 = nowNs();
  monitorAll(self, pids);
  for (let k = 0; k < n; k++) await self.receive(isNoprocDown);
  record(report, { monitorNs, liveNs, deadNs: sinceNs(t2) });
}

runScenario(args, new Report(args), coordinatorGen, coordinatorAsync);
