// The rules of monitors.test.ts with the watcher and the watched process on different
// schedulers, in both directions. Already in cross-scheduler.test.ts and not repeated: a
// watcher on 0 gets DOWN with ref, pid and reason from a process on 1, and monitoring a dead
// pid on 1 from 0 answers noproc.
import test from 'ava';
import { Pid, isDown, type DownMessage, type ProcessInfo, type Ref } from '../../../runtime/index.ts';
import { got, run } from '../helpers.ts';
import { ExitLog, Inbox, Puppet, SCHEDULERS, SOON, hasKey, on, other, sharedRuntime } from './helpers.ts';

const runtime = sharedRuntime(test);

const downFor = (ref: unknown) => (m: unknown): m is DownMessage => isDown(m) && (ref as Ref).equals(m.ref);
const infoOf = (value: unknown): ProcessInfo => value as ProcessInfo;

test('a watcher on scheduler 1 gets DOWN with its ref, the pid on scheduler 0 and the exit reason', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const watcher = Puppet.spawn(rt, inbox, 1);
  const target = rt.spawn(on(0, 'exitOnRequest'));
  const [ref] = await watcher.do(['monitor', target]);
  rt.send(target, { shutdown: 'asked' });
  const down = await watcher.got<DownMessage>(isDown);
  t.true(down.ref.equals(ref));
  t.true(target.equals(down.pid));
  t.deepEqual(down.reason, { shutdown: 'asked' });
});

test('a watcher on scheduler 1 monitoring a dead pid on scheduler 0 gets DOWN with reason noproc naming that pid', async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const dead = rt.spawn(on(0, 'exitAtOnce'), 'crashed');
  await exits.reasonOf(dead);
  const watcher = Puppet.spawn(rt, new Inbox(rt), 1);
  const [ref] = await watcher.do(['monitor', dead]);
  const down = await watcher.got<DownMessage>(downFor(ref));
  t.true(dead.equals(down.pid));
  t.is(down.reason, 'noproc');
});

// Serials say which scheduler allocated them (serial % schedulers). A pid that names
// scheduler 1 with a serial scheduler 1 allocates is answered at once; one with a serial
// scheduler 0 would allocate is held back on scheduler 1, waiting for a spawn that never comes.
test('monitoring a pid on another scheduler that never existed delivers DOWN with reason noproc', async (t) => {
  const rt = runtime();
  await run(rt, async (self) => {
    const never = new Pid(1, 987_654_321);
    const ref = self.monitor(never);
    const down = got(await self.receive(downFor(ref), SOON), 'DOWN');
    t.is(down.reason, 'noproc');
    t.true(never.equals(down.pid));
  });
});

test('monitoring a pid on scheduler 1 that never existed, with a serial scheduler 0 would have allocated, delivers DOWN with reason noproc', async (t) => {
  const rt = runtime();
  await run(rt, async (self) => {
    const never = new Pid(1, 987_654_320);
    const ref = self.monitor(never);
    const down = got(await self.receive(downFor(ref), SOON), 'DOWN');
    t.is(down.reason, 'noproc');
  });
});

for (const k of SCHEDULERS) {
  test(`monitors stack across schedulers: two monitors on one process deliver two DOWN messages with distinct refs (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const watcher = Puppet.spawn(rt, new Inbox(rt), k);
    const target = rt.spawn(on(other(k), 'idle'));
    const [first, second, info] = await watcher.do(['monitor', target], ['monitor', target], ['info']);
    t.false((first as Ref).equals(second));
    t.is(infoOf(info).monitors.length, 2);
    rt.send(target, 'stop');
    const a = await watcher.got<DownMessage>(downFor(first));
    const b = await watcher.got<DownMessage>(downFor(second));
    t.is(a.reason, 'normal');
    t.is(b.reason, 'normal');
    t.true(await watcher.nothing(isDown), 'a third DOWN arrived');
  });

  test(`demonitor stops the DOWN message of that monitor on a process on another scheduler (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const watcher = Puppet.spawn(rt, new Inbox(rt), k);
    const target = rt.spawn(on(other(k), 'idle'));
    const [removed, kept] = await watcher.do(['monitor', target], ['monitor', target], ['demonitor', { $: 0 }], ['send', target, 'stop']);
    await watcher.got(downFor(kept));
    t.true(await watcher.nothing(downFor(removed)), 'the removed monitor fired');
    t.deepEqual(infoOf((await watcher.do(['info']))[0]).monitors, []);
  });

  test(`demonitor with flush removes a DOWN from another scheduler that is already in the mailbox and nothing else (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const target = rt.spawn(on(other(k), 'idle'));
    rt.spawn(on(k, 'flushAfterDown'), inbox.pid, target, false);
    const report = await inbox.take<{ before: number; after: number; next: unknown }>(hasKey('before'));
    t.like(report, { before: 2, after: 1, next: 'keep me' }, 'the DOWN to flush and "keep me" wait in the mailbox; flush takes only the DOWN');
  });

  test(`demonitor with info reports whether a monitor on another scheduler was still active (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const watcher = Puppet.spawn(rt, new Inbox(rt), k);
    const target = rt.spawn(on(other(k), 'idle'));
    const [, activeNow, activeAgain] = await watcher.do(
      ['monitor', target], ['demonitor', { $: 0 }, { info: true }], ['demonitor', { $: 0 }, { info: true }],
    );
    t.true(activeNow, 'an active monitor');
    t.false(activeAgain, 'a monitor already removed');
    const [fired] = await watcher.do(['monitor', target], ['send', target, 'stop']);
    await watcher.got(downFor(fired));
    t.deepEqual(await watcher.do(['demonitor', fired as Ref, { info: true }]), [false], 'a monitor that already fired');
  });

  test(`demonitor with flush and info on a monitor of another scheduler that fired reports false and still removes its DOWN (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const target = rt.spawn(on(other(k), 'idle'));
    rt.spawn(on(k, 'flushAfterDown'), inbox.pid, target, true);
    const report = await inbox.take<{ active: boolean; after: number; next: unknown }>(hasKey('before'));
    t.like(report, { active: false, after: 1, next: 'keep me' });
  });

  test(`a monitor by a name registered for a process on another scheduler delivers DOWN when that process exits (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const name = `svc-${k}`;
    const inbox = new Inbox(rt);
    const watcher = Puppet.spawn(rt, inbox, k);
    const target = Puppet.spawn(rt, inbox, other(k));
    await target.do();
    rt.register(name, target.pid);
    const [ref] = await watcher.do(['monitor', name]);
    rt.exit(target.pid, 'going away');
    const down = await watcher.got<DownMessage>(downFor(ref));
    t.is(down.reason, 'going away');
    // Erlang reports the name here ({svc, node()}); Kairos reports the name.
    t.is(down.pid, name);
  });

  test(`spawnMonitor to another scheduler is atomic, so a child that dies at once reports its own reason (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const watcher = Puppet.spawn(rt, new Inbox(rt), k);
    const [spawned, info] = await watcher.do(['spawnMonitor', on(other(k), 'exitAtOnce'), 'early'], ['info']);
    const { pid, ref } = spawned as { pid: Pid; ref: Ref };
    const down = await watcher.got<DownMessage>(downFor(ref));
    t.true(pid.equals(down.pid));
    t.is(down.reason, 'early', 'the monitor was set after the child had died');
    t.deepEqual(infoOf(info).links, [], 'spawnMonitor also linked');
  });

  test(`monitors across schedulers are one-way: the death of the watcher does not affect the process it watched (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const inbox = new Inbox(rt);
    const target = Puppet.spawn(rt, inbox, other(k));
    const watcher = Puppet.spawn(rt, inbox, k);
    watcher.post(['monitor', target.pid], ['exit', 'watcher crashed']);
    t.is(await exits.reasonOf(watcher.pid), 'watcher crashed');
    await target.sync();
    const [info] = await target.do(['info']);
    t.deepEqual(infoOf(info).monitoredBy, [], "the dead watcher's monitor was not removed");
  });

  test(`a monitor across schedulers is removed from both processes when it fires (watcher on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const target = Puppet.spawn(rt, inbox, other(k));
    const watcher = Puppet.spawn(rt, inbox, k);
    const [ref, before] = await watcher.do(['monitor', target.pid], ['info']);
    t.is(infoOf(before).monitors.length, 1);
    t.true(infoOf(before).monitors[0]?.ref.equals(ref));
    t.is(String(infoOf(before).monitors[0]?.pid), String(target.pid));
    await target.sync();
    t.deepEqual(infoOf((await target.do(['info']))[0]).monitoredBy.map(String), [String(watcher.pid)]);
    rt.exit(target.pid, 'done');
    await watcher.got(downFor(ref));
    t.deepEqual(infoOf((await watcher.do(['info']))[0]).monitors, []);
  });
}

test('a watcher on scheduler 1 monitoring a name nobody holds gets DOWN with reason noproc naming that name', async (t) => {
  const rt = runtime();
  const watcher = Puppet.spawn(rt, new Inbox(rt), 1);
  const [ref] = await watcher.do(['monitor', 'nobody-holds-this']);
  const down = await watcher.got<DownMessage>(downFor(ref));
  t.is(down.pid, 'nobody-holds-this');
  t.is(down.reason, 'noproc');
});

// More than 16 monitors on one process: one fan-out entry; DOWNs for watchers on the other
// scheduler leave from it as the entry is worked through.
for (const k of SCHEDULERS) {
  test(`a process on ${k} monitored by 20 processes on each scheduler sends every monitor its DOWN, once`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const target = Puppet.spawn(rt, inbox, k);
    const watchers = [...Array.from({ length: 20 }, () => Puppet.spawn(rt, inbox, k)), ...Array.from({ length: 20 }, () => Puppet.spawn(rt, inbox, other(k)))];
    const refs = await Promise.all(watchers.map(async (w) => (await w.do(['monitor', target.pid]))[0] as Ref));
    rt.exit(target.pid, { target: 'gone' });
    for (const [i, w] of watchers.entries()) {
      const down = await w.got<DownMessage>(downFor(refs[i]));
      t.deepEqual(down.reason, { target: 'gone' });
      t.true(target.pid.equals(down.pid));
    }
    for (const w of watchers) t.true(await w.nothing(isDown), `${String(w.pid)} got a second DOWN`);
  });
}
