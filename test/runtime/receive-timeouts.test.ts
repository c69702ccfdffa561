import test, { type ExecutionContext } from 'ava';
import { ManualClock, TIMEOUT, type Pid, type Runtime, type Self } from '../../runtime/index.ts';
import { Inbox, makeRuntime, parked } from './helpers.ts';

/** Spawns a generator process that reports `{ id, result }` when its receive with `timeout` ends. */
function waiter(rt: Runtime, inbox: Inbox, id: number | string, timeout: number): Pid {
  return rt.spawn(function* (self: Self) {
    self.send(inbox.pid, { id, result: yield* self.receive(null, { timeout }) });
  });
}

/** Moves the clock to just before `deadline` (nothing may fire), then to the next whole ms (it must). */
async function expectTimeoutAt(t: ExecutionContext, clock: ManualClock, inbox: Inbox, id: number | string, deadline: number): Promise<void> {
  clock.advance(deadline - 0.05 - clock.now());
  t.true(await inbox.quiet(), `a timeout fired before ${id}'s deadline ${deadline}`);
  clock.advance(Math.ceil(deadline) - clock.now());
  t.deepEqual(await inbox.take(), { id, result: TIMEOUT }, `${id} at ${deadline}`);
}

test('receive timeouts from under a millisecond to an hour each fire at their deadline, never before (manual clock)', async (t) => {
  const start = 0.25;
  const clock = new ManualClock(start);
  const rt = makeRuntime(t, { clock });
  const inbox = new Inbox(rt);
  // Fractional timeouts, spawned out of deadline order.
  const timeouts = [1030, 0.5, 3_600_000.7, 7.25, 1023, 60_000, 3, 999.9, 2500, 1024.5];
  const pids = timeouts.map((timeout, i) => waiter(rt, inbox, i, timeout));
  for (const pid of pids) await parked(rt, pid);
  const order = timeouts.map((timeout, i) => ({ i, deadline: start + timeout })).sort((a, b) => a.deadline - b.deadline);
  for (const { i, deadline } of order) await expectTimeoutAt(t, clock, inbox, i, deadline);
});

test('a short timeout armed after a long one, and one armed after hours without timers, fire on time', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, { clock });
  const inbox = new Inbox(rt);
  await parked(rt, waiter(rt, inbox, 'long', 5000));
  await parked(rt, waiter(rt, inbox, 'short', 2));
  await expectTimeoutAt(t, clock, inbox, 'short', 2);
  await expectTimeoutAt(t, clock, inbox, 'long', 5000);
  clock.advance(10 * 60 * 60 * 1000);
  t.true(await inbox.quiet());
  const later = clock.now();
  await parked(rt, waiter(rt, inbox, 'after idle', 5));
  await expectTimeoutAt(t, clock, inbox, 'after idle', later + 5);
  // Timeouts armed in an order other than their deadlines', across earlier firings.
  await parked(rt, waiter(rt, inbox, 'far first', 1500));
  await parked(rt, waiter(rt, inbox, 'near', 100));
  await expectTimeoutAt(t, clock, inbox, 'near', later + 105);
  clock.advance(later + 605 - clock.now());
  await parked(rt, waiter(rt, inbox, 'near later', 1000));
  // Firing this one re-arms the host timer from what is left: the earliest is the first armed.
  await parked(rt, waiter(rt, inbox, 'between', 200));
  await expectTimeoutAt(t, clock, inbox, 'between', later + 805);
  await expectTimeoutAt(t, clock, inbox, 'far first', later + 1505);
  await expectTimeoutAt(t, clock, inbox, 'near later', later + 1605);
});

test('thousands of receives that end before their timeouts do not disturb the timeouts still pending', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, { clock });
  const inbox = new Inbox(rt);
  const early = waiter(rt, inbox, 'early', 700);
  const patient = rt.spawn(async (self: Self) => {
    self.send(inbox.pid, { id: 'patient', result: await self.receive(null, { timeout: 3000 }) });
  });
  const echo = rt.spawn(function* (self: Self) {
    for (;;) {
      const { from, i } = (yield* self.receive()) as { from: Pid; i: number };
      self.send(from, i);
    }
  });
  // Each of these receives waits (its timeout armed) until the echo answers, leaving a cancelled timeout behind.
  const busy = rt.spawn(function* (self: Self) {
    for (let i = 0; i < 3000; i++) {
      self.send(echo, { from: self.pid, i });
      if ((yield* self.receive(null, { timeout: i % 2 === 0 ? 2000 : 100_000 })) !== i) throw new Error(`lost message ${i}`);
    }
    self.send(inbox.pid, { id: 'busy', result: yield* self.receive(null, { timeout: 2500 }) });
  });
  for (const pid of [early, patient, busy]) await parked(rt, pid);
  await expectTimeoutAt(t, clock, inbox, 'early', 700);
  await expectTimeoutAt(t, clock, inbox, 'busy', 2500);
  await expectTimeoutAt(t, clock, inbox, 'patient', 3000);
});
