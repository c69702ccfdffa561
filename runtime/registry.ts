import { invalidInput } from './errors.ts';
import { Pid } from './pid.ts';

/**
 * The name table behind register/whereis. One per runtime; with several schedulers it lives
 * in shared memory so every thread sees the same names at once.
 */
export interface NameTable {
  /** Inserts `name` unless it is taken; returns false when taken. */
  insert(name: string, pid: Pid): boolean;
  lookup(name: string): Pid | undefined;
  /** Removes `name` (only if it still names `pid`, when given); returns whether it did. */
  remove(name: string, pid?: Pid): boolean;
  names(): string[];
}

/** The single-scheduler table: a Map holding the processes' own pid objects (one probe per whereis). */
export class MapNameTable implements NameTable {
  private readonly map = new Map<string, Pid>();

  insert(name: string, pid: Pid): boolean {
    if (this.map.has(name)) return false;
    this.map.set(name, pid);
    return true;
  }

  lookup(name: string): Pid | undefined {
    return this.map.get(name);
  }

  remove(name: string, pid?: Pid): boolean {
    if (pid !== undefined && !pid.equals(this.map.get(name))) return false;
    return this.map.delete(name);
  }

  names(): string[] {
    return [...this.map.keys()];
  }
}

/** Longest registered name, in UTF-8 bytes, when the table is shared between threads. */
export const MAX_SHARED_NAME_BYTES = 64;
const EMPTY = 0;
const FULL = 1;
const TOMBSTONE = 2;

export interface SharedNameTableBuffers {
  readonly lock: SharedArrayBuffer;
  readonly meta: SharedArrayBuffer;
  readonly pids: SharedArrayBuffer;
  readonly names: SharedArrayBuffer;
}

/**
 * An open-addressing hash table in SharedArrayBuffers, guarded by one Atomics lock, so
 * register/whereis are atomic and immediately visible on every scheduler thread.
 * Capacity is fixed at creation (names beyond it fail with `invalid_input`).
 */
export class SharedNameTable implements NameTable {
  readonly buffers: SharedNameTableBuffers;
  private readonly lock: Int32Array;
  /** Per slot: [state, hash, byte length]. */
  private readonly meta: Int32Array;
  private readonly pids: Float64Array;
  private readonly bytes: Uint8Array;
  private readonly capacity: number;
  private readonly scratch = new Uint8Array(MAX_SHARED_NAME_BYTES * 3);
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(buffers?: SharedNameTableBuffers, capacity = 1 << 16) {
    this.buffers = buffers ?? {
      lock: new SharedArrayBuffer(4),
      meta: new SharedArrayBuffer(capacity * 12),
      pids: new SharedArrayBuffer(capacity * 8),
      names: new SharedArrayBuffer(capacity * MAX_SHARED_NAME_BYTES),
    };
    this.lock = new Int32Array(this.buffers.lock);
    this.meta = new Int32Array(this.buffers.meta);
    this.pids = new Float64Array(this.buffers.pids);
    this.bytes = new Uint8Array(this.buffers.names);
    this.capacity = this.pids.length;
  }

  insert(name: string, pid: Pid): boolean {
    const pidKey = pid.key;
    const len = this.encode(name);
    return this.locked(() => {
      const hash = hashOf(this.scratch, len);
      if (this.find(hash, len) >= 0) return false;
      let free = -1;
      for (let i = 0, slot = hash & (this.capacity - 1); i < this.capacity; i++, slot = (slot + 1) & (this.capacity - 1)) {
        const state = this.meta[slot * 3]!;
        if (state !== FULL) {
          free = slot;
          break;
        }
      }
      if (free < 0) throw invalidInput('name', `a name while fewer than ${this.capacity} names are registered`, name);
      this.meta[free * 3] = FULL;
      this.meta[free * 3 + 1] = hash;
      this.meta[free * 3 + 2] = len;
      this.bytes.set(this.scratch.subarray(0, len), free * MAX_SHARED_NAME_BYTES);
      this.pids[free] = pidKey;
      return true;
    });
  }

  lookup(name: string): Pid | undefined {
    const len = this.encode(name);
    const key = this.locked(() => {
      const slot = this.find(hashOf(this.scratch, len), len);
      return slot < 0 ? undefined : this.pids[slot];
    });
    return key === undefined ? undefined : Pid.fromKey(key);
  }

  remove(name: string, pid?: Pid): boolean {
    const pidKey = pid?.key;
    const len = this.encode(name);
    return this.locked(() => {
      const slot = this.find(hashOf(this.scratch, len), len);
      if (slot < 0 || (pidKey !== undefined && this.pids[slot] !== pidKey)) return false;
      this.meta[slot * 3] = TOMBSTONE;
      return true;
    });
  }

  names(): string[] {
    return this.locked(() => {
      const out: string[] = [];
      for (let slot = 0; slot < this.capacity; slot++) {
        if (this.meta[slot * 3] !== FULL) continue;
        const start = slot * MAX_SHARED_NAME_BYTES;
        out.push(this.decoder.decode(this.bytes.slice(start, start + this.meta[slot * 3 + 2]!)));
      }
      return out;
    });
  }

  private encode(name: string): number {
    const { read, written } = this.encoder.encodeInto(name, this.scratch);
    if (read !== name.length || written > MAX_SHARED_NAME_BYTES) {
      throw invalidInput('name', `at most ${MAX_SHARED_NAME_BYTES} UTF-8 bytes when several schedulers share the registry`, name);
    }
    return written;
  }

  /** Slot holding the name in `scratch[0..len)`, or -1; probing stops at the first never-used slot. */
  private find(hash: number, len: number): number {
    for (let i = 0, slot = hash & (this.capacity - 1); i < this.capacity; i++, slot = (slot + 1) & (this.capacity - 1)) {
      const state = this.meta[slot * 3]!;
      if (state === EMPTY) return -1;
      if (state === FULL && this.meta[slot * 3 + 1] === hash && this.meta[slot * 3 + 2] === len && this.sameBytes(slot, len)) return slot;
    }
    return -1;
  }

  private sameBytes(slot: number, len: number): boolean {
    const start = slot * MAX_SHARED_NAME_BYTES;
    for (let i = 0; i < len; i++) if (this.bytes[start + i] !== this.scratch[i]) return false;
    return true;
  }

  private locked<T>(fn: () => T): T {
    while (Atomics.compareExchange(this.lock, 0, 0, 1) !== 0) Atomics.wait(this.lock, 0, 1, 1);
    try {
      return fn();
    } finally {
      Atomics.store(this.lock, 0, 0);
      Atomics.notify(this.lock, 0, 1);
    }
  }
}

function hashOf(bytes: Uint8Array, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h | 0;
}
