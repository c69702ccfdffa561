import test from 'ava';
import type { Pid, Self } from '../../runtime/index.ts';
import { GenServer, Supervisor, type ChildInfo, type Strategy, type SupervisorSpec } from '../../supervision/index.ts';
import { flakyStart, staticTree, worker, workerSpec } from '../fixtures/supervision-workers.ts';
import { Inbox, event, exitOf, makeRuntime, rejectsWith } from './helpers.ts';

type Rt = ReturnType<typeof makeRuntime>;

async function startTree(rt: Rt, spec: SupervisorSpec): Promise<Pid> {
  return (await Supervisor.start(rt, staticTree(spec), undefined)) as Pid;
}

async function pidsById(rt: Rt, sup: Pid): Promise<Record<string, Pid | 'restarting' | undefined>> {
  const out: Record<string, Pid | 'restarting' | undefined> = {};
  for (const c of await Supervisor.whichChildren(rt, sup)) out[c.id!] = c.pid;
  return out;
}

function threeWorkers(inbox: Inbox, strategy: Strategy): SupervisorSpec {
  return { strategy, intensity: 10, children: ['a', 'b', 'c'].map((id) => workerSpec(id, inbox.pid)) };
}

const started = (m: any): boolean => m.event === 'started';
const stopped = (m: any): boolean => m.event === 'stopped';

test('children start in the order of their specs and stop in reverse start order', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, threeWorkers(inbox, 'one_for_one'));
  t.deepEqual((await inbox.takeN(3, started)).map((m) => m.id), ['a', 'b', 'c']);
  await Supervisor.stop(rt, sup);
  const stops = await inbox.takeN(3, stopped);
  t.deepEqual(stops.map((m) => m.id), ['c', 'b', 'a']);
  t.true(stops.every((m) => m.reason === 'shutdown'));
});

test('a supervisor traps exits', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [] });
  t.true(rt.processInfo(sup)?.trapExit);
});

test('one_for_one restarts only the child that exited', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, threeWorkers(inbox, 'one_for_one'));
  await inbox.takeN(3, started);
  const before = await pidsById(rt, sup);
  rt.exit(before.b as Pid, 'kill');
  t.is((await inbox.take(started)).id, 'b');
  const after = await pidsById(rt, sup);
  t.true((after.a as Pid).equals(before.a));
  t.false((after.b as Pid).equals(before.b));
  t.true((after.c as Pid).equals(before.c));
});

test('one_for_all stops the other children newest first, then restarts all of them in start order', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, threeWorkers(inbox, 'one_for_all'));
  await inbox.takeN(3, started);
  const before = await pidsById(rt, sup);
  rt.exit(before.b as Pid, 'kill');
  t.deepEqual((await inbox.takeN(2, stopped)).map((m) => m.id), ['c', 'a']);
  t.deepEqual((await inbox.takeN(3, started)).map((m) => m.id), ['a', 'b', 'c']);
  const after = await pidsById(rt, sup);
  for (const id of ['a', 'b', 'c']) t.false((after[id] as Pid).equals(before[id]), id);
});

test('rest_for_one restarts the child that exited and the children started after it, not those before', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, threeWorkers(inbox, 'rest_for_one'));
  await inbox.takeN(3, started);
  const before = await pidsById(rt, sup);
  rt.exit(before.b as Pid, 'kill');
  t.deepEqual((await inbox.takeN(1, stopped)).map((m) => m.id), ['c']);
  t.deepEqual((await inbox.takeN(2, started)).map((m) => m.id), ['b', 'c']);
  const after = await pidsById(rt, sup);
  t.true((after.a as Pid).equals(before.a));
  t.false((after.b as Pid).equals(before.b));
  t.false((after.c as Pid).equals(before.c));
});

test('simple_one_for_one starts each child from the template with startChild\'s arguments appended', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const template = {
    id: 'conn',
    start: (self: Self, prefix: string, n: number) => GenServer.startLink(self, worker, { id: `${prefix}-${n}`, report: inbox.pid }),
    args: ['conn'],
  };
  const sup = await startTree(rt, { strategy: 'simple_one_for_one', children: [template] });
  t.deepEqual(await Supervisor.whichChildren(rt, sup), []);
  const one = (await Supervisor.startChild(rt, sup, [1])) as Pid;
  const two = (await Supervisor.startChild(rt, sup, [2])) as Pid;
  t.deepEqual((await inbox.takeN(2, started)).map((m) => m.id), ['conn-1', 'conn-2']);
  const kids: ChildInfo[] = await Supervisor.whichChildren(rt, sup);
  t.deepEqual(kids.map((k) => [k.id, String(k.pid), k.type]), [[undefined, String(one), 'worker'], [undefined, String(two), 'worker']]);
  rt.exit(one, 'boom');
  t.is((await inbox.take(started)).id, 'conn-1');
});

test('simple_one_for_one children are all stopped when the supervisor stops', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const template = { id: 'w', start: (self: Self, id: string) => GenServer.startLink(self, worker, { id, report: inbox.pid, trap: true }) };
  const sup = await startTree(rt, { strategy: 'simple_one_for_one', children: [template] });
  for (const id of ['x', 'y', 'z']) await Supervisor.startChild(rt, sup, [id]);
  await Supervisor.stop(rt, sup, 'shutdown');
  const stops = await inbox.takeN(3, stopped);
  t.deepEqual(stops.map((m) => m.id).sort(), ['x', 'y', 'z']);
  t.true(stops.every((m) => m.reason === 'shutdown'));
});

test('a permanent child is restarted even after a normal exit', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, { children: [workerSpec('p', inbox.pid, { restart: 'permanent' })] });
  const first = await inbox.take(started);
  GenServer.cast(rt, first.pid, { exit: 'normal' });
  const second = await inbox.take(started);
  t.false(second.pid.equals(first.pid));
  t.is((await Supervisor.countChildren(rt, sup)).active, 1);
});

test('a transient child is restarted after an abnormal exit but not after normal, shutdown or {shutdown, _}', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, { intensity: 10, children: [workerSpec('t', inbox.pid, { restart: 'transient' })] });
  let current = (await inbox.take(started)).pid as Pid;
  GenServer.cast(rt, current, 'crash');
  current = (await inbox.take(started)).pid;
  for (const reason of ['normal', 'shutdown', { shutdown: 'done' }]) {
    GenServer.cast(rt, current, { exit: reason });
    await exitOf(rt, current);
    t.deepEqual(await pidsById(rt, sup), { t: undefined }, JSON.stringify(reason));
    current = (await Supervisor.restartChild(rt, sup, 't')) as Pid;
    await inbox.take(started);
  }
});

test('a temporary child is never restarted and its spec is removed when it exits', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, { children: [workerSpec('tmp', inbox.pid, { restart: 'temporary' }), workerSpec('keep', inbox.pid)] });
  const tmp = (await inbox.take(event('started', 'tmp'))).pid as Pid;
  GenServer.cast(rt, tmp, 'crash');
  await exitOf(rt, tmp);
  t.deepEqual(Object.keys(await pidsById(rt, sup)), ['keep']);
  t.true(await inbox.quiet(event('started', 'tmp')));
});

test('a child whose start fails makes the supervisor\'s start fail, after stopping the children already started', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const spec = {
    children: [workerSpec('a', inbox.pid), workerSpec('b', inbox.pid), { id: 'bad', start: flakyStart('bad', 0) }, workerSpec('c', inbox.pid)],
  };
  const err = await rejectsWith(t, Supervisor.start(rt, staticTree(spec), undefined), 'init_failed');
  t.is(err.reason.shutdown.failed_to_start_child, 'bad');
  t.regex(err.reason.shutdown.reason.error.message, /refused/);
  t.deepEqual((await inbox.takeN(2, started)).map((m) => m.id), ['a', 'b']);
  t.deepEqual((await inbox.takeN(2, stopped)).map((m) => m.id), ['b', 'a']);
  t.true(await inbox.quiet(event('started', 'c')));
});

test('brutal_kill kills the child at once: its terminate does not run', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, { children: [workerSpec('k', inbox.pid, { shutdown: 'brutal_kill' })] });
  const pid = (await inbox.take(started)).pid as Pid;
  const exited = exitOf(rt, pid);
  await Supervisor.terminateChild(rt, sup, 'k');
  t.is(await exited, 'killed');
  t.true(await inbox.quiet(stopped));
});

test('a numeric shutdown sends shutdown and waits for the child to finish terminate', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, { children: [workerSpec('s', inbox.pid, { shutdown: 1000 })] });
  const pid = (await inbox.take(started)).pid as Pid;
  await Supervisor.terminateChild(rt, sup, 's');
  t.is((await inbox.take(stopped)).reason, 'shutdown');
  t.false(rt.isAlive(pid));
});

test('infinity lets a child supervisor shut its own children down first', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const inner = staticTree({ children: [workerSpec('leaf', inbox.pid)] });
  const sup = await startTree(rt, {
    children: [{ id: 'inner', type: 'supervisor', start: (self: Self) => Supervisor.startLink(self, inner, undefined) }, workerSpec('last', inbox.pid)],
  });
  t.is((await Supervisor.getChildspec(rt, sup, 'inner')).shutdown, 'infinity');
  await inbox.takeN(2, started);
  await Supervisor.stop(rt, sup);
  t.deepEqual((await inbox.takeN(2, stopped)).map((m) => m.id), ['last', 'leaf']);
});
