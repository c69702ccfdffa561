import test from 'ava';
import { ManualClock, type Pid, type Self } from '../../runtime/index.ts';
import { GenServer, RestartIntensity, Supervisor, type SupervisorReport, type SupervisorSpec } from '../../supervision/index.ts';
import { flakyStart, staticTree, workerSpec } from '../fixtures/supervision-workers.ts';
import { Inbox, event, exitOf, makeRuntime } from './helpers.ts';

test('RestartIntensity allows intensity restarts within period and refuses the next one', (t) => {
  const r = new RestartIntensity(3, 1000);
  t.deepEqual([r.add(0), r.add(10), r.add(20), r.add(30)], [true, true, true, false]);
});

test('RestartIntensity: a restart exactly period ms old still counts (OTP keeps stamps >= now - period)', (t) => {
  const r = new RestartIntensity(1, 1000);
  t.true(r.add(0));
  t.false(r.add(1000));
  const s = new RestartIntensity(1, 1000);
  t.true(s.add(0));
  t.true(s.add(1001));
});

test('RestartIntensity forgets restarts older than the period', (t) => {
  const r = new RestartIntensity(2, 100);
  t.true(r.add(0));
  t.true(r.add(50));
  t.true(r.add(160));
  t.is(r.count, 1);
  t.true(r.add(170));
  t.false(r.add(180));
});

test('RestartIntensity keeps an exact count while its window slides over a long run of restarts', (t) => {
  const r = new RestartIntensity(10, 9);
  for (let now = 0; now < 5000; now++) t.true(r.add(now), `restart at ${now}`);
  t.is(r.count, 10);
  t.false(r.add(4999));
});

test('RestartIntensity with intensity 0 refuses the first restart', (t) => {
  t.false(new RestartIntensity(0, 5000).add(0));
});

interface Tree {
  readonly sup: Pid;
  readonly inbox: Inbox;
  readonly reports: SupervisorReport[];
}

async function startOne(rt: ReturnType<typeof makeRuntime>, spec: (inbox: Inbox) => SupervisorSpec): Promise<Tree> {
  const inbox = new Inbox(rt);
  const reports: SupervisorReport[] = [];
  const sup = (await Supervisor.start(rt, staticTree(spec(inbox)), undefined, { onReport: (r) => reports.push(r) })) as Pid;
  return { sup, inbox, reports };
}

async function crash(rt: ReturnType<typeof makeRuntime>, inbox: Inbox, id: string): Promise<void> {
  const { pid } = await inbox.take(event('started', id));
  GenServer.cast(rt, pid, 'crash');
}

/** Crashes the running child `id` and waits for its restart, so the restart is stamped before the clock moves. */
async function crashAndRestart(rt: ReturnType<typeof makeRuntime>, inbox: Inbox, id: string, pid: Pid): Promise<Pid> {
  GenServer.cast(rt, pid, 'crash');
  return (await inbox.take(event('started', id))).pid;
}

test('more than intensity restarts within period make the supervisor stop its children and exit with shutdown', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const { sup, inbox, reports } = await startOne(rt, (i) => ({ intensity: 2, period: 1000, children: [workerSpec('w', i.pid), workerSpec('other', i.pid)] }));
  const exited = exitOf(rt, sup);
  for (let i = 0; i < 3; i++) await crash(rt, inbox, 'w');
  t.is(await exited, 'shutdown');
  t.is((await inbox.take(event('stopped', 'other'))).reason, 'shutdown');
  const last = reports[reports.length - 1]!;
  t.deepEqual([last.context, last.reason, last.childId], ['shutdown', 'reached_max_restart_intensity', 'w']);
});

test('restarts spread over more than the period never reach the intensity', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const { sup, inbox } = await startOne(rt, (i) => ({ intensity: 2, period: 1000, children: [workerSpec('w', i.pid)] }));
  let pid = (await inbox.take(event('started', 'w'))).pid as Pid;
  for (let i = 0; i < 6; i++) {
    pid = await crashAndRestart(rt, inbox, 'w', pid);
    clock.advance(600);
  }
  t.true(rt.isAlive(sup));
  t.is((await Supervisor.countChildren(rt, sup)).active, 1);
});

test('restart times are measured on the runtime clock: a restart exactly period ms after the first still counts', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const { sup, inbox } = await startOne(rt, (i) => ({ intensity: 1, period: 1000, children: [workerSpec('w', i.pid)] }));
  const exited = exitOf(rt, sup);
  const first = (await inbox.take(event('started', 'w'))).pid as Pid;
  const second = await crashAndRestart(rt, inbox, 'w', first);
  clock.advance(1000);
  GenServer.cast(rt, second, 'crash');
  t.is(await exited, 'shutdown');
});

test('exits that are not restarted do not count: transient normal exits and temporary children', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const { sup, inbox } = await startOne(rt, (i) => ({
    intensity: 1,
    period: 1000,
    children: [workerSpec('tr', i.pid, { restart: 'transient' }), workerSpec('tmp', i.pid, { restart: 'temporary' }), workerSpec('p', i.pid)],
  }));
  const tr = (await inbox.take(event('started', 'tr'))).pid as Pid;
  GenServer.cast(rt, tr, { exit: 'normal' });
  await exitOf(rt, tr);
  await crash(rt, inbox, 'tmp');
  await crash(rt, inbox, 'p');
  await inbox.take(event('started', 'p'));
  t.true(rt.isAlive(sup));
});

test('a failed restart is retried and each retry counts as a restart', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const inbox = new Inbox(rt);
  const reports: SupervisorReport[] = [];
  const spec = { intensity: 3, period: 1000, children: [{ id: 'f', start: flakyStart('f', 1, inbox.pid) }] };
  const sup = (await Supervisor.start(rt, staticTree(spec), undefined, { onReport: (r) => reports.push(r) })) as Pid;
  const exited = exitOf(rt, sup);
  await crash(rt, inbox, 'f');
  t.is(await exited, 'shutdown');
  t.deepEqual(reports.map((r) => r.context), ['child_terminated', 'start_error', 'start_error', 'start_error', 'shutdown']);
});

test('a 3-level tree whose leaf crashes beyond its supervisor\'s intensity escalates exactly one level', async (t) => {
  const clock = new ManualClock();
  const rt = makeRuntime(t, clock);
  const inbox = new Inbox(rt);
  const mid = staticTree({ intensity: 1, period: 5000, children: [workerSpec('leaf', inbox.pid)] });
  const root = staticTree({
    intensity: 5,
    period: 5000,
    children: [
      { id: 'mid', type: 'supervisor', start: (self: Self) => Supervisor.startLink(self, mid, undefined) },
      workerSpec('sibling', inbox.pid),
    ],
  });
  const rootReports: SupervisorReport[] = [];
  const rootPid = (await Supervisor.start(rt, root, undefined, { onReport: (r) => rootReports.push(r) })) as Pid;
  const midBefore = (await Supervisor.whichChildren(rt, rootPid)).find((c) => c.id === 'mid')!.pid as Pid;
  const sibling = (await inbox.take(event('started', 'sibling'))).pid as Pid;
  const midExit = exitOf(rt, midBefore);
  await crash(rt, inbox, 'leaf');
  await crash(rt, inbox, 'leaf');
  t.is(await midExit, 'shutdown');
  const leafAgain = await inbox.take(event('started', 'leaf'));
  const midAfter = (await Supervisor.whichChildren(rt, rootPid)).find((c) => c.id === 'mid')!.pid as Pid;
  t.false(midAfter.equals(midBefore));
  t.deepEqual(await Supervisor.whichChildren(rt, midAfter), [{ id: 'leaf', pid: leafAgain.pid, type: 'worker' }]);
  t.true(rt.isAlive(rootPid));
  t.true(rt.isAlive(sibling));
  t.deepEqual(rootReports.map((r) => [r.context, r.childId, r.reason]), [['child_terminated', 'mid', 'shutdown']]);
});
