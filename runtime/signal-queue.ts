import type { Pid, Ref } from './pid.ts';
import type { ExitReason } from './exit-reason.ts';

const WIDTH = 6;

export const SIG_EXIT = 0;
export const SIG_DOWN = 1;
/** One entry standing for an exit signal from one dying process to each of its many links. */
const FAN_EXIT = 2;
/** One entry standing for a DOWN from one dying process to each of its many watchers. */
const FAN_DOWN = 3;

/** What a DOWN fan-out iterates: the dying process's monitor entries. */
interface Watcher {
  readonly ref: Ref;
  readonly watcher: Pid;
}

/** The exit reason of every process a dead scheduler hosted. */
export function schedulerDownReason(k: number): ExitReason {
  return { scheduler_down: k };
}

/**
 * Exit and DOWN signals waiting to be delivered, six slots per signal in one flat array, so
 * queuing a signal allocates nothing (a 100,000-process cascade queues 100,000 of them). A
 * process that dies with many links or watchers queues one fan-out entry that yields its
 * signals one by one in place, in the same order and at the same position in the queue as
 * separate entries would (a root with 100,000 links would otherwise grow the queue by 600,000
 * slots at once).
 */
export class SignalQueue {
  // Slots are reused in place: truncating the array (`length = 0`) would free its backing store
  // and make the next signal allocate a new one.
  private slots: unknown[] = [];
  private head = 0;
  private tail = 0;
  // Read by the scheduler while delivering the signal last taken with shift().
  kind = 0;
  to: Pid | null = null;
  from: Pid | string = '';
  reason: ExitReason = 'normal';
  link = false;
  ref: Ref | null = null;

  get length(): number {
    return (this.tail - this.head) / WIDTH;
  }

  push(kind: number, to: Pid, from: Pid | string, reason: ExitReason, link: boolean, ref: Ref | null): void {
    const s = this.slots;
    const t = this.tail;
    if (t === s.length) s.push(kind, to, from, reason, link, ref);
    else {
      s[t] = kind;
      s[t + 1] = to;
      s[t + 2] = from;
      s[t + 3] = reason;
      s[t + 4] = link;
      s[t + 5] = ref;
    }
    this.tail = t + WIDTH;
  }

  /** Queues an exit signal from `from` to every pid `links` holds (the set must no longer change). */
  pushExitFanOut(from: Pid, reason: ExitReason, links: Iterable<Pid>): void {
    this.push(FAN_EXIT, null as unknown as Pid, from, reason, true, null);
    this.slots[this.tail - 5] = links[Symbol.iterator]();
  }

  /** Queues a DOWN from `from` to the watcher of every entry `watchers` holds (the set must no longer change). */
  pushDownFanOut(from: Pid, reason: ExitReason, watchers: Iterable<Watcher>): void {
    this.push(FAN_DOWN, null as unknown as Pid, from, reason, false, null);
    this.slots[this.tail - 5] = watchers[Symbol.iterator]();
  }

  /** Takes the oldest signal into the fields above; false when the queue is empty. */
  shift(): boolean {
    const s = this.slots;
    let h = this.head;
    while (h !== this.tail && (s[h] === FAN_EXIT || s[h] === FAN_DOWN)) {
      const next = (s[h + 1] as Iterator<Pid | Watcher>).next();
      if (next.done !== true) {
        this.from = s[h + 2] as Pid;
        this.reason = s[h + 3] as ExitReason;
        if (s[h] === FAN_EXIT) {
          this.kind = SIG_EXIT;
          this.to = next.value as Pid;
          this.link = true;
          this.ref = null;
        } else {
          this.kind = SIG_DOWN;
          this.to = (next.value as Watcher).watcher;
          this.link = false;
          this.ref = (next.value as Watcher).ref;
        }
        return true;
      }
      for (let i = 0; i < WIDTH; i++) s[h + i] = undefined;
      h = this.head = h + WIDTH;
    }
    if (h === this.tail) {
      this.clear();
      return false;
    }
    this.kind = s[h] as number;
    this.to = s[h + 1] as Pid;
    this.from = s[h + 2] as Pid | string;
    this.reason = s[h + 3] as ExitReason;
    this.link = s[h + 4] as boolean;
    this.ref = s[h + 5] as Ref | null;
    for (let i = 0; i < WIDTH; i++) s[h + i] = undefined;
    this.head = h + WIDTH;
    if (this.head === this.tail) this.clear();
    return true;
  }

  clear(): void {
    // A cascade can leave a large backing store: drop it rather than keep it forever.
    if (this.slots.length > 4096) this.slots = [];
    else if (this.head !== this.tail) this.slots.fill(undefined, this.head, this.tail);
    this.head = 0;
    this.tail = 0;
  }
}
