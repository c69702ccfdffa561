import test from 'ava';
import { ManualClock, type CrashReport, type Pid, type Self } from '../../runtime/index.ts';
import { GenServer, noreply, ok, reply, stop, type From, type GenServerBehaviour } from '../../supervision/index.ts';
import { worker } from '../fixtures/supervision-workers.ts';
import { Inbox, exitOf, makeRuntime, parked, rejectsWith, withPatience } from './helpers.ts';

function nextCrash(rt: ReturnType<typeof makeRuntime>): Promise<CrashReport> {
  return withPatience(new Promise<CrashReport>((resolve) => rt.events.once('crash', resolve)), 'a crash report');
}

/** A server whose init asks for a 1,000 ms timeout and which reports every info message. */
const idle: GenServerBehaviour<Pid, Pid> = {
  init: (report: Pid) => ok(report, { timeout: 1000 }),
  handleInfo(msg: unknown, report: Pid, self: Self) {
    self.send(report, { event: 'info', msg });
    return noreply(report);
  },
};

test('a result with a timeout delivers \'timeout\' to handleInfo when no message arrives in time', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const inbox = new Inbox(rt);
  const server = (await GenServer.start(rt, idle, inbox.pid)) as Pid;
  await parked(rt, server);
  clock.advance(999);
  t.true(await inbox.quiet());
  clock.advance(1);
  t.is((await inbox.take()).msg, 'timeout');
});

test('a message arriving before the timeout cancels it', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const inbox = new Inbox(rt);
  const server = (await GenServer.start(rt, idle, inbox.pid)) as Pid;
  rt.send(server, 'hello');
  t.is((await inbox.take()).msg, 'hello');
  await parked(rt, server);
  clock.advance(5000);
  t.true(await inbox.quiet());
});

test('continue runs handleContinue right after the callback, before the next message', async (t) => {
  const rt = makeRuntime(t);
  const log: string[] = [];
  const continuing: GenServerBehaviour<number> = {
    init: () => ok(0, { continue: 'warm up' }),
    handleContinue(value: unknown, n: number) {
      log.push(`continue ${String(value)}`);
      return noreply(n + 1);
    },
    handleCall(req: unknown, _from: From, n: number) {
      log.push(`call ${String(req)}`);
      return reply(n, n);
    },
  };
  const server = (await GenServer.start(rt, continuing, undefined)) as Pid;
  t.is(await GenServer.call(rt, server, 'get'), 1);
  t.deepEqual(log, ['continue warm up', 'call get']);
});

test('handleInfo receives messages that are not calls or casts; without handleInfo they are dropped', async (t) => {
  const rt = makeRuntime(t);
  const seen: unknown[] = [];
  const listening: GenServerBehaviour<null> = {
    init: () => ok(null),
    handleInfo: (msg: unknown) => (seen.push(msg), noreply(null)),
    handleCall: (_req: unknown) => reply('ok', null),
  };
  const a = (await GenServer.start(rt, listening, undefined)) as Pid;
  rt.send(a, { any: 'thing' });
  await GenServer.call(rt, a, 'sync');
  t.deepEqual(seen, [{ any: 'thing' }]);
  const b = (await GenServer.start(rt, worker, { id: 'no-info' })) as Pid;
  rt.send(b, 'stray');
  t.is(await GenServer.call(rt, b, 'ping'), 'pong');
  t.is(rt.processInfo(b)?.messageQueueLen, 0);
});

test('an abnormal stop is reported on the crash event with the last message and the state summary', async (t) => {
  const rt = makeRuntime(t);
  const summarised: GenServerBehaviour<{ secret: string; count: number }> = {
    init: () => ok({ secret: 'hunter2', count: 0 }),
    handleCast(req: unknown, state) {
      if (req === 'crash') throw new Error('kaboom');
      return noreply({ ...state, count: state.count + 1 });
    },
    formatStatus: (state) => ({ count: state.count }),
  };
  const server = (await GenServer.start(rt, summarised, undefined)) as Pid;
  const crash = nextCrash(rt);
  GenServer.cast(rt, server, 'bump');
  GenServer.cast(rt, server, 'crash');
  const report = await crash;
  t.true(server.equals(report.pid));
  t.is((report.reason as { error: { message: string } }).error.message, 'kaboom');
  t.deepEqual(report.info, { lastMessage: { type: '$gen_cast', request: 'crash' }, state: { count: 1 } });
});

test('a crash in a callback runs terminate with the error reason before the server exits', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const server = (await GenServer.start(rt, worker, { id: 'w', report: inbox.pid })) as Pid;
  GenServer.cast(rt, server, 'crash');
  const stopped = await inbox.take((m) => m.event === 'stopped');
  t.is(stopped.reason.error.message, 'worker w crashed on request');
  t.deepEqual(await exitOf(rt, server), 'noproc');
});

test('a callback returning something that is not a result stops the server with bad_return_value', async (t) => {
  const rt = makeRuntime(t);
  const sloppy: GenServerBehaviour<null> = {
    init: () => ok(null),
    handleCast: () => ({ state: null }) as never,
  };
  const server = (await GenServer.start(rt, sloppy, undefined)) as Pid;
  const exited = exitOf(rt, server);
  GenServer.cast(rt, server, 'x');
  t.deepEqual(await exited, { bad_return_value: 'an object' });
});

test('stop(reason, state) from handleCast runs terminate with the new state and exits with the reason', async (t) => {
  const rt = makeRuntime(t);
  let terminated: unknown;
  const stopping: GenServerBehaviour<string> = {
    init: () => ok('old'),
    handleCast: () => stop({ shutdown: 'done' }, 'new'),
    terminate: (reason, state) => void (terminated = { reason, state }),
  };
  const server = (await GenServer.start(rt, stopping, undefined)) as Pid;
  const exited = exitOf(rt, server);
  GenServer.cast(rt, server, 'stop');
  t.deepEqual(await exited, { shutdown: 'done' });
  t.deepEqual(terminated, { reason: { shutdown: 'done' }, state: 'new' });
});

test('GenServer.stop runs terminate and resolves once the server exited with the reason', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const server = (await GenServer.start(rt, worker, { id: 'w', report: inbox.pid })) as Pid;
  await GenServer.stop(rt, server, { shutdown: 'maintenance' });
  t.false(rt.isAlive(server));
  t.deepEqual((await inbox.take((m) => m.event === 'stopped')).reason, { shutdown: 'maintenance' });
  await rejectsWith(t, GenServer.stop(rt, server), 'noproc');
});

test('codeChange installs the new behaviour with the state its codeChange migrated', async (t) => {
  const rt = makeRuntime(t);
  const v1: GenServerBehaviour<number> = { init: () => ok(41), handleCall: (_r: unknown, _f: From, n: number) => reply(n, n) };
  const v2: GenServerBehaviour<{ value: number }> = {
    init: () => ok({ value: 0 }),
    handleCall: (_r: unknown, _f: From, s: { value: number }) => reply(`v2:${s.value}`, s),
    codeChange: (oldVersion: unknown, n: unknown) => ({ value: (n as number) + (oldVersion === 1 ? 1 : 0) }),
  };
  const server = (await GenServer.start(rt, v1, undefined)) as Pid;
  await GenServer.codeChange(rt, server, v2, 1);
  t.is(await GenServer.call(rt, server, 'get'), 'v2:42');
});

test('a codeChange that throws fails with code_change_failed and the server keeps its old behaviour', async (t) => {
  const rt = makeRuntime(t);
  const v1: GenServerBehaviour<number> = { init: () => ok(1), handleCall: (_r: unknown, _f: From, n: number) => reply(n, n) };
  const broken: GenServerBehaviour<number> = {
    init: () => ok(0),
    codeChange: () => {
      throw new Error('cannot migrate');
    },
  };
  const server = (await GenServer.start(rt, v1, undefined)) as Pid;
  await rejectsWith(t, GenServer.codeChange(rt, server, broken, 1), 'code_change_failed');
  t.is(await GenServer.call(rt, server, 'get'), 1);
});
