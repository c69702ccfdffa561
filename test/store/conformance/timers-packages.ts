import type { WorkflowPackage } from '../../../store/index.ts';
import { storeTest } from './harness.ts';
import type { ConformanceSubject } from './harness.ts';

function pkg(type: string, version: string, deployedAt: number, byte = 1): WorkflowPackage {
  return { type, version, bytes: new Uint8Array([byte, 2, 3]), manifest: { entry: 'main', timeoutMs: 1000, activities: ['a'] }, deployedAt };
}

const names = (packages: readonly WorkflowPackage[]): string[] => packages.map((p) => `${p.type}@${p.version}`);

export function timerRules(subject: ConformanceSubject): void {
  storeTest(subject, 'due timers include fireAt equal to asOf, exclude future ones, and come in fire-time order', async (t, { store }) => {
    await store.scheduleTimer('wf-b', 't1', 300);
    await store.scheduleTimer('wf-a', 't1', 100);
    await store.scheduleTimer('wf-a', 't2', 200);
    await store.scheduleTimer('wf-c', 't1', 201);
    await store.scheduleTimer('wf-a', 't0', 200);
    t.deepEqual(await store.dueTimers(200), [
      { workflowId: 'wf-a', timerId: 't1', fireAt: 100 },
      { workflowId: 'wf-a', timerId: 't0', fireAt: 200 },
      { workflowId: 'wf-a', timerId: 't2', fireAt: 200 },
    ]);
    t.deepEqual(await store.dueTimers(99), []);
    t.deepEqual((await store.dueTimers(1000, 2)).map((x) => x.fireAt), [100, 200]);
  });

  storeTest(subject, 'scheduling a timer again replaces its fire time', async (t, { store }) => {
    await store.scheduleTimer('wf-r', 'sleep-1', 500);
    await store.scheduleTimer('wf-r', 'sleep-1', 50);
    t.deepEqual(await store.dueTimers(100), [{ workflowId: 'wf-r', timerId: 'sleep-1', fireAt: 50 }]);
    await store.scheduleTimer('wf-r', 'sleep-1', 900);
    t.deepEqual(await store.dueTimers(500), []);
    t.is((await store.dueTimers(900)).length, 1);
  });

  storeTest(subject, 'a cancelled timer is never due, and cancelling again is harmless', async (t, { store }) => {
    await store.scheduleTimer('wf-x', 'a', 10);
    await store.scheduleTimer('wf-x', 'b', 10);
    t.true(await store.cancelTimer('wf-x', 'a'));
    t.false(await store.cancelTimer('wf-x', 'a'));
    t.false(await store.cancelTimer('wf-never', 'a'));
    t.deepEqual(await store.dueTimers(10), [{ workflowId: 'wf-x', timerId: 'b', fireAt: 10 }]);
  });

  storeTest(subject, 'timer calls with empty ids or a non-finite time are invalid_input', async (t, { store }) => {
    await t.throwsAsync(store.scheduleTimer('', 't', 1), { code: 'invalid_input' });
    await t.throwsAsync(store.scheduleTimer('wf', '', 1), { code: 'invalid_input' });
    await t.throwsAsync(store.scheduleTimer('wf', 't', Number.NaN), { code: 'invalid_input' });
    await t.throwsAsync(store.dueTimers(Number.POSITIVE_INFINITY), { code: 'invalid_input' });
    t.deepEqual(await store.dueTimers(Number.MAX_SAFE_INTEGER), []);
  });
}

export function packageRules(subject: ConformanceSubject): void {
  storeTest(subject, 'putPackage stores the package and routes its type to it in one write', async (t, { store }) => {
    const first = pkg('order', 'v1', 100);
    await store.putPackage(first);
    t.deepEqual(await store.listPackages(), [first]);
    t.deepEqual(await store.listRoutes(), [{ type: 'order', version: 'v1' }]);
    await store.putPackage(pkg('order', 'v2', 200));
    t.deepEqual(await store.listRoutes(), [{ type: 'order', version: 'v2' }]);
  });

  storeTest(subject, 'packages list in deploy order and routes in type order', async (t, { store }) => {
    await store.putPackage(pkg('zeta', 'v1', 300));
    await store.putPackage(pkg('alpha', 'v1', 100));
    await store.putPackage(pkg('mid', 'v1', 200));
    await store.putPackage(pkg('alpha', 'v2', 200));
    t.deepEqual(names(await store.listPackages()), ['alpha@v1', 'mid@v1', 'alpha@v2', 'zeta@v1']);
    t.deepEqual(await store.listRoutes(), [
      { type: 'alpha', version: 'v2' },
      { type: 'mid', version: 'v1' },
      { type: 'zeta', version: 'v1' },
    ]);
  });

  storeTest(subject, 'putting a stored type and version again replaces it instead of adding a copy', async (t, { store }) => {
    await store.putPackage(pkg('order', 'v1', 100, 1));
    await store.putPackage(pkg('order', 'v1', 150, 9));
    const packages = await store.listPackages();
    t.deepEqual(names(packages), ['order@v1']);
    t.deepEqual([...(packages[0]?.bytes ?? [])], [9, 2, 3]);
    t.is(packages[0]?.deployedAt, 150);
  });

  storeTest(subject, 'putRoute re-points a type without touching packages, and refuses a version not stored', async (t, { store }) => {
    await store.putPackage(pkg('order', 'v1', 100));
    await store.putPackage(pkg('order', 'v2', 200));
    await store.putRoute('order', 'v1');
    t.deepEqual(await store.listRoutes(), [{ type: 'order', version: 'v1' }]);
    t.deepEqual(names(await store.listPackages()), ['order@v1', 'order@v2']);
    await t.throwsAsync(store.putRoute('order', 'v3'), { code: 'not_found' });
    await t.throwsAsync(store.putRoute('invoice', 'v1'), { code: 'not_found' });
    t.deepEqual(await store.listRoutes(), [{ type: 'order', version: 'v1' }]);
  });

  storeTest(subject, 'deletePackage removes exactly its target, with its route, and is idempotent', async (t, { store }) => {
    await store.putPackage(pkg('order', 'v1', 100));
    await store.putPackage(pkg('invoice', 'v1', 150));
    await store.putPackage(pkg('order', 'v2', 200));
    t.true(await store.deletePackage('order', 'v1'));
    t.deepEqual(names(await store.listPackages()), ['invoice@v1', 'order@v2']);
    t.false(await store.deletePackage('order', 'v1'));
    t.false(await store.deletePackage('nothing', 'v1'));
    t.deepEqual(await store.listRoutes(), [{ type: 'invoice', version: 'v1' }, { type: 'order', version: 'v2' }]);
    t.true(await store.deletePackage('order', 'v2'));
    t.deepEqual(await store.listRoutes(), [{ type: 'invoice', version: 'v1' }]);
  });

  storeTest(subject, 'malformed packages and routes are invalid_input', async (t, { store }) => {
    await t.throwsAsync(store.putPackage({ ...pkg('order', 'v1', 1), bytes: 'abc' as never }), { code: 'invalid_input' });
    await t.throwsAsync(store.putPackage({ ...pkg('order', '', 1) }), { code: 'invalid_input' });
    await t.throwsAsync(store.putRoute('', 'v1'), { code: 'invalid_input' });
    await t.throwsAsync(store.deletePackage('order', ''), { code: 'invalid_input' });
    t.deepEqual(await store.listPackages(), []);
  });
}
