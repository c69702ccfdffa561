import { Runtime, type ReceiveOptions, type Self } from '../runtime/index.ts';
import { KairosError, invalidInput } from './errors.ts';

/** One step of a client protocol: a selective receive. */
export interface Wait {
  readonly pattern: (msg: unknown) => unknown;
  readonly options: ReceiveOptions;
}

/**
 * A client-side exchange with a server (start, call, stop) written once as a generator that
 * yields {@link Wait} steps; {@link driveGen} and {@link driveAsync} run it in either process form.
 */
export type Protocol<T> = Generator<Wait, T, unknown>;

/**
 * The pending result of a request made from a process: `yield*` it in a generator process,
 * `await` it in an async process (as the runtime's `receive` works). Made with a process's
 * `self`, nothing is sent until it is consumed (consume it once); made with the `Runtime`, it
 * starts at once, like a promise.
 */
export interface Op<T> extends PromiseLike<T> {
  [Symbol.iterator](): Generator<unknown, T, unknown>;
}

/** Whoever makes a request: a process (its `self`) or, from outside any process, the runtime. */
export type Caller = Self | Runtime;

export function wait(pattern: (msg: unknown) => unknown, timeout: number): Wait {
  return { pattern, options: timeout === Infinity ? FOREVER : { timeout } };
}

const FOREVER: ReceiveOptions = {};

export function* driveGen<T>(self: Self, protocol: Protocol<T>): Generator<unknown, T, unknown> {
  let step = protocol.next();
  while (step.done !== true) {
    const { pattern, options } = step.value;
    step = protocol.next(yield* self.receive(pattern, options));
  }
  return step.value;
}

export async function driveAsync<T>(self: Self, protocol: Protocol<T>): Promise<T> {
  let step = protocol.next();
  while (step.done !== true) {
    const { pattern, options } = step.value;
    step = protocol.next(await self.receive(pattern, options));
  }
  return step.value;
}

class ProcessOp<T> implements Op<T> {
  private promise: Promise<T> | undefined = undefined;

  constructor(
    private readonly self: Self,
    private readonly make: (self: Self) => Protocol<T>,
  ) {}

  [Symbol.iterator](): Generator<unknown, T, unknown> {
    return driveGen(this.self, this.make(this.self));
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.promise ??= driveAsync(this.self, this.make(this.self));
    return this.promise.then(onFulfilled, onRejected);
  }
}

/**
 * From outside any process, a short-lived caller process runs the protocol. It starts at once,
 * as a promise would: there is no process form to choose.
 */
class OutsideOp<T> implements Op<T> {
  private readonly promise: Promise<T>;

  constructor(rt: Runtime, make: (self: Self) => Protocol<T>) {
    this.promise = runOutside(rt, make);
  }

  [Symbol.iterator](): Generator<unknown, T, unknown> {
    throw new KairosError('invalid_input', 'a request made with the runtime (from outside any process) must be awaited, not used with yield*', {
      field: 'caller',
    });
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.promise.then(onFulfilled, onRejected);
  }
}

function runOutside<T>(rt: Runtime, make: (self: Self) => Protocol<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const pid = rt.spawn(async (self: Self) => {
      try {
        const value = await driveAsync(self, make(self));
        settled = true;
        resolve(value);
      } catch (err) {
        settled = true;
        reject(err);
      }
    });
    void rt.wait(pid).then((reason) => {
      if (!settled) reject(new KairosError('caller_exited', `the caller process ${pid} exited before the request completed`, { reason }));
    });
  });
}

/** Binds a protocol to a caller: a process gets a dual-form {@link Op}, the runtime a promise-only one. */
export function op<T>(caller: Caller, make: (self: Self) => Protocol<T>): Op<T> {
  if (caller instanceof Runtime) return new OutsideOp(caller, make);
  if (!isSelf(caller)) throw invalidInput('caller', "a process's self or a Runtime", caller);
  return new ProcessOp(caller, make);
}

function isSelf(value: unknown): value is Self {
  return typeof value === 'object' && value !== null && typeof (value as Self).receive === 'function' && typeof (value as Self).alias === 'function';
}

export function isOp(value: unknown): value is Op<unknown> {
  return value instanceof ProcessOp || value instanceof OutsideOp;
}

/** Whether {@link settle} has anything to wait for (checked first so plain results cost no generator). */
export function needsSettle(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { next?: unknown; then?: unknown };
  return typeof v.then === 'function' || typeof v.next === 'function';
}

/**
 * Waits, inside a generator process, for whatever a callback returned: a generator (run with
 * `yield*`), an {@link Op}, or a promise (`self.await`); any other value is the result itself.
 */
export function* settle(self: Self, value: unknown): Generator<unknown, unknown, unknown> {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof ProcessOp) return yield* value;
  const v = value as { next?: unknown; then?: unknown; [Symbol.iterator]?: unknown };
  if (typeof v.next === 'function' && typeof v[Symbol.iterator] === 'function') {
    return yield* value as Generator<unknown, unknown, unknown>;
  }
  if (typeof v.then === 'function') return yield* self.await(value as PromiseLike<unknown>);
  return value;
}
