import { EventEmitter } from 'eventemitter3';
import { Pid, Ref } from './pid.ts';
import { KairosError } from './errors.ts';
import { validateReason, type ExitReason } from './exit-reason.ts';
import { SystemClock, type Clock } from './clock.ts';
import { Scheduler } from './scheduler.ts';
import { ST_AWAITING, ST_RUNNABLE, ST_RUNNING, ST_NEW, ST_WAITING, type Body, type Proc } from './process.ts';
import { validateBody, validateDestination, validateName } from './validate.ts';
import { invalidInput } from './errors.ts';

/** An abnormal exit, as OTP's crash reports describe it. */
export interface CrashReport {
  readonly pid: Pid;
  readonly reason: ExitReason;
  readonly registeredName?: string;
  /** What the process attached with `self.setCrashInfo` (a gen-server's last message and state). */
  readonly info?: Record<string, unknown>;
}

/** Events on {@link Runtime.events}. */
export interface RuntimeEvents {
  spawn: [pid: Pid];
  exit: [pid: Pid, reason: ExitReason];
  crash: [report: CrashReport];
}

export interface RuntimeOptions {
  /** How many schedulers (threads). Only `1` is available so far. @default 1 */
  readonly schedulers?: number;
  /** Source of time for receive timeouts. @default a SystemClock */
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

/**
 * A Kairos runtime: owns its schedulers, the name registry, timers and the event emitter.
 * Everything the BEAM offers a process from outside any process is here; what a process does
 * to itself is on its {@link Self}.
 *
 * @example
 * const rt = new Runtime();
 * const echo = rt.spawn(function* (self) {
 *   for (;;) { const { from, text } = (yield* self.receive()) as { from: Pid; text: string }; self.send(from, text); }
 * });
 * await rt.shutdown();
 */
export class Runtime {
  readonly clock: Clock;
  readonly events = new EventEmitter<RuntimeEvents>();
  private readonly scheduler: Scheduler;
  private readonly names = new Map<string, Pid>();
  private closed = false;

  constructor(options: RuntimeOptions = {}) {
    if (typeof options !== 'object' || options === null) throw invalidInput('options', 'an object', options);
    const schedulers = options.schedulers ?? 1;
    if (schedulers !== 1) throw invalidInput('options.schedulers', '1 (multiple schedulers are not available yet)', schedulers);
    const budget = options.budget ?? 2000;
    if (!Number.isInteger(budget) || budget < 1) throw invalidInput('options.budget', 'a positive integer', budget);
    const sliceMs = options.sliceMs ?? 2;
    if (typeof sliceMs !== 'number' || !(sliceMs > 0)) throw invalidInput('options.sliceMs', 'a positive number', sliceMs);
    this.clock = options.clock ?? new SystemClock();
    this.scheduler = new Scheduler(this, 0, this.clock, { budget, sliceMs });
    if (options.logCrashes) {
      this.events.on('crash', (r) => console.error(`[kairos] crash ${r.pid}${r.registeredName ? ` (${r.registeredName})` : ''}:`, r.reason));
    }
  }

  /** Starts a process running `body(self, ...args)` (Erlang's `spawn/1`); returns its pid at once. */
  spawn<A extends unknown[]>(body: Body<A>, ...args: A): Pid {
    this.checkOpen('spawn');
    return this.scheduler.spawn(validateBody(body), args, null).pid;
  }

  /** Sends `msg` to a pid or registered name; never blocks, never fails for a dead pid. @throws not_registered */
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
    return this.scheduler.waitFor(validateDestination(pid, 'pid', false));
  }

  /** Registers `name` for `pid` (`register/2`). @throws name_taken, already_registered, noproc, invalid_input */
  register(name: string, pid: Pid): void {
    this.checkOpen('register');
    validateName(name);
    const p = this.procOf(validateDestination(pid, 'pid', false));
    if (this.names.has(name)) throw new KairosError('name_taken', `register: the name ${JSON.stringify(name)} is already registered`, { name });
    if (p === undefined) throw new KairosError('noproc', `register: ${pid} is not alive`, { pid: String(pid) });
    if (p.name !== undefined) {
      throw new KairosError('already_registered', `register: ${pid} is already registered as ${JSON.stringify(p.name)}`, { pid: String(pid) });
    }
    this.names.set(name, p.pid);
    p.name = name;
  }

  /** Removes a registered name (`unregister/1`). @throws not_registered */
  unregister(name: string): void {
    this.checkOpen('unregister');
    validateName(name);
    const pid = this.names.get(name);
    if (pid === undefined) throw new KairosError('not_registered', `unregister: no process is registered as ${JSON.stringify(name)}`, { name });
    this.names.delete(name);
    const p = this.procOf(pid);
    if (p !== undefined) p.name = undefined;
  }

  whereis(name: string): Pid | undefined {
    return this.names.get(validateName(name));
  }

  registered(): string[] {
    return [...this.names.keys()];
  }

  isAlive(pid: Pid): boolean {
    return this.procOf(validateDestination(pid, 'pid', false)) !== undefined;
  }

  makeRef(): Ref {
    return this.scheduler.makeRef();
  }

  processes(): Pid[] {
    const out: Pid[] = [];
    for (const p of this.scheduler.all()) out.push(p.pid);
    return out;
  }

  /** Introspection like `erlang:process_info/1`; `undefined` for a dead pid. */
  processInfo(pid: Pid): ProcessInfo | undefined {
    const p = this.procOf(validateDestination(pid, 'pid', false));
    if (p === undefined) return undefined;
    const info: ProcessInfo = {
      pid: p.pid,
      status: statusOf(p),
      messageQueueLen: p.mailboxLength,
      links: p.links === null ? [] : [...p.links.values()],
      monitors: p.monitors === null ? [] : [...p.monitors.values()].map((m) => ({ ref: m.ref, pid: m.pid })),
      monitoredBy: p.monitoredBy === null ? [] : [...p.monitoredBy.values()].map((m) => m.pid),
      trapExit: p.trapping,
    };
    return p.name === undefined ? info : { ...info, registeredName: p.name };
  }

  /** Kills every process and frees timers; later calls fail with `shutting_down`. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.scheduler.stop();
    this.names.clear();
  }

  /** @internal Resolves a registered name for a send. */
  resolveName(name: string, operation: string): Pid {
    const pid = this.names.get(name);
    if (pid === undefined) throw new KairosError('not_registered', `${operation}: no process is registered as ${JSON.stringify(name)}`, { name });
    return pid;
  }

  /** @internal A process exited: its name is free again. */
  releaseName(name: string): void {
    this.names.delete(name);
  }

  private procOf(pid: Pid): Proc | undefined {
    return this.scheduler.lookup(pid);
  }

  private checkOpen(operation: string): void {
    if (this.closed) throw new KairosError('shutting_down', `${operation}: the runtime has been shut down`);
  }
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
