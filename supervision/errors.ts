import { KairosError as RuntimeKairosError, isKairosError as runtimeIsKairosError, preview, type ExitReason, type Pid } from '../runtime/index.ts';

export { preview };

/**
 * Error codes a caller of the supervision API can receive, each with its meaning:
 *
 * - `invalid_input`: an argument, child spec or supervisor flag has the wrong shape (`field` names it).
 * - `noproc`: the server is not alive (or the name is not registered) when the call is made.
 * - `timeout`: no reply (or no init acknowledgement) within the timeout.
 * - `server_exited`: the server exited during the call; `reason` is its exit reason.
 * - `calling_self`: a server called itself (it would wait forever).
 * - `caller_exited`: the short-lived caller process behind a call made from outside any process was killed (e.g. by `Runtime.shutdown`).
 * - `init_failed`: the server's `init` threw or returned `stop(reason)`; `reason` is why.
 * - `already_started`: a server is already registered under the name, or a child with the id is running; `pid` is it.
 * - `already_present`: a child spec with the id exists but its process is not running.
 * - `not_found`: no child with that id (or pid).
 * - `running`: the child is running (restartChild, deleteChild).
 * - `restarting`: the child is about to be restarted after a failed restart (restartChild, deleteChild).
 * - `simple_one_for_one`: the operation is not valid for a simple_one_for_one supervisor (as in OTP).
 * - `start_failed`: a child's start function failed; `id` and `reason` say which and why.
 * - `code_change_failed`: the new behaviour's `codeChange` threw; the server keeps its old behaviour and state.
 */
export type SupervisionErrorCode =
  | 'invalid_input'
  | 'noproc'
  | 'timeout'
  | 'server_exited'
  | 'calling_self'
  | 'caller_exited'
  | 'init_failed'
  | 'already_started'
  | 'already_present'
  | 'not_found'
  | 'running'
  | 'restarting'
  | 'simple_one_for_one'
  | 'start_failed'
  | 'code_change_failed';

export interface SupervisionErrorFields {
  /** The exit or failure reason involved (`server_exited`, `init_failed`, `start_failed`, `code_change_failed`). */
  readonly reason?: ExitReason;
  /** The process involved (`already_started`). */
  readonly pid?: Pid;
  /** The child id involved. */
  readonly id?: string;
  /** The argument or spec field at fault (`invalid_input`). */
  readonly field?: string;
}

/**
 * The error every failed supervision call throws or rejects with: a runtime `KairosError`
 * (same `name`, so `isKairosError` from either folder recognises it) with the ids involved as
 * fields. Branch on `code`, never on `instanceof`.
 */
export class KairosError extends RuntimeKairosError {
  declare readonly code: SupervisionErrorCode;
  readonly reason?: ExitReason;
  readonly pid?: Pid;
  readonly id?: string;
  readonly field?: string;

  constructor(code: SupervisionErrorCode, message: string, fields: SupervisionErrorFields = {}) {
    super(code, message, { ...fields });
    if (fields.reason !== undefined) this.reason = fields.reason;
    if (fields.pid !== undefined) this.pid = fields.pid;
    if (fields.id !== undefined) this.id = fields.id;
    if (fields.field !== undefined) this.field = fields.field;
  }
}

/** True when `err` is a KairosError (from any folder or thread), optionally with the given code. */
export const isKairosError = runtimeIsKairosError as (err: unknown, code?: SupervisionErrorCode | (string & {})) => err is KairosError;

export function invalidInput(field: string, expected: string, got: unknown): KairosError {
  return new KairosError('invalid_input', `${field} must be ${expected}, got ${preview(got)}`, { field });
}

/** A reason for messages: short JSON, pids and refs printed as the BEAM does. */
export function describeReason(reason: unknown): string {
  try {
    const text = JSON.stringify(reason) ?? String(reason);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(reason);
  }
}

/** Ends every `switch` over a union, so a new member breaks the build where it must be handled. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case ${describeReason(value)}`);
}
