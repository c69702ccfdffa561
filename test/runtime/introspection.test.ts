import test from 'ava';
import { Pid, downOf, type ExitReason, type Self } from '../../runtime/index.ts';
import { MUST, deadPid, exitOf, got, isErrorReason, makeRuntime, parked, run, spawnIdle, until } from './helpers.ts';

test('processInfo reports status, queue length, links, monitors, monitoredBy, trapExit and registered name', async (t) => {
  const rt = makeRuntime(t);
  const target = rt.spawn(function* (self: Self) {
    yield* self.receive((m) => m === 'go');
  });
  await parked(rt, target);
  for (const m of ['a', 'b', 'c']) rt.send(target, m);
  await parked(rt, target);
  const idle = rt.processInfo(target);
  t.like(idle, { status: 'waiting', messageQueueLen: 3, trapExit: false, links: [], monitors: [], monitoredBy: [] });
  t.false(idle !== undefined && 'registeredName' in idle && idle.registeredName !== undefined);

  await run(rt, async (self) => {
    self.trapExit(true);
    self.link(target);
    const ref = self.monitor(target);
    self.register('watcher');
    const mine = rt.processInfo(self.pid);
    t.is(mine?.status, 'running');
    t.true(mine?.trapExit);
    t.is(mine?.registeredName, 'watcher');
    t.deepEqual(mine?.links.map(String), [String(target)]);
    t.is(mine?.monitors.length, 1);
    t.true(mine?.monitors[0]?.ref.equals(ref));
    t.is(String(mine?.monitors[0]?.pid), String(target));
    const theirs = rt.processInfo(target);
    t.deepEqual(theirs?.links.map(String), [String(self.pid)]);
    t.deepEqual(theirs?.monitoredBy.map(String), [String(self.pid)]);
    t.true(theirs?.pid.equals(target));
    self.unlink(target);
    self.demonitor(ref);
  });
});

test("a process spawned but not yet run is 'runnable'", async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    const child = self.spawn(function* (c: Self) {
      yield* c.receive();
    });
    t.is(rt.processInfo(child)?.status, 'runnable');
    yield* self.sleep(0);
  });
});

test('processInfo of a dead pid is undefined', async (t) => {
  const rt = makeRuntime(t);
  const dead = await deadPid(rt, 'gone');
  t.is(rt.processInfo(dead), undefined);
});

test('processes lists the live processes and drops those that exited', async (t) => {
  const rt = makeRuntime(t);
  const a = spawnIdle(rt);
  const b = spawnIdle(rt);
  const keys = () => rt.processes().map((p) => p.key).sort();
  t.deepEqual(keys(), [a.key, b.key].sort());
  const bExit = exitOf(rt, b);
  rt.send(b, 'stop');
  await bExit;
  t.deepEqual(keys(), [a.key]);
});

test("the runtime emits 'spawn' and 'exit' for every process and 'crash' only for abnormal exits", async (t) => {
  const rt = makeRuntime(t);
  const spawned: string[] = [];
  const exits: Array<[string, ExitReason]> = [];
  const crashes: Array<{ pid: string; reason: ExitReason; registeredName?: string }> = [];
  rt.events.on('spawn', (pid: Pid) => spawned.push(String(pid)));
  rt.events.on('exit', (pid: Pid, reason: ExitReason) => exits.push([String(pid), reason]));
  rt.events.on('crash', (r: { pid: Pid; reason: ExitReason; registeredName?: string }) => {
    crashes.push({ pid: String(r.pid), reason: r.reason, ...(r.registeredName === undefined ? {} : { registeredName: r.registeredName }) });
  });
  const fine = rt.spawn(async () => 'ok');
  const failing = rt.spawn(async (self: Self) => {
    self.register('failing');
    throw new Error('broken');
  });
  const exited = rt.spawn(function* (self: Self) {
    self.exit('custom');
  });
  const done = [fine, failing, exited].map((p) => exitOf(rt, p));
  await Promise.all(done);
  t.deepEqual(spawned, [fine, failing, exited].map(String));
  t.deepEqual(exits.map(([p]) => p).sort(), [fine, failing, exited].map(String).sort());
  t.deepEqual(exits.find(([p]) => p === String(fine))?.[1], 'normal');
  t.deepEqual(crashes.map((c) => c.pid).sort(), [failing, exited].map(String).sort());
  const crash = crashes.find((c) => c.pid === String(failing));
  t.is(crash?.registeredName, 'failing');
  t.true(isErrorReason(crash?.reason));
  t.is(crashes.find((c) => c.pid === String(exited))?.reason, 'custom');
});

test("a killed process is reported by 'crash' with reason 'killed'", async (t) => {
  const rt = makeRuntime(t);
  const crashes: unknown[] = [];
  rt.events.on('crash', (r: { reason: ExitReason }) => crashes.push(r.reason));
  const victim = spawnIdle(rt);
  const victimExit = exitOf(rt, victim);
  rt.exit(victim, 'kill');
  await victimExit;
  t.deepEqual(crashes, ['killed']);
});

test('isAlive is true while a process lives and false once it has exited', async (t) => {
  const rt = makeRuntime(t);
  const pid = spawnIdle(rt);
  t.true(rt.isAlive(pid));
  await run(rt, async (self) => {
    t.true(self.isAlive(pid));
    const ref = self.monitor(pid);
    self.send(pid, 'stop');
    got(await self.receive(downOf(ref), MUST), 'DOWN');
    t.false(self.isAlive(pid));
    t.true(self.isAlive(self.pid));
  });
  t.false(rt.isAlive(pid));
});

test("exits with 'shutdown' or { shutdown: term } are orderly stops, not crashes, as in OTP's crash reports", async (t) => {
  const rt = makeRuntime(t);
  const crashed: ExitReason[] = [];
  rt.events.on('crash', (r) => crashed.push(r.reason));
  for (const reason of ['shutdown', { shutdown: 'by supervisor' }, 'other'] as ExitReason[]) {
    const pid = spawnIdle(rt);
    const exited = exitOf(rt, pid);
    rt.exit(pid, reason);
    await exited;
  }
  t.deepEqual(crashed, ['other']);
});

// A pid is small and outlives its process (supervisors keep lists of them, messages carry
// them): once the process has exited, holding its pid must not keep the process's own state
// reachable. Checked with a WeakRef to the process's `self` and forced collections.
test('a pid held after its process exited does not keep the process alive in memory', async (t) => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const rt = makeRuntime(t);
  let weak: WeakRef<object> | undefined;
  const pid: Pid = rt.spawn(async (self: Self) => {
    weak = new WeakRef(self);
  });
  t.is(await exitOf(rt, pid), 'normal');
  for (let i = 0; i < 10 && weak?.deref() !== undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
  }
  t.truthy(weak, 'the process ran');
  t.is(weak?.deref(), undefined, 'the exited process is still reachable');
  t.false(rt.isAlive(pid));
});

test('processes that outlive tens of thousands spawned after them stay reachable through copies of their pids', async (t) => {
  const rt = makeRuntime(t);
  const before = rt.processes().length;
  const keepers: Pid[] = [];
  // Each round leaves one process alive and 5,000 that exit at once behind it, so the
  // process table sheds its mostly empty front and must carry the survivors over.
  for (let round = 0; round < 8; round++) {
    keepers.push(
      rt.spawn(function* (self: Self) {
        for (;;) {
          const { from } = (yield* self.receive()) as { from: Pid };
          self.send(from, { alive: self.pid.key });
        }
      }),
    );
    for (let i = 0; i < 5000; i++) rt.spawn(function* () {});
    await until(() => rt.processes().length === before + keepers.length, 'the short-lived processes to exit');
  }
  const live = new Set(rt.processes().map((p) => p.key));
  for (const pid of keepers) t.true(live.has(pid.key), `${String(pid)} is missing from processes()`);
  await run(rt, function* (self) {
    for (const pid of keepers) {
      // A pid rebuilt from its key is found through the process table, not bound to the process.
      const copy = Pid.fromKey(pid.key);
      t.true(rt.isAlive(copy), `${String(pid)} is not found by a copy of its pid`);
      self.send(copy, { from: self.pid });
      t.deepEqual(got(yield* self.receive(null, MUST), 'a reply'), { alive: pid.key });
    }
  });
  const exits = keepers.map((pid) => exitOf(rt, pid));
  for (const pid of keepers) rt.exit(Pid.fromKey(pid.key), 'kill');
  t.deepEqual(await Promise.all(exits), keepers.map(() => 'killed'));
  t.is(rt.processes().length, before);
});
