/** A handle returned by {@link Clock.setTimer}, passed back to cancel it. */
export type TimerHandle = unknown;

/**
 * The source of time and host timers for everything that waits: receive timeouts, restart
 * intensity windows, durable timers. Inject a {@link ManualClock} to drive time in tests.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (fractions allowed). */
  now(): number;
  /** Calls `callback` once, `ms` from now (ms may exceed setTimeout's 24.8-day ceiling). */
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** setTimeout's largest delay; longer waits re-arm on expiry. */
const MAX_HOST_DELAY = 2 ** 31 - 1;

interface LongTimer {
  host: ReturnType<typeof setTimeout> | undefined;
}

/** The real clock: `performance.now()` and `setTimeout`, with waits longer than 24.8 days chained. */
export class SystemClock implements Clock {
  now(): number {
    return performance.now();
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const handle: LongTimer = { host: undefined };
    const due = this.now() + ms;
    const arm = (): void => {
      const left = due - this.now();
      if (left > MAX_HOST_DELAY) {
        handle.host = setTimeout(arm, MAX_HOST_DELAY);
      } else {
        handle.host = setTimeout(callback, Math.max(0, left));
      }
    };
    arm();
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    const h = handle as LongTimer;
    if (h.host !== undefined) clearTimeout(h.host);
    h.host = undefined;
  }
}

interface ManualTimer {
  due: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told: `advance(ms)` fires every timer that falls due, in due
 * order, so receive timeouts and restart windows can be tested without sleeping.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: ManualTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = { due: this.current + Math.max(0, ms), callback, cancelled: false };
    this.timers.push(timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    (handle as ManualTimer).cancelled = true;
  }

  /** Moves time forward by `ms`, firing due timers in order (each sees `now()` at its due time). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: ManualTimer | undefined;
      for (const t of this.timers) if (t.due <= target && (!next || t.due < next.due)) next = t;
      if (!next) break;
      next.cancelled = true;
      this.current = Math.max(this.current, next.due);
      next.callback();
    }
    this.current = target;
  }

  /** How many timers are armed (for tests that check timers are freed). */
  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
