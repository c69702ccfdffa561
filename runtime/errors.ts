/**
 * Error codes a caller of the runtime can receive, each with its meaning:
 *
 * - `invalid_input`: an argument has the wrong shape (the message names it, what was expected and what arrived).
 * - `not_registered`: a name used as a destination or unregistered is not registered (Erlang `badarg`).
 * - `name_taken`: `register` with a name another process holds (Erlang `badarg`).
 * - `already_registered`: `register` of a process that already has a name (Erlang `badarg`).
 * - `noproc`: the process named does not exist (`register` or `link` of a dead pid).
 * - `shutting_down`: the runtime has been shut down.
 * - `not_in_process`: a process-only operation was called from outside that process.
 * - `scheduler_starting`: a synchronous question about a process on a scheduler thread that has not booted yet (await `runtime.ready()`).
 */
export type RuntimeErrorCode =
  | 'invalid_input'
  | 'not_registered'
  | 'name_taken'
  | 'already_registered'
  | 'noproc'
  | 'shutting_down'
  | 'not_in_process'
  | 'scheduler_starting';

/**
 * The error every failed runtime call throws. Branch on `code` with {@link isKairosError},
 * never on `instanceof`: errors cross threads as plain data.
 */
export class KairosError extends Error {
  override readonly name = 'KairosError';
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
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
      return `a function${value.name ? ` (${value.name})` : ''}`;
    default: {
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      const ctor = (value as object).constructor;
      const str = String(value);
      if (ctor && ctor !== Object && /^<\d+\.\d+\.\d+>$|^#Ref</.test(str)) return str;
      return ctor && ctor !== Object ? `an instance of ${ctor.name}` : 'an object';
    }
  }
}
