import test from 'ava';
import { Pid, TIMEOUT, downOf, isDown, type Self } from '../../runtime/index.ts';
import { MUST, QUIET_MS, deadPid, exitOf, got, makeRuntime, run, spawnIdle, survives, until } from './helpers.ts';

test('a monitor delivers DOWN with its ref, the monitored pid and the exit reason', async (t) => {
  const rt = makeRuntime(t);
  const target = rt.spawn(async (self: Self) => {
    await self.receive((m) => m === 'go');
    self.exit({ shutdown: 'asked' });
  });
  await run(rt, async (self) => {
    const ref = self.monitor(target);
    self.send(target, 'go');
    const down = got(await self.receive(isDown, MUST), 'DOWN');
    t.true(down.ref.equals(ref));
    t.true(target.equals(down.pid));
    t.deepEqual(down.reason, { shutdown: 'asked' });
  });
});

test('monitoring a dead pid delivers DOWN with reason noproc without waiting for anything else', async (t) => {
  const rt = makeRuntime(t);
  const dead = await deadPid(rt, 'crashed');
  await run(rt, function* (self) {
    const ref = self.monitor(dead);
    const down = got(yield* self.receive(downOf(ref), MUST), 'DOWN');
    t.true(dead.equals(down.pid));
    t.is(down.reason, 'noproc');
  });
});

test('monitoring a pid that never existed delivers DOWN with reason noproc', async (t) => {
  const rt = makeRuntime(t);
  const never = new Pid(0, 987_654_321);
  await run(rt, async (self) => {
    const ref = self.monitor(never);
    const down = got(await self.receive(downOf(ref), MUST), 'DOWN');
    t.is(down.reason, 'noproc');
    t.true(never.equals(down.pid));
  });
});

test('monitors stack: two monitors on one process deliver two DOWN messages with distinct refs', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await run(rt, function* (self) {
    const first = self.monitor(target);
    const second = self.monitor(target);
    t.false(first.equals(second));
    t.is(rt.processInfo(self.pid)?.monitors.length, 2);
    self.send(target, 'stop');
    const a = got(yield* self.receive(downOf(first), MUST), 'first DOWN');
    const b = got(yield* self.receive(downOf(second), MUST), 'second DOWN');
    t.is(a.reason, 'normal');
    t.is(b.reason, 'normal');
    t.is(yield* self.receive(isDown, { timeout: QUIET_MS }), TIMEOUT, 'a third DOWN arrived');
  });
});

test('demonitor stops the DOWN message of that monitor', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await run(rt, async (self) => {
    const removed = self.monitor(target);
    const kept = self.monitor(target);
    self.demonitor(removed);
    self.send(target, 'stop');
    got(await self.receive(downOf(kept), MUST), 'DOWN of the kept monitor');
    t.is(await self.receive(downOf(removed), { timeout: QUIET_MS }), TIMEOUT, 'the removed monitor fired');
    t.is(rt.processInfo(self.pid)?.monitors.length, 0);
  });
});

test('demonitor with flush removes a DOWN that is already in the mailbox and nothing else', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await run(rt, async (self) => {
    const flushed = self.monitor(target);
    self.send(self.pid, 'keep me');
    const probe = self.monitor(target);
    self.send(target, 'stop');
    got(await self.receive(downOf(probe), MUST), 'DOWN of the probe monitor');
    t.is(rt.processInfo(self.pid)?.messageQueueLen, 2, 'the DOWN to flush and "keep me" wait in the mailbox');
    self.demonitor(flushed, { flush: true });
    t.is(rt.processInfo(self.pid)?.messageQueueLen, 1);
    t.is(await self.receive(null, { timeout: 0 }), 'keep me');
  });
});

test('demonitor with info reports whether the monitor was still active', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await run(rt, function* (self) {
    const active = self.monitor(target);
    t.true(self.demonitor(active, { info: true }), 'an active monitor');
    t.false(self.demonitor(active, { info: true }), 'a monitor already removed');
    const fired = self.monitor(target);
    self.send(target, 'stop');
    got(yield* self.receive(downOf(fired), MUST), 'DOWN');
    t.false(self.demonitor(fired, { info: true }), 'a monitor that already fired');
  });
});

test('demonitor with flush and info on a fired monitor reports false and still removes its DOWN', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await run(rt, async (self) => {
    const fired = self.monitor(target);
    const probe = self.monitor(target);
    self.send(target, 'stop');
    got(await self.receive(downOf(probe), MUST), 'DOWN of the probe monitor');
    t.false(self.demonitor(fired, { flush: true, info: true }));
    t.is(await self.receive(downOf(fired), { timeout: 0 }), TIMEOUT, 'the DOWN was not flushed');
  });
});

test('a monitor by registered name delivers DOWN when that process exits', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  rt.register('svc', target);
  await run(rt, async (self) => {
    const ref = self.monitor('svc');
    rt.exit(target, 'going away');
    const down = got(await self.receive(downOf(ref), MUST), 'DOWN');
    t.is(down.reason, 'going away');
    // Erlang reports the name here ({svc, node()}); Kairos reports the name.
    t.is(down.pid, 'svc');
  });
});

test('a monitor by a name nobody holds delivers DOWN with reason noproc naming that name', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    const ref = self.monitor('nobody');
    const down = got(yield* self.receive(downOf(ref), MUST), 'DOWN');
    t.is(down.pid, 'nobody');
    t.is(down.reason, 'noproc');
  });
});

test('spawnMonitor creates the process and its monitor atomically, so a child that dies at once reports its own reason', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    const { pid, ref } = self.spawnMonitor(function* (child: Self) {
      child.exit('early');
    });
    const down = got(await self.receive(downOf(ref), MUST), 'DOWN');
    t.true(pid.equals(down.pid));
    t.is(down.reason, 'early', 'the monitor was set after the child had died');
    t.deepEqual(rt.processInfo(self.pid)?.links, [], 'spawnMonitor also linked');
  });
});

test('monitors are one-way: the death of the watcher does not affect the process it watched', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  const watcher = rt.spawn(async (self: Self) => {
    self.monitor(target);
    self.exit('watcher crashed');
  });
  t.is(await exitOf(rt, watcher), 'watcher crashed');
  t.true(await survives(rt, target));
  t.deepEqual(rt.processInfo(target)?.monitoredBy ?? [], [], "the dead watcher's monitor was not removed");
});

test('a monitor is removed from both processes when it fires', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await run(rt, function* (self) {
    const ref = self.monitor(target);
    const before = rt.processInfo(self.pid)?.monitors ?? [];
    t.is(before.length, 1);
    t.true(before[0]?.ref.equals(ref));
    t.deepEqual(rt.processInfo(target)?.monitoredBy.map(String), [String(self.pid)]);
    self.send(target, 'stop');
    got(yield* self.receive(downOf(ref), MUST), 'DOWN');
    t.deepEqual(rt.processInfo(self.pid)?.monitors, []);
  });
});

// A process with more monitors on it than the scheduler queues one by one (16) queues one
// fan-out entry for its DOWNs; each monitor must still get exactly one DOWN of its own.
test('a process under 60 monitors (30 watchers with one each, one watcher with 30) sends each monitor one DOWN', async (t) => {
  const rt = makeRuntime(t);
  const target = rt.spawn(async (self: Self) => {
    await self.receive((m) => m === 'go');
    self.exit({ target: 'gone' });
  });
  const watchers = Array.from({ length: 30 }, () => run(rt, async (self) => {
    const ref = self.monitor(target);
    const down = got(await self.receive(isDown, MUST), 'DOWN');
    t.true(down.ref.equals(ref));
    t.true(down.pid instanceof Pid && down.pid.equals(target));
    t.deepEqual(down.reason, { target: 'gone' });
    t.is(await self.receive(isDown, { timeout: QUIET_MS }), TIMEOUT, 'a second DOWN arrived');
  }));
  const many = run(rt, async (self) => {
    const refs = Array.from({ length: 30 }, () => self.monitor(target));
    for (const ref of refs) {
      const down = got(await self.receive(downOf(ref), MUST), `DOWN for ${String(ref)}`);
      t.deepEqual(down.reason, { target: 'gone' });
    }
    t.is(await self.receive(isDown, { timeout: QUIET_MS }), TIMEOUT, 'an extra DOWN arrived');
  });
  await until(() => (rt.processInfo(target)?.monitoredBy.length ?? 0) === 60, 'all 60 monitors to be set');
  rt.send(target, 'go');
  await Promise.all([...watchers, many]);
  t.pass();
});
