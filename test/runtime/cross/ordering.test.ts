// The rules of ordering.test.ts with sender and receiver on different schedulers. Already in
// cross-scheduler.test.ts: 2,000 messages relayed from 0 to 1 and back arrive in order.
// The flooding rules are checked on the flooder's own scheduler (1), with the exchange that
// must not starve crossing from scheduler 0: a flooder cannot starve another thread at all.
import test from 'ava';
import { downOf, isDown, isExit, type ExitMessage, type Pid, type Ref, type Self } from '../../../runtime/index.ts';
import { MUST, got, run } from '../helpers.ts';
import { ExitLog, Inbox, Puppet, SCHEDULERS, hasKey, on, other, sharedRuntime } from './helpers.ts';
import type { Numbered } from '../../fixtures/runtime-rules.ts';

const runtime = sharedRuntime(test);
const COUNT = 5_000;
const isNumbered = (m: unknown): m is Numbered => typeof m === 'object' && m !== null && 'n' in m && 'from' in m;
const inOrder = { next: { s: COUNT }, broken: [] };
// A message from another thread reaches a busy scheduler when it next yields to the event
// loop (every few milliseconds), so the exchange below takes about a second while the
// generator flooder turns 20 million times a second: the cap sits far beyond that.
const FLOOD_CAP = 2_000_000_000;

test('messages from a generator sender on scheduler 1 to an async receiver on scheduler 0 arrive in send order', async (t) => {
  const rt = runtime();
  await run(rt, async (self) => {
    self.spawn(on(1, 'sendNumbered'), self.pid, 'g', COUNT);
    const seen: number[] = [];
    for (let i = 0; i < COUNT; i++) seen.push(got(await self.receive(isNumbered, MUST), `message ${i}`).n);
    t.deepEqual(seen, Array.from({ length: COUNT }, (_, i) => i));
  });
});

test('messages from an async sender on scheduler 0 to a generator receiver on scheduler 1 arrive in send order', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const receiver = rt.spawn(on(1, 'receiveNumbered'), inbox.pid, ['s'], COUNT);
  rt.spawn(async (s: Self) => {
    for (let n = 0; n < COUNT; n++) {
      s.send(receiver, { from: 's', n });
      if (n % 997 === 0) await s.sleep(0);
    }
  });
  t.deepEqual(await inbox.take(), inOrder);
});

test('messages sent from outside any process to a process on scheduler 1 arrive in send order', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const receiver = rt.spawn(on(1, 'receiveNumbered'), inbox.pid, ['s'], COUNT);
  for (let n = 0; n < COUNT; n++) rt.send(receiver, { from: 's', n });
  t.deepEqual(await inbox.take(), inOrder);
});

for (const k of SCHEDULERS) {
  test(`interleaved senders on both schedulers each keep their own send order at a common receiver on scheduler ${k}`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const labels = ['a0', 'b1', 'c1', 'd0'];
    const each = 2_000;
    const receiver = rt.spawn(on(k, 'receiveNumbered'), inbox.pid, labels, each);
    for (const label of labels) rt.spawn(on(Number(label[1]), label < 'c' ? 'sendNumbered' : 'sendNumberedAsync'), receiver, label, each);
    t.deepEqual(await inbox.take(), { next: Object.fromEntries(labels.map((l) => [l, each])), broken: [] });
  });

  test(`a message sent before a process exits arrives before its EXIT at a trapping process on another scheduler (parent on ${k})`, async (t) => {
    const rt = runtime();
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [, child] = await parent.do(['trapExit', true], ['spawnLink', on(other(k), 'sendThenExit'), parent.pid, 100, 'done']);
    const seen: unknown[] = [];
    for (let i = 0; i < 101; i++) seen.push(await parent.got((m) => isNumbered(m) || isExit(m)));
    const last = seen[100] as ExitMessage;
    t.true(isExit(last) && last.from.equals(child) && last.reason === 'done', 'the EXIT overtook a message');
    t.deepEqual(seen.slice(0, 100).map((m) => (m as Numbered).n), Array.from({ length: 100 }, (_, i) => i));
  });

  test(`a message sent before a process exits arrives before its DOWN at a watcher on another scheduler (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const watcher = Puppet.spawn(rt, new Inbox(rt), k);
    const [spawned] = await watcher.do(['spawnMonitor', on(other(k), 'sendThenExit'), watcher.pid, 100, 'normal']);
    const { ref } = spawned as { pid: Pid; ref: Ref };
    const seen: unknown[] = [];
    for (let i = 0; i < 101; i++) seen.push(await watcher.got((m) => isNumbered(m) || isDown(m)));
    t.true(downOf(ref)(seen[100]), 'the DOWN overtook a message');
  });
}

for (const form of ['Generator', 'Async'] as const) {
  test(`a process flooding itself on scheduler 1 does not starve an exchange between scheduler 0 and another process on 1 (${form.toLowerCase()} flooder)`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const flood = rt.spawn(on(1, `flood${form}`), inbox.pid, FLOOD_CAP);
    await run(rt, async (self) => {
      const echo = self.spawn(on(1, 'echoNumber'));
      for (let n = 0; n < 100; n++) {
        self.send(echo, { from: self.pid, n });
        t.is(await self.receive(null, MUST), n);
      }
      self.exit(echo, 'kill');
    });
    t.true(rt.isAlive(flood), 'the flooder stopped on its own before the exchange finished');
    rt.send(flood, 'stop');
    const outcome = await inbox.take<{ stopped?: number; capped?: number }>();
    t.is(outcome.capped, undefined, 'the exchange only ran after the flooder hit its cap');
    t.true((outcome.stopped ?? 0) > 0);
  });

  test(`a process flooding itself on scheduler 1 does not stop the receive timeouts of others on scheduler 1 from firing (${form.toLowerCase()} flooder)`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const inbox = new Inbox(rt);
    const flood = rt.spawn(on(1, `flood${form}`), inbox.pid, FLOOD_CAP);
    t.is(await exits.reasonOf(rt.spawn(on(1, 'sleeper'), 5)), 'woke');
    rt.send(flood, 'stop');
    const outcome = await inbox.take<{ stopped?: number; capped?: number }>(hasKey('stopped'));
    t.is(outcome.capped, undefined, 'the timer only fired after the flooder hit its cap');
  });
}
