// The rules of exit-signals.test.ts with the sender and the receiver of each exit signal on
// different schedulers. Not repeated here, because nothing crosses a thread: a process
// calling exit(self, ...) or exit(reason) on itself. Already in cross-scheduler.test.ts:
// rt.exit(pid, 'kill') from scheduler 0 kills a trapping process on 1 with 'killed'.
import test from 'ava';
import { exitFrom, isDown, isExit, type DownMessage, type ExitMessage, type Pid } from '../../../runtime/index.ts';
import { isErrorReason } from '../helpers.ts';
import { ExitLog, Inbox, Puppet, SCHEDULERS, hasKey, on, other, settle, sharedRuntime } from './helpers.ts';

const runtime = sharedRuntime(test);

for (const k of SCHEDULERS) {
  test(`exit(pid, 'normal') sent to a process on another scheduler that is not trapping exits is ignored (sender on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const sender = Puppet.spawn(rt, inbox, k);
    const target = Puppet.spawn(rt, inbox, other(k));
    await sender.do(['exitTo', target.pid, 'normal']);
    rt.exit(target.pid, 'normal');
    await target.sync();
    t.deepEqual(await target.do(['isAlive', target.pid]), [true], 'the target did not answer: it died of a normal exit signal');
  });

  test(`exit(pid, reason) with an abnormal reason kills a process on another scheduler that is not trapping exits with that reason (sender on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const sender = Puppet.spawn(rt, new Inbox(rt), k);
    const first = rt.spawn(on(other(k), 'idle'));
    const second = rt.spawn(on(other(k), 'idle'));
    await sender.do(['exitTo', first, { shutdown: { why: 'test' } }], ['exitTo', second, 'shutdown']);
    t.deepEqual(await exits.reasonOf(first), { shutdown: { why: 'test' } });
    t.is(await exits.reasonOf(second), 'shutdown');
  });

  test(`processes linked to a killed process receive reason 'killed' across schedulers (chain ${k}, ${other(k)}, ${k})`, async (t) => {
    const rt = runtime();
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [, victim] = await parent.do(['trapExit', true], ['spawnLink', on(other(k), 'victim'), parent.pid, on(k, 'idle')]);
    const { bystander } = await parent.got<{ bystander: Pid }>(hasKey('bystander'));
    t.is(bystander.scheduler, k);
    const [ref] = await parent.do(['monitor', bystander]);
    rt.exit(victim as Pid, 'kill');
    const exit = await parent.got<ExitMessage>(exitFrom(victim as Pid));
    t.is(exit.reason, 'killed');
    const down = await parent.got<DownMessage>((m) => isDown(m) && m.ref.equals(ref));
    t.is(down.reason, 'killed');
  });

  test(`an exit signal to a dead pid on another scheduler is dropped without an error (sender on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const dead = rt.spawn(on(other(k), 'exitAtOnce'), 'normal');
    await exits.reasonOf(dead);
    t.notThrows(() => rt.exit(dead, 'kill'));
    const sender = Puppet.spawn(rt, new Inbox(rt), k);
    const reply = await sender.attempt(['exitTo', dead, 'boom']);
    t.is(reply.error, undefined);
    t.true(await sender.nothing(), 'something came back from the dead pid');
  });
}

test("exit(pid, 'kill') from a process on scheduler 1 kills a process on scheduler 0 that is trapping exits, with reason 'killed'", async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const inbox = new Inbox(rt);
  const target = Puppet.spawn(rt, inbox, 0);
  await target.do(['trapExit', true]);
  const killer = Puppet.spawn(rt, inbox, 1);
  await killer.do(['exitTo', target.pid, 'kill']);
  t.is(await exits.reasonOf(target.pid), 'killed');
});

for (const form of ['Async', 'Generator'] as const) {
  test(`a process on scheduler 1 killed from scheduler 0 while it awaits a promise has no effects afterwards (${form.toLowerCase()} form)`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const inbox = new Inbox(rt);
    rt.spawn(on(1, `killable${form}`), inbox.pid);
    const { waiting, opener } = await inbox.take<{ waiting: Pid; opener: Pid }>(hasKey('waiting'));
    rt.exit(waiting, 'kill');
    t.is(await exits.reasonOf(waiting), 'killed');
    rt.send(opener, 'open');
    await inbox.take((m) => m === 'opened');
    await settle(rt, inbox, 1);
    t.false(inbox.has((m) => m === 'zombie'), 'a killed process still sent a message');
  });
}

test('a thrown error ends an async process on scheduler 1 with { error: { name, message, stack } } as plain data on scheduler 0', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const pid = rt.spawn(on(1, 'throwTypeError'));
  const reason = await exits.reasonOf(pid);
  t.true(isErrorReason(reason), `got ${JSON.stringify(reason)}`);
  if (!isErrorReason(reason)) return;
  t.is(reason.error.name, 'TypeError');
  t.is(reason.error.message, 'not a number');
  t.true(typeof reason.error.stack === 'string' && reason.error.stack.includes('not a number'));
  t.false(reason.error instanceof Error, 'the reason must be plain data');
});

for (const k of SCHEDULERS) {
  test(`a thrown error ends a generator process with { error: { name, message, stack } }, also seen by a linked trapping process on another scheduler (parent on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [, child] = await parent.do(['trapExit', true], ['spawnLink', on(other(k), 'generatorThrows')]);
    const exit = await parent.got<ExitMessage>(exitFrom(child as Pid));
    t.true(isErrorReason(exit.reason));
    if (isErrorReason(exit.reason)) {
      t.is(exit.reason.error.name, 'Error');
      t.is(exit.reason.error.message, 'generator failed');
      t.is(typeof exit.reason.error.stack, 'string');
    }
    t.deepEqual(await exits.reasonOf(child as Pid), exit.reason);
  });
}

test("returning from the body ends a process on scheduler 1 with reason 'normal' in both forms", async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const a = rt.spawn(on(1, 'returnAtOnce'));
  const g = rt.spawn(on(1, 'generatorReturns'));
  t.deepEqual(await Promise.all([exits.reasonOf(a), exits.reasonOf(g)]), ['normal', 'normal']);
});

test('rt.exit sends an exit signal from outside any process to processes on scheduler 1', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const inbox = new Inbox(rt);
  const trapper = Puppet.spawn(rt, inbox, 1);
  await trapper.do(['trapExit', true]);
  const plain = Puppet.spawn(rt, inbox, 1);
  await plain.do();
  rt.exit(trapper.pid, 'from outside');
  rt.exit(plain.pid, 'from outside');
  const exit = await trapper.got<ExitMessage>(isExit);
  t.is(exit.type, 'EXIT');
  t.is(exit.reason, 'from outside');
  t.is(String(exit.from), '<0.0.0>');
  t.is(await exits.reasonOf(plain.pid), 'from outside');
});
