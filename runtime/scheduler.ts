import { Pid, Ref, SERIAL_SPAN } from './pid.ts';
import { Fifo } from './fifo.ts';
import { SIG_DOWN, SIG_EXIT, SignalQueue, schedulerDownReason } from './signal-queue.ts';
import { ReceiveTimers } from './receive-timers.ts';
import { SideTables } from './side-tables.ts';
import { NO_MATCH } from './mailbox.ts';
import { AWAIT, PREEMPT, WAIT, awaitPromise, makeAwaitOp, makeReceiveOp, receiveAsync, type WaitHost, type WaitOp } from './wait-ops.ts';
import { KairosError, preview } from './errors.ts';
import { errorReason, isCrash, type ExitReason } from './exit-reason.ts';
import type { DownMessage, ExitMessage } from './messages.ts';
import type { Clock } from './clock.ts';
import type { Runtime } from './runtime.ts';
import { isGeneratorFunction } from './validate.ts';
import { SeqTable } from './seq-table.ts';
import { assertSendable } from './codec.ts';
import { R_ALIAS, R_DEMONITOR, R_DOWN, R_EXIT, R_MSG, R_SPAWN, type Router } from './router.ts';
import type { ModuleCache, ResolvedModuleRef } from './module-ref.ts';
import {
  Proc, ProcessExit, TIMEOUT,
  FLAG_AWAIT_FAILED, FLAG_AWAIT_SETTLED, FLAG_DEAD, FLAG_GENERATOR, FLAG_INLINE, FLAG_QUEUED, FLAG_TIMED_OUT,
  ST_DEAD, ST_NEW, ST_RUNNABLE, ST_RUNNING, ST_WAITING,
  newProc, type Body, type MonitorEntry, type Receive,
} from './process.ts';


export interface SchedulerOptions {
  /** Reductions (messages received, messages sent) a process may use before it is preempted at its next receive. */
  readonly budget: number;
  /** Milliseconds of running before the scheduler yields to the event loop. */
  readonly sliceMs: number;
  /** How many schedulers the runtime has (serials interleave by allocating scheduler). */
  readonly count: number;
}

/** Drains are queued as reactions on this promise (see Scheduler.scheduleDrain). */
const SETTLED = Promise.resolve();

/**
 * One scheduler: a process table, a run queue, a signal queue and one timer heap driven by a
 * single host timer. Generator processes are resumed synchronously from the run queue; async
 * processes are resumed by settling their pending receive promise.
 */
export class Scheduler implements WaitHost {
  readonly index: number;
  readonly runtime: Runtime;
  readonly clock: Clock;
  current: Proc | null = null;
  private readonly procs: SeqTable<Proc>;
  private readonly runq = new Fifo<Proc>();
  private readonly signals = new SignalQueue();
  /** Processes whose receive timed out run before the rest of the run queue, so timeouts fire on time. */
  private readonly timedOut = new Fifo<Proc>();
  private readonly timers: ReceiveTimers;
  private readonly side = new SideTables();
  readonly budget: number;
  private readonly sliceMs: number;
  /** Per target scheduler, the next spawn sequence number this scheduler allocates there. */
  private readonly nextSeq: number[];
  private readonly count: number;
  private nextRef = 1;
  router: Router | null = null;
  modules: ModuleCache | null = null;
  private flushing = false;
  private drainScheduled = false;
  private sliceOpen = false;
  /** When the first drain of the open slice ran (-1 until it has). */
  private sliceStart = -1;
  /** The open slice has used its time: further drains in this turn wait for setImmediate. */
  private sliceSpent = false;
  /** Receives settled straight from a send, counted to read the clock once every 128. */
  private handedOver = 0;
  stopped = false;
  private readonly receiveOp: WaitOp;
  private readonly awaitOp: WaitOp;

  constructor(runtime: Runtime, index: number, clock: Clock, options: SchedulerOptions) {
    this.runtime = runtime;
    this.index = index;
    this.clock = clock;
    this.budget = options.budget;
    this.sliceMs = options.sliceMs;
    this.count = options.count;
    // Serials this scheduler allocates for its own processes are `seq * count + index`.
    this.procs = new SeqTable<Proc>(procSerial, 0, options.count, index);
    this.nextSeq = new Array<number>(options.count).fill(1);
    this.receiveOp = makeReceiveOp(this);
    this.awaitOp = makeAwaitOp(this);
    this.timers = new ReceiveTimers(clock, this.expired);
  }

  get size(): number {
    return this.procs.size;
  }

  /** A table keyed by the keys of the refs this scheduler makes: a process's monitors. */
  refTable<V>(keyOf: (v: V) => number): SeqTable<V> {
    return new SeqTable(keyOf, this.index * SERIAL_SPAN, 1, 0);
  }

  /** The live local process `pid` names (undefined when dead or hosted by another scheduler). */
  lookup(pid: Pid): Proc | undefined {
    const bound = pid.local as Proc | undefined;
    if (bound !== undefined) {
      if ((bound.flags & FLAG_DEAD) === 0) return bound.sched === this ? bound : undefined;
      // A copy of the pid bound before the process died: let go of the process.
      pid.bindLocal(undefined);
      return undefined;
    }
    if (pid.scheduler !== this.index) return undefined;
    const p = this.procs.get(pid.serial);
    // A pid that arrived from another thread is a new object: bind it, so its next lookups skip the table.
    if (p !== undefined) pid.bindLocal(p);
    return p;
  }

  bySerial(serial: number): Proc | undefined {
    return this.procs.get(serial);
  }

  isRemote(pid: Pid | Ref): boolean {
    return pid.scheduler !== this.index;
  }

  /** Serials say which scheduler allocated them, so a target can tell "not spawned yet" from "dead". */
  allocSerial(target: number): number {
    const seq = this.nextSeq[target]!++;
    if (target !== this.index) this.router!.noteAllocated(target, seq);
    return seq * this.count + this.index;
  }

  all(): IterableIterator<Proc> {
    return this.procs.values();
  }

  makeRef(): Ref {
    return new Ref(this.index, this.nextRef++);
  }

  // ---- spawning and running ----------------------------------------------------------------

  spawn(body: Body, args: unknown[], linkTo: Proc | null): Proc {
    if (this.stopped) throw new KairosError('shutting_down', 'spawn: the runtime has been shut down');
    const p = this.create(this.allocSerial(this.index), body, args, linkTo === null ? null : linkTo.pid);
    if (linkTo !== null) linkTo.addLink(p.pid);
    this.makeRunnable(p);
    return p;
  }

  /** Creates a local process at `serial`; a null body is filled in when its module has loaded. */
  create(serial: number, body: Body | null, args: unknown[], linkTo: Pid | null): Proc {
    const pid = new Pid(this.index, serial);
    const p = newProc(this, pid, body as Body, args, body !== null && isGeneratorFunction(body));
    pid.bindLocal(p);
    if ((p.flags & FLAG_GENERATOR) !== 0) this.startGenerator(p);
    this.procs.set(serial, p);
    if (linkTo !== null) p.addLink(linkTo);
    const events = this.runtime.events;
    // emit() builds an arguments object even with no listener: skip it when nobody listens.
    if (events.listenerCount('spawn') !== 0) events.emit('spawn', pid);
    return p;
  }

  /**
   * Spawns from a module reference on scheduler `target`, linked to `linkTo` and/or monitored
   * by `watcher` atomically (the spawn record carries both, ahead of any other signal).
   */
  spawnModule(ref: ResolvedModuleRef, args: unknown[], target: number, linkTo: Proc | null, watcher: Proc | null): { pid: Pid; ref: Ref | null } {
    if (this.stopped) throw new KairosError('shutting_down', 'spawn: the runtime has been shut down');
    const mref = watcher === null ? null : this.makeRef();
    if (target === this.index) {
      const p = this.create(this.allocSerial(target), null, args, linkTo === null ? null : linkTo.pid);
      if (linkTo !== null) linkTo.addLink(p.pid);
      if (watcher !== null) {
        const entry = { ref: mref!, watcher: watcher.pid, target: p.pid };
        watcher.addMonitor(entry);
        p.addWatcher(entry);
      }
      this.loadBody(p, ref);
      return { pid: p.pid, ref: mref };
    }
    assertSendable(args, 'args');
    const pid = new Pid(target, this.allocSerial(target));
    if (linkTo !== null) linkTo.addLink(pid);
    if (watcher !== null) watcher.addMonitor({ ref: mref!, watcher: watcher.pid, target: pid });
    if (this.router!.down[target]) {
      if (linkTo !== null) this.pushSignal(SIG_EXIT, linkTo.pid, pid, schedulerDownReason(target), true, null);
      if (watcher !== null) this.pushSignal(SIG_DOWN, watcher.pid, pid, schedulerDownReason(target), false, mref);
      this.flush();
    } else {
      const monitor = watcher === null ? null : [watcher.pid, mref];
      this.router!.post(target, R_SPAWN, pid.serial, ref, args, linkTo === null ? null : linkTo.pid, monitor);
    }
    return { pid, ref: mref };
  }

  /** Fills in a module-spawned process's body (at once when the module is cached) and runs it. */
  loadBody(p: Proc, ref: ResolvedModuleRef): void {
    const modules = this.modules!;
    const start = (body: Body): void => {
      if ((p.flags & FLAG_DEAD) !== 0) return;
      p.code = body;
      if (isGeneratorFunction(body)) {
        p.flags |= FLAG_GENERATOR;
        this.startGenerator(p);
      }
      this.makeRunnable(p);
    };
    const fail = (err: unknown): void => {
      if ((p.flags & FLAG_DEAD) === 0) this.exitProc(p, errorReason(err));
    };
    let body: Body | undefined;
    try {
      body = modules.peek(ref);
    } catch (err) {
      return fail(err);
    }
    if (body !== undefined) start(body);
    else modules.load(ref).then(start, fail);
  }

  makeRunnable(p: Proc): void {
    if ((p.flags & (FLAG_QUEUED | FLAG_DEAD)) !== 0) return;
    p.flags |= FLAG_QUEUED;
    if (p.state !== ST_NEW) p.state = ST_RUNNABLE;
    this.runq.push(p);
    this.scheduleDrain();
  }

  /**
   * Drains run within one event-loop turn via microtasks (so async processes, whose
   * continuations are microtasks, interleave cheaply) until a time slice is used; then the
   * next drain waits for `setImmediate`, so timers and I/O stay live. Scheduling reads no
   * clock: the drain does, once, when it starts. The microtask is a reaction on a settled
   * promise: Node's `queueMicrotask` builds an async resource and a bound function per call.
   */
  private scheduleDrain(): void {
    if (this.drainScheduled || this.stopped) return;
    this.drainScheduled = true;
    if (!this.sliceOpen) {
      this.openSlice();
      void SETTLED.then(this.drainInSlice);
    } else if (this.sliceSpent) {
      setImmediate(this.drainNow);
    } else {
      void SETTLED.then(this.drainInSlice);
    }
  }

  /** Starts this turn's slice of time; it closes when the event loop reaches its check phase. */
  private openSlice(): void {
    this.sliceOpen = true;
    this.sliceStart = -1;
    setImmediate(this.closeSlice);
  }

  private readonly closeSlice = (): void => {
    this.sliceOpen = false;
    this.sliceSpent = false;
  };

  /** A drain queued as a microtask: runs now unless this turn's slice is used up, else after setImmediate. */
  private readonly drainInSlice = (): void => {
    const now = performance.now();
    if (this.sliceStart < 0) this.sliceStart = now;
    else if (now - this.sliceStart >= this.sliceMs) {
      this.sliceSpent = true;
      setImmediate(this.drainNow);
      return;
    }
    this.drain(now);
  };

  private readonly drainNow = (): void => {
    this.drain(performance.now());
  };

  private drain(start: number): void {
    this.drainScheduled = false;
    const runq = this.runq;
    const timedOut = this.timedOut;
    let n = 0;
    while ((runq.length > 0 || timedOut.length > 0) && !this.stopped) {
      const p = timedOut.length > 0 ? timedOut.shift()! : runq.shift()!;
      p.flags &= ~FLAG_QUEUED;
      if ((p.flags & FLAG_DEAD) !== 0) continue;
      if ((p.flags & FLAG_GENERATOR) !== 0) this.runGenerator(p);
      else this.runAsync(p);
      if ((++n & 63) === 0 && performance.now() - start > this.sliceMs) break;
    }
    if (runq.length > 0 || timedOut.length > 0) this.scheduleDrain();
  }

  private runGenerator(p: Proc): void {
    this.current = p;
    let res: IteratorResult<unknown, unknown>;
    try {
      p.state = ST_RUNNING;
      res = (p.code as Generator<unknown, unknown, unknown>).next();
    } catch (err) {
      this.current = null;
      this.finish(p, err, true);
      return;
    }
    this.current = null;
    if ((p.flags & FLAG_DEAD) !== 0) return;
    if (res.done === true) return this.exitProc(p, 'normal');
    const token = res.value;
    if (token === WAIT) p.state = ST_WAITING;
    else if (token === PREEMPT) this.makeRunnable(p);
    else if (token === AWAIT) awaitPromise(this, p);
    else {
      const err = new KairosError(
        'invalid_input',
        `a generator process must wait with yield* (yield* self.receive(), yield* self.await(p)), but it yielded ${preview(token)}`,
      );
      this.exitProc(p, errorReason(err));
    }
  }

  /**
   * Calls a generator body when its process is created: that builds the generator and runs none
   * of the body (parameter defaults aside), so all of a new process's memory is allocated by its
   * spawner, as the BEAM allocates a process's heap in spawn, and none by its first run (where
   * it would be promoted in the scavenges of a burst of first runs). A body whose parameters
   * throw fails at its first run, like any other error of its own.
   */
  private startGenerator(p: Proc): void {
    try {
      p.code = (p.code as (...a: unknown[]) => Generator<unknown, unknown, unknown>)(p, ...(p.pending as unknown[]));
    } catch (err) {
      p.code = failAtFirstRun(err);
    }
    p.pending = null;
  }

  private runAsync(p: Proc): void {
    if (p.state === ST_NEW) return this.startAsync(p);
    const resolve = p.pending as ((value: unknown) => void) | null;
    if (resolve === null) return;
    let value: unknown;
    try {
      value = p.take();
    } catch (err) {
      this.endReceive(p);
      p.state = ST_RUNNING;
      resolve(rejecting(err));
      return;
    }
    if (value === NO_MATCH) {
      if ((p.flags & FLAG_TIMED_OUT) === 0 && (p.deadline === null || p.deadline > this.clock.now())) {
        p.state = ST_WAITING;
        this.armTimer(p);
        return;
      }
      value = TIMEOUT;
    } else {
      p.reductions++;
    }
    this.endReceive(p);
    p.state = ST_RUNNING;
    resolve(value);
  }

  private startAsync(p: Proc): void {
    const body = p.code as Body;
    const args = p.pending as unknown[];
    p.code = null;
    p.pending = null;
    p.state = ST_RUNNING;
    this.current = p;
    let result: unknown;
    try {
      result = (body as (...a: unknown[]) => unknown)(p, ...args);
    } catch (err) {
      this.current = null;
      this.finish(p, err, true);
      return;
    }
    this.current = null;
    if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(
        () => this.finish(p, undefined, false),
        (err: unknown) => this.finish(p, err, true),
      );
    } else {
      this.finish(p, undefined, false);
    }
  }

  /** A body returned or threw; a process that was already killed ignores how its code ended. */
  private finish(p: Proc, err: unknown, threw: boolean): void {
    if ((p.flags & FLAG_DEAD) !== 0) return;
    if (!threw) return this.exitProc(p, 'normal');
    this.exitProc(p, err instanceof ProcessExit ? err.reason : errorReason(err));
  }

  // ---- receive ----------------------------------------------------------------------------

  beginReceive(p: Proc, pattern: ((msg: unknown) => unknown) | null, timeout: number): Receive<unknown> {
    const generator = (p.flags & FLAG_GENERATOR) !== 0;
    if (generator && this.current !== p) {
      throw new KairosError('not_in_process', `receive: ${p.pid} can only receive from inside its own body`);
    }
    p.pattern = pattern;
    p.mbox?.restartScan();
    p.flags &= ~FLAG_TIMED_OUT;
    p.deadline = timeout === Infinity ? null : this.clock.now() + timeout;
    return generator ? this.receiveOp : receiveAsync(this, p);
  }

  endReceive(p: Proc): void {
    this.timers.disarm(p);
    p.flags &= ~FLAG_TIMED_OUT;
    p.pattern = null;
    p.deadline = null;
    p.pending = null;
  }

  // ---- await (generator processes waiting on a promise) -------------------------------------

  beginAwait(p: Proc, promise: unknown): Receive<unknown> {
    if ((p.flags & FLAG_GENERATOR) === 0) return Promise.resolve(promise) as unknown as Receive<unknown>;
    if (this.current !== p) throw new KairosError('not_in_process', `await: ${p.pid} can only await inside its own body`);
    p.pending = promise;
    p.flags &= ~(FLAG_AWAIT_SETTLED | FLAG_AWAIT_FAILED);
    return this.awaitOp;
  }



  // ---- timers ------------------------------------------------------------------------------

  armTimer(p: Proc): void {
    this.timers.arm(p);
  }

  /** A receive timed out: the process runs ahead of the run queue, so timeouts fire on time. */
  private readonly expired = (p: Proc): void => {
    p.flags |= FLAG_TIMED_OUT;
    if (p.state !== ST_WAITING || (p.flags & FLAG_QUEUED) !== 0) return;
    p.flags |= FLAG_QUEUED;
    p.state = ST_RUNNABLE;
    this.timedOut.push(p);
    this.scheduleDrain();
  };

  // ---- messages and signals -------------------------------------------------------------------

  /** Delivers to a local process (dropped if it is dead, as in Erlang). */
  deliver(to: Pid, msg: unknown): void {
    if (to.scheduler !== this.index) {
      assertSendable(msg, 'msg');
      return this.router?.post(to.scheduler, R_MSG, to.serial, msg);
    }
    const p = this.lookup(to);
    if (p !== undefined) this.deliverTo(p, msg);
  }

  deliverTo(p: Proc, msg: unknown): void {
    if (p.state === ST_WAITING) {
      if (p.pattern === null && (p.flags & FLAG_QUEUED) === 0) {
        if ((p.flags & FLAG_GENERATOR) === 0) {
          if (this.mayHandOver()) return this.handOver(p, msg);
        } else if (p.mbox === null || p.mbox.length === 0) {
          // A generator waiting for any message takes this one when it resumes: it need not
          // go through the mailbox (nor make one for a process that never had a message).
          p.pending = msg;
          p.flags |= FLAG_INLINE;
          return this.makeRunnable(p);
        }
      }
      p.push(msg);
      this.makeRunnable(p);
    } else {
      p.push(msg);
    }
  }

  /**
   * An async process waiting in a receive without a pattern takes the message it is sent at
   * once: its receive settles from the send, instead of the message going through its mailbox
   * and the process through the run queue to a drain that settles it (the process resumes in
   * a microtask either way, after the sender's current step). What it receives, and in which
   * order, is unchanged: its mailbox is empty, or the receive would have taken a message.
   */
  private handOver(p: Proc, msg: unknown): void {
    const resolve = p.pending as (value: unknown) => void;
    p.reductions++;
    this.endReceive(p);
    p.state = ST_RUNNING;
    resolve(msg);
  }

  /**
   * Whether a receive may settle straight from a send in this turn of the event loop: each
   * settled receive resumes a process in a microtask, so a chain of them (a ring of async
   * processes) would never let the event loop turn. They share the drains' slice of time.
   */
  private mayHandOver(): boolean {
    if (!this.sliceOpen) this.openSlice();
    if (this.sliceSpent) return false;
    if ((++this.handedOver & 127) === 0) {
      const now = performance.now();
      if (this.sliceStart < 0) this.sliceStart = now;
      else if (now - this.sliceStart >= this.sliceMs) {
        this.sliceSpent = true;
        return false;
      }
    }
    return true;
  }

  send(from: Proc | null, to: Pid | Ref | string, msg: unknown): void {
    if (from !== null) from.reductions++;
    if (to instanceof Pid) return this.deliver(to, msg);
    if (typeof to === 'string') return this.deliver(this.runtime.resolveName(to, 'send'), msg);
    if (to.scheduler !== this.index) {
      assertSendable(msg, 'msg');
      return this.router?.post(to.scheduler, R_ALIAS, to.serial, msg);
    }
    this.deliverToAlias(to.key, msg);
  }

  deliverToAlias(refKey: number, msg: unknown): void {
    const owner = this.side.aliasOwner(refKey);
    if (owner !== undefined) this.deliverTo(owner, msg);
  }

  alias(p: Proc): Ref {
    const ref = this.makeRef();
    this.side.addAlias(p, ref);
    return ref;
  }

  unalias(p: Proc, ref: Ref): boolean {
    return this.side.removeAlias(p, ref);
  }

  setCrashInfo(p: Proc, info: Record<string, unknown> | undefined): void {
    this.side.setCrashInfo(p, info);
  }

  /** Sends an exit signal (exit/2 when `link` is false) and processes the consequences. */
  sendExit(from: Pid, to: Pid, reason: ExitReason, link: boolean): void {
    if (to.scheduler !== this.index) {
      assertSendable(reason, 'reason');
      return this.router?.post(to.scheduler, R_EXIT, to.serial, from, reason, link);
    }
    this.pushSignal(SIG_EXIT, to, from, reason, link, null);
    this.flush();
  }

  /** Queues a signal for a local process; {@link Scheduler.flush} delivers it. */
  pushSignal(kind: number, to: Pid, from: Pid | string, reason: ExitReason, link: boolean, ref: Ref | null): void {
    this.signals.push(kind, to, from, reason, link, ref);
  }

  flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const q = this.signals;
      while (q.shift()) {
        const to = q.to!;
        // Only fan-out entries name pids on other schedulers: their signals go out from here.
        if (to.scheduler !== this.index) {
          if (q.kind === SIG_EXIT) this.router!.post(to.scheduler, R_EXIT, to.serial, q.from, q.reason, true);
          else this.router!.post(to.scheduler, R_DOWN, to.serial, q.ref, q.from, q.reason);
        } else if (q.kind === SIG_EXIT) this.receiveExit(to, q.from as Pid, q.reason, q.link);
        else this.receiveDown(to, q.ref!, q.from, q.reason);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Erlang's rules for a received exit signal (reference manual, "Receiving Exit Signals"). */
  private receiveExit(to: Pid, from: Pid, reason: ExitReason, link: boolean): void {
    const p = this.lookup(to);
    if (p === undefined) return;
    if (link) {
      if (!p.removeLink(from.key)) return;
    } else if (reason === 'kill') {
      return this.exitProc(p, 'killed');
    }
    if (p.trapping) {
      const msg: ExitMessage = { type: 'EXIT', from, reason };
      return this.deliverTo(p, msg);
    }
    if (reason === 'normal') {
      if (!link && from.equals(p.pid)) this.exitProc(p, 'normal');
      return;
    }
    this.exitProc(p, reason);
  }

  private receiveDown(to: Pid, ref: Ref, from: Pid | string, reason: ExitReason): void {
    const p = this.lookup(to);
    if (p === undefined || p.monitors === null) return;
    const entry = p.monitors.remove(ref.key);
    if (entry === undefined) return;
    const msg: DownMessage = { type: 'DOWN', ref, pid: entry.name ?? from, reason };
    this.deliverTo(p, msg);
  }

  // ---- exit ---------------------------------------------------------------------------------

  /**
   * Terminates `p` with `reason`: frees its name, timer and mailbox, then queues exit signals
   * to its links and DOWN signals to its monitors (delivered by the signal loop, not recursion).
   */
  exitProc(p: Proc, reason: ExitReason): void {
    if ((p.flags & FLAG_DEAD) !== 0) return;
    p.flags |= FLAG_DEAD;
    p.state = ST_DEAD;
    this.procs.remove(p.pid.serial);
    // Pids outlive their processes (in supervisors' lists, in messages): let go of the process.
    p.pid.bindLocal(undefined);
    const name = p.name;
    if (name !== undefined) this.runtime.releaseName(name, p.pid);
    this.timers.disarm(p);
    p.mbox = null;
    p.code = null;
    p.pattern = null;
    p.pending = null;
    if (p.links !== null || p.monitors !== null || p.monitoredBy !== null) this.signalExit(p, reason);
    const info = this.side.release(p, reason);
    const events = this.runtime.events;
    if (events.listenerCount('exit') !== 0) events.emit('exit', p.pid, reason);
    if (isCrash(reason) && events.listenerCount('crash') > 0) {
      const report: { pid: Pid; reason: ExitReason; registeredName?: string; info?: Record<string, unknown> } = { pid: p.pid, reason };
      if (name !== undefined) report.registeredName = name;
      if (info !== undefined) report.info = info;
      events.emit('crash', report);
    }
    this.flush();
  }

  /**
   * Sends a dying process's exit signals to its links and DOWNs to its monitors, local or
   * remote. Links or watchers held in a Map (more than 16) go out as one fan-out entry.
   */
  private signalExit(p: Proc, reason: ExitReason): void {
    const links = p.links;
    if (links !== null) {
      p.links = null;
      if (links instanceof Map) this.signals.pushExitFanOut(p.pid, reason, links.values());
      else if (Array.isArray(links)) for (const pid of links) this.exitToLink(p.pid, pid, reason);
      else this.exitToLink(p.pid, links, reason);
    }
    if (p.monitors !== null) {
      for (const m of p.monitors.values()) {
        if (m.target.scheduler === this.index) this.lookup(m.target)?.removeWatcher(m.ref.key);
        else this.router!.post(m.target.scheduler, R_DEMONITOR, m.target.serial, m.ref);
      }
      p.monitors = null;
    }
    const watchers = p.monitoredBy;
    if (watchers !== null) {
      p.monitoredBy = null;
      if (watchers instanceof Map) this.signals.pushDownFanOut(p.pid, reason, watchers.values());
      else if (Array.isArray(watchers)) for (const m of watchers) this.downToWatcher(p.pid, m, reason);
      else this.downToWatcher(p.pid, watchers, reason);
    }
  }

  private exitToLink(from: Pid, to: Pid, reason: ExitReason): void {
    if (to.scheduler === this.index) this.pushSignal(SIG_EXIT, to, from, reason, true, null);
    else this.router!.post(to.scheduler, R_EXIT, to.serial, from, reason, true);
  }

  private downToWatcher(from: Pid, m: MonitorEntry, reason: ExitReason): void {
    if (m.watcher.scheduler === this.index) this.pushSignal(SIG_DOWN, m.watcher, from, reason, false, m.ref);
    else this.router!.post(m.watcher.scheduler, R_DOWN, m.watcher.serial, m.ref, from, reason);
  }


  waitFor(pid: Pid): Promise<ExitReason> {
    if (this.lookup(pid) === undefined) return Promise.resolve('noproc');
    return new Promise((resolve) => this.side.addWaiter(pid, resolve));
  }

  /** Kills every process without running signals (the whole runtime goes), frees the timer. */
  stop(): void {
    this.stopped = true;
    for (const p of this.procs.values()) {
      p.flags |= FLAG_DEAD;
      p.state = ST_DEAD;
      p.pid.bindLocal(undefined);
      p.mbox = null;
      p.code = null;
      p.pending = null;
    }
    this.procs.clear();
    this.side.clear();
    this.runq.clear();
    this.timedOut.clear();
    this.signals.clear();
    this.timers.stop();
  }
}

/** A thenable that fails with `err`: resolving a pending receive with it rejects that receive. */
function rejecting(err: unknown): { then(ok: unknown, fail: (reason: unknown) => void): void } {
  return { then: (_ok, fail) => fail(err) };
}

function* failAtFirstRun(err: unknown): Generator<never, never, unknown> {
  throw err;
}

function procSerial(p: Proc): number {
  return p.pid.serial;
}
