import { KairosError } from './errors.ts';
import { NO_MATCH } from './mailbox.ts';
import type { Clock } from './clock.ts';
import {
  TIMEOUT, FLAG_AWAIT_FAILED, FLAG_AWAIT_SETTLED, FLAG_DEAD, FLAG_TIMED_OUT, ST_AWAITING, ST_WAITING,
  type Proc, type Receive,
} from './process.ts';

/** Tokens a generator process yields (through the receive/await iterators) to its scheduler. */
export const WAIT = Symbol('kairos.wait');
export const PREEMPT = Symbol('kairos.preempt');
export const AWAIT = Symbol('kairos.await');
const WAIT_RESULT: IteratorResult<unknown, unknown> = Object.freeze({ done: false, value: WAIT });
const PREEMPT_RESULT: IteratorResult<unknown, unknown> = Object.freeze({ done: false, value: PREEMPT });
const AWAIT_RESULT: IteratorResult<unknown, unknown> = Object.freeze({ done: false, value: AWAIT });

/** What the wait iterators need from their scheduler. */
export interface WaitHost {
  readonly current: Proc | null;
  readonly budget: number;
  readonly clock: Clock;
  endReceive(p: Proc): void;
  armTimer(p: Proc): void;
  makeRunnable(p: Proc): void;
}

export type WaitOp = Receive<unknown> & Iterator<unknown, unknown, unknown>;

/**
 * The iterator behind `yield* self.receive()`: one per scheduler, reused by every receive
 * (only the running process can be inside it), so a receive allocates nothing. `yield*`
 * calls `next()` at once (a waiting message is taken without suspending) and again each
 * time the scheduler resumes the process.
 */
export function makeReceiveOp(host: WaitHost): WaitOp {
  const done = { done: true, value: undefined as unknown };
  const op = {
    next: (): IteratorResult<unknown, unknown> => {
      const p = host.current!;
      if (p.reductions >= host.budget) {
        p.reductions = 0;
        return PREEMPT_RESULT;
      }
      const value = p.take();
      if (value !== NO_MATCH) {
        p.reductions++;
        host.endReceive(p);
        done.value = value;
        return done as IteratorResult<unknown, unknown>;
      }
      if ((p.flags & FLAG_TIMED_OUT) !== 0 || (p.deadline !== null && p.deadline <= host.clock.now())) {
        host.endReceive(p);
        done.value = TIMEOUT;
        return done as IteratorResult<unknown, unknown>;
      }
      host.armTimer(p);
      return WAIT_RESULT;
    },
    [Symbol.iterator]() {
      return op;
    },
    then(): never {
      throw new KairosError('invalid_input', 'a generator process must use `yield* self.receive()`, not `await`');
    },
  };
  return op as unknown as WaitOp;
}

/** The iterator behind `yield* self.await(promise)`: the scheduler parks the process until the promise settles. */
export function makeAwaitOp(host: WaitHost): WaitOp {
  const done = { done: true, value: undefined as unknown };
  const op = {
    next: (): IteratorResult<unknown, unknown> => {
      const p = host.current!;
      const awaited = p.pending;
      if ((p.flags & FLAG_AWAIT_SETTLED) !== 0) {
        const failed = (p.flags & FLAG_AWAIT_FAILED) !== 0;
        p.flags &= ~(FLAG_AWAIT_SETTLED | FLAG_AWAIT_FAILED);
        p.pending = null;
        if (failed) throw awaited;
        done.value = awaited;
        return done as IteratorResult<unknown, unknown>;
      }
      if (typeof awaited !== 'object' || awaited === null || typeof (awaited as PromiseLike<unknown>).then !== 'function') {
        p.pending = null;
        done.value = awaited;
        return done as IteratorResult<unknown, unknown>;
      }
      return AWAIT_RESULT;
    },
    throw: (err: unknown): never => {
      throw err;
    },
    [Symbol.iterator]() {
      return op;
    },
    then(): never {
      throw new KairosError('invalid_input', 'a generator process must use `yield* self.await(p)`, not `await`');
    },
  };
  return op as unknown as WaitOp;
}

/** `await self.receive()` in an async process: a resolved promise when a message is there, else a pending one the scheduler settles. */
export function receiveAsync(host: WaitHost, p: Proc): Receive<unknown> {
  if ((p.flags & FLAG_DEAD) !== 0) return new Promise<never>(() => {}) as unknown as Receive<unknown>;
  if (p.reductions < host.budget) {
    const value = p.take();
    if (value !== NO_MATCH) {
      p.reductions++;
      host.endReceive(p);
      return Promise.resolve(value) as unknown as Receive<unknown>;
    }
    if (p.deadline !== null && p.deadline <= host.clock.now()) {
      host.endReceive(p);
      return Promise.resolve(TIMEOUT) as unknown as Receive<unknown>;
    }
    p.state = ST_WAITING;
    host.armTimer(p);
  } else {
    p.reductions = 0;
    host.makeRunnable(p);
  }
  const promise = new Promise<unknown>(capture);
  p.pending = captured.resolve;
  captured.resolve = null;
  return promise as unknown as Receive<unknown>;
}

// One executor for every pending receive (a closure per receive would be one more object per
// blocking wait): the Promise constructor calls it synchronously, and the caller moves the
// resolve function onto the process at once (a failure settles through it too, see runAsync).
const captured: { resolve: ((value: unknown) => void) | null } = { resolve: null };
function capture(resolve: (value: unknown) => void): void {
  captured.resolve = resolve;
}

/** A generator process yielded AWAIT: park it until its promise settles. */
export function awaitPromise(host: WaitHost, p: Proc): void {
  p.state = ST_AWAITING;
  const settle = (value: unknown, failed: boolean): void => {
    if ((p.flags & FLAG_DEAD) !== 0) return;
    p.pending = value;
    p.flags |= FLAG_AWAIT_SETTLED | (failed ? FLAG_AWAIT_FAILED : 0);
    host.makeRunnable(p);
  };
  Promise.resolve(p.pending).then(
    (v) => settle(v, false),
    (e: unknown) => settle(e, true),
  );
}
