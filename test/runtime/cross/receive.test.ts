// The rules of receive.test.ts for a process on scheduler 1 whose messages come from
// scheduler 0. A ManualClock drives scheduler 0 only, so on scheduler 1 timeouts run on the
// real clock: they are short, and the tests assert only what arrives (TIMEOUT or a message),
// never when. The manual-clock rules are checked on scheduler 0 with the unmatched messages
// coming from scheduler 1. Not repeatable across threads: a receive timeout beyond 2^31-1 ms
// driven to its deadline, which needs the manual clock on the scheduler that runs the receive.
import test from 'ava';
import { ManualClock, type Self } from '../../../runtime/index.ts';
import { MUST, got, isErrorReason, parked, run } from '../helpers.ts';
import { ExitLog, Inbox, Puppet, hasKey, on, ownRuntime, settle, sharedRuntime } from './helpers.ts';

const runtime = sharedRuntime(test);
type Ping = { ping: string; from: number };
const isPong = (m: unknown): m is { pong: number } => typeof m === 'object' && m !== null && 'pong' in m;

test('selective receive on scheduler 1 takes the first matching message sent from scheduler 0 and leaves the others in order (async form)', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const pid = rt.spawn(on(1, 'selectiveAsync'), inbox.pid);
  for (const m of [1, 'a', 2, 'b', 3]) rt.send(pid, m);
  t.deepEqual(await inbox.take(), { first: 'a', rest: [1, 2, 'b', 3] });
});

test('selective receive on scheduler 1 takes the first matching message sent from scheduler 0 and leaves the others in order (generator form)', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const pid = rt.spawn(on(1, 'selectiveGenerator'), inbox.pid);
  for (const m of [1, 'a', 2, 'b', 3]) rt.send(pid, m);
  t.deepEqual(await inbox.take(), { three: 3, first: 'a', rest: [1, 2, 'b'] });
});

test('a receive waiting on scheduler 1 skips unmatched messages from scheduler 0 as they arrive and keeps them in order', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const receiver = rt.spawn(on(1, 'waitingSkips'), inbox.pid);
  await parked(rt, receiver);
  for (const m of ['x', 'y', 'wanted', 'z']) rt.send(receiver, m);
  t.deepEqual(await inbox.take(), { matched: 'wanted', rest: ['x', 'y', 'z'] });
});

test('on scheduler 1, a pattern that returns a value other than true takes the message and returns that value', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const pid = rt.spawn(on(1, 'extracting'), inbox.pid);
  rt.send(pid, 'noise');
  rt.send(pid, { ping: 'hello', from: 7 });
  t.deepEqual(await inbox.take(), { from: 7, next: 'noise' });
});

test('on scheduler 1, a pattern that returns false or undefined leaves the message; 0, null and empty string still take it', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const pid = rt.spawn(on(1, 'falsyPatterns'), inbox.pid);
  for (const m of ['skip', 'zero', 'null', 'empty', 'go']) rt.send(pid, m);
  t.deepEqual(await inbox.take(), ['TIMEOUT', 0, null, '', 'skip']);
});

for (const form of ['Async', 'Generator'] as const) {
  test(`a receive on scheduler 1 times out with TIMEOUT when nothing matches, and an unmatched arrival from scheduler 0 does not end it (${form.toLowerCase()} form, real clock)`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const inbox = new Inbox(rt);
    // Long enough that the test sees the process waiting before it times out, even on a loaded machine.
    const pid = rt.spawn(on(1, `timeout${form}`), inbox.pid, 1500);
    await parked(rt, pid);
    rt.send(pid, 'unmatched');
    t.deepEqual(await inbox.take(), { result: 'TIMEOUT' });
    t.is(await exits.reasonOf(pid), 'normal');
  });

  test(`a receive on scheduler 0 driven by a manual clock is not ended by unmatched messages from scheduler 1 and times out only at its deadline (${form.toLowerCase()} form)`, async (t) => {
    const clock = new ManualClock();
    const rt = await ownRuntime(t, { clock });
    const inbox = new Inbox(rt);
    const pid = rt.spawn(on(0, `timeout${form}`), inbox.pid, 1000);
    await parked(rt, pid);
    const sender = Puppet.spawn(rt, inbox, 1);
    await sender.do(['send', pid, 'unmatched']);
    clock.advance(999);
    await settle(rt, inbox, 1);
    t.false(inbox.has(hasKey('result')), 'the receive ended before its deadline');
    clock.advance(1);
    t.deepEqual(await inbox.take(hasKey('result')), { result: 'TIMEOUT' });
  });
}

test('timeout 0 polls on scheduler 1: it returns a waiting message, or TIMEOUT at once (async form)', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  rt.spawn(on(1, 'pollsAsync'), inbox.pid);
  t.deepEqual(await inbox.take(), ['TIMEOUT', 'TIMEOUT', 'x', 'other'], 'a poll lost the unmatched message or waited');
});

test('timeout 0 polls on scheduler 1 in a generator process too', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  rt.spawn(on(1, 'pollsGenerator'), inbox.pid);
  t.deepEqual(await inbox.take(), ['TIMEOUT', 1]);
});

// The second receive has no timeout, so only the first receive's timer, if it was left
// armed, could end it; the 'late' message is sent by a timer on the same scheduler that falls
// due after that one would have.
test('on scheduler 1, a message from scheduler 0 arriving before the deadline ends the receive and cancels its timer', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const pid = rt.spawn(on(1, 'timerCancelled'), inbox.pid, 500);
  await parked(rt, pid);
  rt.send(pid, 'in time');
  t.deepEqual(await inbox.take(), { first: 'in time' });
  rt.spawn(on(1, 'sendAfter'), pid, 'late', 800);
  t.deepEqual(await inbox.take(), { second: 'late' }, "the first receive's timer ended the second receive");
});

test('sleep on scheduler 1 is not ended by a message from scheduler 0 and leaves it in the mailbox', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const pid = rt.spawn(on(1, 'sleepKeepsMessages'), inbox.pid, 300);
  await parked(rt, pid);
  rt.send(pid, 'during sleep');
  t.deepEqual(await inbox.take(), { slept: 'TIMEOUT' }, 'a message woke the sleeper');
  t.deepEqual(await inbox.take(), { then: 'during sleep' });
});

test('sleep in an async process on scheduler 1 ends and the process runs on', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  t.is(await exits.reasonOf(rt.spawn(on(1, 'sleepAsync'), 20)), 'woke');
});

test('a generator process on scheduler 1 and an async process on scheduler 0 exchange messages, the pongs sent to a registered name', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const rounds = 200;
  const ponger = rt.spawn(on(1, 'ponger'), 'pinger-0');
  await run(rt, async (self: Self) => {
    self.register('pinger-0');
    for (let i = 0; i < rounds; i++) {
      self.send(ponger, { ping: 'ping', from: i } satisfies Ping);
      t.is(got(await self.receive(isPong, MUST), 'pong').pong, i);
    }
    self.send(ponger, { ping: 'stop', from: -1 } satisfies Ping);
  });
  t.is(await exits.reasonOf(ponger), 'normal');
});

test('self.await in a generator on scheduler 1 resumes with the value of the promise and throws its rejection into the generator', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  rt.spawn(on(1, 'awaitValues'), inbox.pid);
  t.deepEqual(await inbox.take(), { value: 42, caught: 'rejected' });
});

test('an uncaught rejection from self.await ends a generator process on scheduler 1 with the error as reason, seen on scheduler 0', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const reason = await exits.reasonOf(rt.spawn(on(1, 'awaitRejects')));
  t.true(isErrorReason(reason), `got ${JSON.stringify(reason)}`);
  if (isErrorReason(reason)) t.like(reason.error, { name: 'SyntaxError', message: 'bad promise' });
});

test('a process on scheduler 1 waiting on self.await still receives messages sent meanwhile afterwards', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  rt.spawn(on(1, 'awaitKeepsMailbox'), inbox.pid);
  t.deepEqual(await inbox.take(), { value: 'value', next: 'queued before' });
});

// A timeout past setTimeout's ceiling that overflowed would fire after 1 ms; a 50 ms sleeper
// on the same scheduler wakes after that would have happened.
test('a receive timeout longer than 2^31-1 ms on scheduler 1 does not fire at once on the real clock', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const long = rt.spawn(on(1, 'longTimeout'));
  await parked(rt, long);
  t.is(await exits.reasonOf(rt.spawn(on(1, 'sleeper'), 50)), 'woke');
  t.true(rt.isAlive(long), 'the 30-day timeout fired at once');
  rt.exit(long, 'kill');
  t.is(await exits.reasonOf(long), 'killed');
});
