import test from 'ava';
import { ManualClock, TIMEOUT, isExit, type Pid, type Self } from '../../runtime/index.ts';
import { GenServer, ignore, ok, stop, type GenServerBehaviour } from '../../supervision/index.ts';
import { worker } from '../fixtures/supervision-workers.ts';
import { Inbox, event, exitOf, inProcess, makeRuntime, parked, rejectsWith } from './helpers.ts';

test('start returns only after init has run, with the pid of the running server', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const pid = (await GenServer.start(rt, worker, { id: 'w', report: inbox.pid })) as Pid;
  const started = await inbox.take(event('started', 'w'));
  t.true(pid.equals(started.pid));
  t.true(rt.isAlive(pid));
  t.is(await GenServer.call(rt, pid, 'ping'), 'pong');
});

test('init returning ignore() makes start resolve to ignore and the process exit normal', async (t) => {
  const rt = makeRuntime(t);
  const exits: unknown[] = [];
  rt.events.on('exit', (_pid, reason) => exits.push(reason));
  const result = await GenServer.start(rt, { init: () => ignore() }, undefined);
  t.is(result, 'ignore');
  t.true(exits.includes('normal'));
});

test('init returning stop(reason) fails the start with init_failed carrying the reason', async (t) => {
  const rt = makeRuntime(t);
  const err = await rejectsWith(t, GenServer.start(rt, { init: () => stop({ bad: 'config' }) }, undefined), 'init_failed');
  t.deepEqual(err.reason, { bad: 'config' });
  t.is(await exitOf(rt, err.pid), 'noproc');
});

test('init that throws fails the start with init_failed carrying the thrown error', async (t) => {
  const rt = makeRuntime(t);
  const failing = {
    init(): never {
      throw new TypeError('no database');
    },
  };
  const err = await rejectsWith(t, GenServer.start(rt, failing, undefined), 'init_failed');
  t.is(err.reason.error.name, 'TypeError');
  t.is(err.reason.error.message, 'no database');
});

test('a start whose init outlasts the start timeout fails with timeout and the process is killed', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const spawned: Pid[] = [];
  rt.events.on('spawn', (pid) => spawned.push(pid));
  const slow = {
    *init(_args: undefined, self: Self) {
      yield* self.receive((m) => m === 'never');
      return ok(0);
    },
  };
  let outcome: unknown;
  const starter = rt.spawn(async (self: Self) => {
    try {
      await GenServer.start(self, slow, undefined, { timeout: 100 });
    } catch (err) {
      outcome = err;
    }
  });
  await parked(rt, starter);
  const server = spawned[spawned.length - 1]!;
  await parked(rt, server);
  clock.advance(100);
  await exitOf(rt, starter);
  t.is((outcome as { code?: string }).code, 'timeout');
  t.is(await exitOf(rt, server), 'noproc');
});

test('a server is registered under its name before init runs; a second start with the name fails with already_started naming the holder', async (t) => {
  const rt = makeRuntime(t);
  let seenDuringInit: Pid | undefined;
  const named = {
    init(_args: undefined, self: Self) {
      seenDuringInit = self.whereis('db');
      return ok(0);
    },
  };
  const pid = (await GenServer.start(rt, named, undefined, { name: 'db' })) as Pid;
  t.true(pid.equals(seenDuringInit));
  t.true(pid.equals(rt.whereis('db')));
  const err = await rejectsWith(t, GenServer.start(rt, named, undefined, { name: 'db' }), 'already_started');
  t.true(pid.equals(err.pid));
});

test('startLink makes the caller the parent: a server trapping exits runs terminate with the parent\'s exit reason', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const parent = rt.spawn(function* (self: Self) {
    yield* GenServer.startLink(self, worker, { id: 'child', report: inbox.pid, trap: true });
    yield* self.receive((m) => m === 'go');
    self.exit({ shutdown: 'parent done' });
  });
  const started = await inbox.take(event('started', 'child'));
  rt.send(parent, 'go');
  const stopped = await inbox.take(event('stopped', 'child'));
  t.deepEqual(stopped.reason, { shutdown: 'parent done' });
  t.deepEqual(await exitOf(rt, started.pid), 'noproc');
});

test('a server started from outside any process has the outside as parent: rt.exit(pid, shutdown) runs terminate', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const pid = (await GenServer.start(rt, worker, { id: 'w', report: inbox.pid, trap: true })) as Pid;
  const exited = exitOf(rt, pid);
  rt.exit(pid, 'shutdown');
  t.is((await inbox.take(event('stopped', 'w'))).reason, 'shutdown');
  t.is(await exited, 'shutdown');
});

test('as in OTP, startLink from a caller that traps exits returns the init failure and leaves no EXIT in its mailbox', async (t) => {
  const rt = makeRuntime(t);
  const failing: GenServerBehaviour<number> = { init: () => stop('bad_config') };
  const seen = await inProcess(rt, function* (self) {
    self.trapExit(true);
    let code: string | undefined;
    try {
      yield* GenServer.startLink(self, failing, undefined);
    } catch (err) {
      code = (err as { code: string }).code;
    }
    const stray = yield* self.receive(isExit, { timeout: 0 });
    return { code, stray: stray === TIMEOUT ? 'none' : stray };
  });
  t.deepEqual(seen, { code: 'init_failed', stray: 'none' });
});

test('as in OTP, an init failure kills a linked caller that does not trap exits', async (t) => {
  const rt = makeRuntime(t);
  const failing: GenServerBehaviour<number> = { init: () => stop('bad_config') };
  const caller = rt.spawn(function* (self: Self) {
    yield* GenServer.startLink(self, failing, undefined);
  });
  t.is(await exitOf(rt, caller), 'bad_config');
});

test('start rejects a behaviour without init with invalid_input naming it', async (t) => {
  const rt = makeRuntime(t);
  const err = await rejectsWith(t, GenServer.start(rt, {} as GenServerBehaviour<number>, undefined), 'invalid_input');
  t.is(err.field, 'behaviour');
});
