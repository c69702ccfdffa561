/**
 * A binary min-heap of (due time, item, token) kept in parallel arrays, so arming a receive
 * timeout allocates no object. Cancellation is lazy: the owner changes the item's token and
 * {@link TimerHeap.compact} drops stale entries once they outnumber live ones.
 */
export class TimerHeap<T> {
  private due: number[] = [];
  private items: T[] = [];
  private tokens: number[] = [];
  private stale = 0;

  get size(): number {
    return this.due.length;
  }

  push(due: number, item: T, token: number): void {
    let i = this.due.length;
    this.due.push(due);
    this.items.push(item);
    this.tokens.push(token);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.due[parent]! <= due) break;
      this.move(parent, i);
      i = parent;
    }
    this.place(i, due, item, token);
  }

  /** Due time of the earliest entry, or `Infinity` when empty. */
  peekDue(): number {
    return this.due.length > 0 ? this.due[0]! : Infinity;
  }

  peekItem(): T {
    return this.items[0]!;
  }

  peekToken(): number {
    return this.tokens[0]!;
  }

  /** Removes the earliest entry. */
  pop(): void {
    const last = this.due.length - 1;
    const due = this.due[last]!;
    const item = this.items[last]!;
    const token = this.tokens[last]!;
    this.due.pop();
    this.items.pop();
    this.tokens.pop();
    if (last > 0) this.siftDown(0, due, item, token);
  }

  /** Notes that one entry went stale; rebuilds without stale entries when they dominate. */
  markStale(isLive: (item: T, token: number) => boolean): void {
    this.stale++;
    if (this.stale > 1024 && this.stale * 2 > this.due.length) this.compact(isLive);
  }

  compact(isLive: (item: T, token: number) => boolean): void {
    const entries: { due: number; item: T; token: number }[] = [];
    for (let i = 0; i < this.due.length; i++) {
      if (isLive(this.items[i]!, this.tokens[i]!)) entries.push({ due: this.due[i]!, item: this.items[i]!, token: this.tokens[i]! });
    }
    this.due = [];
    this.items = [];
    this.tokens = [];
    this.stale = 0;
    for (const e of entries) this.push(e.due, e.item, e.token);
  }

  clear(): void {
    this.due = [];
    this.items = [];
    this.tokens = [];
    this.stale = 0;
  }

  private siftDown(i: number, due: number, item: T, token: number): void {
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
    this.place(i, due, item, token);
  }

  private move(from: number, to: number): void {
    this.due[to] = this.due[from]!;
    this.items[to] = this.items[from]!;
    this.tokens[to] = this.tokens[from]!;
  }

  private place(i: number, due: number, item: T, token: number): void {
    this.due[i] = due;
    this.items[i] = item;
    this.tokens[i] = token;
  }
}
