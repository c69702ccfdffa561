// The rules of links.test.ts with the linked processes on different schedulers. Each rule
// runs in both directions: the subject on scheduler k, its partner on the other one.
// Not repeated here: linking to self (no second process, nothing crosses a thread), and the
// two rules already in cross-scheduler.test.ts (a child on scheduler 1 that dies at once
// kills its parent on 0; a normal exit on 1 does not kill a linked process on 0).
import test from 'ava';
import { exitFrom, isExit, type ExitMessage, type Pid, type ProcessInfo } from '../../../runtime/index.ts';
import { isErrorReason, sameReason } from '../helpers.ts';
import { ExitLog, Inbox, Puppet, SCHEDULERS, field, on, other, sharedRuntime } from './helpers.ts';

const runtime = sharedRuntime(test);

const linksIn = (info: unknown): string[] => ((info as ProcessInfo | undefined)?.links ?? []).map(String);

test('spawnLink from scheduler 1 is atomic: a child on scheduler 0 that dies at once still kills its parent', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const parent = rt.spawn(on(1, 'spawnLinkAndWait'), on(0, 'exitAtOnce'), 'early');
  sameReason(t, await exits.reasonOf(parent), 'early');
});

// Erlang's process_info and is_process_alive are ordered after the signals the caller sent
// before, so a process spawned with spawn_link is reported alive and linked at once.
for (const k of SCHEDULERS) {
  test(`spawnLink to another scheduler gives both processes the link at once (parent on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const parent = Puppet.spawn(rt, inbox, k);
    const [child, mine, theirs] = await parent.do(['spawnLink', on(other(k), 'idle')], ['info'], ['info', { $: 0 }]);
    t.deepEqual(linksIn(mine), [String(child)]);
    t.deepEqual(linksIn(theirs), [String(parent.pid)]);
  });
}

for (const k of SCHEDULERS) {
  test(`spawnLink delivers the EXIT of a child on another scheduler that dies at once to a trapping parent (parent on ${k})`, async (t) => {
    const rt = runtime();
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [, child] = await parent.do(['trapExit', true], ['spawnLink', on(other(k), 'exitAtOnce'), { died: 'early' }]);
    const exit = await parent.got<ExitMessage>(exitFrom(child as Pid));
    t.deepEqual(exit.reason, { died: 'early' });
  });

  test(`linking to a process on another scheduler many times makes one link, and one EXIT when it dies (linker on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const linker = Puppet.spawn(rt, inbox, k);
    const target = Puppet.spawn(rt, inbox, other(k));
    const mine = (await linker.do(['trapExit', true], ['link', target.pid], ['link', target.pid], ['link', target.pid], ['info']))[4];
    t.deepEqual(linksIn(mine), [String(target.pid)]);
    await target.sync();
    t.deepEqual(linksIn((await target.do(['info']))[0]), [String(linker.pid)]);
    rt.exit(target.pid, 'boom');
    const exit = await linker.got<ExitMessage>(exitFrom(target.pid));
    t.is(exit.reason, 'boom');
    t.true(await linker.nothing(isExit), 'a second EXIT arrived');
  });

  test(`one unlink removes a link to another scheduler that was made several times (linker on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const linker = Puppet.spawn(rt, inbox, k);
    const target = Puppet.spawn(rt, inbox, other(k));
    const mine = (await linker.do(['trapExit', true], ['link', target.pid], ['link', target.pid], ['unlink', target.pid], ['info']))[4];
    t.deepEqual(linksIn(mine), []);
    await target.sync();
    t.deepEqual(linksIn((await target.do(['info']))[0]), []);
    rt.exit(target.pid, 'boom');
    t.true(await linker.nothing(isExit), 'an EXIT arrived after unlink');
  });

  test(`linking to a dead pid on another scheduler while trapping exits delivers an EXIT with reason noproc from that pid (linker on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const dead = rt.spawn(on(other(k), 'exitAtOnce'), 'normal');
    await exits.reasonOf(dead);
    const linker = Puppet.spawn(rt, new Inbox(rt), k);
    await linker.do(['trapExit', true], ['link', dead]);
    const exit = await linker.got<ExitMessage>(isExit);
    t.true(exit.from.equals(dead));
    t.is(exit.reason, 'noproc');
    t.deepEqual(linksIn((await linker.do(['info']))[0]), []);
  });

  // Erlang's link/1 raises noproc only when checking the pid is cheap (a local pid); for any
  // other pid it returns, and the caller then gets an exit signal with reason noproc.
  test(`linking to a dead pid on another scheduler without trapping exits returns, then the linker dies with reason noproc (linker on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const dead = rt.spawn(on(other(k), 'exitAtOnce'), 'normal');
    await exits.reasonOf(dead);
    const linker = Puppet.spawn(rt, new Inbox(rt), k);
    const reply = await linker.attempt(['link', dead]);
    t.is(reply.error, undefined, 'link threw although the pid lives on another scheduler');
    t.is(await exits.reasonOf(linker.pid), 'noproc');
  });

  test(`unlink across schedulers removes the link in both directions (linker on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const inbox = new Inbox(rt);
    const linker = Puppet.spawn(rt, inbox, k);
    const target = Puppet.spawn(rt, inbox, other(k));
    linker.post(['link', target.pid], ['unlink', target.pid], ['exit', 'boom']);
    t.is(await exits.reasonOf(linker.pid), 'boom');
    await target.sync();
    const [info] = await target.do(['info']);
    t.deepEqual(linksIn(info), [], 'the target still holds the link');
  });

  test(`either side of a link across schedulers can remove it with unlink (parent on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const parent = Puppet.spawn(rt, inbox, k);
    const [, childPid] = await parent.do(['trapExit', true], ['spawnLink', on(other(k), 'puppet'), inbox.pid]);
    const child = new Puppet(childPid as Pid, inbox);
    child.post(['unlink', parent.pid], ['send', parent.pid, 'unlinked'], ['exit', 'boom']);
    await parent.got((m) => m === 'unlinked');
    t.true(await parent.nothing(isExit), 'an EXIT arrived after the child unlinked');
    t.deepEqual(linksIn((await parent.do(['info']))[0]), []);
  });

  test(`an abnormal exit on another scheduler kills a linked process that is not trapping exits, with the same reason (victim on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [child] = await parent.do(['spawnLink', on(other(k), 'exitOnRequest')]);
    rt.send(child as Pid, { failed: [1, 'two'] });
    t.deepEqual(await exits.reasonOf(parent.pid), { failed: [1, 'two'] });
  });

  test(`a thrown error on another scheduler kills a linked process that is not trapping exits, with the error as reason (victim on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [child] = await parent.do(['spawnLink', on(other(k), 'throwRangeError')]);
    const reason = await exits.reasonOf(parent.pid);
    t.true(isErrorReason(reason), `got ${JSON.stringify(reason)}`);
    if (isErrorReason(reason)) t.is(reason.error.message, 'out of range');
    t.deepEqual(await exits.reasonOf(child as Pid), reason);
  });

  test(`a process on another scheduler that exits with reason 'kill' reaches a trapping linked process as 'kill', not 'killed' (parent on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const parent = Puppet.spawn(rt, new Inbox(rt), k);
    const [, child] = await parent.do(['trapExit', true], ['spawnLink', on(other(k), 'exitAtOnce'), 'kill']);
    const exit = await parent.got<ExitMessage>(exitFrom(child as Pid));
    t.is(exit.reason, 'kill');
    t.is(await exits.reasonOf(child as Pid), 'kill');
  });

  test(`a non-trapping process linked to a process on another scheduler that exits with 'kill' dies with 'kill' (chain ${k}, ${other(k)}, ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const top = Puppet.spawn(rt, new Inbox(rt), k);
    const [, middle] = await top.do(['trapExit', true], ['spawnLink', on(other(k), 'spawnLinkAndWait'), on(k, 'exitAtOnce'), 'kill']);
    const exit = await top.got<ExitMessage>(exitFrom(middle as Pid));
    t.is(exit.reason, 'kill', 'the middle process passed on a converted reason');
    t.is(await exits.reasonOf(middle as Pid), 'kill');
  });
}

test('a normal exit on scheduler 0 does not kill a linked process on scheduler 1 that is not trapping exits', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const parent = Puppet.spawn(rt, new Inbox(rt), 1);
  const [child] = await parent.do(['spawnLink', on(0, 'returnAtOnce')]);
  t.is(await exits.reasonOf(child as Pid), 'normal');
  t.true(await parent.nothing(isExit), 'an EXIT message reached a process that is not trapping');
  t.deepEqual(await parent.do(['isAlive', parent.pid]), [true]);
});

test('an abnormal exit cascades through a chain of linked processes that alternates schedulers', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const inbox = new Inbox(rt);
  rt.spawn(on(0, 'chain'), inbox.pid, 6);
  const members: Pid[] = [];
  for (let left = 6; left >= 1; left--) members.push(await inbox.take<Pid>((m) => (field<number>('left')(m) === left ? field<Pid>('member')(m) : undefined)));
  t.deepEqual(members.map((p) => p.scheduler), [0, 1, 0, 1, 0, 1]);
  rt.send(members[5]!, 'fail');
  const reasons = await Promise.all(members.map((p) => exits.reasonOf(p)));
  t.deepEqual(reasons, Array(6).fill({ cascade: 'from leaf' }));
});

test('killing the root of a 10,000-process link chain that alternates schedulers kills every process in it', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const inbox = new Inbox(rt);
  const length = 10_000;
  const root = rt.spawn(on(1, 'chain'), inbox.pid, length);
  const members: Pid[] = [];
  for (let i = 0; i < length; i++) members.push((await inbox.take<{ member: Pid }>()).member);
  rt.exit(root, 'kill');
  const reasons = await Promise.all(members.map((p) => exits.reasonOf(p)));
  t.is(reasons[0], 'killed');
  t.true(reasons.every((r) => r === 'killed'), `reasons seen: ${JSON.stringify([...new Set(reasons)])}`);
  const chainKeys = new Set(members.map((p) => p.key));
  t.deepEqual(rt.processes().filter((p) => chainKeys.has(p.key)), []);
});

// More than 16 links: the dying process queues one fan-out entry, and the signals for links on
// the other scheduler leave from it as the entry is worked through.
for (const k of SCHEDULERS) {
  test(`a process on ${k} linked to 20 trapping processes on each scheduler sends every one its EXIT, once`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const hub = Puppet.spawn(rt, inbox, k);
    const partners = [...Array.from({ length: 20 }, () => Puppet.spawn(rt, inbox, k)), ...Array.from({ length: 20 }, () => Puppet.spawn(rt, inbox, other(k)))];
    await Promise.all(partners.map((p) => p.do(['trapExit', true], ['link', hub.pid])));
    await hub.sync();
    t.is(linksIn((await hub.do(['info']))[0]).length, 40);
    rt.exit(hub.pid, { hub: 'gone' });
    for (const p of partners) {
      const exit = await p.got<ExitMessage>(exitFrom(hub.pid));
      t.deepEqual(exit.reason, { hub: 'gone' });
    }
    for (const p of partners) t.true(await p.nothing(isExit), `${String(p.pid)} got a second EXIT`);
  });
}
