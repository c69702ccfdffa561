import type { Pid, Ref } from './pid.ts';
import type { ExitReason } from './exit-reason.ts';
import type { Scheduler } from './scheduler.ts';
import type { Runtime } from './runtime.ts';
import { invalidInput } from './errors.ts';
import { validateReason } from './exit-reason.ts';
import { isDown } from './messages.ts';
import { validateBody, validateDestination, validateTimeout, validatePattern } from './validate.ts';
import { isModuleRef, type ModuleRef } from './module-ref.ts';
import { demonitor, link, monitor, unlink } from './links-monitors.ts';
import { SeqTable } from './seq-table.ts';
import { Mailbox, NO_MATCH } from './mailbox.ts';

/** What a receive that timed out resolves to. */
export const TIMEOUT: unique symbol = Symbol('kairos.timeout');
export type Timeout = typeof TIMEOUT;

/**
 * A pending receive: `await` it in an async process, `yield*` it in a generator process.
 * Both forms wait on the same mailbox with the same rules.
 */
export interface Receive<T> extends PromiseLike<T> {
  [Symbol.iterator](): Iterator<unknown, T, unknown>;
}

/** `timeout` in ms: `Infinity` (the default) waits forever, `0` polls. */
export interface ReceiveOptions {
  readonly timeout?: number;
}

export interface DemonitorOptions {
  /** Also remove a DOWN message for this monitor already in the mailbox (Erlang's `flush`). */
  readonly flush?: boolean;
  /** Accepted for Erlang familiarity: `demonitor` always returns whether the monitor was active. */
  readonly info?: boolean;
}

/** A process body: an async function, or a generator function for the fast, dense form. */
export type Body<A extends unknown[] = any[]> =
  | ((self: Self, ...args: A) => Promise<unknown>)
  | ((self: Self, ...args: A) => Generator<unknown, unknown, unknown>)
  | ((self: Self, ...args: A) => unknown);

const NO_ARGS: unknown[] = [];

export const FLAG_TRAP_EXIT = 1;
export const FLAG_GENERATOR = 2;
export const FLAG_QUEUED = 4;
export const FLAG_DEAD = 8;
export const FLAG_TIMED_OUT = 16;
export const FLAG_AWAIT_FAILED = 32;
export const FLAG_AWAIT_SETTLED = 64;
export const FLAG_TIMER_ARMED = 128;
/** `pending` holds a message handed to a generator process waiting in a receive without a pattern. */
export const FLAG_INLINE = 0x800;

/** A process's scheduling state sits in these bits of its `flags` (one field fewer per process). */
const STATE_MASK = 0x700;
export const ST_NEW = 0;
export const ST_RUNNABLE = 0x100;
export const ST_RUNNING = 0x200;
export const ST_WAITING = 0x300;
export const ST_AWAITING = 0x400;
export const ST_DEAD = 0x500;

/** One monitor, shared by the watcher's `monitors` and the target's `monitoredBy` (one object per monitor). */
export interface MonitorEntry {
  readonly ref: Ref;
  readonly watcher: Pid;
  readonly target: Pid;
  /** The registered name the monitor was set by; its DOWN then names it, as Erlang's does. */
  readonly name?: string;
}

/**
 * The handle a process body receives as `self`: its pid and every operation a process may
 * perform (Erlang's BIFs that act on the calling process). Only the process itself should call
 * these; `receive` from any other code is an error.
 */
export interface Self {
  readonly pid: Pid;
  readonly runtime: Runtime;
  receive(): Receive<unknown>;
  receive<T>(pattern: (msg: unknown) => msg is T): Receive<T>;
  receive(pattern: (msg: unknown) => boolean): Receive<unknown>;
  receive<R>(pattern: (msg: unknown) => R | undefined | false): Receive<R>;
  receive(pattern: null | undefined, options: ReceiveOptions): Receive<unknown>;
  receive<T>(pattern: (msg: unknown) => msg is T, options: ReceiveOptions): Receive<T | Timeout>;
  receive(pattern: (msg: unknown) => boolean, options: ReceiveOptions): Receive<unknown>;
  receive<R>(pattern: (msg: unknown) => R | undefined | false, options: ReceiveOptions): Receive<R | Timeout>;
  /** Waits for a promise (`yield* self.await(p)` in a generator; in an async body `await p` is the same). */
  await<T>(promise: PromiseLike<T> | T): Receive<T>;
  /** Waits `ms` milliseconds; messages stay in the mailbox. */
  sleep(ms: number): Receive<unknown>;
  /** Sends to a pid, a registered name, or an active alias (messages to an inactive alias are dropped). */
  send(to: Pid | Ref | string, msg: unknown): void;
  /** Creates a process alias (`alias/0`): messages sent to it reach this process until {@link Self.unalias}. */
  alias(): Ref;
  /** Deactivates an alias of this process (`unalias/1`); returns whether it was active. */
  unalias(ref: Ref): boolean;
  /** Context attached to this process's crash report (the runtime's `crash` event), e.g. last message and state. */
  setCrashInfo(info: Record<string, unknown> | undefined): void;
  /** Spawns a function (on this scheduler) or a module reference (on any scheduler). */
  spawn<A extends unknown[]>(body: Body<A> | ModuleRef, ...args: A): Pid;
  spawnLink<A extends unknown[]>(body: Body<A> | ModuleRef, ...args: A): Pid;
  spawnMonitor<A extends unknown[]>(body: Body<A> | ModuleRef, ...args: A): { pid: Pid; ref: Ref };
  link(pid: Pid): void;
  unlink(pid: Pid): void;
  monitor(target: Pid | string): Ref;
  demonitor(ref: Ref, options?: DemonitorOptions): boolean;
  exit(reason: ExitReason): never;
  exit(pid: Pid, reason: ExitReason): void;
  trapExit(flag: boolean): boolean;
  processFlag(flag: 'trapExit', value: boolean): boolean;
  register(name: string): void;
  unregister(name: string): void;
  whereis(name: string): Pid | undefined;
  isAlive(pid: Pid): boolean;
  makeRef(): Ref;
}

/** Thrown through a process body to end it: by `self.exit(reason)` (catchable, as exit/1 is) or after a kill. */
export class ProcessExit {
  readonly reason: ExitReason;
  constructor(reason: ExitReason) {
    this.reason = reason;
  }
}

/**
 * One process: its state, mailbox, links and monitors, and the {@link Self} API.
 * Fields are packed and lazily allocated so an idle process stays small.
 */
export class Proc implements Self {
  declare readonly pid: Pid;
  declare readonly sched: Scheduler;
  /** FLAG_* bits, and the state (ST_*) in the bits of STATE_MASK. */
  declare flags: number;
  /** The body (async form, until the first run), or the generator built from it at spawn (generator form). */
  declare code: Body | Generator<unknown, unknown, unknown> | null;
  /** Made at the first queued message (see {@link Mailbox}). */
  declare mbox: Mailbox | null;
  declare pattern: ((msg: unknown) => unknown) | null;
  /**
   * When the pending receive times out (clock ms), or null for none. Null rather than Infinity: a
   * field that starts as a number is boxed in its own heap object in every process.
   */
  declare deadline: number | null;
  declare reductions: number;
  /**
   * What the process resumes with, by form and state (one field, where three would each be
   * empty most of the time): its start arguments until its first run, in both forms; then, in
   * the async form, the function that settles its pending receive (a failure is passed as a
   * rejecting thenable); in the generator form, the value it awaits, then what that settled
   * with, or (with FLAG_INLINE) the message its receive will take, ahead of any in `mbox`.
   * Null when there is none.
   */
  declare pending: unknown;
  /** Linked pids: most processes have none or one, held directly; a few sit in an array. */
  declare links: OneOrMany<Pid>;
  /** The monitors this process set, by ref. */
  declare monitors: SeqTable<MonitorEntry> | null;
  /** Monitors on this process, by ref: one is held directly, a few in an array. */
  declare monitoredBy: OneOrMany<MonitorEntry>;
  /**
   * The registered name. A field, not a side table entry: a table keyed by pid makes register
   * and unregister about 1.7x slower (a hash insert and delete each) to save 8 bytes a process.
   */
  declare name: string | undefined;

  /**
   * Not called: processes are made by {@link newProc}, which builds the same fields with an
   * object literal. V8 tracks how long objects from a literal's allocation site survive and,
   * once most of them do (a burst of spawns of long-lived processes), allocates them straight in
   * old space instead of copying each one through two scavenges; `new` gets no such tracking.
   */
  private constructor() {
    throw new Error('Proc: use newProc');
  }

  get runtime(): Runtime {
    return this.sched.runtime;
  }

  /** The scheduling state (ST_*). */
  get state(): number {
    return this.flags & STATE_MASK;
  }

  set state(state: number) {
    this.flags = (this.flags & ~STATE_MASK) | state;
  }

  get alive(): boolean {
    return (this.flags & FLAG_DEAD) === 0;
  }

  get trapping(): boolean {
    return (this.flags & FLAG_TRAP_EXIT) !== 0;
  }

  get mailboxLength(): number {
    return (this.mbox === null ? 0 : this.mbox.length) + ((this.flags & FLAG_INLINE) === 0 ? 0 : 1);
  }

  // ---- links and watchers (one-or-map sets) ---------------------------------------------

  addLink(pid: Pid): void {
    this.links = setAdd(this.links, pid.key, pid, pidKeyOf);
  }

  /** Removes the link to the pid with this key; false when there was none. */
  removeLink(key: number): boolean {
    const next = setDelete(this.links, key, pidKeyOf);
    if (next === undefined) return false;
    this.links = next;
    return true;
  }

  linkList(): Pid[] {
    return setValues(this.links);
  }

  addMonitor(entry: MonitorEntry): void {
    (this.monitors ??= this.sched.refTable(refKeyOf)).set(entry.ref.key, entry);
  }

  addWatcher(entry: MonitorEntry): void {
    this.monitoredBy = setAdd(this.monitoredBy, entry.ref.key, entry, refKeyOf);
  }

  removeWatcher(refKey: number): void {
    const next = setDelete(this.monitoredBy, refKey, refKeyOf);
    if (next !== undefined) this.monitoredBy = next;
  }

  watcherList(): MonitorEntry[] {
    return setValues(this.monitoredBy);
  }

  // ---- mailbox -------------------------------------------------------------------------

  push(msg: unknown): void {
    if (this.mbox === null) this.mbox = new Mailbox(msg);
    else this.mbox.push(msg);
  }

  /** Takes the first message the pending pattern accepts, or returns NO_MATCH. */
  take(): unknown {
    if ((this.flags & FLAG_INLINE) !== 0) {
      // Handed to this very receive (it has no pattern): the process resumes in it, so no
      // other receive, and no other code of the process, can run while the flag is set.
      const msg = this.pending;
      this.pending = null;
      this.flags &= ~FLAG_INLINE;
      return msg;
    }
    return this.mbox === null ? NO_MATCH : this.mbox.take(this.pattern);
  }

  /** Removes every message `match` accepts (demonitor flush). */
  removeAll(match: (msg: unknown) => boolean): void {
    this.mbox?.removeAll(match);
  }

  // ---- Self ----------------------------------------------------------------------------

  receive(pattern?: ((msg: unknown) => unknown) | null, options?: ReceiveOptions): Receive<any> {
    validatePattern(pattern);
    const timeout = options === undefined ? Infinity : validateTimeout(options);
    return this.sched.beginReceive(this, pattern ?? null, timeout);
  }

  await<T>(promise: PromiseLike<T> | T): Receive<T> {
    return this.sched.beginAwait(this, promise) as Receive<T>;
  }

  sleep(ms: number): Receive<unknown> {
    const timeout = validateTimeout({ timeout: ms }, 'ms');
    return this.sched.beginReceive(this, rejectAll, timeout);
  }

  send(to: Pid | Ref | string, msg: unknown): void {
    this.checkAlive();
    this.sched.send(this, validateDestination(to, 'to', true, true), msg);
  }

  alias(): Ref {
    this.checkAlive();
    return this.sched.alias(this);
  }

  unalias(ref: Ref): boolean {
    this.checkAlive();
    return this.sched.unalias(this, validateRef(ref));
  }

  setCrashInfo(info: Record<string, unknown> | undefined): void {
    if (info !== undefined && (typeof info !== 'object' || info === null)) throw invalidInput('info', 'an object or undefined', info);
    this.sched.setCrashInfo(this, info);
  }

  spawn<A extends unknown[]>(body: Body<A> | ModuleRef, ...args: A): Pid {
    this.checkAlive();
    if (isModuleRef(body)) return this.runtime.spawnRef(body, args, null, null).pid;
    return this.sched.spawn(validateBody(body), args, null).pid;
  }

  spawnLink<A extends unknown[]>(body: Body<A> | ModuleRef, ...args: A): Pid {
    this.checkAlive();
    if (isModuleRef(body)) return this.runtime.spawnRef(body, args, this, null).pid;
    return this.sched.spawn(validateBody(body), args, this).pid;
  }

  spawnMonitor<A extends unknown[]>(body: Body<A> | ModuleRef, ...args: A): { pid: Pid; ref: Ref } {
    this.checkAlive();
    if (isModuleRef(body)) {
      const spawned = this.runtime.spawnRef(body, args, null, this);
      return { pid: spawned.pid, ref: spawned.ref! };
    }
    const child = this.sched.spawn(validateBody(body), args, null);
    return { pid: child.pid, ref: monitor(this.sched, this, child.pid) };
  }

  link(pid: Pid): void {
    this.checkAlive();
    link(this.sched, this, validateDestination(pid, 'pid', false));
  }

  unlink(pid: Pid): void {
    this.checkAlive();
    unlink(this.sched, this, validateDestination(pid, 'pid', false));
  }

  monitor(target: Pid | string): Ref {
    this.checkAlive();
    return monitor(this.sched, this, validateDestination(target, 'target'));
  }

  demonitor(ref: Ref, options?: DemonitorOptions): boolean {
    this.checkAlive();
    const active = demonitor(this.sched, this, validateRef(ref));
    if (options?.flush) this.removeAll((m) => isDown(m) && ref.equals(m.ref));
    return active;
  }

  exit(reason: ExitReason): never;
  exit(pid: Pid, reason: ExitReason): void;
  exit(a: unknown, b?: unknown): void {
    this.checkAlive();
    if (arguments.length < 2) throw new ProcessExit(validateReason('reason', a));
    const to = validateDestination(a, 'pid', false);
    this.sched.sendExit(this.pid, to, validateReason('reason', b), false);
    this.checkAlive();
  }

  trapExit(flag: boolean): boolean {
    return this.processFlag('trapExit', flag);
  }

  processFlag(flag: 'trapExit', value: boolean): boolean {
    this.checkAlive();
    if (flag !== 'trapExit') throw invalidInput('flag', "'trapExit'", flag);
    if (typeof value !== 'boolean') throw invalidInput('value', 'a boolean', value);
    const previous = this.trapping;
    this.flags = value ? this.flags | FLAG_TRAP_EXIT : this.flags & ~FLAG_TRAP_EXIT;
    return previous;
  }

  register(name: string): void {
    this.checkAlive();
    this.runtime.register(name, this.pid);
  }

  unregister(name: string): void {
    this.runtime.unregister(name);
  }

  whereis(name: string): Pid | undefined {
    return this.runtime.whereis(name);
  }

  isAlive(pid: Pid): boolean {
    return this.runtime.isAlive(pid);
  }

  makeRef(): Ref {
    return this.sched.makeRef();
  }

  /** A killed process's code must not act: any further call unwinds it. */
  private checkAlive(): void {
    if ((this.flags & FLAG_DEAD) !== 0) throw new ProcessExit('killed');
  }
}

/**
 * Every process shares this prototype, whatever its scheduler: a prototype per scheduler (to
 * hold `sched` there rather than in each process) gives each runtime's processes their own
 * hidden class, and a thread that has run a few runtimes then runs megamorphic code (a ring on
 * a fifth runtime in one process: 11 -> 3 M msg/s).
 */
const PROC_PROTO: object = Proc.prototype;

/** A new process (see the note on {@link Proc}'s constructor for why a literal). */
export function newProc(sched: Scheduler, pid: Pid, body: Body, args: unknown[], generator: boolean): Proc {
  return {
    __proto__: PROC_PROTO,
    pid,
    sched,
    flags: generator ? FLAG_GENERATOR | ST_NEW : ST_NEW,
    code: body,
    mbox: null,
    pattern: null,
    deadline: null,
    reductions: 0,
    // An empty argument list is dropped at once, so it dies young instead of waiting for the first run.
    pending: args.length === 0 ? NO_ARGS : args,
    links: null,
    monitors: null,
    monitoredBy: null,
    name: undefined,
  } as unknown as Proc;
}

function pidKeyOf(pid: Pid): number {
  return pid.key;
}

function refKeyOf(entry: MonitorEntry): number {
  return entry.ref.key;
}

/** Sets of up to this many values are arrays (scanned); larger ones are maps. */
const SMALL_SET = 16;

/**
 * A set of links or watchers: empty, one value held directly (most processes), a small array
 * (no hashing for the few links of most linked processes), or a `Map` (a supervisor's children).
 */
type OneOrMany<V> = V | V[] | Map<number, V> | null;

function setAdd<V extends object>(set: OneOrMany<V>, key: number, value: V, keyOf: (v: V) => number): OneOrMany<V> {
  if (set === null) return value;
  if (set instanceof Map) return set.set(key, value);
  if (!Array.isArray(set)) return keyOf(set) === key ? value : [set, value];
  for (let i = 0; i < set.length; i++) {
    if (keyOf(set[i]!) !== key) continue;
    set[i] = value;
    return set;
  }
  if (set.length < SMALL_SET) {
    set.push(value);
    return set;
  }
  const map = new Map<number, V>();
  for (const v of set) map.set(keyOf(v), v);
  return map.set(key, value);
}

/** The set without `key`, or undefined when `key` was not in it. */
function setDelete<V extends object>(set: OneOrMany<V>, key: number, keyOf: (v: V) => number): OneOrMany<V> | undefined {
  if (set === null) return undefined;
  if (set instanceof Map) return set.delete(key) ? (set.size === 0 ? null : set) : undefined;
  if (!Array.isArray(set)) return keyOf(set) === key ? null : undefined;
  for (let i = 0; i < set.length; i++) {
    if (keyOf(set[i]!) !== key) continue;
    if (set.length === 2) return set[1 - i]!;
    set[i] = set[set.length - 1]!;
    set.pop();
    return set;
  }
  return undefined;
}

function setValues<V extends object>(set: OneOrMany<V>): V[] {
  if (set === null) return [];
  if (set instanceof Map) return [...set.values()];
  return Array.isArray(set) ? set.slice() : [set];
}

function rejectAll(): boolean {
  return false;
}

function validateRef(ref: unknown): Ref {
  if (typeof ref !== 'object' || ref === null || typeof (ref as Ref).equals !== 'function' || !String(ref).startsWith('#Ref<')) {
    throw invalidInput('ref', 'a Ref returned by monitor()', ref);
  }
  return ref as Ref;
}

