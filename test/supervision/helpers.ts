import type { ExecutionContext } from 'ava';
import { Runtime, ManualClock, isKairosError, type ExitReason, type Pid, type Self } from '../../runtime/index.ts';

/** A failure bound so a broken behaviour fails a test with a message instead of hanging it. */
const PATIENCE_MS = 10_000;

/** How long an absence check waits on the real clock: the one allowed use of real time. */
export const QUIET_MS = 20;

export function makeRuntime(t: ExecutionContext, clock?: ManualClock): Runtime {
  const rt = new Runtime(clock === undefined ? { schedulers: 1 } : { schedulers: 1, clock });
  t.teardown(() => rt.shutdown());
  return rt;
}

export function withPatience<T>(promise: PromiseLike<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), PATIENCE_MS);
  });
  return Promise.race([Promise.resolve(promise), bound]).finally(() => clearTimeout(timer));
}

export function exitOf(rt: Runtime, pid: Pid): Promise<ExitReason> {
  return withPatience(rt.wait(pid), `${String(pid)} to exit`);
}

/** Runs a generator body as a process; resolves with what it returned, rejects with its exit reason otherwise. */
export async function inProcess<T>(rt: Runtime, body: (self: Self) => Generator<unknown, T, unknown>): Promise<T> {
  let out: { value: T } | undefined;
  const pid = rt.spawn(function* (self: Self) {
    out = { value: yield* body(self) };
  });
  const reason = await exitOf(rt, pid);
  if (out === undefined) throw new Error(`test process ${String(pid)} exited with ${JSON.stringify(reason)}`);
  return out.value;
}

/** Resolves once `condition` holds, checking after each turn of the event loop. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > PATIENCE_MS) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resolves once `pid` is parked in a receive (so a manual clock can be moved past its deadline). */
export function parked(rt: Runtime, pid: Pid): Promise<void> {
  return until(() => rt.processInfo(pid)?.status === 'waiting', `${String(pid)} waits in receive`);
}

/** Asserts that `promise` rejects with a KairosError with `code`; returns the error. */
export async function rejectsWith(t: ExecutionContext, promise: PromiseLike<unknown>, code: string): Promise<Record<string, any>> {
  try {
    await withPatience(promise, `a rejection with ${code}`);
  } catch (err) {
    t.true(isKairosError(err, code), `expected KairosError ${code}, got ${String(err)} ${JSON.stringify(err)}`);
    return err as Record<string, any>;
  }
  t.fail(`expected a KairosError with code ${code}, but it resolved`);
  return {};
}

/**
 * A test-side mailbox: a process that keeps what it receives, from which the test takes
 * messages selectively (fixtures report what they do to its pid).
 */
export class Inbox {
  readonly pid: Pid;
  private readonly queue: unknown[] = [];
  private wakers: Array<() => void> = [];

  constructor(rt: Runtime) {
    this.pid = rt.spawn(async (self: Self) => {
      for (;;) {
        this.queue.push(await self.receive());
        const wakers = this.wakers;
        this.wakers = [];
        for (const wake of wakers) wake();
      }
    });
  }

  take<T = any>(pattern: (msg: any) => boolean = () => true): Promise<T> {
    return withPatience(this.takeEventually<T>(pattern), 'a message in the test inbox');
  }

  /** The next `n` messages matching `pattern`, in arrival order. */
  async takeN<T = any>(n: number, pattern: (msg: any) => boolean = () => true): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(await this.take<T>(pattern));
    return out;
  }

  /** True when no message matching `pattern` arrives within {@link QUIET_MS}. */
  async quiet(pattern: (msg: any) => boolean = () => true): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    return !this.queue.some(pattern);
  }

  private async takeEventually<T>(pattern: (msg: any) => boolean): Promise<T> {
    for (;;) {
      const i = this.queue.findIndex(pattern);
      if (i >= 0) return this.queue.splice(i, 1)[0] as T;
      await new Promise<void>((resolve) => this.wakers.push(resolve));
    }
  }
}

/** Matches a fixture's event report: `{ event, id }`. */
export function event(name: string, id?: string): (msg: any) => boolean {
  return (m) => typeof m === 'object' && m !== null && m.event === name && (id === undefined || m.id === id);
}
