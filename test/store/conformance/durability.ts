import { events, storeTest, summary } from './harness.ts';
import type { ConformanceSubject } from './harness.ts';

export function durabilityRules(subject: ConformanceSubject): void {
  if (!subject.supports.durable) return;

  storeTest(subject, 'histories, summaries, timers, packages and routes survive close and reopen', async (t, fixture) => {
    const before = fixture.store;
    const history = events(1, 3, { when: new Date(5), n: 7n });
    await before.append('wf-durable', history, 0, summary('wf-durable', { searchAttributes: { tags: ['x'] } }));
    await before.append('wf-closed', events(1, 1), 0, summary('wf-closed', { status: 'completed', closeTime: 2000 }));
    await before.scheduleTimer('wf-durable', 'sleep', 123);
    await before.putPackage({ type: 'order', version: 'v1', bytes: new Uint8Array([7]), manifest: { entry: 'main' }, deployedAt: 9 });
    const after = await fixture.reopen();
    t.deepEqual(await after.readHistory('wf-durable'), history);
    t.deepEqual((await after.listActive()).map((r) => r.workflowId), ['wf-durable']);
    t.is(await after.countWorkflows({ searchAttributes: [{ key: 'tags', op: 'contains', value: 'x' }] }), 1);
    t.deepEqual(await after.listWorkflowIds(), ['wf-closed', 'wf-durable']);
    t.deepEqual(await after.dueTimers(123), [{ workflowId: 'wf-durable', timerId: 'sleep', fireAt: 123 }]);
    t.deepEqual(await after.listRoutes(), [{ type: 'order', version: 'v1' }]);
    t.deepEqual((await after.listPackages())[0]?.manifest, { entry: 'main' });
  });

  storeTest(subject, 'after reopening, the stored head fences appends exactly as before', async (t, fixture) => {
    await fixture.store.append('wf-head', events(1, 2), 0);
    const after = await fixture.reopen();
    await t.throwsAsync(after.append('wf-head', events(1, 1), 0), { code: 'sequence_conflict' });
    t.is(await after.append('wf-head', events(3, 1), 2), 3);
    t.deepEqual((await after.readHistory('wf-head')).map((e) => e.seq), [1, 2, 3]);
  });
}
