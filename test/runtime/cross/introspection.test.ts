// The rules of introspection.test.ts for processes on another scheduler than the one that
// asks. Already in cross-scheduler.test.ts and not repeated: scheduler 0 sees a process on 1
// in processInfo, isAlive and processes, and processInfo of it is undefined once it exited.
import test from 'ava';
import { downOf, type ExitReason, type Pid, type ProcessInfo } from '../../../runtime/index.ts';
import { MUST, got, isErrorReason, parked, run } from '../helpers.ts';
import { ExitLog, Inbox, Puppet, on, roundTrip, sharedRuntime } from './helpers.ts';

const runtime = sharedRuntime(test);
const infoOf = (value: unknown): ProcessInfo => value as ProcessInfo;

test('processInfo from scheduler 0 reports status, queue length, links, monitors, monitoredBy, trapExit and registered name of a process on scheduler 1', async (t) => {
  const rt = runtime();
  const target = rt.spawn(on(1, 'waitForGo'));
  await parked(rt, target);
  await run(rt, async (self) => {
    for (const m of ['a', 'b', 'c']) self.send(target, m);
    await roundTrip(self, 1);
    const idle = rt.processInfo(target);
    t.like(idle, { status: 'waiting', messageQueueLen: 3, trapExit: false, links: [], monitors: [], monitoredBy: [] });
    t.is(idle?.registeredName, undefined);

    self.trapExit(true);
    self.link(target);
    const ref = self.monitor(target);
    rt.register('watcher-of-1', target);
    await roundTrip(self, 1);
    const theirs = rt.processInfo(target);
    t.deepEqual(theirs?.links.map(String), [String(self.pid)]);
    t.deepEqual(theirs?.monitoredBy.map(String), [String(self.pid)]);
    t.is(theirs?.registeredName, 'watcher-of-1');
    t.true(theirs?.pid.equals(target));
    const mine = rt.processInfo(self.pid);
    t.deepEqual(mine?.links.map(String), [String(target)]);
    t.true(mine?.monitors[0]?.ref.equals(ref));
    t.is(String(mine?.monitors[0]?.pid), String(target));
    self.unlink(target);
    self.demonitor(ref);
  });
});

// Erlang orders process_info after the signals the caller sent before it; here the question
// travels on its own channel and overtakes messages still waiting in the batch.
test('processInfo of a process on scheduler 1 counts the messages sent to it just before', async (t) => {
  const rt = runtime();
  const target = rt.spawn(on(1, 'waitForGo'));
  await parked(rt, target);
  for (const m of ['a', 'b', 'c']) rt.send(target, m);
  t.is(rt.processInfo(target)?.messageQueueLen, 3);
});

test('a process on scheduler 1 sees itself running, and a process it spawned but that has not run yet as runnable', async (t) => {
  const rt = runtime();
  const asker = Puppet.spawn(rt, new Inbox(rt), 1);
  const [mine, , child] = await asker.do(['info'], ['spawn', on(1, 'idle')], ['info', { $: 1 }]);
  t.is(infoOf(mine).status, 'running');
  t.is(infoOf(child).status, 'runnable');
});

test('processes lists live processes on both schedulers and drops those that exited', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const a = rt.spawn(on(1, 'idle'));
  const b = rt.spawn(on(1, 'idle'));
  const c = rt.spawn(on(0, 'idle'));
  await parked(rt, a);
  await parked(rt, b);
  const ours = (): string[] => rt.processes().filter((p) => [a, b, c].some((x) => x.equals(p))).map(String).sort();
  t.deepEqual(ours(), [a, b, c].map(String).sort());
  rt.send(b, 'stop');
  await exits.reasonOf(b);
  t.deepEqual(ours(), [a, c].map(String).sort());
});

// Erlang answers process_info, is_process_alive and processes() on any scheduler. A process on
// scheduler 1 asking about scheduler 0 is refused: scheduler 0 never tells the workers that it
// is up, so every such question fails with scheduler_starting.
test('a process on scheduler 1 can ask processInfo, isAlive and processes about processes on scheduler 0', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const asker = Puppet.spawn(rt, inbox, 1);
  const reply = await asker.attempt(['isAlive', inbox.pid], ['info', inbox.pid], ['processes']);
  t.is(reply.error, undefined, `failed with ${reply.error?.code}`);
  t.deepEqual(reply.results.slice(0, 1), [true]);
  t.true(infoOf(reply.results[1]).pid.equals(inbox.pid));
  t.true((reply.results[2] as Pid[]).some((p) => p.equals(inbox.pid)));
});

test("the runtime on scheduler 0 emits 'spawn' and 'exit' for every process on scheduler 1 and 'crash' only for abnormal exits", async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const spawned: string[] = [];
  const exited: Array<[string, ExitReason]> = [];
  const crashes: Array<{ pid: string; reason: ExitReason; registeredName?: string }> = [];
  const onSpawn = (pid: Pid): void => void spawned.push(String(pid));
  const onExit = (pid: Pid, reason: ExitReason): void => void exited.push([String(pid), reason]);
  const onCrash = (r: { pid: Pid; reason: ExitReason; registeredName?: string }): void => {
    crashes.push({ pid: String(r.pid), reason: r.reason, ...(r.registeredName === undefined ? {} : { registeredName: r.registeredName }) });
  };
  rt.events.on('spawn', onSpawn).on('exit', onExit).on('crash', onCrash);
  t.teardown(() => rt.events.off('spawn', onSpawn).off('exit', onExit).off('crash', onCrash));
  const fine = rt.spawn(on(1, 'returnAtOnce'));
  const failing = rt.spawn(on(1, 'registerAndThrow'), 'failing-1');
  const custom = rt.spawn(on(1, 'exitAtOnce'), 'custom');
  const ours = [fine, failing, custom].map(String);
  await Promise.all([fine, failing, custom].map((p) => exits.reasonOf(p)));
  t.deepEqual(spawned.filter((p) => ours.includes(p)).sort(), [...ours].sort());
  t.deepEqual(exited.filter(([p]) => ours.includes(p)).map(([p]) => p).sort(), [...ours].sort());
  t.is(exited.find(([p]) => p === String(fine))?.[1], 'normal');
  const mine = crashes.filter((c) => ours.includes(c.pid));
  t.deepEqual(mine.map((c) => c.pid).sort(), [failing, custom].map(String).sort());
  const crash = mine.find((c) => c.pid === String(failing));
  t.is(crash?.registeredName, 'failing-1');
  t.true(isErrorReason(crash?.reason));
  t.is(mine.find((c) => c.pid === String(custom))?.reason, 'custom');
});

test("a process on scheduler 1 killed from scheduler 0 is reported by 'crash' with reason 'killed'", async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const crashes: unknown[] = [];
  const victim = rt.spawn(on(1, 'idle'));
  const onCrash = (r: { pid: Pid; reason: ExitReason }): void => {
    if (r.pid.equals(victim)) crashes.push(r.reason);
  };
  rt.events.on('crash', onCrash);
  t.teardown(() => rt.events.off('crash', onCrash));
  await parked(rt, victim);
  rt.exit(victim, 'kill');
  await exits.reasonOf(victim);
  t.deepEqual(crashes, ['killed']);
});

test('isAlive about a process on scheduler 1 is true while it lives and false once it has exited, asked from inside a process on 0', async (t) => {
  const rt = runtime();
  const pid = rt.spawn(on(1, 'idle'));
  await parked(rt, pid);
  t.true(rt.isAlive(pid));
  await run(rt, async (self) => {
    t.true(self.isAlive(pid));
    const ref = self.monitor(pid);
    self.send(pid, 'stop');
    got(await self.receive(downOf(ref), MUST), 'DOWN');
    t.false(self.isAlive(pid));
  });
  t.false(rt.isAlive(pid));
});

test("exits of processes on scheduler 1 with 'shutdown' or { shutdown: term } are orderly stops, not crashes", async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const crashed: ExitReason[] = [];
  const pids: Pid[] = [];
  const onCrash = (r: { pid: Pid; reason: ExitReason }): void => {
    if (pids.some((p) => p.equals(r.pid))) crashed.push(r.reason);
  };
  rt.events.on('crash', onCrash);
  t.teardown(() => rt.events.off('crash', onCrash));
  for (const reason of ['shutdown', { shutdown: 'by supervisor' }, 'other'] as ExitReason[]) {
    const pid = rt.spawn(on(1, 'exitOnRequest'));
    pids.push(pid);
    rt.send(pid, reason);
    await exits.reasonOf(pid);
  }
  t.deepEqual(crashed, ['other']);
});
