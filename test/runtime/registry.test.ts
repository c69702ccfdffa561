import test from 'ava';
import { TIMEOUT, downOf, type Self } from '../../runtime/index.ts';
import {
  Inbox, MUST, deadPid, exitOf, got, makeRuntime, run, spawnIdle, throwsCode,
} from './helpers.ts';

function echo(inbox: Inbox) {
  return async (self: Self): Promise<void> => {
    for (;;) self.send(inbox.pid, { echo: await self.receive() });
  };
}

test('a process registered by name is found by whereis and reached by send to that name', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const pid = rt.spawn(echo(inbox));
  rt.register('echo', pid);
  t.true(rt.whereis('echo')?.equals(pid));
  t.true(rt.registered().includes('echo'));
  t.is(rt.processInfo(pid)?.registeredName, 'echo');
  rt.send('echo', 'from outside');
  t.deepEqual(await inbox.take(), { echo: 'from outside' });
  await run(rt, async (self) => {
    t.true(self.whereis('echo')?.equals(pid));
    self.send('echo', 'from a process');
  });
  t.deepEqual(await inbox.take(), { echo: 'from a process' });
});

test('a process can register itself and unregister its name while it lives on', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.register('me');
    t.true(rt.whereis('me')?.equals(self.pid));
    self.send('me', 'to myself');
    t.is(yield* self.receive(null, { timeout: 0 }), 'to myself');
    self.unregister('me');
    t.is(self.whereis('me'), undefined);
    t.false(rt.registered().includes('me'));
    t.is(rt.processInfo(self.pid)?.registeredName, undefined);
    t.true(rt.isAlive(self.pid));
  });
});

test('a name is freed when its process exits, before the DOWN of that process arrives', async (t) => {
  const rt = makeRuntime(t);
  const pid = spawnIdle(rt);
  rt.register('short-lived', pid);
  await run(rt, async (self) => {
    const ref = self.monitor(pid);
    self.send('short-lived', 'stop');
    got(await self.receive(downOf(ref), MUST), 'DOWN');
    t.is(self.whereis('short-lived'), undefined);
    t.false(rt.registered().includes('short-lived'));
  });
  const next = spawnIdle(rt);
  rt.register('short-lived', next);
  t.true(rt.whereis('short-lived')?.equals(next), 'the freed name could not be taken again');
});

test("registering a name another process holds fails with 'name_taken', and the runtime keeps working", async (t) => {
  const rt = makeRuntime(t);
  const holder = spawnIdle(rt);
  const other = spawnIdle(rt);
  rt.register('taken', holder);
  throwsCode(t, () => rt.register('taken', other), 'name_taken');
  await run(rt, async (self) => {
    let code: unknown;
    try {
      self.register('taken');
    } catch (err) {
      code = (err as { code?: unknown }).code;
    }
    t.is(code, 'name_taken');
  });
  t.true(rt.whereis('taken')?.equals(holder));
  rt.register('free', other);
  t.true(rt.whereis('free')?.equals(other));
});

test("registering a process that already has a name fails with 'already_registered', and the runtime keeps working", async (t) => {
  const rt = makeRuntime(t);
  const pid = spawnIdle(rt);
  rt.register('first', pid);
  throwsCode(t, () => rt.register('second', pid), 'already_registered');
  t.is(rt.whereis('second'), undefined);
  t.is(rt.processInfo(pid)?.registeredName, 'first');
  const other = spawnIdle(rt);
  rt.register('second', other);
  t.true(rt.whereis('second')?.equals(other));
});

test("registering a dead pid fails with 'noproc', and the runtime keeps working", async (t) => {
  const rt = makeRuntime(t);
  const dead = await deadPid(rt);
  throwsCode(t, () => rt.register('ghost', dead), 'noproc');
  t.is(rt.whereis('ghost'), undefined);
  const live = spawnIdle(rt);
  rt.register('ghost', live);
  t.true(rt.whereis('ghost')?.equals(live));
});

test("unregistering a name nobody holds fails with 'not_registered', and the runtime keeps working", async (t) => {
  const rt = makeRuntime(t);
  throwsCode(t, () => rt.unregister('unknown'), 'not_registered');
  const pid = spawnIdle(rt);
  rt.register('known', pid);
  rt.unregister('known');
  t.is(rt.whereis('known'), undefined);
  t.true(rt.isAlive(pid));
});

test("sending to a name nobody holds fails with 'not_registered', and the runtime keeps working", async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  throwsCode(t, () => rt.send('nobody', 'hello'), 'not_registered');
  const gone = spawnIdle(rt);
  rt.register('gone', gone);
  rt.send('gone', 'stop');
  await exitOf(rt, gone);
  throwsCode(t, () => rt.send('gone', 'hello'), 'not_registered');
  await run(rt, async (self) => {
    let code: unknown;
    try {
      self.send('nobody', 'hello');
    } catch (err) {
      code = (err as { code?: unknown }).code;
    }
    t.is(code, 'not_registered');
    self.send(inbox.pid, 'still working');
  });
  t.is(await inbox.take(), 'still working');
});

test('sending to a dead pid never throws', async (t) => {
  const rt = makeRuntime(t);
  const dead = await deadPid(rt, 'crashed');
  t.notThrows(() => rt.send(dead, 'lost'));
  await run(rt, function* (self) {
    self.send(dead, 'lost');
    self.send(self.pid, 'kept');
    t.is(yield* self.receive(null, { timeout: 0 }), 'kept');
    t.is(yield* self.receive(null, { timeout: 0 }), TIMEOUT);
  });
});

test('on one scheduler a registered name may be of any length', async (t) => {
  const rt = makeRuntime(t);
  const pid = spawnIdle(rt);
  const name = 'n'.repeat(500);
  rt.register(name, pid);
  t.true(rt.whereis(name)?.equals(pid));
});
