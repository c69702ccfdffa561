import test from 'ava';
import type { Pid, Self } from '../../runtime/index.ts';
import { GenServer, Supervisor, type SupervisorSpec } from '../../supervision/index.ts';
import { flakyStart, staticTree, worker, workerSpec } from '../fixtures/supervision-workers.ts';
import { Inbox, event, exitOf, makeRuntime, parked, rejectsWith, until } from './helpers.ts';

type Rt = ReturnType<typeof makeRuntime>;

async function startTree(rt: Rt, spec: SupervisorSpec): Promise<Pid> {
  return (await Supervisor.start(rt, staticTree(spec), undefined)) as Pid;
}

async function simpleTree(rt: Rt, inbox?: Inbox): Promise<Pid> {
  const template = { id: 'tpl', start: (self: Self, id: string) => GenServer.startLink(self, worker, { id, report: inbox?.pid }) };
  return startTree(rt, { strategy: 'simple_one_for_one', children: [template] });
}

test('startChild adds a child spec and starts it, resolving with the pid', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, { children: [] });
  const pid = (await Supervisor.startChild(rt, sup, workerSpec('late', inbox.pid))) as Pid;
  t.true(pid.equals((await inbox.take(event('started', 'late'))).pid));
  t.deepEqual(await Supervisor.whichChildren(rt, sup), [{ id: 'late', pid, type: 'worker' }]);
});

test('startChild with the id of a running child fails with already_started carrying its pid', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [workerSpec('a')] });
  const [running] = await Supervisor.whichChildren(rt, sup);
  const err = await rejectsWith(t, Supervisor.startChild(rt, sup, workerSpec('a')), 'already_started');
  t.true((running!.pid as Pid).equals(err.pid));
});

test('startChild with the id of a spec that is not running fails with already_present', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [workerSpec('a')] });
  await Supervisor.terminateChild(rt, sup, 'a');
  await rejectsWith(t, Supervisor.startChild(rt, sup, workerSpec('a')), 'already_present');
});

test('startChild whose start returns ignore resolves undefined and keeps the spec unless temporary', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [] });
  t.is(await Supervisor.startChild(rt, sup, { id: 'kept', start: () => 'ignore' }), undefined);
  t.is(await Supervisor.startChild(rt, sup, { id: 'gone', start: () => 'ignore', restart: 'temporary' }), undefined);
  t.deepEqual(await Supervisor.whichChildren(rt, sup), [{ id: 'kept', pid: undefined, type: 'worker' }]);
});

test('startChild whose start fails rejects with start_failed, and the spec is not kept', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [] });
  const err = await rejectsWith(t, Supervisor.startChild(rt, sup, { id: 'bad', start: flakyStart('bad', 0) }), 'start_failed');
  t.is(err.id, 'bad');
  t.regex(err.reason.error.message, /refused/);
  t.deepEqual(await Supervisor.whichChildren(rt, sup), []);
});

test('terminateChild stops the child and keeps its spec; a temporary child\'s spec goes with it', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [workerSpec('keep'), workerSpec('tmp', undefined, { restart: 'temporary' })] });
  const before = await Supervisor.whichChildren(rt, sup);
  await Supervisor.terminateChild(rt, sup, 'keep');
  await Supervisor.terminateChild(rt, sup, 'tmp');
  for (const c of before) t.false(rt.isAlive(c.pid as Pid));
  t.deepEqual(await Supervisor.whichChildren(rt, sup), [{ id: 'keep', pid: undefined, type: 'worker' }]);
});

test('terminateChild of an unknown id fails with not_found', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [] });
  const err = await rejectsWith(t, Supervisor.terminateChild(rt, sup, 'nope'), 'not_found');
  t.is(err.id, 'nope');
});

test('on a simple_one_for_one supervisor terminateChild takes a pid: an id fails with simple_one_for_one, a foreign live pid with not_found, a dead pid succeeds', async (t) => {
  const rt = makeRuntime(t);
  const sup = await simpleTree(rt);
  const child = (await Supervisor.startChild(rt, sup, ['c'])) as Pid;
  await rejectsWith(t, Supervisor.terminateChild(rt, sup, 'tpl'), 'simple_one_for_one');
  const stranger = (await GenServer.start(rt, worker, { id: 'stranger' })) as Pid;
  await rejectsWith(t, Supervisor.terminateChild(rt, sup, stranger), 'not_found');
  await Supervisor.terminateChild(rt, sup, child);
  t.false(rt.isAlive(child));
  t.deepEqual(await Supervisor.whichChildren(rt, sup), []);
  await t.notThrowsAsync(async () => Supervisor.terminateChild(rt, sup, child));
});

test('restartChild starts a terminated child again; a running one fails with running, an unknown id with not_found', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [workerSpec('a')] });
  await rejectsWith(t, Supervisor.restartChild(rt, sup, 'a'), 'running');
  await rejectsWith(t, Supervisor.restartChild(rt, sup, 'zz'), 'not_found');
  await Supervisor.terminateChild(rt, sup, 'a');
  const pid = (await Supervisor.restartChild(rt, sup, 'a')) as Pid;
  t.true(rt.isAlive(pid));
  t.deepEqual(await Supervisor.whichChildren(rt, sup), [{ id: 'a', pid, type: 'worker' }]);
});

test('deleteChild removes a stopped child\'s spec; a running one fails with running, an unknown id with not_found', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [workerSpec('a')] });
  await rejectsWith(t, Supervisor.deleteChild(rt, sup, 'a'), 'running');
  await rejectsWith(t, Supervisor.deleteChild(rt, sup, 'zz'), 'not_found');
  await Supervisor.terminateChild(rt, sup, 'a');
  await Supervisor.deleteChild(rt, sup, 'a');
  t.deepEqual(await Supervisor.whichChildren(rt, sup), []);
});

test('restartChild and deleteChild fail with simple_one_for_one on a simple_one_for_one supervisor', async (t) => {
  const rt = makeRuntime(t);
  const sup = await simpleTree(rt);
  await rejectsWith(t, Supervisor.restartChild(rt, sup, 'tpl'), 'simple_one_for_one');
  await rejectsWith(t, Supervisor.deleteChild(rt, sup, 'tpl'), 'simple_one_for_one');
});

test('a child whose restart failed shows as restarting until the retry; restartChild and deleteChild then fail with restarting', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const sup = await startTree(rt, { intensity: 100, children: [{ id: 'f', start: flakyStart('f', 1, inbox.pid) }] });
  const { pid } = await inbox.take(event('started', 'f'));
  // Keep the supervisor busy in a start, so the EXIT and the calls below queue up before its retry.
  let open: (v: 'ignore') => void = () => {};
  let busy = false;
  const gate = new Promise<'ignore'>((resolve) => (open = resolve));
  const blocked = Supervisor.startChild(rt, sup, { id: 'gate', start: () => ((busy = true), gate) });
  await until(() => busy, 'the supervisor to be busy starting the gate child');
  rt.exit(pid, 'kill');
  const answers: unknown[] = [];
  const ask = async (op: (self: Self) => PromiseLike<unknown>): Promise<Pid> => {
    const caller = rt.spawn(async (self: Self) => {
      try {
        answers.push(await op(self));
      } catch (err) {
        answers.push((err as { code: string }).code);
      }
    });
    await parked(rt, caller);
    return caller;
  };
  const callers = [
    await ask((self) => Supervisor.whichChildren(self, sup)),
    await ask((self) => Supervisor.restartChild(self, sup, 'f')),
    await ask((self) => Supervisor.deleteChild(self, sup, 'f')),
  ];
  open('ignore');
  await blocked;
  for (const caller of callers) await exitOf(rt, caller);
  t.deepEqual(answers, [[{ id: 'gate', pid: undefined, type: 'worker' }, { id: 'f', pid: 'restarting', type: 'worker' }], 'restarting', 'restarting']);
});

test('whichChildren lists static children newest first (OTP keeps them in reverse start order), dynamic ones in start order', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [workerSpec('first'), workerSpec('second')] });
  await Supervisor.startChild(rt, sup, workerSpec('third'));
  t.deepEqual((await Supervisor.whichChildren(rt, sup)).map((c) => c.id), ['third', 'second', 'first']);
  const dyn = await simpleTree(rt);
  const pids = [];
  for (const id of ['x', 'y', 'z']) pids.push(String(await Supervisor.startChild(rt, dyn, [id])));
  t.deepEqual((await Supervisor.whichChildren(rt, dyn)).map((c) => String(c.pid)), pids);
});

test('countChildren counts specs, running children, supervisors and workers', async (t) => {
  const rt = makeRuntime(t);
  const inner = staticTree({ children: [] });
  const sup = await startTree(rt, {
    children: [
      workerSpec('a'),
      workerSpec('b'),
      { id: 'inner', type: 'supervisor', start: (self: Self) => Supervisor.startLink(self, inner, undefined) },
    ],
  });
  await Supervisor.terminateChild(rt, sup, 'b');
  t.deepEqual(await Supervisor.countChildren(rt, sup), { specs: 3, active: 2, supervisors: 1, workers: 2 });
  const dyn = await simpleTree(rt);
  await Supervisor.startChild(rt, dyn, ['x']);
  await Supervisor.startChild(rt, dyn, ['y']);
  t.deepEqual(await Supervisor.countChildren(rt, dyn), { specs: 1, active: 2, supervisors: 0, workers: 2 });
});

test('getChildspec returns the spec with every default filled in, or fails with not_found', async (t) => {
  const rt = makeRuntime(t);
  const start = () => 'ignore' as const;
  const sup = await startTree(rt, { children: [{ id: 'w', start }, { id: 's', start, type: 'supervisor' }] });
  t.deepEqual(await Supervisor.getChildspec(rt, sup, 'w'), { id: 'w', start, args: [], restart: 'permanent', shutdown: 5000, type: 'worker' });
  t.is((await Supervisor.getChildspec(rt, sup, 's')).shutdown, 'infinity');
  await rejectsWith(t, Supervisor.getChildspec(rt, sup, 'zz'), 'not_found');
});

test('supervisor calls to a supervisor that is not alive fail with noproc', async (t) => {
  const rt = makeRuntime(t);
  const sup = await startTree(rt, { children: [] });
  await Supervisor.stop(rt, sup);
  t.is(await exitOf(rt, sup), 'noproc');
  await rejectsWith(t, Supervisor.whichChildren(rt, sup), 'noproc');
});
