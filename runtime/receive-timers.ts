import { TimerHeap } from './timer-heap.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { FLAG_DEAD, FLAG_TIMER_ARMED, type Proc } from './process.ts';

/**
 * The receive timeouts of one scheduler: one heap of deadlines driven by a single host timer
 * armed for the earliest (never a `setTimeout` per waiting process). Cancelling is lazy: a
 * finished receive clears the process's armed flag and its heap entry goes stale. An entry
 * stands while its process is armed for a receive due at the entry's due time: an entry left by
 * an earlier receive that happens to share the current one's deadline fires at exactly the
 * right moment, and the entry the current receive added then finds it disarmed.
 */
export class ReceiveTimers {
  private readonly heap = new TimerHeap<Proc>();
  private hostTimer: TimerHandle | undefined = undefined;
  private armedAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly expire: (p: Proc) => void,
  ) {}

  /** Arms `p.deadline` unless it is infinite or already armed for this receive. */
  arm(p: Proc): void {
    const deadline = p.deadline;
    if (deadline === null || (p.flags & FLAG_TIMER_ARMED) !== 0) return;
    p.flags |= FLAG_TIMER_ARMED;
    this.heap.push(deadline, p);
    if (deadline < this.armedAt) this.armHost();
  }

  /** The receive ended (or the process died) before its deadline. */
  disarm(p: Proc): void {
    if ((p.flags & FLAG_TIMER_ARMED) === 0) return;
    p.flags &= ~FLAG_TIMER_ARMED;
    this.heap.markStale(isTimerLive);
  }

  stop(): void {
    this.stopped = true;
    this.heap.clear();
    if (this.hostTimer !== undefined) this.clock.clearTimer(this.hostTimer);
    this.hostTimer = undefined;
  }

  private armHost(): void {
    if (this.hostTimer !== undefined) this.clock.clearTimer(this.hostTimer);
    this.hostTimer = undefined;
    const due = this.heap.peekDue();
    this.armedAt = due;
    if (due === Infinity || this.stopped) return;
    this.hostTimer = this.clock.setTimer(this.fire, Math.max(0, due - this.clock.now()));
  }

  private readonly fire = (): void => {
    this.hostTimer = undefined;
    this.armedAt = Infinity;
    const now = this.clock.now();
    const heap = this.heap;
    let p: Proc | undefined;
    while ((p = heap.popDue(now)) !== undefined) {
      if (!isTimerLive(p, heap.poppedDue)) continue;
      p.flags &= ~FLAG_TIMER_ARMED;
      this.expire(p);
    }
    this.armHost();
  };
}

function isTimerLive(p: Proc, due: number): boolean {
  return (p.flags & (FLAG_DEAD | FLAG_TIMER_ARMED)) === FLAG_TIMER_ARMED && p.deadline === due;
}
