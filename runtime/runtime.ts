import { availableParallelism } from 'node:os';
import { EventEmitter } from 'eventemitter3';
import { Pid, Ref } from './pid.ts';
import { KairosError, invalidInput } from './errors.ts';
import { serializeError, validateReason, type ExitReason, type SerializedError } from './exit-reason.ts';
import { SystemClock, type Clock } from './clock.ts';
import { Scheduler } from './scheduler.ts';
import { schedulerDownReason } from './signal-queue.ts';
import { ST_AWAITING, ST_NEW, ST_RUNNABLE, ST_RUNNING, ST_WAITING, type Body, type Proc } from './process.ts';
import { validateBody, validateDestination, validateName } from './validate.ts';
import { MapNameTable, SharedNameTable, type NameTable } from './registry.ts';
import { ModuleCache, isModuleRef, resolveModuleRef, type ModuleRef, type ResolvedModuleRef } from './module-ref.ts';
import { R_DIRTY, R_DIRTY_REPLY, R_DOWN_SCHED, R_EVENT, R_READY, R_STOP, Router } from './router.ts';
import { SchedulerEndpoint, type ControlHost } from './remote-handler.ts';
import { Cluster, type SchedulerTask } from './cluster.ts';
import { DirtyPool } from './dirty-pool.ts';
import { downOf } from './messages.ts';
import { monitor, schedulerDown } from './links-monitors.ts';
import { assertSendable } from './codec.ts';

/** A crash (an exit other than `normal`, `shutdown` or `{ shutdown: term }`), as OTP's crash reports describe it. */
export interface CrashReport {
  readonly pid: Pid;
  readonly reason: ExitReason;
  readonly registeredName?: string;
  /** What the process attached with `self.setCrashInfo` (a gen-server's last message and state). */
  readonly info?: Record<string, unknown>;
}

/** Events on {@link Runtime.events} (from every scheduler, delivered on the thread that owns the runtime). */
export interface RuntimeEvents {
  spawn: [pid: Pid];
  exit: [pid: Pid, reason: ExitReason];
  crash: [report: CrashReport];
  /** A scheduler thread died; every process it hosted exited with `{ scheduler_down: index }`. */
  scheduler_down: [index: number, error: SerializedError];
}

export interface RuntimeOptions {
  /** How many schedulers: scheduler 0 runs on the calling thread, the others on a piscina pool. @default the number of cores */
  readonly schedulers?: number;
  /** Source of time for receive timeouts on scheduler 0 (other schedulers use the real clock). @default a SystemClock */
  readonly clock?: Clock;
  /** Reductions a process may use before it is preempted at its next receive. @default 2000 */
  readonly budget?: number;
  /** Milliseconds a scheduler runs before yielding to the event loop. @default 2 */
  readonly sliceMs?: number;
  /** Print crash reports to stderr. @default false */
  readonly logCrashes?: boolean;
}

/** What {@link Runtime.processInfo} reports, as `erlang:process_info/1` does. */
export interface ProcessInfo {
  readonly pid: Pid;
  readonly status: 'running' | 'runnable' | 'waiting';
  readonly messageQueueLen: number;
  readonly links: Pid[];
  readonly monitors: { readonly ref: Ref; readonly pid: Pid | string }[];
  readonly monitoredBy: Pid[];
  readonly trapExit: boolean;
  readonly registeredName?: string;
}

/** The pseudo-process that calls made from outside any process come from (`<0.0.0>`). */
export const OUTSIDE = new Pid(0, 0);

const EV_SPAWN = 0;
const EV_EXIT = 1;
const EV_CRASH = 2;

interface Request {
  readonly op: 'alive' | 'info' | 'processes' | 'register' | 'unname';
  readonly serial?: number;
  readonly name?: string;
}

/**
 * A Kairos runtime: owns its schedulers, the name registry, timers and the event emitter.
 * Everything the BEAM offers a process from outside any process is here; what a process does
 * to itself is on its {@link Self}. With several schedulers, processes spawned from a module
 * reference are placed round-robin over the live schedulers (or on `ref.scheduler`); plain
 * functions always run on the caller's scheduler.
 *
 * @example
 * const rt = new Runtime({ schedulers: 1 });
 * const echo = rt.spawn(function* (self) {
 *   for (;;) { const m = (yield* self.receive()) as { from: Pid; text: string }; self.send(m.from, m.text); }
 * });
 * await rt.shutdown();
 */
export class Runtime implements ControlHost {
  readonly clock: Clock;
  readonly events = new EventEmitter<RuntimeEvents>();
  /** How many schedulers this runtime has. */
  readonly schedulers: number;
  private readonly scheduler: Scheduler;
  private readonly names: NameTable;
  private readonly router: Router | null;
  private readonly cluster: Cluster | null = null;
  private readonly dirtyPool: DirtyPool | null;
  private closed = false;
  private placement = 0;
  private nextDirty = 1;
  private readonly dirtyCalls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private stopWorker: (() => void) | null = null;
  /** `wait` callers for pids on other schedulers; answered `'killed'` at shutdown, as local ones are. */
  private readonly remoteWaits = new Set<(reason: ExitReason) => void>();
  private readonly booted: Promise<void>;
  private markBooted: () => void = () => {};

  constructor(options: RuntimeOptions = {}, worker?: SchedulerTask) {
    if (typeof options !== 'object' || options === null) throw invalidInput('options', 'an object', options);
    const budget = options.budget ?? worker?.budget ?? 2000;
    if (!Number.isInteger(budget) || budget < 1) throw invalidInput('options.budget', 'a positive integer', budget);
    const sliceMs = options.sliceMs ?? worker?.sliceMs ?? 2;
    if (typeof sliceMs !== 'number' || !(sliceMs > 0)) throw invalidInput('options.sliceMs', 'a positive number', sliceMs);
    const count = worker?.count ?? options.schedulers ?? availableParallelism();
    if (!Number.isInteger(count) || count < 1 || count > 256) throw invalidInput('options.schedulers', 'an integer from 1 to 256', count);
    this.schedulers = count;
    this.clock = worker === undefined ? (options.clock ?? new SystemClock()) : new SystemClock();
    const index = worker?.index ?? 0;
    this.dirtyPool = worker === undefined ? new DirtyPool() : null;
    this.scheduler = new Scheduler(this, index, this.clock, { budget, sliceMs, count });
    this.scheduler.modules = new ModuleCache();
    this.booted = new Promise((resolve) => {
      this.markBooted = resolve;
    });
    if (count === 1) {
      this.markBooted();
      this.names = new MapNameTable();
      this.router = null;
    } else {
      const shared = new SharedNameTable(worker?.names);
      this.names = shared;
      if (worker === undefined) this.cluster = new Cluster(count, shared.buffers, budget, sliceMs, (k, err) => this.schedulerDown(k, err));
      this.router = new Router(index, count, worker?.ports ?? this.cluster!.ports0);
      this.scheduler.router = this.router;
      this.router.attach(new SchedulerEndpoint(this.scheduler, this));
      if (worker !== undefined) {
        this.forwardEvents();
        for (let k = 0; k < count; k++) if (k !== index) this.router.post(k, R_READY, index, 0);
      }
    }
    if (options.logCrashes) {
      this.events.on('crash', (r) => console.error(`[kairos] crash ${r.pid}${r.registeredName ? ` (${r.registeredName})` : ''}:`, r.reason));
    }
  }

  /**
   * Resolves once every scheduler thread has booted. Spawning, sending, linking and
   * monitoring work at once; synchronous questions about processes on other schedulers
   * (`processInfo`, `isAlive`, `processes`, `register` of their pids) need their thread up.
   */
  ready(): Promise<void> {
    return this.booted;
  }

  /** @internal Hosts scheduler `task.index` on this worker thread until the runtime stops it. */
  static bootWorker(task: SchedulerTask): Promise<void> {
    return new Promise((resolve) => {
      const rt = new Runtime({}, task);
      rt.stopWorker = resolve;
    });
  }

  /**
   * Starts a process running `body(self, ...args)` (Erlang's `spawn`); returns its pid at once.
   * `body` is a function (runs on this thread's scheduler) or a {@link ModuleRef} (placed on any
   * scheduler; its arguments are copied).
   * @throws invalid_input, shutting_down
   */
  spawn<A extends unknown[]>(body: Body<A> | ModuleRef, ...args: A): Pid {
    this.checkOpen('spawn');
    if (isModuleRef(body)) return this.spawnRef(body, args, null, null).pid;
    return this.scheduler.spawn(validateBody(body), args, null).pid;
  }

  /** @internal Spawns from a module reference, optionally linked to or monitored by a local process. */
  spawnRef(ref: ModuleRef, args: unknown[], linkTo: Proc | null, watcher: Proc | null): { pid: Pid; ref: Ref | null } {
    const resolved = resolveModuleRef(ref, 'body');
    let target = ref.scheduler;
    if (target === undefined) target = this.place();
    else if (!Number.isInteger(target) || target < 0 || target >= this.schedulers) {
      throw invalidInput('body.scheduler', `an integer from 0 to ${this.schedulers - 1}`, target);
    }
    return this.scheduler.spawnModule(resolved, args, target, linkTo, watcher);
  }

  /** Round-robin over the live schedulers. */
  private place(): number {
    for (let i = 0; i < this.schedulers; i++) {
      const k = this.placement++ % this.schedulers;
      if (this.router === null || !this.router.down[k]) return k;
    }
    return this.scheduler.index;
  }

  /** Sends `msg` to a pid, registered name or alias; never blocks, never fails for a dead pid. @throws not_registered, invalid_input */
  send(to: Pid | Ref | string, msg: unknown): void {
    this.checkOpen('send');
    this.scheduler.send(null, validateDestination(to, 'to', true, true), msg);
  }

  /** Sends an exit signal from outside any process (`exit/2`, sender {@link OUTSIDE}). */
  exit(pid: Pid, reason: ExitReason): void {
    this.checkOpen('exit');
    const to = validateDestination(pid, 'pid', false);
    this.scheduler.sendExit(OUTSIDE, to, validateReason('reason', reason), false);
  }

  /** Resolves with `pid`'s exit reason once it exits (`'noproc'` when it is not alive). */
  wait(pid: Pid): Promise<ExitReason> {
    this.checkOpen('wait');
    const target = validateDestination(pid, 'pid', false);
    if (!this.scheduler.isRemote(target)) return this.scheduler.waitFor(target);
    return new Promise((resolve) => {
      // The monitor is set before this call returns, so it is ordered before any later signal.
      let ref: Ref;
      const remoteWaits = this.remoteWaits;
      remoteWaits.add(resolve);
      const watcher = this.scheduler.spawn(function* watch(self) {
        const down = yield* self.receive(downOf(ref));
        remoteWaits.delete(resolve);
        resolve(down.reason);
      }, [], null);
      ref = monitor(this.scheduler, watcher, target);
    });
  }

  /** Registers `name` for `pid` (`register/2`). @throws name_taken, already_registered, noproc, invalid_input */
  register(name: string, pid: Pid): void {
    this.checkOpen('register');
    validateName(name);
    const target = validateDestination(pid, 'pid', false);
    if (this.scheduler.isRemote(target)) {
      this.callRemote(target.scheduler, { op: 'register', name, serial: target.serial });
      return;
    }
    this.registerLocal(name, this.scheduler.lookup(target), target);
  }

  private registerLocal(name: string, p: Proc | undefined, pid: Pid): void {
    if (p === undefined) {
      if (this.names.lookup(name) !== undefined) throw nameTaken(name);
      throw new KairosError('noproc', `register: ${pid} is not alive`, { pid: String(pid) });
    }
    if (p.name !== undefined) {
      if (this.names.lookup(name) !== undefined && p.name !== name) throw nameTaken(name);
      throw new KairosError('already_registered', `register: ${pid} is already registered as ${JSON.stringify(p.name)}`, { pid: String(pid) });
    }
    if (!this.names.insert(name, p.pid)) throw nameTaken(name);
    p.name = name;
  }

  /** Removes a registered name (`unregister/1`). @throws not_registered */
  unregister(name: string): void {
    this.checkOpen('unregister');
    validateName(name);
    const pid = this.names.lookup(name);
    if (pid !== undefined && this.scheduler.isRemote(pid)) this.router!.assertReady(pid.scheduler);
    if (pid === undefined || !this.names.remove(name, pid)) {
      throw new KairosError('not_registered', `unregister: no process is registered as ${JSON.stringify(name)}`, { name });
    }
    if (this.scheduler.isRemote(pid)) this.callRemote(pid.scheduler, { op: 'unname', serial: pid.serial, name });
    else this.unname(this.scheduler.lookup(pid), name);
  }

  private unname(p: Proc | undefined, name: string): void {
    if (p !== undefined && p.name === name) p.name = undefined;
  }

  /** The pid registered as `name`, or undefined (`whereis/1`). */
  whereis(name: string): Pid | undefined {
    const pid = this.names.lookup(validateName(name));
    if (pid === undefined || pid.local !== undefined || this.scheduler.isRemote(pid)) return pid;
    // The process's own pid object: sends to it then skip the table probe.
    return this.scheduler.lookup(pid)?.pid ?? pid;
  }

  registered(): string[] {
    return this.names.names();
  }

  isAlive(pid: Pid): boolean {
    const target = validateDestination(pid, 'pid', false);
    if (!this.scheduler.isRemote(target)) return this.scheduler.lookup(target) !== undefined;
    return this.callRemote(target.scheduler, { op: 'alive', serial: target.serial }) === true;
  }

  makeRef(): Ref {
    return this.scheduler.makeRef();
  }

  /** Every live process on every scheduler. */
  processes(): Pid[] {
    const out = this.localProcesses();
    for (let k = 0; k < this.schedulers; k++) {
      if (k === this.scheduler.index || this.router?.down[k]) continue;
      out.push(...((this.callRemote(k, { op: 'processes' }) as Pid[] | undefined) ?? []));
    }
    return out;
  }

  private localProcesses(): Pid[] {
    const out: Pid[] = [];
    for (const p of this.scheduler.all()) out.push(p.pid);
    return out;
  }

  /** Introspection like `erlang:process_info/1`, for a pid on any scheduler; `undefined` for a dead pid. */
  processInfo(pid: Pid): ProcessInfo | undefined {
    const target = validateDestination(pid, 'pid', false);
    if (this.scheduler.isRemote(target)) {
      return (this.callRemote(target.scheduler, { op: 'info', serial: target.serial }) as ProcessInfo | null) ?? undefined;
    }
    const p = this.scheduler.lookup(target);
    return p === undefined ? undefined : infoOf(p);
  }

  /**
   * Runs the exported function `ref` with `args` on a dirty-work thread (outside every
   * scheduler, like the BEAM's dirty schedulers) and resolves to its result.
   */
  dirty(ref: ModuleRef, ...args: unknown[]): Promise<unknown> {
    this.checkOpen('dirty');
    const resolved = resolveModuleRef(ref, 'ref');
    assertSendable(args, 'args');
    if (this.dirtyPool !== null) return this.dirtyPool.run(resolved, args);
    const id = this.nextDirty++;
    return new Promise((resolve, reject) => {
      this.dirtyCalls.set(id, { resolve, reject });
      this.router!.post(0, R_DIRTY, id, [resolved, args]);
    });
  }

  /** Kills every process on every scheduler, stops the scheduler threads and frees timers; later calls fail with `shutting_down`. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.router !== null) {
      for (let k = 1; k < this.schedulers; k++) this.router.post(k, R_STOP, 0, 0);
      this.router.flush();
    }
    this.scheduler.stop();
    for (const resolve of this.remoteWaits) resolve('killed');
    this.remoteWaits.clear();
    await this.cluster?.stop();
    await this.dirtyPool?.destroy();
    this.router?.close();
  }

  // ---- across schedulers ---------------------------------------------------------------------

  /** @internal */
  onControl(code: number, a: unknown, b: unknown, c: unknown, d: unknown, source: number): void {
    switch (code) {
      case R_EVENT:
        return this.emitRemote(a as number, b as Pid, c, d);
      case R_READY:
        return this.checkBooted();
      case R_DOWN_SCHED:
        this.router!.markDown(a as number);
        return schedulerDown(this.scheduler, a as number, schedulerDownReason(a as number));
      case R_STOP:
        this.closed = true;
        this.scheduler.stop();
        this.router!.close();
        return this.stopWorker?.();
      case R_DIRTY: {
        const [ref, args] = b as [ResolvedModuleRef, unknown[]];
        this.dirtyPool!.run(ref, args).then(
          (value) => this.router!.post(source, R_DIRTY_REPLY, a, [true, value]),
          (err: unknown) => this.router!.post(source, R_DIRTY_REPLY, a, [false, serializeError(err)]),
        );
        return;
      }
      case R_DIRTY_REPLY: {
        const call = this.dirtyCalls.get(a as number);
        if (call === undefined) return;
        this.dirtyCalls.delete(a as number);
        const [ok, value] = b as [boolean, unknown];
        if (ok) call.resolve(value);
        else call.reject(Object.assign(new Error((value as SerializedError).message), value as SerializedError));
        return;
      }
      default:
        return;
    }
  }

  /** @internal Answers another scheduler's synchronous request about a process hosted here. */
  serve(request: unknown): unknown {
    const req = request as Request;
    const p = req.serial === undefined ? undefined : this.scheduler.bySerial(req.serial);
    switch (req.op) {
      case 'alive':
        return p !== undefined;
      case 'info':
        return p === undefined ? null : infoOf(p);
      case 'processes':
        return this.localProcesses();
      case 'register':
        this.registerLocal(req.name!, p, new Pid(this.scheduler.index, req.serial!));
        return true;
      case 'unname':
        this.unname(p, req.name!);
        return true;
      default:
        return null;
    }
  }

  private callRemote(k: number, request: Request): unknown {
    return this.router!.call(k, request);
  }


  private forwardEvents(): void {
    const router = this.router!;
    this.events.on('spawn', (pid) => router.post(0, R_EVENT, EV_SPAWN, pid, null, null));
    this.events.on('exit', (pid, reason) => router.post(0, R_EVENT, EV_EXIT, pid, reason, null));
    this.events.on('crash', (r) => router.post(0, R_EVENT, EV_CRASH, r.pid, r.reason, [r.registeredName ?? null, r.info ?? null]));
  }

  private emitRemote(kind: number, pid: Pid, reason: unknown, extra: unknown): void {
    if (kind === EV_SPAWN) this.events.emit('spawn', pid);
    else if (kind === EV_EXIT) this.events.emit('exit', pid, reason as ExitReason);
    else {
      const [name, info] = extra as [string | null, Record<string, unknown> | null];
      const report: { pid: Pid; reason: ExitReason; registeredName?: string; info?: Record<string, unknown> } = { pid, reason: reason as ExitReason };
      if (name !== null) report.registeredName = name;
      if (info !== null) report.info = info;
      this.events.emit('crash', report);
    }
  }

  private checkBooted(): void {
    const r = this.router!;
    for (let k = 0; k < this.schedulers; k++) if (!r.ready[k] && !r.down[k]) return;
    this.markBooted();
  }

  /** Scheduler thread `k` died (or the pool failed): its processes are gone, say so everywhere. */
  private schedulerDown(k: number, error: unknown): void {
    if (this.closed || k < 1 || this.router!.down[k]) return;
    this.router!.markDown(k);
    for (let j = 1; j < this.schedulers; j++) if (j !== k) this.router!.post(j, R_DOWN_SCHED, k, 0);
    for (const name of this.names.names()) {
      const pid = this.names.lookup(name);
      if (pid !== undefined && pid.scheduler === k) this.names.remove(name, pid);
    }
    schedulerDown(this.scheduler, k, schedulerDownReason(k));
    this.checkBooted();
    this.events.emit('scheduler_down', k, serializeError(error));
  }

  // ---- names (called by schedulers) -----------------------------------------------------------

  /** @internal Resolves a registered name for a send. */
  resolveName(name: string, operation: string): Pid {
    const pid = this.whereis(name);
    if (pid === undefined) throw new KairosError('not_registered', `${operation}: no process is registered as ${JSON.stringify(name)}`, { name });
    return pid;
  }

  /** @internal A process exited: its name is free again. */
  releaseName(name: string, pid: Pid): void {
    this.names.remove(name, pid);
  }

  private checkOpen(operation: string): void {
    if (this.closed) throw new KairosError('shutting_down', `${operation}: the runtime has been shut down`);
  }
}

function nameTaken(name: string): KairosError {
  return new KairosError('name_taken', `register: the name ${JSON.stringify(name)} is already registered`, { name });
}

function infoOf(p: Proc): ProcessInfo {
  const info: ProcessInfo = {
    pid: p.pid,
    status: statusOf(p),
    messageQueueLen: p.mailboxLength,
    links: p.linkList(),
    monitors: p.monitors === null ? [] : [...p.monitors.values()].map((m) => ({ ref: m.ref, pid: m.target })),
    monitoredBy: p.watcherList().map((m) => m.watcher),
    trapExit: p.trapping,
  };
  return p.name === undefined ? info : { ...info, registeredName: p.name };
}

function statusOf(p: Proc): ProcessInfo['status'] {
  switch (p.state) {
    case ST_RUNNING:
      return 'running';
    case ST_NEW:
    case ST_RUNNABLE:
      return 'runnable';
    case ST_WAITING:
    case ST_AWAITING:
      return 'waiting';
    default:
      return 'waiting';
  }
}
