/**
 * Error codes a caller of an event store can receive, each with its meaning:
 *
 * - `invalid_input`: an argument has the wrong shape (the message names it, what was expected and what arrived).
 * - `sequence_conflict`: an append's `expectedSeq` is not the stored head (`details.expected`, `details.actual`); nothing was written.
 * - `not_found`: the thing an operation points at does not exist (`putRoute` to a package that is not stored).
 * - `closed`: the store has been closed.
 * - `store_unavailable`: the database file cannot be opened or created (missing directory, permissions, not a file).
 * - `store_locked`: another connection or process holds a lock on the file and did not release it in time.
 * - `store_corrupt`: the file is not a SQLite database, or its integrity check failed.
 * - `store_incompatible`: the file is a SQLite database of another application.
 * - `schema_too_new`: the file was written by a newer Kairos with a schema this build does not know.
 * - `store_failed`: a write or read failed inside the database (I/O error, disk full); nothing of a failed write was kept.
 */
export type StoreErrorCode =
  | 'invalid_input'
  | 'sequence_conflict'
  | 'not_found'
  | 'closed'
  | 'store_unavailable'
  | 'store_locked'
  | 'store_corrupt'
  | 'store_incompatible'
  | 'schema_too_new'
  | 'store_failed';

/**
 * The error every failed store call rejects with. Branch on `code` with {@link isKairosError},
 * never on `instanceof`: errors cross threads and folders as plain data.
 */
export class KairosError extends Error {
  override readonly name = 'KairosError';
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: StoreErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }
}

/** True when `err` is a KairosError (from any thread or folder), optionally with the given code. */
export function isKairosError(err: unknown, code?: string): err is KairosError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'KairosError' && typeof e.code === 'string' && (code === undefined || e.code === code);
}

export function invalidInput(argument: string, expected: string, got: unknown): KairosError {
  return new KairosError('invalid_input', `${argument} must be ${expected}, got ${preview(got)}`, { argument });
}

export function sequenceConflict(workflowId: string, expected: number, actual: number): KairosError {
  return new KairosError(
    'sequence_conflict',
    `append to workflow ${preview(workflowId)} expected head seq ${expected}, but the stored head is ${actual}`,
    { workflowId, expected, actual },
  );
}

export function packageNotFound(type: string, version: string): KairosError {
  return new KairosError('not_found', `no package ${preview(type)} version ${preview(version)} is stored`, { type, version });
}

export function closedError(operation: string): KairosError {
  return new KairosError('closed', `${operation} called on a closed event store`, { operation });
}

/** A short, safe description of a value for error messages: never a whole payload. */
export function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a string of length ${value.length}` : JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default: {
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      const ctor = (value as object).constructor;
      return ctor && ctor !== Object ? `an instance of ${ctor.name}` : 'an object';
    }
  }
}
