import type { EventStore, RunSummary, WorkflowFilter, WorkflowQuery } from '../../../store/index.ts';
import { events, storeTest, summary } from './harness.ts';
import type { ConformanceSubject } from './harness.ts';

const day = (n: number): Date => new Date(Date.UTC(2024, 0, n));

/** Six runs spread over types, statuses, times and search attributes. */
const RUNS: readonly RunSummary[] = [
  summary('wf-a', { type: 'order', status: 'running', startTime: 100, searchAttributes: { region: 'eu', amount: 10, vip: true, due: day(1), tags: ['new', 'big'] } }),
  summary('wf-b', { type: 'order', status: 'completed', startTime: 200, closeTime: 250, searchAttributes: { region: 'us', amount: 20, vip: false, due: day(2), tags: ['big'] } }),
  summary('wf-c', { type: 'invoice', status: 'failed', startTime: 300, closeTime: 400, searchAttributes: { region: 'eu', amount: 30, due: day(3), tags: [] } }),
  summary('wf-d', { type: 'invoice', status: 'running', startTime: 400, searchAttributes: { region: 'apac', amount: '40' } }),
  summary('wf-e', { type: 'order', status: 'cancelled', startTime: 500, closeTime: 600 }),
  summary('wf-f', { type: 'refund', status: 'timed_out', startTime: 600, closeTime: 700, searchAttributes: { amount: 20.5, due: day(5), tags: ['new'] } }),
];

async function seed(store: EventStore): Promise<void> {
  await Promise.all(RUNS.map((run) => store.append(run.workflowId, events(1, 1), 0, run)));
}

async function ids(store: EventStore, query: WorkflowFilter): Promise<string[]> {
  const page = await store.listWorkflows(query);
  return page.items.map((run) => run.workflowId);
}

/** Each case: a query and the workflows it must select, in list order. */
const FILTER_CASES: readonly (readonly [string, WorkflowQuery, readonly string[]])[] = [
  ['no condition', {}, ['wf-a', 'wf-b', 'wf-c', 'wf-d', 'wf-e', 'wf-f']],
  ['workflow id', { workflowId: 'wf-c' }, ['wf-c']],
  ['type', { type: 'invoice' }, ['wf-c', 'wf-d']],
  ['one status', { status: 'running' }, ['wf-a', 'wf-d']],
  ['several statuses', { status: ['failed', 'timed_out'] }, ['wf-c', 'wf-f']],
  ['start time from (inclusive)', { startTime: { from: 400 } }, ['wf-d', 'wf-e', 'wf-f']],
  ['start time to (inclusive)', { startTime: { to: 200 } }, ['wf-a', 'wf-b']],
  ['start time between (inclusive)', { startTime: { from: 200, to: 400 } }, ['wf-b', 'wf-c', 'wf-d']],
  ['close time from excludes open runs', { closeTime: { from: 400 } }, ['wf-c', 'wf-e', 'wf-f']],
  ['close time to (inclusive)', { closeTime: { to: 250 } }, ['wf-b']],
  ['empty time range selects all', { closeTime: {} }, ['wf-a', 'wf-b', 'wf-c', 'wf-d', 'wf-e', 'wf-f']],
  ['string equals', { searchAttributes: [{ key: 'region', op: 'eq', value: 'eu' }] }, ['wf-a', 'wf-c']],
  ['number equals (not the string "40")', { searchAttributes: [{ key: 'amount', op: 'eq', value: 40 }] }, []],
  ['string equals (not the number)', { searchAttributes: [{ key: 'amount', op: 'eq', value: '40' }] }, ['wf-d']],
  ['boolean equals', { searchAttributes: [{ key: 'vip', op: 'eq', value: false }] }, ['wf-b']],
  ['date equals', { searchAttributes: [{ key: 'due', op: 'eq', value: day(2) }] }, ['wf-b']],
  ['number greater than', { searchAttributes: [{ key: 'amount', op: 'gt', value: 20 }] }, ['wf-c', 'wf-f']],
  ['number at least (inclusive)', { searchAttributes: [{ key: 'amount', op: 'gte', value: 20 }] }, ['wf-b', 'wf-c', 'wf-f']],
  ['number less than', { searchAttributes: [{ key: 'amount', op: 'lt', value: 20 }] }, ['wf-a']],
  ['number at most (inclusive)', { searchAttributes: [{ key: 'amount', op: 'lte', value: 20 }] }, ['wf-a', 'wf-b']],
  ['date after', { searchAttributes: [{ key: 'due', op: 'gt', value: day(2) }] }, ['wf-c', 'wf-f']],
  ['date at most (inclusive)', { searchAttributes: [{ key: 'due', op: 'lte', value: day(2) }] }, ['wf-a', 'wf-b']],
  ['a date bound never matches numbers', { searchAttributes: [{ key: 'amount', op: 'gt', value: day(1) }] }, []],
  ['keyword list contains', { searchAttributes: [{ key: 'tags', op: 'contains', value: 'new' }] }, ['wf-a', 'wf-f']],
  ['contains on a non-list never matches', { searchAttributes: [{ key: 'region', op: 'contains', value: 'eu' }] }, []],
  ['missing attribute never matches', { searchAttributes: [{ key: 'nope', op: 'eq', value: 'x' }] }, []],
  ['type and status', { type: 'order', status: ['running', 'completed'] }, ['wf-a', 'wf-b']],
  [
    'type, start time and two attributes',
    { type: 'order', startTime: { from: 100, to: 500 }, searchAttributes: [{ key: 'tags', op: 'contains', value: 'big' }, { key: 'amount', op: 'gte', value: 20 }] },
    ['wf-b'],
  ],
  ['status and close time', { status: 'cancelled', closeTime: { from: 600, to: 600 } }, ['wf-e']],
];

export function visibilityRules(subject: ConformanceSubject): void {
  storeTest(subject, 'every visibility filter, alone and combined, selects exactly its runs and counts agree', async (t, { store }) => {
    await seed(store);
    for (const [what, query, expected] of FILTER_CASES) {
      t.deepEqual(await ids(store, query), [...expected], what);
      t.is(await store.countWorkflows(query), expected.length, `count: ${what}`);
    }
  });

  storeTest(subject, 'listed runs carry their whole summary, search attribute types included', async (t, { store }) => {
    await seed(store);
    const page = await store.listWorkflows({ workflowId: 'wf-a' });
    t.deepEqual(page.items, [RUNS[0]]);
  });

  storeTest(subject, 'number attributes compare exactly, to the last bit of a double', async (t, { store }) => {
    await store.append('wf-float', [], 0, summary('wf-float', { searchAttributes: { amount: 0.1 + 0.2, id: 2 ** 53 - 1 } }));
    const count = (key: string, value: number): Promise<number> =>
      store.countWorkflows({ searchAttributes: [{ key, op: 'eq', value }] });
    t.is(await count('amount', 0.30000000000000004), 1);
    t.is(await count('amount', 0.3), 0);
    t.is(await count('id', 2 ** 53 - 1), 1);
    t.is(await count('id', 2 ** 53 - 2), 0);
  });

  storeTest(subject, 'limit and offset page through runs in start-time order', async (t, { store }) => {
    await seed(store);
    t.deepEqual(await ids(store, { limit: 2 }), ['wf-a', 'wf-b']);
    const page = await store.listWorkflows({ limit: 2, offset: 3 });
    t.deepEqual(page.items.map((r) => r.workflowId), ['wf-d', 'wf-e']);
    const tail = await store.listWorkflows({ offset: 5 });
    t.deepEqual(tail.items.map((r) => r.workflowId), ['wf-f']);
  });

  storeTest(subject, 'a cursor walks every matching run once, and the last page has no cursor', async (t, { store }) => {
    await seed(store);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await store.listWorkflows({ type: 'order', limit: 1, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.items.map((r) => r.workflowId));
      cursor = page.nextCursor;
      if (cursor === undefined) break;
    }
    t.deepEqual(seen, ['wf-a', 'wf-b', 'wf-e']);
    const exact = await store.listWorkflows({ limit: 6 });
    t.is(exact.nextCursor, undefined);
  });

  storeTest(subject, 'a cursor with an offset, or a cursor not made by the store, is invalid_input', async (t, { store }) => {
    await seed(store);
    const { nextCursor } = await store.listWorkflows({ limit: 1 });
    t.truthy(nextCursor);
    await t.throwsAsync(store.listWorkflows({ limit: 1, offset: 1, cursor: nextCursor ?? '' }), { code: 'invalid_input' });
    await t.throwsAsync(store.listWorkflows({ cursor: 'not-a-cursor' }), { code: 'invalid_input' });
    await t.throwsAsync(store.listWorkflows({ limit: 0 }), { code: 'invalid_input' });
    await t.throwsAsync(store.countWorkflows({ limit: 1 } as WorkflowQuery), { code: 'invalid_input' });
    await t.throwsAsync(store.listWorkflows({ searchAttributes: [{ key: 'amount', op: 'gt', value: 'x' as never }] }), { code: 'invalid_input' });
  });

  storeTest(subject, 'listActive follows the summaries: closed runs drop out and a reopened run comes back', async (t, { store }) => {
    const active = async (): Promise<string[]> => (await store.listActive()).map((r) => `${r.workflowId}/${r.runId}`);
    await store.append('wf-1', events(1, 1), 0, summary('wf-1', { startTime: 1 }));
    await store.append('wf-2', events(1, 1), 0, summary('wf-2', { startTime: 2 }));
    await store.append('wf-3', events(1, 1), 0, summary('wf-3', { startTime: 3, status: 'suspended' }));
    t.deepEqual(await active(), ['wf-1/run-1', 'wf-2/run-1', 'wf-3/run-1']);
    await store.append('wf-1', events(2, 1), 1, summary('wf-1', { startTime: 1, status: 'completed', closeTime: 5 }));
    await store.append('wf-2', events(2, 1), 1, summary('wf-2', { startTime: 2, status: 'continued_as_new', closeTime: 6 }));
    t.deepEqual(await active(), ['wf-3/run-1']);
    await store.append('wf-2', events(3, 1, {}, 'run-2'), 2, summary('wf-2', { runId: 'run-2', startTime: 6, parentRunId: 'run-1' }));
    t.deepEqual(await active(), ['wf-3/run-1', 'wf-2/run-2']);
    await store.append('wf-1', events(3, 1), 2, summary('wf-1', { startTime: 1, status: 'running' }));
    t.deepEqual(await active(), ['wf-1/run-1', 'wf-3/run-1', 'wf-2/run-2']);
  });

  storeTest(subject, 'workflow ids enumerate every workflow with a history or a summary, terminal runs included', async (t, { store }) => {
    await store.append('wf-done', events(1, 1), 0, summary('wf-done', { status: 'completed', closeTime: 9 }));
    await store.append('wf-live', events(1, 1), 0, summary('wf-live'));
    await store.append('wf-bare', events(1, 2), 0);
    await store.append('wf-empty', [], 0, summary('wf-empty', { status: 'terminated' }));
    t.deepEqual(await store.listWorkflowIds(), ['wf-bare', 'wf-done', 'wf-empty', 'wf-live']);
    t.deepEqual(await store.listWorkflowIds({ limit: 2 }), ['wf-bare', 'wf-done']);
    t.deepEqual(await store.listWorkflowIds({ after: 'wf-done', limit: 5 }), ['wf-empty', 'wf-live']);
  });

  storeTest(subject, 'a run chain of one run is that run', async (t, { store }) => {
    await store.append('wf-solo', events(1, 1), 0, summary('wf-solo', { status: 'completed', closeTime: 1500 }));
    t.deepEqual(await store.runChain('wf-solo'), [{ runId: 'run-1', status: 'completed', startTime: 1000, closeTime: 1500 }]);
    t.deepEqual(await store.runChain('wf-unknown'), []);
    t.deepEqual(await store.runChain('wf-solo', 'run-9'), []);
  });

  storeTest(subject, 'a run chain follows continue-as-new links from the oldest run to the newest', async (t, { store }) => {
    const wf = 'wf-chain';
    await store.append(wf, events(1, 1, {}, 'r1'), 0, summary(wf, { runId: 'r1', startTime: 10 }));
    await store.append(wf, events(2, 1, {}, 'r1'), 1, summary(wf, { runId: 'r1', startTime: 10, status: 'continued_as_new', closeTime: 20 }));
    await store.append(wf, events(3, 1, {}, 'r2'), 2, summary(wf, { runId: 'r2', startTime: 20, parentRunId: 'r1' }));
    await store.append(wf, events(4, 1, {}, 'r2'), 3, summary(wf, { runId: 'r2', startTime: 20, parentRunId: 'r1', status: 'continued_as_new', closeTime: 30 }));
    await store.append(wf, events(5, 1, {}, 'r3'), 4, summary(wf, { runId: 'r3', startTime: 30, parentRunId: 'r2' }));
    const chain = [
      { runId: 'r1', status: 'continued_as_new', startTime: 10, closeTime: 20 },
      { runId: 'r2', status: 'continued_as_new', startTime: 20, closeTime: 30, parentRunId: 'r1' },
      { runId: 'r3', status: 'running', startTime: 30, parentRunId: 'r2' },
    ];
    t.deepEqual(await store.runChain(wf), chain);
    t.deepEqual(await store.runChain(wf, 'r1'), chain);
    t.deepEqual(await store.runChain(wf, 'r2'), chain);
  });
}
