/** Serials are packed with the scheduler index into one safe integer key. */
export const SERIAL_SPAN = 2 ** 40;

/**
 * A process identifier: which scheduler hosts the process and its serial there.
 * Immutable; compare with {@link Pid.equals} or by {@link Pid.key}, never with `===`
 * (a pid that crossed a thread is a new object).
 */
export class Pid {
  readonly scheduler: number;
  readonly serial: number;
  /** The live process object for a pid minted by its own scheduler: a lookup without a table probe. */
  #local: unknown = undefined;

  constructor(scheduler: number, serial: number) {
    this.scheduler = scheduler;
    this.serial = serial;
  }

  /** @internal Binds the pid its scheduler minted to the process it names. */
  bindLocal(proc: unknown): void {
    this.#local = proc;
  }

  /** @internal The process bound with {@link Pid.bindLocal}, if any. */
  get local(): unknown {
    return this.#local;
  }

  /** A number unique per process in one runtime, for use as a `Map` key. */
  get key(): number {
    return this.scheduler * SERIAL_SPAN + this.serial;
  }

  equals(other: unknown): boolean {
    return other instanceof Pid && other.serial === this.serial && other.scheduler === this.scheduler;
  }

  toString(): string {
    return `<${this.scheduler}.${this.serial}.0>`;
  }

  toJSON(): string {
    return this.toString();
  }

  static fromKey(key: number): Pid {
    return new Pid(Math.floor(key / SERIAL_SPAN), key % SERIAL_SPAN);
  }
}

/** A unique reference (monitor refs, call tags), printed like the BEAM's `#Ref<0.0.7>`. */
export class Ref {
  readonly scheduler: number;
  readonly serial: number;

  constructor(scheduler: number, serial: number) {
    this.scheduler = scheduler;
    this.serial = serial;
  }

  get key(): number {
    return this.scheduler * SERIAL_SPAN + this.serial;
  }

  equals(other: unknown): boolean {
    return other instanceof Ref && other.serial === this.serial && other.scheduler === this.scheduler;
  }

  toString(): string {
    return `#Ref<${this.scheduler}.0.${this.serial}>`;
  }

  toJSON(): string {
    return this.toString();
  }
}

export function isPid(value: unknown): value is Pid {
  return value instanceof Pid;
}

export function isRef(value: unknown): value is Ref {
  return value instanceof Ref;
}
