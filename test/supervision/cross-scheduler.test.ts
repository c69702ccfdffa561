import test from 'ava';
import { Runtime, isKairosError, type Pid, type Self } from '../../runtime/index.ts';
import { GenServer, Supervisor, type BehaviourRef } from '../../supervision/index.ts';

// A gen-server whose behaviour is named by module reference runs on the scheduler the
// reference names; calls, casts, links and supervision work across the thread boundary.
const workerOn1: BehaviourRef = { module: new URL('../fixtures/supervision-workers.ts', import.meta.url), export: 'worker', scheduler: 1 };

let rt: Runtime;
test.before(async () => {
  rt = new Runtime({ schedulers: 2 });
  await rt.ready();
});
test.after.always(() => rt.shutdown());

test('a server started from a behaviour reference runs on the scheduler it names and answers calls', async (t) => {
  const pid = (await GenServer.start(rt, workerOn1, { id: 'remote-a' })) as Pid;
  t.is(pid.scheduler, 1);
  t.is(await GenServer.call(rt, pid, 'ping'), 'pong');
  GenServer.cast(rt, pid, 'noop');
  t.like(await GenServer.call(rt, pid, 'state'), { id: 'remote-a', calls: 1 });
  await GenServer.stop(rt, pid);
  t.false(rt.isAlive(pid));
});

test('a call to a server on another scheduler that exits during the call fails with server_exited and its reason', async (t) => {
  const pid = (await GenServer.start(rt, workerOn1, { id: 'remote-b' })) as Pid;
  const err = await t.throwsAsync(GenServer.call(rt, pid, { exit: 'bye' }));
  t.true(isKairosError(err, 'server_exited'), String((err as { code?: string }).code));
  t.is((err as unknown as { reason: unknown }).reason, 'bye');
});

test('a reference to a missing export fails the start with invalid_input naming the export', async (t) => {
  const err = await t.throwsAsync(GenServer.start(rt, { ...workerOn1, export: 'nope' }, { id: 'x' }));
  t.true(isKairosError(err, 'invalid_input'), String((err as { code?: string }).code));
  t.regex(err!.message, /nope/);
});

test('a supervisor on scheduler 0 restarts a crashed child that runs on scheduler 1', async (t) => {
  const sup = (await Supervisor.start(rt, {
    init: () => ({
      strategy: 'one_for_one' as const,
      intensity: 5,
      period: 5000,
      children: [{ id: 'w', start: (self: Self) => GenServer.startLink(self, workerOn1, { id: 'w' }) }],
    }),
  }, undefined)) as Pid;
  const first = (await Supervisor.whichChildren(rt, sup))[0]!.pid as Pid;
  t.is(first.scheduler, 1);
  const exited = rt.wait(first);
  GenServer.cast(rt, first, 'crash');
  await exited;
  let second: Pid | undefined;
  for (let i = 0; i < 500 && (second === undefined || second.equals(first)); i++) {
    await new Promise((r) => setTimeout(r, 10));
    const child = (await Supervisor.whichChildren(rt, sup))[0]!.pid;
    second = typeof child === 'object' && child !== null ? (child as Pid) : undefined;
  }
  t.truthy(second);
  t.false(second!.equals(first));
  t.is(second!.scheduler, 1);
  t.is(await GenServer.call(rt, second!, 'ping'), 'pong');
});
