/**
 * The event store: the durable memory of Kairos. One contract ({@link EventStore}) for
 * per-workflow append-only histories, run summaries (visibility), durable timers, and workflow
 * packages with their routes; two implementations: {@link MemoryStore} (the reference, for tests
 * and ephemeral use) and {@link SqliteStore} (the embedded default: one SQLite file, WAL, group
 * commit). Payloads are opaque to the store and encoded with msgpackr. This folder imports no
 * other Kairos folder.
 */
export { TERMINAL_STATUSES } from './event-store.ts';
export type {
  DurableTimer,
  EventStore,
  IdPage,
  PackageRoute,
  RunChainEntry,
  RunId,
  RunStatus,
  RunSummary,
  SearchAttributeValue,
  SearchAttributes,
  SearchPredicate,
  StoredEvent,
  TerminalStatus,
  TimeRange,
  WorkflowFilter,
  WorkflowId,
  WorkflowPackage,
  WorkflowPage,
  WorkflowQuery,
} from './event-store.ts';
export { KairosError, isKairosError } from './errors.ts';
export type { StoreErrorCode } from './errors.ts';
export { MemoryStore } from './memory-store.ts';
export { SqliteStore } from './sqlite-store.ts';
export type { SqliteStoreOptions } from './sqlite-store.ts';
export { PayloadCodec } from './codec.ts';
export { isTerminalStatus } from './visibility.ts';
