import type { Pid, Ref } from './pid.ts';
import type { ExitReason } from './exit-reason.ts';

const WIDTH = 6;

export const SIG_EXIT = 0;
export const SIG_DOWN = 1;

/** The exit reason of every process a dead scheduler hosted. */
export function schedulerDownReason(k: number): ExitReason {
  return { scheduler_down: k };
}

/**
 * Exit and DOWN signals waiting to be delivered, six slots per signal in one flat array, so
 * queuing a signal allocates nothing (a 100,000-process cascade queues 100,000 of them).
 */
export class SignalQueue {
  private slots: unknown[] = [];
  private head = 0;
  // Read by the scheduler while delivering the signal last taken with shift().
  kind = 0;
  to: Pid | null = null;
  from: Pid | string = '';
  reason: ExitReason = 'normal';
  link = false;
  ref: Ref | null = null;

  get length(): number {
    return (this.slots.length - this.head) / WIDTH;
  }

  push(kind: number, to: Pid, from: Pid | string, reason: ExitReason, link: boolean, ref: Ref | null): void {
    this.slots.push(kind, to, from, reason, link, ref);
  }

  /** Takes the oldest signal into the fields above; false when the queue is empty. */
  shift(): boolean {
    const s = this.slots;
    const h = this.head;
    if (h === s.length) return false;
    this.kind = s[h] as number;
    this.to = s[h + 1] as Pid;
    this.from = s[h + 2] as Pid | string;
    this.reason = s[h + 3] as ExitReason;
    this.link = s[h + 4] as boolean;
    this.ref = s[h + 5] as Ref | null;
    for (let i = 0; i < WIDTH; i++) s[h + i] = undefined;
    this.head = h + WIDTH;
    if (this.head === s.length) this.clear();
    return true;
  }

  clear(): void {
    // A cascade can leave a large backing store: drop it rather than keep it forever.
    if (this.slots.length > 4096) this.slots = [];
    else this.slots.length = 0;
    this.head = 0;
  }
}
