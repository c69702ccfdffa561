import test from 'ava';
import { ManualClock, TIMEOUT, type Self } from '../../runtime/index.ts';
import { Inbox, MUST, QUIET_MS, exitOf, got, isErrorReason, makeRuntime, parked, run } from './helpers.ts';

const isString = (m: unknown): m is string => typeof m === 'string';
type Ping = { ping: string; from: number };
const isPing = (m: unknown): m is Ping => typeof m === 'object' && m !== null && 'ping' in m;

const DAY_MS = 24 * 60 * 60 * 1000;

test('selective receive takes the first matching message and leaves the others in order (async form)', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    for (const m of [1, 'a', 2, 'b', 3]) self.send(self.pid, m);
    t.is(await self.receive(isString), 'a');
    const rest = [];
    for (let i = 0; i < 4; i++) rest.push(await self.receive());
    t.deepEqual(rest, [1, 2, 'b', 3]);
  });
});

test('selective receive takes the first matching message and leaves the others in order (generator form)', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    for (const m of [1, 'a', 2, 'b', 3]) self.send(self.pid, m);
    t.is(yield* self.receive((m) => m === 3), 3);
    t.is(yield* self.receive(isString), 'a');
    const rest = [];
    for (let i = 0; i < 3; i++) rest.push(yield* self.receive());
    t.deepEqual(rest, [1, 2, 'b']);
  });
});

test('a receive that is waiting skips unmatched messages as they arrive and keeps them in order', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const receiver = rt.spawn(function* (self: Self) {
    const matched = yield* self.receive((m) => m === 'wanted');
    const rest = [yield* self.receive(), yield* self.receive(), yield* self.receive()];
    self.send(inbox.pid, { matched, rest });
  });
  await parked(rt, receiver);
  for (const m of ['x', 'y', 'wanted', 'z']) rt.send(receiver, m);
  t.deepEqual(await inbox.take(), { matched: 'wanted', rest: ['x', 'y', 'z'] });
});

test('a pattern that returns a value other than true takes the message and returns that value', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    self.send(self.pid, 'noise');
    self.send(self.pid, { ping: 'hello', from: 7 });
    const from = await self.receive((m) => (isPing(m) ? m.from : undefined));
    t.is(from, 7);
    t.is(await self.receive(null, { timeout: 0 }), 'noise');
  });
});

test('a pattern that returns false or undefined leaves the message; 0, null and empty string still take it', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    for (const m of ['skip', 'zero', 'null', 'empty']) self.send(self.pid, m);
    t.is(yield* self.receive((m) => (m === 'skip' ? false : undefined), { timeout: 0 }), TIMEOUT);
    t.is(yield* self.receive((m) => (m === 'zero' ? 0 : undefined)), 0);
    t.is(yield* self.receive((m) => (m === 'null' ? null : undefined)), null);
    t.is(yield* self.receive((m) => (m === 'empty' ? '' : undefined)), '');
    t.is(yield* self.receive(), 'skip');
  });
});

for (const form of ['async', 'generator'] as const) {
  test(`a receive times out with TIMEOUT when nothing matches before the deadline, unmatched arrivals do not end the wait (${form} form, manual clock)`, async (t) => {
    const clock = new ManualClock();
    const rt = makeRuntime(t, { clock });
    const inbox = new Inbox(rt);
    const body = form === 'async'
      ? async (self: Self) => {
        self.send(inbox.pid, { result: await self.receive((m) => m === 'never', { timeout: 1000 }) });
      }
      : function* (self: Self) {
        self.send(inbox.pid, { result: yield* self.receive((m) => m === 'never', { timeout: 1000 }) });
      };
    const pid = rt.spawn(body);
    const exit = exitOf(rt, pid);
    await parked(rt, pid);
    rt.send(pid, 'unmatched');
    clock.advance(999);
    t.true(await inbox.quiet(), 'the receive ended before its deadline');
    clock.advance(1);
    t.deepEqual(await inbox.take(), { result: TIMEOUT });
    t.is(await exit, 'normal');
  });
}

test('timeout 0 polls: it returns a waiting message, or TIMEOUT at once without the clock moving', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, { clock });
  await run(rt, async (self) => {
    t.is(await self.receive(null, { timeout: 0 }), TIMEOUT);
    self.send(self.pid, 'other');
    t.is(await self.receive((m) => m === 'x', { timeout: 0 }), TIMEOUT);
    self.send(self.pid, 'x');
    t.is(await self.receive((m) => m === 'x', { timeout: 0 }), 'x');
    t.is(await self.receive(null, { timeout: 0 }), 'other', 'a poll lost the unmatched message');
  });
  t.is(clock.now(), 0);
});

test('timeout 0 polls in a generator process too', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, { clock });
  await run(rt, function* (self) {
    t.is(yield* self.receive(null, { timeout: 0 }), TIMEOUT);
    self.send(self.pid, 1);
    t.is(yield* self.receive(null, { timeout: 0 }), 1);
  });
});

test('a message arriving before the deadline ends the receive and cancels its timer', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, { clock });
  const inbox = new Inbox(rt);
  const pid = rt.spawn(async (self: Self) => {
    const first = await self.receive(null, { timeout: 1000 });
    self.send(inbox.pid, { first });
    const second = await self.receive(null, { timeout: 2000 });
    self.send(inbox.pid, { second });
  });
  await parked(rt, pid);
  rt.send(pid, 'in time');
  t.deepEqual(await inbox.take(), { first: 'in time' });
  await parked(rt, pid);
  clock.advance(1000);
  t.true(await inbox.quiet(), 'the first receive\'s timer ended the second receive');
  clock.advance(1000);
  t.deepEqual(await inbox.take(), { second: TIMEOUT });
});

test('a generator waiting for any message gets the one sent before its timeout fired, even when both happen before it runs', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, { clock });
  const inbox = new Inbox(rt);
  const pid = rt.spawn(function* (self: Self) {
    self.send(inbox.pid, { first: yield* self.receive(null, { timeout: 10 }) });
    self.send(inbox.pid, { second: yield* self.receive(null, { timeout: 10 }) });
  });
  await parked(rt, pid);
  rt.send(pid, 'in time');
  clock.advance(50);
  t.deepEqual(await inbox.take(), { first: 'in time' });
  await parked(rt, pid);
  clock.advance(10);
  t.deepEqual(await inbox.take(), { second: TIMEOUT });
});

test('messages sent to a generator waiting for any message count in its queue and arrive in order', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const pid = rt.spawn(function* (self: Self) {
    const got: unknown[] = [];
    while (got.length < 3) got.push(yield* self.receive());
    self.send(inbox.pid, got);
  });
  await parked(rt, pid);
  rt.send(pid, 'a');
  t.is(rt.processInfo(pid)?.messageQueueLen, 1, 'the first message, before the process runs');
  rt.send(pid, 'b');
  rt.send(pid, 'c');
  t.is(rt.processInfo(pid)?.messageQueueLen, 3);
  t.deepEqual(await inbox.take(), ['a', 'b', 'c']);

  const killed = rt.spawn(function* (self: Self) {
    yield* self.receive();
    self.send(inbox.pid, 'ran after kill');
  });
  await parked(rt, killed);
  const exited = exitOf(rt, killed);
  rt.send(killed, 'x');
  rt.exit(killed, 'kill');
  t.is(await exited, 'killed');
  t.true(await inbox.quiet());
});

test('a long mailbox keeps its order through thousands of receives, a selective take from its middle, and new arrivals', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  rt.spawn(function* (self: Self) {
    for (let i = 0; i < 5000; i++) self.send(self.pid, i);
    const got: unknown[] = [];
    for (let i = 0; i < 3000; i++) got.push(yield* self.receive());
    got.push(yield* self.receive((m) => m === 4000));
    for (let i = 5000; i < 5500; i++) self.send(self.pid, i);
    while (got.length < 5500) got.push(yield* self.receive());
    self.send(inbox.pid, got);
  });
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  t.deepEqual(await inbox.take(), [...range(0, 3000), 4000, ...range(3000, 4000), ...range(4001, 5500)]);
});

test('sleep waits on the runtime clock and leaves messages that arrive meanwhile in the mailbox', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, { clock });
  const inbox = new Inbox(rt);
  const pid = rt.spawn(function* (self: Self) {
    yield* self.sleep(500);
    self.send(inbox.pid, 'slept');
    self.send(inbox.pid, { then: yield* self.receive(null, { timeout: 0 }) });
  });
  await parked(rt, pid);
  rt.send(pid, 'during sleep');
  clock.advance(499);
  t.true(await inbox.quiet(), 'a message or early timer woke the sleeper');
  clock.advance(1);
  t.is(await inbox.take(), 'slept');
  t.deepEqual(await inbox.take(), { then: 'during sleep' });
});

test('sleep in an async process waits on the runtime clock', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, { clock });
  const pid = rt.spawn(async (self: Self) => {
    await self.sleep(250);
    self.exit('woke');
  });
  await parked(rt, pid);
  clock.advance(250);
  t.is(await exitOf(rt, pid), 'woke');
});

test('a generator process and an async process exchange messages', async (t) => {
  const rt = makeRuntime(t);
  const rounds = 200;
  const ponger = rt.spawn(function* (self: Self) {
    for (;;) {
      const ping = yield* self.receive(isPing);
      if (ping.ping === 'stop') return;
      self.send('pinger', { pong: ping.from });
    }
  });
  const pongerExit = exitOf(rt, ponger);
  await run(rt, async (self) => {
    self.register('pinger');
    for (let i = 0; i < rounds; i++) {
      self.send(ponger, { ping: 'ping', from: i });
      const pong = got(await self.receive((m): m is { pong: number } => typeof m === 'object' && m !== null && 'pong' in m, MUST), 'pong');
      t.is(pong.pong, i);
    }
    self.send(ponger, { ping: 'stop', from: -1 });
  });
  t.is(await pongerExit, 'normal');
});

test('self.await in a generator resumes with the value of the promise and throws its rejection into the generator', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    const value = yield* self.await(new Promise<number>((resolve) => setImmediate(() => resolve(42))));
    t.is(value, 42);
    let caught: unknown;
    try {
      yield* self.await(Promise.reject(new Error('rejected')));
    } catch (err) {
      caught = err;
    }
    t.is((caught as Error | undefined)?.message, 'rejected');
  });
});

test('an uncaught rejection from self.await ends the generator process with the error as reason', async (t) => {
  const rt = makeRuntime(t);
  const pid = rt.spawn(function* (self: Self) {
    yield* self.await(Promise.reject(new SyntaxError('bad promise')));
  });
  const reason = await exitOf(rt, pid);
  t.true(isErrorReason(reason));
  if (isErrorReason(reason)) t.is(reason.error.message, 'bad promise');
});

test('a process waiting on self.await still receives messages sent meanwhile afterwards', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.send(self.pid, 'queued before');
    const value = yield* self.await(Promise.resolve('value'));
    t.is(value, 'value');
    t.is(yield* self.receive(null, { timeout: 0 }), 'queued before');
  });
});

test('a receive timeout longer than 2^31-1 ms fires only when that time has passed (manual clock)', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, { clock });
  const inbox = new Inbox(rt);
  const pid = rt.spawn(async (self: Self) => {
    self.send(inbox.pid, { result: await self.receive(null, { timeout: 30 * DAY_MS }) });
  });
  await parked(rt, pid);
  clock.advance(25 * DAY_MS);
  t.true(await inbox.quiet(), 'the 30-day timeout fired after 25 days');
  clock.advance(5 * DAY_MS - 1);
  t.true(await inbox.quiet(), 'the 30-day timeout fired 1 ms early');
  clock.advance(1);
  t.deepEqual(await inbox.take(), { result: TIMEOUT });
});

test('a receive timeout longer than 2^31-1 ms does not fire at once on the real clock', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    const long = self.spawn(function* (s: Self) {
      yield* s.receive(null, { timeout: 30 * DAY_MS });
      s.exit('timed out too early');
    });
    yield* self.sleep(QUIET_MS);
    t.true(rt.isAlive(long));
    self.exit(long, 'kill');
  });
});

// A pattern is user code and may throw: the receive throws that error into the process (which
// may catch it), whether the message was already there or arrives while the process waits, and
// the message stays in the mailbox.
for (const when of ['already in the mailbox', 'arriving while the process waits'] as const) {
  test(`a pattern that throws on a message ${when} throws into an async process, and the message stays`, async (t) => {
    const rt = makeRuntime(t);
    const inbox = new Inbox(rt);
    const pid = rt.spawn(async (self: Self) => {
      if (when === 'already in the mailbox') self.send(self.pid, 'poison');
      else self.send(inbox.pid, 'waiting');
      try {
        await self.receive((m) => {
          if (m === 'poison') throw new RangeError('bad pattern');
          return false;
        });
        self.send(inbox.pid, 'no error');
      } catch (err) {
        self.send(inbox.pid, { caught: (err as Error).message });
      }
      self.send(inbox.pid, { next: await self.receive(null, MUST) });
    });
    if (when === 'arriving while the process waits') {
      await inbox.take((m) => m === 'waiting');
      rt.send(pid, 'poison');
    }
    t.deepEqual(await inbox.take((m) => m !== 'waiting'), { caught: 'bad pattern' });
    t.deepEqual(await inbox.take(), { next: 'poison' });
  });

  test(`a pattern that throws on a message ${when} throws into a generator process, and the message stays`, async (t) => {
    const rt = makeRuntime(t);
    const inbox = new Inbox(rt);
    const pid = rt.spawn(function* (self: Self) {
      if (when === 'already in the mailbox') self.send(self.pid, 'poison');
      else self.send(inbox.pid, 'waiting');
      try {
        yield* self.receive((m) => {
          if (m === 'poison') throw new RangeError('bad pattern');
          return false;
        });
        self.send(inbox.pid, 'no error');
      } catch (err) {
        self.send(inbox.pid, { caught: (err as Error).message });
      }
      self.send(inbox.pid, { next: yield* self.receive(null, MUST) });
    });
    if (when === 'arriving while the process waits') {
      await inbox.take((m) => m === 'waiting');
      rt.send(pid, 'poison');
    }
    t.deepEqual(await inbox.take((m) => m !== 'waiting'), { caught: 'bad pattern' });
    t.deepEqual(await inbox.take(), { next: 'poison' });
  });
}

test('a promise sent on one scheduler arrives as itself in a generator process, and as what it settles to through await', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sent = Promise.resolve('settled');
  const gen = rt.spawn(function* (self: Self) {
    const msg = yield* self.receive();
    self.send(inbox.pid, { form: 'gen', same: msg === sent });
  });
  const waiting = rt.spawn(async (self: Self) => {
    self.send(inbox.pid, { form: 'async waiting', got: await self.receive() });
  });
  await parked(rt, waiting);
  rt.send(gen, sent);
  rt.send(waiting, sent);
  const polled = rt.spawn(async (self: Self) => {
    self.send(inbox.pid, { form: 'async polled', got: await self.receive() });
  });
  rt.send(polled, sent);
  const replies = await inbox.takeN<{ form: string }>(3);
  const byForm = Object.fromEntries(replies.map((r) => [r.form, r]));
  t.deepEqual(byForm, {
    gen: { form: 'gen', same: true },
    'async waiting': { form: 'async waiting', got: 'settled' },
    'async polled': { form: 'async polled', got: 'settled' },
  });
});
