import { Pid, Ref } from './pid.ts';
import { invalidInput } from './errors.ts';
import { findUnsendable } from './codec.ts';

/** An error as it is recorded or crosses a thread: plain data, never an Error instance. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  readonly cause?: SerializedError;
}

/**
 * Why a process exited. Any plain data term, as in Erlang; the runtime itself uses
 * `'normal'`, `'kill'`, `'killed'`, `'shutdown'`, `'noproc'` and `{ error: SerializedError }`
 * (a thrown error). Compare reasons with {@link reasonEquals}.
 */
export type ExitReason =
  | 'normal'
  | 'kill'
  | 'killed'
  | 'shutdown'
  | 'noproc'
  | { readonly error: SerializedError }
  | { readonly shutdown: unknown }
  | string
  | number
  | boolean
  | null
  | bigint
  | Pid
  | Ref
  | readonly unknown[]
  | { readonly [key: string]: unknown };

export function serializeError(err: unknown, depth = 0): SerializedError {
  if (err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err && 'name' in err)) {
    const e = err as Error & { code?: unknown; cause?: unknown };
    const out: { -readonly [K in keyof SerializedError]: SerializedError[K] } = {
      name: String(e.name),
      message: String(e.message),
    };
    if (typeof e.stack === 'string') out.stack = e.stack;
    if (typeof e.code === 'string') out.code = e.code;
    if (e.cause !== undefined && depth < 8) out.cause = serializeError(e.cause, depth + 1);
    return out;
  }
  return { name: 'NonError', message: typeof err === 'string' ? err : safeString(err) };
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'symbol' ? value.toString() : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function errorReason(err: unknown): ExitReason {
  return { error: serializeError(err) };
}

/**
 * True when an exit with `reason` is a crash as OTP's crash reports count it: anything but
 * `'normal'`, `'shutdown'` and `{ shutdown: term }` (orderly stops, e.g. by a supervisor).
 */
export function isCrash(reason: ExitReason): boolean {
  if (reason === 'normal' || reason === 'shutdown') return false;
  return !(typeof reason === 'object' && reason !== null && !Array.isArray(reason) && Object.keys(reason).length === 1 && 'shutdown' in reason);
}

/** Value equality for exit reasons and other plain terms (pids and refs by value). */
export function reasonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Pid || a instanceof Ref) return a.equals(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => reasonEquals(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && reasonEquals(ra[k], rb[k]));
}

/** Checks that `reason` is plain data that can cross threads; throws `invalid_input` naming `argument` (and the bad field). */
export function validateReason(argument: string, reason: unknown): ExitReason {
  const bad = reason === undefined ? { path: argument, value: undefined } : findUnsendable(reason, argument);
  if (bad) {
    throw invalidInput(bad.path, 'plain data (string, number, boolean, null, array, plain object, Date, Map, Set, Error, Pid or Ref)', bad.value);
  }
  return reason as ExitReason;
}
