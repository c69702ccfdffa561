import type { ExitReason } from '../runtime/index.ts';
import { invalidInput } from './errors.ts';

/**
 * What may follow a callback (OTP's `Timeout | {continue, Term}` in a result tuple):
 * `timeout` ms without a message delivers `'timeout'` to `handleInfo`; `continue` calls
 * `handleContinue` with that value before the next message is taken.
 */
export interface NextOptions {
  readonly timeout?: number;
  readonly continue?: unknown;
}

interface Next {
  /** Receive timeout for the next message; `Infinity` when none was asked for. */
  readonly timeout: number;
  readonly hasContinue: boolean;
  readonly continueWith: unknown;
}

export interface Ok<S> extends Next {
  readonly kind: 'ok';
  readonly state: S;
}

export interface Ignore {
  readonly kind: 'ignore';
}

export interface Reply<S, R> extends Next {
  readonly kind: 'reply';
  readonly reply: R;
  readonly state: S;
}

export interface Noreply<S> extends Next {
  readonly kind: 'noreply';
  readonly state: S;
}

export interface Stop<S, R = unknown> {
  readonly kind: 'stop';
  readonly reason: ExitReason;
  readonly state: S | undefined;
  readonly hasState: boolean;
  /** Whether a reply goes to the caller before the server exits (`stopReply`). */
  readonly replies: boolean;
  readonly reply: R | undefined;
}

export type InitResult<S> = Ok<S> | Ignore | Stop<S>;
export type CallResult<S, R> = Reply<S, R> | Noreply<S> | Stop<S, R>;
export type CastResult<S> = Noreply<S> | Stop<S>;

/** A callback returns its result directly, as a promise, or from a generator (to wait in receive). */
export type Returns<T> = T | PromiseLike<T> | Generator<unknown, T, unknown>;

const NO_NEXT: Next = { timeout: Infinity, hasContinue: false, continueWith: undefined };

function nextOf(options: NextOptions | undefined): Next {
  if (options === undefined) return NO_NEXT;
  if (typeof options !== 'object' || options === null) throw invalidInput('options', 'an object like { timeout: 100 } or { continue: value }', options);
  const timeout = options.timeout ?? Infinity;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
    throw invalidInput('options.timeout', 'a non-negative number of milliseconds or Infinity', timeout);
  }
  return { timeout, hasContinue: 'continue' in options, continueWith: options.continue };
}

function checkReason(reason: unknown): ExitReason {
  if (reason === undefined || typeof reason === 'function' || typeof reason === 'symbol') {
    throw invalidInput('reason', 'an exit reason (plain data such as "normal", "shutdown" or an object)', reason);
  }
  return reason as ExitReason;
}

/** `init` succeeded: the server starts with `state` (OTP `{ok, State}`). */
export function ok<S>(state: S, options?: NextOptions): Ok<S> {
  const next = nextOf(options);
  return { kind: 'ok', state, timeout: next.timeout, hasContinue: next.hasContinue, continueWith: next.continueWith };
}

/** `init` declines to start: the start returns `'ignore'` and the process exits `normal` (OTP `ignore`). */
export function ignore(): Ignore {
  return { kind: 'ignore' };
}

/** Replies `value` to the caller and continues with `state` (OTP `{reply, Reply, State}`). */
export function reply<S, R>(value: R, state: S, options?: NextOptions): Reply<S, R> {
  const next = nextOf(options);
  return { kind: 'reply', reply: value, state, timeout: next.timeout, hasContinue: next.hasContinue, continueWith: next.continueWith };
}

/** Continues with `state` without replying now; reply later with `GenServer.reply` (OTP `{noreply, State}`). */
export function noreply<S>(state: S, options?: NextOptions): Noreply<S> {
  const next = nextOf(options);
  return { kind: 'noreply', state, timeout: next.timeout, hasContinue: next.hasContinue, continueWith: next.continueWith };
}

/**
 * Stops the server with `reason` after `terminate(reason, state)` (OTP `{stop, Reason, State}`);
 * from `init`, without a state (OTP `{stop, Reason}`): the start fails with `init_failed`.
 */
export function stop<S = never>(reason: ExitReason, state?: S): Stop<S> {
  return { kind: 'stop', reason: checkReason(reason), state, hasState: arguments.length > 1, replies: false, reply: undefined };
}

/** Stops the server as {@link stop} does, replying `value` to the caller after `terminate` (OTP `{stop, Reason, Reply, State}`). */
export function stopReply<S, R>(reason: ExitReason, value: R, state: S): Stop<S, R> {
  return { kind: 'stop', reason: checkReason(reason), state, hasState: true, replies: true, reply: value };
}
