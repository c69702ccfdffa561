// The rules of trap-exit.test.ts with the trapping process and its partners on different
// schedulers, in both directions. Not repeated here: exit(self, 'normal') in a trapping
// process (a signal to itself never crosses a thread).
import test from 'ava';
import { exitFrom, isExit, type DownMessage, type ExitMessage, type Pid, type Ref } from '../../../runtime/index.ts';
import { ExitLog, Inbox, Puppet, SCHEDULERS, on, other, sharedRuntime } from './helpers.ts';

const runtime = sharedRuntime(test);

for (const k of SCHEDULERS) {
  test(`a trapping process receives an EXIT message when a linked process on another scheduler exits normally (parent on ${k})`, async (t) => {
    const rt = runtime();
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [, child] = await parent.do(['trapExit', true], ['spawnLink', on(other(k), 'returnAtOnce')]);
    const exit = await parent.got<ExitMessage>(isExit);
    t.deepEqual({ type: exit.type, from: String(exit.from), reason: exit.reason }, {
      type: 'EXIT', from: String(child), reason: 'normal',
    });
  });

  test(`a trapping process receives an EXIT message with the reason when a linked process on another scheduler exits abnormally, and lives on (parent on ${k})`, async (t) => {
    const rt = runtime();
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [, child] = await parent.do(['trapExit', true], ['spawnLink', on(other(k), 'exitAtOnce'), { code: 3 }]);
    const exit = await parent.got<ExitMessage>(exitFrom(child as Pid));
    t.deepEqual(exit.reason, { code: 3 });
    t.deepEqual(await parent.do(['isAlive', parent.pid]), [true]);
  });

  test(`a trapping process receives exit/2 signals from another scheduler as EXIT messages from their sender, normal ones included (target on ${k})`, async (t) => {
    const rt = runtime();
    const target = Puppet.spawn(rt, new Inbox(rt), k);
    await target.do(['trapExit', true]);
    const sender = rt.spawn(on(other(k), 'exitSignals'), target.pid, ['normal', 'shutdown', { custom: true }]);
    const reasons: unknown[] = [];
    for (let i = 0; i < 3; i++) reasons.push((await target.got<ExitMessage>(exitFrom(sender))).reason);
    t.deepEqual(reasons, ['normal', 'shutdown', { custom: true }]);
    rt.exit(sender, 'kill');
  });

  test(`exit(pid, 'kill') still kills a trapping process on another scheduler, and its trapping partners see 'killed' (partner on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const inbox = new Inbox(rt);
    const parent = Puppet.spawn(rt, inbox, k);
    const [, targetPid] = await parent.do(['trapExit', true], ['spawnLink', on(other(k), 'puppet'), inbox.pid]);
    const target = new Puppet(targetPid as Pid, inbox);
    await target.do(['trapExit', true]);
    const killer = Puppet.spawn(rt, inbox, k);
    await killer.do(['exitTo', target.pid, 'kill']);
    const exit = await parent.got<ExitMessage>(exitFrom(target.pid));
    t.is(exit.reason, 'killed');
    t.is(await exits.reasonOf(target.pid), 'killed');
  });

  test(`turning trapping off again restores the default: an abnormal linked exit from another scheduler kills the process (parent on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    parent.post(['trapExit', true], ['trapExit', false], ['spawnLink', on(other(k), 'exitAtOnce'), 'boom']);
    t.is(await exits.reasonOf(parent.pid), 'boom');
  });

  test(`turning trapping off again restores the default: a normal linked exit from another scheduler is ignored without a message (parent on ${k})`, async (t) => {
    const rt = runtime();
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [, , child, ref] = await parent.do(['trapExit', true], ['trapExit', false], ['spawnLink', on(other(k), 'idle')], ['monitor', { $: 2 }]);
    rt.send(child as Pid, 'stop');
    const first = await parent.got<DownMessage>();
    t.like(first, { type: 'DOWN', reason: 'normal' });
    t.true(first.ref.equals(ref as Ref));
    t.true(await parent.nothing(isExit), 'an EXIT message arrived while not trapping');
  });

  test(`a supervisor-like trapping process linked to N children on another scheduler gets one EXIT per child (parent on ${k})`, async (t) => {
    const rt = runtime();
    const n = 50;
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const results = await parent.do(['trapExit', true], ...Array.from({ length: n }, (_, i) => ['spawnLink', on(other(k), 'exitByIndex'), i] as const));
    const children = new Map((results.slice(1) as Pid[]).map((pid, i) => [pid.key, i]));
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const exit = await parent.got<ExitMessage>(isExit);
      const index = children.get(exit.from.key);
      t.not(index, undefined);
      if (index === undefined) continue;
      t.false(seen.has(index));
      seen.add(index);
      t.deepEqual(exit.reason, index % 2 === 0 ? 'normal' : { index });
    }
    t.is(seen.size, n);
    t.true(await parent.nothing(isExit), 'more EXITs than children');
  });
}

// Asked from scheduler 0 only: a process on scheduler 1 cannot ask about processes on 0 (see
// introspection.test.ts).
test('trapExit returns the previous value of the flag, and processInfo from scheduler 0 reports it for a process on scheduler 1', async (t) => {
  const rt = runtime();
  const subject = Puppet.spawn(rt, new Inbox(rt), 1);
  const flag = (): boolean | undefined => rt.processInfo(subject.pid)?.trapExit;
  await subject.do();
  t.false(flag());
  t.deepEqual(await subject.do(['trapExit', true]), [false]);
  t.true(flag());
  t.deepEqual(await subject.do(['trapExit', true]), [true]);
  t.deepEqual(await subject.do(['trapExit', false]), [true]);
  t.false(flag());
  t.deepEqual(await subject.do(['trapExit', false]), [false]);
});
