/** Serials more than this far past the array's end go to the map rather than growing it. */
const MAX_GAP = 4096;
/** The array is never cut below this many slots. */
const MIN_CUT = 4096;

/**
 * A table keyed by serial numbers that are mostly handed out in increasing order (serials
 * `seq * stride + offset`), without hashing in the common case: a scheduler's processes by
 * serial, a process's monitors by ref. Recent entries sit in an array indexed by `seq - base`,
 * and removing one just clears its slot: deleting from a `Map` costs ~150 ns here, and a `Map`
 * with churn (an insert for every delete) rehashes itself over and over (~300 ns per insert
 * and delete measured). The array's front is cut off once it is mostly holes; the few entries
 * still alive there move to a `Map`, which also holds serials of other forms (a process whose
 * serial another scheduler allocated) and serials far ahead of the array.
 */
export class SeqTable<P> {
  private slots: (P | undefined)[] = [];
  /** The sequence number of `slots[0]`. */
  private base = 0;
  /** Slots before this index are all holes. */
  private head = 0;
  /** Live processes in `slots`. */
  private inSlots = 0;
  private old: Map<number, P> | null = null;

  /** Serials this scheduler allocates are `seq * stride + offset`. */
  constructor(
    private readonly stride: number,
    private readonly offset: number,
  ) {}

  get size(): number {
    return this.old === null ? this.inSlots : this.inSlots + this.old.size;
  }

  get(serial: number): P | undefined {
    const i = this.seqOf(serial) - this.base;
    if (i >= 0 && i < this.slots.length) {
      const p = this.slots[i];
      if (p !== undefined) return p;
    }
    return this.old === null ? undefined : this.old.get(serial);
  }

  /** Adds an entry under a new serial (serials are never reused). */
  add(serial: number, p: P): void {
    const seq = this.seqOf(serial);
    let slots = this.slots;
    if (this.inSlots === 0 && seq >= 0) {
      // Nothing lives in the array: start it afresh at this serial.
      if (slots.length !== 0) this.slots = slots = [];
      this.base = seq;
      this.head = 0;
    }
    const i = seq - this.base;
    if (seq < 0 || i < 0 || i > slots.length + MAX_GAP) {
      (this.old ??= new Map()).set(serial, p);
      return;
    }
    while (slots.length < i) slots.push(undefined);
    if (i === slots.length) slots.push(p);
    else slots[i] = p;
    this.inSlots++;
    // Mostly holes (processes that outlived thousands spawned after them): move the front
    // half's survivors to the map and cut it off.
    if (slots.length >= 2 * MIN_CUT && this.inSlots * 4 < slots.length) this.cut(slots.length >> 1, true);
  }

  /** Removes the entry under `serial`, if any. */
  remove(serial: number): void {
    const slots = this.slots;
    const seq = this.seqOf(serial);
    const i = seq - this.base;
    if (seq >= 0 && i >= 0 && i < slots.length && slots[i] !== undefined) {
      slots[i] = undefined;
      this.inSlots--;
      if (i === this.head) {
        let h = i + 1;
        while (h < slots.length && slots[h] === undefined) h++;
        this.head = h;
        if (h >= MIN_CUT && h * 2 >= slots.length) this.cut(h, false);
      }
      return;
    }
    this.old?.delete(serial);
  }

  *values(): IterableIterator<P> {
    for (const p of this.slots) if (p !== undefined) yield p;
    if (this.old !== null) yield* this.old.values();
  }

  clear(): void {
    this.slots = [];
    this.base = 0;
    this.head = 0;
    this.inSlots = 0;
    this.old = null;
  }

  /** The sequence number of a serial this scheduler allocated, or -1 for another's. */
  private seqOf(serial: number): number {
    const d = serial - this.offset;
    if (this.stride === 1) return d;
    return d % this.stride === 0 ? d / this.stride : -1;
  }

  /** Drops the first `n` slots, moving any entry still in them to the map. */
  private cut(n: number, keep: boolean): void {
    const slots = this.slots;
    if (keep) {
      const old = (this.old ??= new Map());
      for (let i = this.head; i < n; i++) {
        const p = slots[i];
        if (p === undefined) continue;
        old.set((this.base + i) * this.stride + this.offset, p);
        this.inSlots--;
      }
    }
    this.slots = slots.slice(n);
    this.base += n;
    let h = 0;
    while (h < this.slots.length && this.slots[h] === undefined) h++;
    this.head = h;
  }
}
