import { SERIAL_SPAN } from './pid.ts';

/** Keys more than this far past the array's end go to the map rather than growing it. */
const MAX_GAP = 4096;
/** The array is never cut below this many slots. */
const MIN_CUT = 4096;
/** A key far ahead of an array holding at most this many entries moves the array there. */
const FEW = 8;

/**
 * A table keyed by numbers that are mostly handed out in increasing order, without hashing in
 * the common case: a scheduler's processes by serial, a process's monitors by ref key. Keys
 * `keyBase + seq * stride + offset` (below `keyBase + 2^40`) have a sequence number; other keys
 * (a serial another scheduler allocated) do not. `keyOf` gives an entry's key. Entries with
 * sequence numbers sit in an array indexed by `seq - base`, and removing one just clears its
 * slot: deleting from a `Map` costs ~150 ns here, and a `Map` with churn (an insert for every
 * delete) rehashes itself over and over (~300 ns per insert and delete measured). The array's
 * front is cut off once it is mostly holes; the few entries still alive there move to a `Map`,
 * which also holds keys without a sequence number and keys far from the array.
 */
export class SeqTable<V> {
  private slots: (V | undefined)[] = [];
  /** The sequence number of `slots[0]`. */
  private base = 0;
  /** Slots before this index are all holes. */
  private head = 0;
  /** Live entries in `slots`. */
  private inSlots = 0;
  private old: Map<number, V> | null = null;

  constructor(
    private readonly keyOf: (v: V) => number,
    private readonly keyBase: number,
    private readonly stride: number,
    private readonly offset: number,
  ) {}

  get size(): number {
    return this.old === null ? this.inSlots : this.inSlots + this.old.size;
  }

  get(key: number): V | undefined {
    const i = this.seqOf(key) - this.base;
    if (i >= 0 && i < this.slots.length) {
      const v = this.slots[i];
      if (v !== undefined) return v;
    }
    return this.old === null ? undefined : this.old.get(key);
  }

  /** Adds or replaces the entry under `key`. */
  set(key: number, v: V): void {
    const seq = this.seqOf(key);
    let slots = this.slots;
    if (seq >= 0 && (this.inSlots === 0 || (this.inSlots <= FEW && seq - this.base > slots.length + MAX_GAP))) {
      // The array is empty, or holds a few entries far behind this key: start it afresh here.
      if (this.inSlots !== 0) this.moveToMap(slots.length);
      if (slots.length !== 0) this.slots = slots = [];
      this.base = seq;
      this.head = 0;
    }
    const i = seq - this.base;
    if (seq < 0 || i < 0 || i > slots.length + MAX_GAP) {
      (this.old ??= new Map()).set(key, v);
      return;
    }
    while (slots.length < i) slots.push(undefined);
    if (i === slots.length) slots.push(v);
    else if (slots[i] !== undefined) {
      slots[i] = v;
      return;
    } else slots[i] = v;
    this.inSlots++;
    // A key can be in the map from before the array reached it: keep one copy.
    if (this.old !== null) this.old.delete(key);
    // Mostly holes (entries that outlived thousands added after them): move the front half's
    // survivors to the map and cut it off.
    if (slots.length >= 2 * MIN_CUT && this.inSlots * 4 < slots.length) this.cut(slots.length >> 1);
  }

  /** Removes the entry under `key` and returns it (undefined when there was none). */
  remove(key: number): V | undefined {
    const slots = this.slots;
    const i = this.seqOf(key) - this.base;
    const v = i >= 0 && i < slots.length ? slots[i] : undefined;
    if (v !== undefined) {
      slots[i] = undefined;
      this.inSlots--;
      if (i === this.head) {
        let h = i + 1;
        while (h < slots.length && slots[h] === undefined) h++;
        this.head = h;
        if (h >= MIN_CUT && h * 2 >= slots.length) this.cut(h);
      }
      return v;
    }
    const old = this.old;
    if (old === null) return undefined;
    const found = old.get(key);
    if (found !== undefined) old.delete(key);
    return found;
  }

  *values(): IterableIterator<V> {
    for (const v of this.slots) if (v !== undefined) yield v;
    if (this.old !== null) yield* this.old.values();
  }

  /** The sequence number of `key`, or -1 for a key of another form. */
  private seqOf(key: number): number {
    const d = key - this.keyBase - this.offset;
    if (d < 0 || d >= SERIAL_SPAN) return -1;
    if (this.stride === 1) return d;
    return d % this.stride === 0 ? d / this.stride : -1;
  }

  clear(): void {
    this.slots = [];
    this.base = 0;
    this.head = 0;
    this.inSlots = 0;
    this.old = null;
  }

  /** Drops the first `n` slots, moving any entry still in them to the map. */
  private cut(n: number): void {
    this.moveToMap(n);
    this.slots = this.slots.slice(n);
    this.base += n;
    let h = 0;
    while (h < this.slots.length && this.slots[h] === undefined) h++;
    this.head = h;
  }

  /** Moves the entries in the first `n` slots to the map. */
  private moveToMap(n: number): void {
    const slots = this.slots;
    for (let i = this.head; i < n; i++) {
      const v = slots[i];
      if (v === undefined) continue;
      (this.old ??= new Map()).set(this.keyOf(v), v);
      slots[i] = undefined;
      this.inSlots--;
    }
  }
}
