/** What {@link Mailbox.take} returns when no message is accepted. */
export const NO_MATCH: unique symbol = Symbol('kairos.no_match');

/**
 * The messages queued for one process, oldest first. A process gets one at its first queued
 * message: a message handed straight to a waiting receive needs none, so most idle processes
 * never have one, and they do not carry its indexes either.
 */
export class Mailbox {
  private items: unknown[];
  private head = 0;
  private tail = 1;
  /** Where the current receive's scan resumes: earlier messages were already rejected by its pattern. */
  private scan = 0;

  constructor(first: unknown) {
    // Most processes hold one message at a time: start with room for exactly one.
    this.items = [first];
  }

  get length(): number {
    return this.tail - this.head;
  }

  push(msg: unknown): void {
    const items = this.items;
    if (this.tail === items.length) items.push(msg);
    else items[this.tail] = msg;
    this.tail++;
  }

  /** A new receive starts: its pattern has rejected no message yet. */
  restartScan(): void {
    this.scan = this.head;
  }

  /**
   * Takes the first message `pattern` accepts (any message when null), scanning from where this
   * receive's last scan stopped, or returns NO_MATCH. A pattern's result other than `true`
   * (and `false`/`undefined`, which reject) is returned in place of the message.
   */
  take(pattern: ((msg: unknown) => unknown) | null): unknown {
    const items = this.items;
    let i = this.scan > this.head ? this.scan : this.head;
    const end = this.tail;
    if (pattern === null) {
      if (i === end) return NO_MATCH;
      const msg = items[i];
      this.removeAt(i);
      return msg;
    }
    for (; i < end; i++) {
      const msg = items[i];
      const r = pattern(msg);
      if (r === false || r === undefined) continue;
      this.removeAt(i);
      return r === true ? msg : r;
    }
    this.scan = end;
    return NO_MATCH;
  }

  /** Removes every message `match` accepts (demonitor flush). */
  removeAll(match: (msg: unknown) => boolean): void {
    for (let i = this.tail - 1; i >= this.head; i--) if (match(this.items[i])) this.removeAt(i);
  }

  private removeAt(i: number): void {
    const items = this.items;
    if (i === this.head) {
      items[i] = undefined;
      this.head++;
      if (this.head === this.tail) {
        this.head = 0;
        this.tail = 0;
      } else if (this.head > 1024 && this.head * 2 > items.length) {
        this.compact();
      }
      return;
    }
    // A plain loop: Array.prototype.copyWithin costs ~30 ns per element here, the loop a few.
    const end = this.tail - 1;
    for (let j = i; j < end; j++) items[j] = items[j + 1];
    this.tail = end;
    items[end] = undefined;
  }

  private compact(): void {
    const items = this.items;
    const head = this.head;
    const n = this.tail - head;
    for (let j = 0; j < n; j++) items[j] = items[head + j];
    items.length = n;
    this.scan = Math.max(0, this.scan - head);
    this.head = 0;
    this.tail = n;
  }
}
