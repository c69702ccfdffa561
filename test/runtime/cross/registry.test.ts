// The rules of registry.test.ts with the name holder and the processes that use the name on
// different schedulers. Already in cross-scheduler.test.ts and not repeated: a process on 1
// registers itself, is found from 0, is reached by a send to its name from 0, the name is
// taken for a local pid, and it is freed at exit.
import test from 'ava';
import type { Pid } from '../../../runtime/index.ts';
import { throwsCode, until } from '../helpers.ts';
import { ExitLog, Inbox, Puppet, SCHEDULERS, hasKey, on, other, sharedRuntime } from './helpers.ts';

const runtime = sharedRuntime(test);

/** A live process on scheduler `k` that scheduler `k` has already created (so questions about it cannot overtake its spawn). */
async function spawnedOn(rt: ReturnType<typeof runtime>, inbox: Inbox, k: number): Promise<Puppet> {
  const p = Puppet.spawn(rt, inbox, k);
  await p.do();
  return p;
}

for (const k of SCHEDULERS) {
  test(`a process on scheduler ${k} registered by name is found by whereis and reached by send to that name from both schedulers`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const name = `echo-${k}`;
    const holder = await spawnedOn(rt, inbox, k);
    const sender = await spawnedOn(rt, inbox, other(k));
    rt.register(name, holder.pid);
    t.true(rt.whereis(name)?.equals(holder.pid));
    t.true(rt.registered().includes(name));
    t.is(rt.processInfo(holder.pid)?.registeredName, name);
    rt.send(name, 'from outside');
    t.is(await holder.got(), 'from outside');
    const [seen] = await sender.do(['whereis', name], ['send', name, `from a process on ${other(k)}`]);
    t.true(holder.pid.equals(seen));
    t.is(await holder.got(), `from a process on ${other(k)}`);
  });

  test(`a name is freed when its process exits, before the DOWN of that process reaches a watcher on another scheduler (holder on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const name = `short-lived-${k}`;
    const target = rt.spawn(on(k, 'registered'), name);
    await until(() => rt.whereis(name) !== undefined, `${name} is registered`);
    rt.spawn(on(other(k), 'whereisAtDown'), inbox.pid, target, name);
    const seen = await inbox.take<{ reason: unknown; whereis: Pid | null }>(hasKey('whereis'));
    t.deepEqual(seen, { reason: 'stop', whereis: null });
    t.false(rt.registered().includes(name));
    const next = await spawnedOn(rt, inbox, other(k));
    rt.register(name, next.pid);
    t.true(rt.whereis(name)?.equals(next.pid), 'the freed name could not be taken again');
  });

  test(`registering a name a process on another scheduler holds fails with 'name_taken', and the runtime keeps working (holder on ${k})`, async (t) => {
    const rt = runtime();
    const inbox = new Inbox(rt);
    const name = `taken-${k}`;
    const holder = await spawnedOn(rt, inbox, k);
    await holder.do(['register', name]);
    const rival = await spawnedOn(rt, inbox, other(k));
    throwsCode(t, () => rt.register(name, rival.pid), 'name_taken');
    const reply = await rival.attempt(['register', name]);
    t.is(reply.error?.code, 'name_taken');
    t.true(rt.whereis(name)?.equals(holder.pid));
    rt.register(`free-${k}`, rival.pid);
    t.true(rt.whereis(`free-${k}`)?.equals(rival.pid));
  });
}

test("registering, from scheduler 0, a process on scheduler 1 that already has a name fails with 'already_registered', and the runtime keeps working", async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const named = await spawnedOn(rt, inbox, 1);
  rt.register('first-1', named.pid);
  throwsCode(t, () => rt.register('second-1', named.pid), 'already_registered');
  t.is(rt.whereis('second-1'), undefined);
  t.is(rt.processInfo(named.pid)?.registeredName, 'first-1');
  const another = await spawnedOn(rt, inbox, 1);
  rt.register('second-1', another.pid);
  t.true(rt.whereis('second-1')?.equals(another.pid));
});

test("registering a dead pid on scheduler 1 fails with 'noproc', and the runtime keeps working", async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const dead = rt.spawn(on(1, 'exitAtOnce'), 'normal');
  await exits.reasonOf(dead);
  throwsCode(t, () => rt.register('ghost-1', dead), 'noproc');
  t.is(rt.whereis('ghost-1'), undefined);
  const live = await spawnedOn(rt, new Inbox(rt), 1);
  rt.register('ghost-1', live.pid);
  t.true(rt.whereis('ghost-1')?.equals(live.pid));
});

test("a process on scheduler 1 can register itself and unregister its name while it lives on, and scheduler 0 sees each change at once", async (t) => {
  const rt = runtime();
  const me = await spawnedOn(rt, new Inbox(rt), 1);
  await me.do(['register', 'me-1']);
  t.true(rt.whereis('me-1')?.equals(me.pid));
  await me.do(['send', 'me-1', 'to myself']);
  t.is(await me.got(), 'to myself');
  await me.do(['unregister', 'me-1']);
  t.is(rt.whereis('me-1'), undefined);
  t.false(rt.registered().includes('me-1'));
  t.is(rt.processInfo(me.pid)?.registeredName, undefined);
  t.true(rt.isAlive(me.pid));
});

test("unregistering from scheduler 0 the name of a process on scheduler 1 frees it and leaves the process alive; a second unregister fails with 'not_registered'", async (t) => {
  const rt = runtime();
  const pid = (await spawnedOn(rt, new Inbox(rt), 1)).pid;
  rt.register('known-1', pid);
  rt.unregister('known-1');
  t.is(rt.whereis('known-1'), undefined);
  t.is(rt.processInfo(pid)?.registeredName, undefined);
  t.true(rt.isAlive(pid));
  throwsCode(t, () => rt.unregister('known-1'), 'not_registered');
});

// unregister/1 works on any registered name in Erlang. From scheduler 1 the name is removed
// from the shared table, but telling its holder on scheduler 0 fails with scheduler_starting.
test('a process on scheduler 1 can unregister the name of a process on scheduler 0', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const holder = await spawnedOn(rt, inbox, 0);
  rt.register('held-on-0', holder.pid);
  const reply = await (await spawnedOn(rt, inbox, 1)).attempt(['unregister', 'held-on-0']);
  t.is(reply.error, undefined, `unregister failed: ${reply.error?.code}`);
  t.is(rt.whereis('held-on-0'), undefined);
  t.is(rt.processInfo(holder.pid)?.registeredName, undefined);
});

test("sending to a name nobody holds fails with 'not_registered' on scheduler 1 too, and a name whose holder on 1 exited is not registered any more", async (t) => {
  const rt = runtime();
  const exits = new ExitLog(rt, t);
  const inbox = new Inbox(rt);
  const sender = await spawnedOn(rt, inbox, 1);
  const reply = await sender.attempt(['send', 'nobody-1', 'hello']);
  t.is(reply.error?.code, 'not_registered');
  const gone = rt.spawn(on(1, 'registered'), 'gone-1');
  await until(() => rt.whereis('gone-1') !== undefined, 'gone-1 is registered');
  rt.send('gone-1', 'stop');
  await exits.reasonOf(gone);
  throwsCode(t, () => rt.send('gone-1', 'hello'), 'not_registered');
  const again = await sender.attempt(['send', 'gone-1', 'hello']);
  t.is(again.error?.code, 'not_registered');
  await sender.do(['send', sender.pid, 'still working']);
  t.is(await sender.got(), 'still working');
});

for (const k of SCHEDULERS) {
  test(`sending to a dead pid on another scheduler never throws (sender on ${k})`, async (t) => {
    const rt = runtime();
    const exits = new ExitLog(rt, t);
    const dead = rt.spawn(on(other(k), 'exitAtOnce'), 'crashed');
    await exits.reasonOf(dead);
    t.notThrows(() => rt.send(dead, 'lost'));
    const sender = await spawnedOn(rt, new Inbox(rt), k);
    const reply = await sender.attempt(['send', dead, 'lost'], ['send', sender.pid, 'kept']);
    t.is(reply.error, undefined);
    t.is(await sender.got(), 'kept');
    t.true(await sender.nothing(), 'something came back from the dead pid');
  });
}

test('with several schedulers a name of more than 64 UTF-8 bytes fails with invalid_input naming the limit, and shorter names (multi-byte ones too) work', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const holder = await spawnedOn(rt, inbox, 1);
  const err = throwsCode(t, () => rt.register('x'.repeat(65), holder.pid), 'invalid_input');
  t.regex(err?.message ?? '', /64 UTF-8 bytes/);
  const name = 'é'.repeat(32);
  rt.register(name, holder.pid);
  t.true(rt.whereis(name)?.equals(holder.pid));
  rt.unregister(name);
  t.is(rt.whereis(name), undefined);
});

test('a name freed on one scheduler can be taken again at once from the other, many times over', async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const a = await spawnedOn(rt, inbox, 0);
  const b = await spawnedOn(rt, inbox, 1);
  for (let i = 0; i < 200; i++) {
    const holder = i % 2 === 0 ? a : b;
    rt.register('relay-name', holder.pid);
    t.true(rt.whereis('relay-name')!.equals(holder.pid));
    rt.unregister('relay-name');
  }
  t.is(rt.whereis('relay-name'), undefined);
});
