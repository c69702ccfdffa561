/**
 * A min-queue of (due time, item) kept in parallel arrays, so arming a receive timeout allocates
 * no object. Entries that arrive in due order (the common case: the same timeout, armed over
 * time) go to a sorted run, a FIFO with O(1) push and pop; the others go to a binary heap; the
 * earliest of the two heads comes out first. Cancellation is lazy: the owner decides from an
 * entry's item and due time whether it still stands, and {@link TimerHeap.compact} drops those
 * that do not once they outnumber the others.
 */
export class TimerHeap<T> {
  private due: number[] = [];
  private items: T[] = [];
  /** The sorted run: entries `runHead` and on are live, in due order. */
  private runDue: number[] = [];
  private runItems: (T | null)[] = [];
  private runHead = 0;
  private stale = 0;
  /** The due time of the entry {@link TimerHeap.popDue} last returned. */
  poppedDue = 0;

  get size(): number {
    return this.due.length + this.runDue.length - this.runHead;
  }

  push(due: number, item: T): void {
    const runEnd = this.runDue.length;
    if (runEnd === this.runHead || this.runDue[runEnd - 1]! <= due) {
      this.runDue.push(due);
      this.runItems.push(item);
      return;
    }
    let i = this.due.length;
    this.due.push(due);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.due[parent]! <= due) break;
      this.move(parent, i);
      i = parent;
    }
    this.place(i, due, item);
  }

  /** Due time of the earliest entry, or `Infinity` when empty. */
  peekDue(): number {
    const heap = this.due.length > 0 ? this.due[0]! : Infinity;
    return this.runHead < this.runDue.length ? Math.min(this.runDue[this.runHead]!, heap) : heap;
  }

  /**
   * Removes and returns the earliest entry's item if it is due by `now` (its due time is left
   * in {@link TimerHeap.poppedDue}), else returns undefined and removes nothing.
   */
  popDue(now: number): T | undefined {
    const runHead = this.runHead;
    const heapDue = this.due.length > 0 ? this.due[0]! : Infinity;
    if (runHead < this.runDue.length && this.runDue[runHead]! <= heapDue) {
      const due = this.runDue[runHead]!;
      if (due > now) return undefined;
      const item = this.runItems[runHead]!;
      this.poppedDue = due;
      this.shiftRun();
      return item;
    }
    if (heapDue > now) return undefined;
    const item = this.items[0]!;
    this.poppedDue = heapDue;
    this.popHeap();
    return item;
  }

  /** Removes the heap's earliest entry. */
  private popHeap(): void {
    const last = this.due.length - 1;
    const due = this.due[last]!;
    const item = this.items[last]!;
    this.due.pop();
    this.items.pop();
    if (last > 0) this.siftDown(0, due, item);
  }

  /** Notes that one entry went stale; rebuilds without stale entries when they dominate. */
  markStale(isLive: (item: T, due: number) => boolean): void {
    this.stale++;
    if (this.stale > 1024 && this.stale * 2 > this.due.length) this.compact(isLive);
  }

  compact(isLive: (item: T, due: number) => boolean): void {
    const entries: { due: number; item: T }[] = [];
    for (let i = 0; i < this.due.length; i++) {
      if (isLive(this.items[i]!, this.due[i]!)) entries.push({ due: this.due[i]!, item: this.items[i]! });
    }
    let kept = 0;
    for (let i = this.runHead; i < this.runDue.length; i++) {
      const item = this.runItems[i]!;
      if (!isLive(item, this.runDue[i]!)) continue;
      this.runDue[kept] = this.runDue[i]!;
      this.runItems[kept] = item;
      kept++;
    }
    this.truncateRun(kept);
    this.due = [];
    this.items = [];
    this.stale = 0;
    for (const e of entries) this.push(e.due, e.item);
  }

  clear(): void {
    this.due = [];
    this.items = [];
    this.runDue = [];
    this.runItems = [];
    this.runHead = 0;
    this.stale = 0;
  }

  private shiftRun(): void {
    this.runItems[this.runHead] = null;
    this.runHead++;
    const n = this.runDue.length;
    if (this.runHead === n) this.truncateRun(0);
    else if (this.runHead >= 1024 && this.runHead * 2 >= n) {
      // Slide the live part down so the arrays do not grow with a dead prefix.
      const head = this.runHead;
      for (let i = head; i < n; i++) {
        this.runDue[i - head] = this.runDue[i]!;
        this.runItems[i - head] = this.runItems[i]!;
      }
      this.truncateRun(n - head);
    }
  }

  /** Keeps the run's first `n` slots as its entries (from index 0). */
  private truncateRun(n: number): void {
    this.runDue.length = n;
    this.runItems.length = n;
    this.runHead = 0;
  }

  private siftDown(i: number, due: number, item: T): void {
    const n = this.due.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.due[right]! < this.due[left]! ? right : left;
      if (this.due[child]! >= due) break;
      this.move(child, i);
      i = child;
    }
    this.place(i, due, item);
  }

  private move(from: number, to: number): void {
    this.due[to] = this.due[from]!;
    this.items[to] = this.items[from]!;
  }

  private place(i: number, due: number, item: T): void {
    this.due[i] = due;
    this.items[i] = item;
  }
}
