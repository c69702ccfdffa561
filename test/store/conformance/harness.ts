import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { EventStore, RunSummary, StoredEvent } from '../../../store/index.ts';

/** What an implementation hands the conformance suite. */
export interface ConformanceSubject {
  readonly name: string;
  /** Opens the store kept at `place`; a durable store opened twice at one place sees the same data. */
  readonly open: (place: string) => Promise<EventStore>;
  readonly supports: { readonly durable: boolean };
}

export interface Fixture {
  readonly store: EventStore;
  /** Closes the store and opens the same place again (durable stores only). */
  reopen(): Promise<EventStore>;
}

let places = 0;

/** Declares one conformance test; the store it opens is closed when the test ends. */
export function storeTest(
  subject: ConformanceSubject,
  title: string,
  body: (t: ExecutionContext, fixture: Fixture) => Promise<void>,
): void {
  test(`${subject.name}: ${title}`, async (t) => {
    const place = `store-${++places}`;
    let store = await subject.open(place);
    t.teardown(() => store.close());
    await body(t, {
      get store() {
        return store;
      },
      async reopen() {
        await store.close();
        store = await subject.open(place);
        return store;
      },
    });
  });
}

/** `count` events with consecutive seqs from `firstSeq`, each tagged with `extra`. */
export function events(firstSeq: number, count: number, extra: Record<string, unknown> = {}, runId = 'run-1'): StoredEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: firstSeq + i,
    at: 1_700_000_000_000 + firstSeq + i,
    runId,
    type: 'step_recorded',
    ...extra,
  }));
}

export function summary(workflowId: string, overrides: Partial<RunSummary> = {}): RunSummary {
  return { workflowId, runId: 'run-1', type: 'order', status: 'running', startTime: 1000, ...overrides };
}
