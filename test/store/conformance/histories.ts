import { isKairosError } from '../../../store/index.ts';
import type { KairosError, StoredEvent } from '../../../store/index.ts';
import { events, storeTest, summary } from './harness.ts';
import type { ConformanceSubject } from './harness.ts';

const seqs = (history: readonly StoredEvent[]): number[] => history.map((event) => event.seq);

export function historyRules(subject: ConformanceSubject): void {
  storeTest(subject, 'an appended history reads back exactly as written, payload types included', async (t, { store }) => {
    const payload = {
      when: new Date(1_700_000_000_123),
      byKey: new Map<unknown, unknown>([[1, 'one'], ['two', { nested: [2] }]]),
      tags: new Set(['a', 'b']),
      big: 2n ** 80n,
      small: -7n,
      bytes: new Uint8Array([1, 2, 3]),
      floats: new Float64Array([0.5, -1.25]),
      nothing: null,
      text: 'héllo',
    };
    const written = [...events(1, 1, payload), ...events(2, 1, { result: { ok: true } })];
    t.is(await store.append('wf-roundtrip', written, 0), 2);
    t.deepEqual(await store.readHistory('wf-roundtrip'), written);
  });

  storeTest(subject, 'an error in a payload keeps its class, message and cause chain', async (t, { store }) => {
    const error = new TypeError('outer', { cause: new RangeError('inner') });
    await store.append('wf-error', events(1, 1, { error }), 0);
    const [event] = await store.readHistory('wf-error');
    const read = event?.['error'] as Error;
    t.true(read instanceof TypeError);
    t.is(read.message, 'outer');
    t.true(read.cause instanceof RangeError);
    t.is((read.cause as Error).message, 'inner');
  });

  storeTest(subject, 'range reads return the events from fromSeq to the head, and [] past it or for an unknown id', async (t, { store }) => {
    await store.append('wf-range', events(1, 5), 0);
    await store.append('wf-single', events(1, 1), 0);
    t.deepEqual(seqs(await store.readHistory('wf-range', 3)), [3, 4, 5]);
    t.deepEqual(seqs(await store.readHistory('wf-range', 1)), [1, 2, 3, 4, 5]);
    t.deepEqual(seqs(await store.readHistory('wf-range', 0)), [1, 2, 3, 4, 5]);
    t.deepEqual(seqs(await store.readHistory('wf-range', -3)), [1, 2, 3, 4, 5]);
    t.deepEqual(seqs(await store.readHistory('wf-range', 5)), [5]);
    t.deepEqual(await store.readHistory('wf-range', 6), []);
    t.deepEqual(await store.readHistory('wf-unknown'), []);
    t.deepEqual(await store.readHistory('wf-unknown', 4), []);
    t.deepEqual(seqs(await store.readHistory('wf-single')), [1]);
    t.deepEqual(seqs(await store.readHistory('wf-single', 2)), []);
  });

  storeTest(subject, 'successive batches extend the history without gaps and each returns the new head', async (t, { store }) => {
    t.is(await store.append('wf-batches', events(1, 2), 0), 2);
    t.is(await store.append('wf-batches', events(3, 3), 2), 5);
    t.is(await store.append('wf-batches', events(6, 1), 5), 6);
    t.deepEqual(seqs(await store.readHistory('wf-batches')), [1, 2, 3, 4, 5, 6]);
  });

  storeTest(subject, 'an append with a stale or future expectedSeq fails with sequence_conflict and writes nothing', async (t, { store }) => {
    await store.append('wf-stale', events(1, 2, { v: 'first' }), 0, summary('wf-stale'));
    const stale = await t.throwsAsync<KairosError>(store.append('wf-stale', events(1, 1, { v: 'late' }), 0, summary('wf-stale', { status: 'completed' })));
    t.true(isKairosError(stale, 'sequence_conflict'));
    t.like(stale?.details, { expected: 0, actual: 2 });
    const future = await t.throwsAsync<KairosError>(store.append('wf-stale', events(6, 1), 5));
    t.like(future?.details, { expected: 5, actual: 2 });
    const history = await store.readHistory('wf-stale');
    t.deepEqual(seqs(history), [1, 2]);
    t.true(history.every((event) => event['v'] === 'first'));
    const page = await store.listWorkflows({ workflowId: 'wf-stale' });
    t.is(page.items[0]?.status, 'running');
  });

  storeTest(subject, 'of two racing appends at the same expectedSeq exactly one wins', async (t, { store }) => {
    await store.append('wf-race', events(1, 1), 0);
    const racers = ['a', 'b', 'c', 'd'].map((who) => store.append('wf-race', events(2, 2, { who }), 1));
    const results = await Promise.allSettled(racers);
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    t.is(winners.length, 1);
    t.true(losers.every((r) => isKairosError(r.reason, 'sequence_conflict')));
    const history = await store.readHistory('wf-race');
    t.deepEqual(seqs(history), [1, 2, 3]);
    t.is(history[1]?.['who'], history[2]?.['who']);
  });

  storeTest(subject, 'appends to one workflow issued together take effect in call order', async (t, { store }) => {
    const heads = await Promise.all([
      store.append('wf-order', events(1, 2), 0),
      store.append('wf-order', events(3, 1), 2),
      store.append('wf-order', events(4, 3), 3),
    ]);
    t.deepEqual(heads, [2, 3, 6]);
    t.deepEqual(seqs(await store.readHistory('wf-order')), [1, 2, 3, 4, 5, 6]);
  });

  storeTest(subject, 'a sequence conflict fails only its own append, never appends issued beside it', async (t, { store }) => {
    await store.append('wf-conflicted', events(1, 1), 0);
    const results = await Promise.allSettled([
      store.append('wf-left', events(1, 2), 0),
      store.append('wf-conflicted', events(1, 1), 0),
      store.append('wf-right', events(1, 1), 0, summary('wf-right')),
    ]);
    t.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    t.deepEqual(seqs(await store.readHistory('wf-left')), [1, 2]);
    t.deepEqual(seqs(await store.readHistory('wf-right')), [1]);
    t.is(await store.countWorkflows({ workflowId: 'wf-right' }), 1);
  });

  storeTest(subject, 'a 125-event history round-trips in one append and reads back in order', async (t, { store }) => {
    const written = events(1, 125, { blob: 'x'.repeat(200) });
    t.is(await store.append('wf-125', written, 0), 125);
    const read = await store.readHistory('wf-125');
    t.deepEqual(read, written);
    t.deepEqual(seqs(await store.readHistory('wf-125', 100)), Array.from({ length: 26 }, (_, i) => 100 + i));
  });

  storeTest(subject, 'a long history (9,000 events, binary payloads) reads back whole and in order from any position', async (t, { store }) => {
    const written = events(1, 9000).map((event) => ({ ...event, bytes: new Uint8Array([0, event.seq % 256, 0xff, 0]) }));
    for (let head = 0; head < written.length; head += 3000) await store.append('wf-long', written.slice(head, head + 3000), head);
    t.deepEqual(await store.readHistory('wf-long'), written);
    const tail = await store.readHistory('wf-long', 4000);
    t.is(tail.length, 5001);
    t.deepEqual(tail[0], written[3999]);
    t.deepEqual(tail.at(-1), written.at(-1));
  });

  storeTest(subject, 'malformed appends fail with invalid_input and write nothing', async (t, { store }) => {
    const bad: [string, () => Promise<unknown>][] = [
      ['negative expectedSeq', () => store.append('wf-bad', events(1, 1), -1)],
      ['fractional expectedSeq', () => store.append('wf-bad', events(1, 1), 0.5)],
      ['empty workflow id', () => store.append('', events(1, 1), 0)],
      ['events not an array', () => store.append('wf-bad', { seq: 1 } as never, 0)],
      ['a gap in seq', () => store.append('wf-bad', [...events(1, 1), ...events(3, 1)], 0)],
      ['seq not following expectedSeq', () => store.append('wf-bad', events(1, 1), 4)],
      ['a hole in the events array', () => store.append('wf-bad', new Array<StoredEvent>(1), 0)],
      ['an event without runId', () => store.append('wf-bad', [{ seq: 1, at: 1, type: 'x' } as never], 0)],
      ['an event without at', () => store.append('wf-bad', [{ seq: 1, runId: 'r', type: 'x' } as never], 0)],
      ['a summary of another workflow', () => store.append('wf-bad', events(1, 1), 0, summary('wf-other'))],
      ['a summary with a bad search attribute key', () => store.append('wf-bad', events(1, 1), 0, summary('wf-bad', { searchAttributes: { 'a-b': 1 } }))],
    ];
    for (const [what, call] of bad) {
      await t.throwsAsync(call(), { code: 'invalid_input' }, what);
    }
    t.deepEqual(await store.readHistory('wf-bad'), []);
    t.is(await store.countWorkflows(), 0);
  });

  storeTest(subject, 'an append with no events checks the head and upserts the summary alone', async (t, { store }) => {
    await store.append('wf-empty', events(1, 1), 0, summary('wf-empty'));
    t.is(await store.append('wf-empty', [], 1, summary('wf-empty', { status: 'completed', closeTime: 2000 })), 1);
    await t.throwsAsync(store.append('wf-empty', [], 0, summary('wf-empty', { status: 'failed' })), { code: 'sequence_conflict' });
    const [run] = (await store.listWorkflows({ workflowId: 'wf-empty' })).items;
    t.like(run, { status: 'completed', closeTime: 2000 });
    t.deepEqual(seqs(await store.readHistory('wf-empty')), [1]);
  });

  storeTest(subject, 'events read back are copies: changing them changes nothing stored', async (t, { store }) => {
    const written = events(1, 1, { nested: { n: 1 } });
    await store.append('wf-copy', written, 0);
    (written[0]?.['nested'] as { n: number }).n = 99;
    const [first] = await store.readHistory('wf-copy');
    (first?.['nested'] as { n: number }).n = 42;
    const [again] = await store.readHistory('wf-copy');
    t.deepEqual(again?.['nested'], { n: 1 });
  });

  storeTest(subject, 'after close every call rejects with closed, and close itself is idempotent', async (t, { store }) => {
    await store.append('wf-closed', events(1, 1), 0);
    await store.close();
    await store.close();
    const calls: (() => Promise<unknown>)[] = [
      () => store.append('wf-closed', events(2, 1), 1),
      () => store.readHistory('wf-closed'),
      () => store.runChain('wf-closed'),
      () => store.scheduleTimer('wf-closed', 't', 1),
      () => store.cancelTimer('wf-closed', 't'),
      () => store.dueTimers(1),
      () => store.listWorkflows(),
      () => store.countWorkflows(),
      () => store.listActive(),
      () => store.listWorkflowIds(),
      () => store.putPackage({ type: 'T', version: 'v', bytes: new Uint8Array(), manifest: {}, deployedAt: 1 }),
      () => store.putRoute('T', 'v'),
      () => store.listPackages(),
      () => store.listRoutes(),
      () => store.deletePackage('T', 'v'),
    ];
    for (const call of calls) await t.throwsAsync(call(), { code: 'closed' });
  });
}
