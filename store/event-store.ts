/** A workflow id: the key of one history. Plain strings are accepted everywhere. */
export type WorkflowId = string;
/** A run id: one run of a workflow (a continue-as-new starts a new run under the same workflow id). */
export type RunId = string;

/**
 * One recorded event. The store reads only the envelope (`seq`, `at`, `runId`, `type`); every
 * other field is opaque payload, encoded with msgpackr (Date, Map, Set, BigInt, typed arrays,
 * Errors with their cause chain round-trip).
 */
export interface StoredEvent {
  /** Position in the workflow's history: 1, 2, 3, … with no gaps. */
  readonly seq: number;
  /** When the event was recorded, epoch milliseconds. */
  readonly at: number;
  readonly runId: RunId;
  /** The event's kind, a snake_case string the store does not interpret. */
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Statuses after which a run never changes again by itself; every other status is active. */
export const TERMINAL_STATUSES = [
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
  'continued_as_new',
] as const;

export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
/** A run's status: a snake_case string; `running` and any non-terminal value count as active. */
export type RunStatus = TerminalStatus | 'running' | (string & {});

/** A search attribute value: keyword lists (`string[]`) support `contains`; numbers and Dates support ranges. */
export type SearchAttributeValue = string | number | boolean | Date | readonly string[];
export type SearchAttributes = Readonly<Record<string, SearchAttributeValue>>;

/** The visibility record of one run, upserted by `append` in the same transaction as its events. */
export interface RunSummary {
  readonly workflowId: WorkflowId;
  readonly runId: RunId;
  /** The workflow type name. */
  readonly type: string;
  readonly status: RunStatus;
  /** Epoch milliseconds. */
  readonly startTime: number;
  /** Epoch milliseconds; absent while the run is open. */
  readonly closeTime?: number;
  /** Keys match `[A-Za-z_][A-Za-z0-9_]*`. */
  readonly searchAttributes?: SearchAttributes;
  /** The run this one continued from (continue-as-new lineage), under the same workflow id. */
  readonly parentRunId?: RunId;
  /** The workflow run that started this one as a child, if any. */
  readonly parent?: { readonly workflowId: WorkflowId; readonly runId: RunId };
}

/** One run in a continue-as-new chain. */
export interface RunChainEntry {
  readonly runId: RunId;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly closeTime?: number;
  readonly parentRunId?: RunId;
}

/** An inclusive time range in epoch milliseconds; either end may be left open. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

/**
 * A predicate on one search attribute. `eq` compares values of the same kind (string, number,
 * boolean or Date); `gt`/`gte`/`lt`/`lte` apply to numbers and Dates; `contains` tests membership
 * in a keyword list. A run without the attribute, or with a value of another kind, never matches.
 */
export type SearchPredicate =
  | { readonly key: string; readonly op: 'eq'; readonly value: string | number | boolean | Date }
  | { readonly key: string; readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: number | Date }
  | { readonly key: string; readonly op: 'contains'; readonly value: string };

/** Which runs to count or list; all given conditions must hold (AND). Time bounds are inclusive. */
export interface WorkflowQuery {
  readonly workflowId?: WorkflowId;
  readonly type?: string;
  /** One status or any of several. */
  readonly status?: RunStatus | readonly RunStatus[];
  readonly startTime?: TimeRange;
  /** Only closed runs have a close time, so any bound here excludes open runs. */
  readonly closeTime?: TimeRange;
  readonly searchAttributes?: readonly SearchPredicate[];
}

/** A {@link WorkflowQuery} plus paging: `limit` with either `offset` or a `cursor` from the previous page. */
export interface WorkflowFilter extends WorkflowQuery {
  /** A positive integer. @default unlimited */
  readonly limit?: number;
  /** @default 0 */
  readonly offset?: number;
  /** The `nextCursor` of the previous page; not combinable with `offset`. */
  readonly cursor?: string;
}

/** One page of runs, ordered by start time, then workflow id, then run id (ascending). */
export interface WorkflowPage {
  readonly items: readonly RunSummary[];
  /** Present when `limit` was reached; pass it as `cursor` for the next page. */
  readonly nextCursor?: string;
}

/** A durable timer of one workflow. */
export interface DurableTimer {
  readonly workflowId: WorkflowId;
  readonly timerId: string;
  /** Epoch milliseconds. */
  readonly fireAt: number;
}

/** A deployed workflow package: a module's bytes plus its manifest (opaque to the store). */
export interface WorkflowPackage {
  readonly type: string;
  readonly version: string;
  readonly bytes: Uint8Array;
  readonly manifest: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds. */
  readonly deployedAt: number;
}

/** Which package version new starts of a workflow type use. */
export interface PackageRoute {
  readonly type: string;
  readonly version: string;
}

/** Paging for {@link EventStore.listWorkflowIds}. */
export interface IdPage {
  /** Only ids sorted after this one. */
  readonly after?: WorkflowId;
  /** A positive integer. @default unlimited */
  readonly limit?: number;
}

/**
 * The durable memory of Kairos: per-workflow append-only histories, run summaries (visibility),
 * durable timers, and workflow packages with their routes. The store knows nothing of workflow
 * semantics; every rule here is checked by one conformance suite run against every
 * implementation.
 *
 * Every method rejects with a {@link KairosError}: `invalid_input` for malformed arguments (checked
 * before anything is touched), `closed` after {@link EventStore.close}, and `store_failed` when the
 * underlying storage fails (then nothing of that call was written).
 */
export interface EventStore {
  /**
   * Appends `events` to a workflow's history, atomically: all events (and `summary`) or nothing.
   * The events must carry `seq` = `expectedSeq + 1`, `+ 2`, … in order. `expectedSeq = 0` creates
   * the history. An empty `events` array only checks the head and upserts `summary`.
   *
   * Appends to one workflow take effect in call order. The promise resolves once the write is
   * durable (for SQLite: after its transaction committed).
   *
   * @param summary Upserted (keyed by workflow id and run id) in the same transaction, so
   *   visibility never disagrees with history.
   * @returns The new head seq.
   * @throws `sequence_conflict` when the stored head is not `expectedSeq` (details: `expected`,
   *   `actual`); nothing is written.
   * @throws `invalid_input` for an empty workflow id, a negative or non-integer `expectedSeq`,
   *   `events` that is not an array, an event without a valid envelope or with the wrong `seq`, or a
   *   summary for another workflow id.
   */
  append(workflowId: WorkflowId, events: readonly StoredEvent[], expectedSeq: number, summary?: RunSummary): Promise<number>;

  /**
   * Reads a workflow's history in ascending `seq`, from `fromSeq` (inclusive) to the head.
   * An unknown workflow id, or a `fromSeq` past the head, gives `[]`; a `fromSeq` of 1 or less
   * reads the whole history.
   * @throws `invalid_input` for an empty workflow id or a non-integer `fromSeq`.
   */
  readHistory(workflowId: WorkflowId, fromSeq?: number): Promise<StoredEvent[]>;

  /**
   * The continue-as-new chain holding `runId` (or, without it, the most recently started run of
   * the workflow): oldest run first, newest last, following `parentRunId` links. Unknown ids give `[]`.
   */
  runChain(workflowId: WorkflowId, runId?: RunId): Promise<RunChainEntry[]>;

  /**
   * Schedules a durable timer, or reschedules it: the (workflowId, timerId) pair is the key, so a
   * second call replaces the fire time.
   * @throws `invalid_input` for empty ids or a non-finite `fireAt`.
   */
  scheduleTimer(workflowId: WorkflowId, timerId: string, fireAt: number): Promise<void>;

  /** Removes a timer; idempotent. @returns whether a timer was removed. */
  cancelTimer(workflowId: WorkflowId, timerId: string): Promise<boolean>;

  /**
   * Timers with `fireAt <= asOf` (inclusive), ordered by fire time, then workflow id, then timer
   * id. Timers are not removed: cancel each once its firing is recorded.
   */
  dueTimers(asOf: number, limit?: number): Promise<DurableTimer[]>;

  /** Runs matching `filter`, one page at a time (see {@link WorkflowPage} for the order). */
  listWorkflows(filter?: WorkflowFilter): Promise<WorkflowPage>;

  /** How many runs match `query` (paging fields are not accepted). */
  countWorkflows(query?: WorkflowQuery): Promise<number>;

  /** Every run whose status is not terminal (see {@link TERMINAL_STATUSES}), for recovery. */
  listActive(): Promise<RunSummary[]>;

  /** Workflow ids that have a history or a summary, terminal runs included, sorted ascending. */
  listWorkflowIds(page?: IdPage): Promise<WorkflowId[]>;

  /**
   * Stores a package (replacing one with the same type and version) and routes its type to it,
   * in one write.
   */
  putPackage(pkg: WorkflowPackage): Promise<void>;

  /**
   * Points a type's route at a stored version, without touching packages.
   * @throws `not_found` when no package with that type and version is stored.
   */
  putRoute(type: string, version: string): Promise<void>;

  /** Every stored package, in deploy order (by `deployedAt`, ties in call order). */
  listPackages(): Promise<WorkflowPackage[]>;

  /** Every route, ordered by type. */
  listRoutes(): Promise<PackageRoute[]>;

  /**
   * Deletes exactly the package with this type and version (other versions stay), and the route
   * pointing at it, if any; idempotent.
   * @returns whether a package was deleted.
   */
  deletePackage(type: string, version: string): Promise<boolean>;

  /**
   * Waits for writes in flight, then releases the store. Idempotent; every other call afterwards
   * rejects with `closed`.
   */
  close(): Promise<void>;
}
