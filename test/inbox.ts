import type { Pid, Runtime, Self } from '../runtime/index.ts';
import { QUIET_MS, withPatience } from './waiting.ts';

/** A receive pattern as the runtime takes it: `true` takes the message, a value extracts, `false`/`undefined` leaves it. */
export type Pattern = (msg: any) => unknown;

function applyPattern(pattern: Pattern | undefined, msg: unknown): { value: unknown } | undefined {
  if (!pattern) return { value: msg };
  const out = pattern(msg);
  if (out === false || out === undefined) return undefined;
  return { value: out === true ? msg : out };
}

/**
 * A test-side mailbox: a process (on the runtime's calling thread) that keeps everything it
 * receives, from which the test takes messages with the same selective-receive rules as a
 * process. Fixtures report what they do to its pid.
 */
export class Inbox {
  readonly pid: Pid;
  private readonly queue: unknown[] = [];
  private wakers: Array<() => void> = [];

  constructor(readonly rt: Runtime) {
    this.pid = rt.spawn(async (self: Self) => {
      for (;;) {
        this.queue.push(await self.receive());
        const wakers = this.wakers;
        this.wakers = [];
        for (const wake of wakers) wake();
      }
    });
  }

  /** The first message matching `pattern` (any message without one), waiting if needed. */
  take<T = any>(pattern?: Pattern): Promise<T> {
    return withPatience(this.takeEventually<T>(pattern), 'a message in the test inbox');
  }

  /** The next `n` messages matching `pattern`, in arrival order. */
  async takeN<T = any>(n: number, pattern?: Pattern): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(await this.take<T>(pattern));
    return out;
  }

  /** True when a message matching `pattern` is already here (it stays here). */
  has(pattern?: Pattern): boolean {
    return this.scan(pattern, false) !== undefined;
  }

  /** True when no message matching `pattern` arrives within {@link QUIET_MS}. */
  async quiet(pattern?: Pattern): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    return this.queue.every((msg) => !applyPattern(pattern, msg));
  }

  get size(): number {
    return this.queue.length;
  }

  private async takeEventually<T>(pattern?: Pattern): Promise<T> {
    for (;;) {
      const found = this.scan(pattern, true);
      if (found) return found.value as T;
      await new Promise<void>((resolve) => this.wakers.push(resolve));
    }
  }

  private scan(pattern: Pattern | undefined, remove: boolean): { value: unknown } | undefined {
    for (let i = 0; i < this.queue.length; i++) {
      const hit = applyPattern(pattern, this.queue[i]);
      if (hit) {
        if (remove) this.queue.splice(i, 1);
        return hit;
      }
    }
    return undefined;
  }
}

export { applyPattern };
