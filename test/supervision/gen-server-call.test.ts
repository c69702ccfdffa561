import test from 'ava';
import { ManualClock, TIMEOUT, type Pid, type Self } from '../../runtime/index.ts';
import { GenServer, noreply, ok, reply, stopReply, type From, type GenServerBehaviour } from '../../supervision/index.ts';
import { worker } from '../fixtures/supervision-workers.ts';
import { exitOf, inProcess, makeRuntime, parked, rejectsWith } from './helpers.ts';
import { QUIET_MS, until } from '../waiting.ts';

/** Holds calls unanswered until told: `'hold'` is parked, `'release'` (a cast) answers it with `'late'`. */
const holder: GenServerBehaviour<From | undefined> = {
  init: () => ok(undefined),
  handleCall(request: unknown, from: From, held: From | undefined) {
    if (request === 'hold') return noreply(from);
    return reply(request, held);
  },
  handleCast(_request: unknown, held: From | undefined, self: Self) {
    if (held !== undefined) GenServer.reply(self, held, 'late');
    return noreply(undefined);
  },
};

async function startWorker(rt: ReturnType<typeof makeRuntime>, id = 'w'): Promise<Pid> {
  return (await GenServer.start(rt, worker, { id })) as Pid;
}

test('call gets the reply from a generator process, an async process and outside any process', async (t) => {
  const rt = makeRuntime(t);
  const server = await startWorker(rt);
  t.is(await inProcess(rt, function* (self) { return yield* GenServer.call<string>(self, server, 'ping'); }), 'pong');
  let fromAsync: unknown;
  const asyncCaller = rt.spawn(async (self: Self) => {
    fromAsync = await GenServer.call(self, server, 'ping');
  });
  t.is(await exitOf(rt, asyncCaller), 'normal');
  t.is(fromAsync, 'pong');
  t.is(await GenServer.call(rt, server, 'ping'), 'pong');
});

test('call reaches a server by its registered name', async (t) => {
  const rt = makeRuntime(t);
  await GenServer.start(rt, worker, { id: 'named' }, { name: 'svc' });
  t.is(await GenServer.call(rt, 'svc', 'ping'), 'pong');
});

test('call to a dead pid or to a name nobody holds rejects with noproc', async (t) => {
  const rt = makeRuntime(t);
  const server = await startWorker(rt);
  await GenServer.stop(rt, server);
  await rejectsWith(t, GenServer.call(rt, server, 'ping'), 'noproc');
  await rejectsWith(t, GenServer.call(rt, 'nobody', 'ping'), 'noproc');
});

test('call rejects with server_exited carrying the exit reason when the server dies during the call', async (t) => {
  const rt = makeRuntime(t);
  const server = await startWorker(rt);
  const err = await rejectsWith(t, GenServer.call(rt, server, { exit: { shutdown: 'asked' } }), 'server_exited');
  t.deepEqual(err.reason, { shutdown: 'asked' });
  t.true(server.equals(err.pid));
});

test('call rejects with timeout, and a reply sent after the timeout never lands in the caller\'s mailbox', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const server = (await GenServer.start(rt, holder, undefined)) as Pid;
  const caller = rt.spawn(function* (self: Self) {
    let code: string | undefined;
    try {
      yield* GenServer.call(self, server, 'hold', 50);
    } catch (err) {
      code = (err as { code: string }).code;
    }
    self.send(server, { type: '$gen_cast', request: 'release' });
    // A call after the release is answered after the late reply was sent (one mailbox, in order).
    const echo = yield* GenServer.call(self, server, 'sync');
    const stray = yield* self.receive(null, { timeout: 0 });
    return self.exit({ code, echo, stray: stray === TIMEOUT ? 'none' : stray });
  });
  await parked(rt, caller);
  clock.advance(50);
  t.deepEqual(await exitOf(rt, caller), { code: 'timeout', echo: 'sync', stray: 'none' });
});

test('a call answered with noreply is answered later with GenServer.reply', async (t) => {
  const rt = makeRuntime(t);
  const server = (await GenServer.start(rt, holder, undefined)) as Pid;
  let answer: unknown;
  const caller = rt.spawn(async (self: Self) => {
    answer = await GenServer.call(self, server, 'hold');
  });
  // Parked means the call is in the server's mailbox, ahead of the cast below.
  await parked(rt, caller);
  GenServer.cast(rt, server, 'release');
  t.is(await exitOf(rt, caller), 'normal');
  t.is(answer, 'late');
});

test('cast never fails: not to a dead pid, not to a name nobody holds', async (t) => {
  const rt = makeRuntime(t);
  const server = await startWorker(rt);
  await GenServer.stop(rt, server);
  t.notThrows(() => GenServer.cast(rt, server, 'anything'));
  t.notThrows(() => GenServer.cast(rt, 'nobody', 'anything'));
});

test('casts and calls from one caller are handled in the order they were sent', async (t) => {
  const rt = makeRuntime(t);
  const log: unknown[] = [];
  const logger: GenServerBehaviour<null> = {
    init: () => ok(null),
    handleCall: (req: unknown) => (log.push(req), reply(log.slice(), null)),
    handleCast: (req: unknown) => (log.push(req), noreply(null)),
  };
  const server = (await GenServer.start(rt, logger, undefined)) as Pid;
  const seen = await inProcess(rt, function* (self) {
    GenServer.cast(self, server, 1);
    GenServer.cast(self, server, 2);
    return yield* GenServer.call(self, server, 3);
  });
  t.deepEqual(seen, [1, 2, 3]);
});

test('a server that calls itself fails the call with calling_self instead of waiting forever', async (t) => {
  const rt = makeRuntime(t);
  const selfish: GenServerBehaviour<null> = {
    init: () => ok(null),
    *handleCall(_req: unknown, _from: From, state: null, self: Self) {
      try {
        yield* GenServer.call(self, self.pid, 'again');
        return reply('no error', state);
      } catch (err) {
        return reply((err as { code: string }).code, state);
      }
    },
  };
  const server = (await GenServer.start(rt, selfish, undefined)) as Pid;
  t.is(await GenServer.call(rt, server, 'go'), 'calling_self');
});

test('a generator callback can call another server while its own callers wait', async (t) => {
  const rt = makeRuntime(t);
  const backend = await startWorker(rt, 'backend');
  const frontend: GenServerBehaviour<Pid, Pid> = {
    init: (b: Pid) => ok(b),
    *handleCall(req: unknown, _from: From, b: Pid, self: Self) {
      const answer = yield* GenServer.call<string>(self, b, req);
      return reply(`frontend got ${answer}`, b);
    },
  };
  const front = (await GenServer.start(rt, frontend, backend)) as Pid;
  t.is(await GenServer.call(rt, front, 'ping'), 'frontend got pong');
});

test('a callback returning a promise makes the server wait; messages queue meanwhile and are handled after, in order', async (t) => {
  const rt = makeRuntime(t);
  let release: (v: string) => void = () => {};
  const gate = new Promise<string>((resolve) => (release = resolve));
  const log: unknown[] = [];
  const waiting: GenServerBehaviour<null> = {
    init: () => ok(null),
    async handleCall(req: unknown) {
      log.push(req);
      return req === 'slow' ? reply(await gate, null) : reply(req, null);
    },
  };
  const server = (await GenServer.start(rt, waiting, undefined)) as Pid;
  const slow = GenServer.call(rt, server, 'slow');
  const fast = GenServer.call(rt, server, 'fast');
  await until(() => log.length > 0, 'the server to take the first call');
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  t.deepEqual(log, ['slow'], 'the second call was handled while the first callback was still waiting');
  release('opened');
  t.deepEqual(await Promise.all([slow, fast]), ['opened', 'fast']);
  t.deepEqual(log, ['slow', 'fast']);
});

test('stopReply answers the caller, then the server runs terminate and exits with the reason', async (t) => {
  const rt = makeRuntime(t);
  const order: string[] = [];
  const quitter: GenServerBehaviour<null> = {
    init: () => ok(null),
    handleCall: () => stopReply('normal', 'bye', null),
    terminate: () => void order.push('terminate'),
  };
  const server = (await GenServer.start(rt, quitter, undefined)) as Pid;
  const exited = exitOf(rt, server);
  t.is(await GenServer.call(rt, server, 'quit'), 'bye');
  t.is(await exited, 'normal');
  t.deepEqual(order, ['terminate']);
});

test('call rejects invalid_input for a timeout that is not a non-negative number', (t) => {
  const rt = makeRuntime(t);
  const err = t.throws(() => GenServer.call(rt, 'x', 'y', -1));
  t.is((err as { code?: string }).code, 'invalid_input');
});
