import test from 'ava';
import { downOf, isDown, isExit, type Pid, type Self } from '../../runtime/index.ts';
import { Inbox, MUST, exitOf, got, makeRuntime, run } from './helpers.ts';

const COUNT = 5_000;

type Numbered = { from: string; n: number };
const isNumbered = (m: unknown): m is Numbered => typeof m === 'object' && m !== null && 'n' in m;

function* sendNumbered(self: Self, to: Pid, label: string, count: number): Generator<unknown, void, unknown> {
  for (let n = 0; n < count; n++) {
    self.send(to, { from: label, n });
    if (n % 997 === 0) yield* self.sleep(0);
  }
}

test('messages from one sender to one receiver arrive in send order (generator sender, async receiver)', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    self.spawn(sendNumbered, self.pid, 'g', COUNT);
    const seen: number[] = [];
    for (let i = 0; i < COUNT; i++) seen.push(got(await self.receive(isNumbered, MUST), `message ${i}`).n);
    t.deepEqual(seen, Array.from({ length: COUNT }, (_, i) => i));
  });
});

test('messages from one sender to one receiver arrive in send order (async sender, generator receiver)', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    const receiver = self.pid;
    self.spawn(async (s: Self) => {
      for (let n = 0; n < COUNT; n++) {
        s.send(receiver, { from: 'a', n });
        if (n % 997 === 0) await s.sleep(0);
      }
    });
    let expected = 0;
    for (let i = 0; i < COUNT; i++) {
      const m = got(yield* self.receive(isNumbered, MUST), `message ${i}`);
      if (m.n !== expected) break;
      expected++;
    }
    t.is(expected, COUNT, `message ${expected} arrived out of order`);
  });
});

test('messages sent from outside any process arrive in send order', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const receiver = rt.spawn(function* (self: Self) {
    const seen: number[] = [];
    for (let i = 0; i < COUNT; i++) seen.push((yield* self.receive(isNumbered)).n);
    self.send(inbox.pid, seen);
  });
  for (let n = 0; n < COUNT; n++) rt.send(receiver, { from: 'outside', n });
  t.deepEqual(await inbox.take(), Array.from({ length: COUNT }, (_, i) => i));
});

test('interleaved senders each keep their own send order at a common receiver', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    const labels = ['a', 'b', 'c'];
    for (const label of labels) self.spawn(sendNumbered, self.pid, label, 2_000);
    const next = new Map(labels.map((l) => [l, 0]));
    let inOrder = true;
    for (let i = 0; i < 3 * 2_000; i++) {
      const m = got(await self.receive(isNumbered, MUST), `message ${i}`);
      if (next.get(m.from) !== m.n) inOrder = false;
      next.set(m.from, m.n + 1);
    }
    t.true(inOrder);
    t.deepEqual([...next.values()], [2_000, 2_000, 2_000]);
  });
});

test('a message sent before a process exits arrives before its EXIT', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.trapExit(true);
    const parent = self.pid;
    const child = self.spawnLink(function* (c: Self) {
      for (let n = 0; n < 100; n++) c.send(parent, { from: 'child', n });
      c.exit('done');
    });
    const seen: unknown[] = [];
    for (let i = 0; i < 101; i++) seen.push(yield* self.receive((m) => isNumbered(m) || isExit(m)));
    const last = seen[100];
    t.true(isExit(last) && last.from.equals(child) && last.reason === 'done', 'the EXIT overtook a message');
    t.deepEqual(seen.slice(0, 100).map((m) => (m as Numbered).n), Array.from({ length: 100 }, (_, i) => i));
  });
});

test('a message sent before a process exits arrives before its DOWN', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    const parent = self.pid;
    const { ref } = self.spawnMonitor(async (c: Self) => {
      for (let n = 0; n < 100; n++) c.send(parent, { from: 'child', n });
    });
    const seen: unknown[] = [];
    for (let i = 0; i < 101; i++) seen.push(await self.receive((m) => isNumbered(m) || isDown(m)));
    t.true(downOf(ref)(seen[100]), 'the DOWN overtook a message');
  });
});

const FLOOD_CAP = 20_000_000;

function* floodGenerator(self: Self, report: Pid): Generator<unknown, void, unknown> {
  let n = 0;
  while (n < FLOOD_CAP) {
    self.send(self.pid, n);
    if ((yield* self.receive()) === 'stop') {
      self.send(report, { stopped: n });
      return;
    }
    n++;
  }
  self.send(report, { capped: n });
}

async function floodAsync(self: Self, report: Pid): Promise<void> {
  let n = 0;
  while (n < FLOOD_CAP) {
    self.send(self.pid, n);
    if ((await self.receive()) === 'stop') {
      self.send(report, { stopped: n });
      return;
    }
    n++;
  }
  self.send(report, { capped: n });
}

/**
 * Two async processes sending one message back and forth: each send finds the other waiting,
 * so its receive settles at once and the rally runs from microtask to microtask.
 */
async function rallyAsync(self: Self, report: Pid): Promise<void> {
  const partner = self.spawnLink(async (p: Self, back: Pid) => {
    for (;;) p.send(back, await p.receive());
  }, self.pid);
  let n = 0;
  while (n < FLOOD_CAP) {
    self.send(partner, n);
    if ((await self.receive()) === 'stop') {
      self.send(report, { stopped: n });
      return;
    }
    n++;
  }
  self.send(report, { capped: n });
}

const FLOODERS = [
  ['generator', floodGenerator],
  ['async', floodAsync],
  ['async rally', rallyAsync],
] as const;

for (const [form, flooder] of FLOODERS) {
  test(`a process flooding itself with messages does not starve another exchange (${form} flooder)`, async (t) => {
    const rt = makeRuntime(t);
    const inbox = new Inbox(rt);
    const flood = rt.spawn(flooder, inbox.pid);
    await run(rt, function* (self) {
      const echo = self.spawn(function* (e: Self) {
        for (;;) {
          const { from, n } = (yield* e.receive()) as { from: Pid; n: number };
          e.send(from, n);
        }
      });
      for (let n = 0; n < 100; n++) {
        self.send(echo, { from: self.pid, n });
        t.is(yield* self.receive(null, MUST), n);
      }
    });
    t.true(rt.isAlive(flood), 'the flooder stopped on its own before the exchange finished');
    rt.send(flood, 'stop');
    const outcome = await inbox.take<{ stopped?: number; capped?: number }>();
    t.is(outcome.capped, undefined, 'the exchange only ran after the flooder hit its cap');
    t.true((outcome.stopped ?? 0) > 0);
  });
}

for (const [form, flooder] of FLOODERS) {
  test(`a process flooding itself with messages does not stop the receive timeouts of others from firing (${form} flooder)`, async (t) => {
    const rt = makeRuntime(t);
    const inbox = new Inbox(rt);
    const flood = rt.spawn(flooder, inbox.pid);
    const sleeper = rt.spawn(function* (self: Self) {
      yield* self.sleep(5);
      self.exit('woke');
    });
    t.is(await exitOf(rt, sleeper), 'woke');
    rt.send(flood, 'stop');
    const outcome = await inbox.take<{ stopped?: number; capped?: number }>();
    t.is(outcome.capped, undefined, 'the timer only fired after the flooder hit its cap');
  });
}

test('an async rally lets the event loop turn by time alone, when its reduction budget never runs out', async (t) => {
  // With this budget no process is ever preempted: only the scheduler's time slice can break
  // the chain of receives settled straight from sends.
  const rt = makeRuntime(t, { budget: 2 ** 30 });
  const inbox = new Inbox(rt);
  const rally = rt.spawn(rallyAsync, inbox.pid);
  await new Promise((resolve) => setTimeout(resolve, 5));
  rt.send(rally, 'stop');
  const outcome = await inbox.take<{ stopped?: number; capped?: number }>();
  t.is(outcome.capped, undefined, 'the event loop only turned after the rally hit its cap');
  t.true((outcome.stopped ?? 0) > 0);
});
