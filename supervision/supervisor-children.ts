import { isPid, type ExitReason, type Pid, type Self } from '../runtime/index.ts';
import { isCleanExit } from './gen.ts';
import { GenServer } from './gen-server.ts';
import { RestartIntensity } from './restart-intensity.ts';
import { shutdownAll, shutdownProcess, startProcess } from './child-process.ts';
import type { ChildType, FullChildSpec } from './child-spec.ts';
import type { FullSupervisorSpec, Strategy } from './supervisor-spec.ts';

/** One line of `whichChildren` (OTP's `{Id, Child, Type, Modules}`). */
export interface ChildInfo {
  /** `undefined` for the children of a simple_one_for_one supervisor. */
  readonly id: string | undefined;
  /** `'restarting'` after a failed restart until the retry; `undefined` when not running. */
  readonly pid: Pid | 'restarting' | undefined;
  readonly type: ChildType;
}

/** `countChildren` (OTP's proplist `[{specs,_}, {active,_}, {supervisors,_}, {workers,_}]`). */
export interface ChildCounts {
  readonly specs: number;
  readonly active: number;
  readonly supervisors: number;
  readonly workers: number;
}

/** What a supervisor tells its `onReport` hook (OTP's supervisor reports). */
export interface SupervisorReport {
  readonly supervisor: Pid;
  /** OTP's `errorContext`: `shutdown` is reached_max_restart_intensity, the supervisor giving up. */
  readonly context: 'start_error' | 'child_terminated' | 'shutdown_error' | 'shutdown';
  readonly reason: ExitReason;
  /** The child's id (the template's for a simple_one_for_one child). */
  readonly childId: string;
  /** `undefined` when no process is involved (a start that failed). */
  readonly childPid: Pid | undefined;
}

export type ReportHook = (report: SupervisorReport) => void;

interface StaticChild {
  readonly spec: FullChildSpec;
  pid: Pid | undefined;
  /** A restart failed and a retry is queued (OTP's `{restarting, OldPid}`). */
  restarting: boolean;
}

interface DynamicChild {
  readonly pid: Pid;
  /** Extra start arguments, kept only for children that may be restarted. */
  readonly args: readonly unknown[] | undefined;
  restarting: boolean;
}

/** The outcome of handling an exit or a retry: keep going, or give up (restart intensity reached). */
export type Verdict = 'ok' | 'shutdown';

/**
 * A supervisor's children and the OTP rules that act on them (`supervisor.erl`'s state and
 * its restart, start and terminate functions). Static children are kept in start order;
 * dynamic (simple_one_for_one) children in a map from pid key, as OTP's `dynamics`.
 */
export class Children {
  readonly strategy: Strategy;
  readonly template: FullChildSpec | undefined;
  readonly list: StaticChild[] = [];
  readonly dynamic = new Map<number, DynamicChild>();
  dynamicRestarting = 0;
  private readonly byId = new Map<string, StaticChild>();
  private readonly byPid = new Map<number, StaticChild>();
  private readonly intensity: RestartIntensity;

  constructor(
    readonly self: Self,
    spec: FullSupervisorSpec,
    private readonly hook: ReportHook | undefined,
  ) {
    this.strategy = spec.strategy;
    this.template = spec.strategy === 'simple_one_for_one' ? spec.children[0] : undefined;
    this.intensity = new RestartIntensity(spec.intensity, spec.period);
  }

  get simple(): boolean {
    return this.template !== undefined;
  }

  find(id: string): StaticChild | undefined {
    return this.byId.get(id);
  }

  // ---- bookkeeping ------------------------------------------------------------------------

  add(spec: FullChildSpec, pid: Pid | undefined): void {
    const child: StaticChild = { spec, pid: undefined, restarting: false };
    this.list.push(child);
    this.byId.set(spec.id, child);
    this.setPid(child, pid);
  }

  setPid(child: StaticChild, pid: Pid | undefined): void {
    if (child.pid !== undefined) this.byPid.delete(child.pid.key);
    child.pid = pid;
    child.restarting = false;
    if (pid !== undefined) this.byPid.set(pid.key, child);
  }

  remove(child: StaticChild): void {
    this.setPid(child, undefined);
    this.byId.delete(child.spec.id);
    this.list.splice(this.list.indexOf(child), 1);
  }

  /** OTP `del_child`: a temporary child's spec goes with its process; others stay, not running. */
  release(child: StaticChild): void {
    if (child.spec.restart === 'temporary') this.remove(child);
    else this.setPid(child, undefined);
  }

  storeDynamic(pid: Pid, args: readonly unknown[]): void {
    const keep = this.template!.restart === 'temporary' ? undefined : args;
    this.dynamic.set(pid.key, { pid, args: keep, restarting: false });
  }

  eraseDynamic(entry: DynamicChild): void {
    if (entry.restarting) this.dynamicRestarting--;
    this.dynamic.delete(entry.pid.key);
  }

  report(context: SupervisorReport['context'], reason: ExitReason, childId: string, childPid: Pid | undefined): void {
    if (this.hook === undefined) return;
    try {
      this.hook({ supervisor: this.self.pid, context, reason, childId, childPid });
    } catch {
      // A faulty report hook must not take the supervisor down.
    }
  }

  // ---- start and terminate ----------------------------------------------------------------------

  /** `init_children`: start in order; on a failure stop those started (reverse order) and say why. */
  *startInitial(specs: readonly FullChildSpec[]): Generator<unknown, ExitReason | undefined, unknown> {
    for (const spec of specs) {
      const outcome = yield* startProcess(this.self, spec, []);
      if (isPid(outcome)) this.add(spec, outcome);
      else if (outcome !== 'ignore') {
        this.report('start_error', outcome.error, spec.id, undefined);
        yield* this.terminateAll();
        return { shutdown: { failed_to_start_child: spec.id, reason: outcome.error } };
      } else if (spec.restart !== 'temporary') this.add(spec, undefined);
    }
    return undefined;
  }

  *shutdown(child: StaticChild): Generator<unknown, void, unknown> {
    const pid = child.pid;
    if (pid === undefined) return;
    const spec = child.spec;
    const unexpected = yield* shutdownProcess(this.self, pid, spec.shutdown, spec.restart === 'permanent');
    if (unexpected !== undefined) this.report('shutdown_error', unexpected, spec.id, pid);
  }

  *shutdownDynamic(entry: DynamicChild): Generator<unknown, void, unknown> {
    if (entry.restarting) return;
    const spec = this.template!;
    const unexpected = yield* shutdownProcess(this.self, entry.pid, spec.shutdown, spec.restart === 'permanent');
    if (unexpected !== undefined) this.report('shutdown_error', unexpected, spec.id, entry.pid);
  }

  /** The supervisor is exiting: children go in reverse start order (dynamic ones all at once). */
  *terminateAll(): Generator<unknown, void, unknown> {
    if (this.simple) {
      const spec = this.template!;
      const pids = [...this.dynamic.values()].filter((e) => !e.restarting).map((e) => e.pid);
      yield* shutdownAll(this.self, pids, (pid) => this.dynamic.has(pid.key), spec.shutdown, spec.restart === 'permanent', (pid, reason) =>
        this.report('shutdown_error', reason, spec.id, pid),
      );
      return;
    }
    for (let i = this.list.length - 1; i >= 0; i--) yield* this.shutdown(this.list[i]!);
  }

  // ---- restarts ----------------------------------------------------------------------------------

  /** `restart_child/3` + `do_restart/3`: a linked process exited. */
  *onExit(pid: Pid, reason: ExitReason): Generator<unknown, Verdict, unknown> {
    if (this.simple) {
      const entry = this.dynamic.get(pid.key);
      if (entry === undefined || entry.restarting) return 'ok';
      return yield* this.decide(reason, this.template!, pid, () => this.eraseDynamic(entry), () => this.restartDynamic(entry));
    }
    const child = this.byPid.get(pid.key);
    if (child === undefined) return 'ok';
    return yield* this.decide(reason, child.spec, pid, () => this.release(child), () => this.restartStatic(child));
  }

  private *decide(
    reason: ExitReason, spec: FullChildSpec, pid: Pid, release: () => void, restart: () => Generator<unknown, void, unknown>,
  ): Generator<unknown, Verdict, unknown> {
    const restarts = spec.restart === 'permanent' || (spec.restart === 'transient' && !isCleanExit(reason));
    if (!isCleanExit(reason) || spec.restart === 'permanent') this.report('child_terminated', reason, spec.id, pid);
    if (!restarts) {
      release();
      return 'ok';
    }
    return yield* this.countRestart(spec, pid, release, restart);
  }

  /** OTP `restart/2`: the restart counts against intensity before it is attempted (retries count too). */
  private *countRestart(
    spec: FullChildSpec, pid: Pid | undefined, release: () => void, restart: () => Generator<unknown, void, unknown>,
  ): Generator<unknown, Verdict, unknown> {
    if (!this.intensity.add(this.self.runtime.clock.now())) {
      this.report('shutdown', 'reached_max_restart_intensity', spec.id, pid);
      release();
      return 'shutdown';
    }
    yield* restart();
    return 'ok';
  }

  /** The `try_again_restart` cast: retry a restart that failed, if the child still waits for it. */
  *retry(target: string | number): Generator<unknown, Verdict, unknown> {
    if (typeof target === 'number') {
      const entry = this.dynamic.get(target);
      if (entry === undefined || !entry.restarting) return 'ok';
      return yield* this.countRestart(this.template!, undefined, () => this.eraseDynamic(entry), () => this.restartDynamic(entry));
    }
    const child = this.byId.get(target);
    if (child === undefined || !child.restarting) return 'ok';
    return yield* this.countRestart(child.spec, undefined, () => this.release(child), () => this.restartStatic(child));
  }

  private *restartStatic(child: StaticChild): Generator<unknown, void, unknown> {
    this.setPid(child, undefined);
    if (this.strategy === 'one_for_one') {
      const outcome = yield* startProcess(this.self, child.spec, []);
      if (isPid(outcome)) this.setPid(child, outcome);
      else if (outcome !== 'ignore') this.failedRestart(child, outcome.error);
      return;
    }
    const from = this.strategy === 'rest_for_one' ? this.list.indexOf(child) : 0;
    yield* this.restartGroup(this.list.slice(from));
  }

  /** `restart_multiple_children`: stop the group newest first, then start it again in order. */
  private *restartGroup(group: StaticChild[]): Generator<unknown, void, unknown> {
    for (let i = group.length - 1; i >= 0; i--) {
      const c = group[i]!;
      yield* this.shutdown(c);
      this.release(c);
    }
    for (const c of group) {
      if (this.byId.get(c.spec.id) !== c) continue;
      const outcome = yield* startProcess(this.self, c.spec, []);
      if (isPid(outcome)) this.setPid(c, outcome);
      else if (outcome === 'ignore') this.release(c);
      else {
        this.failedRestart(c, outcome.error);
        return;
      }
    }
  }

  private failedRestart(child: StaticChild, reason: ExitReason): void {
    child.restarting = true;
    this.report('start_error', reason, child.spec.id, undefined);
    this.castRetry(child.spec.id);
  }

  private *restartDynamic(entry: DynamicChild): Generator<unknown, void, unknown> {
    this.eraseDynamic(entry);
    const outcome = yield* startProcess(this.self, this.template!, entry.args ?? []);
    if (isPid(outcome)) this.storeDynamic(outcome, entry.args ?? []);
    else if (outcome !== 'ignore') {
      entry.restarting = true;
      this.dynamicRestarting++;
      this.dynamic.set(entry.pid.key, entry);
      this.report('start_error', outcome.error, this.template!.id, undefined);
      this.castRetry(entry.pid.key);
    }
  }

  /** Retried through the mailbox, so calls (even one that stops the supervisor) get served in between. */
  private castRetry(target: string | number): void {
    GenServer.cast(this.self, this.self.pid, { op: 'try_again_restart', target });
  }

  // ---- introspection -----------------------------------------------------------------------------

  which(): ChildInfo[] {
    if (this.simple) {
      const type = this.template!.type;
      const out: ChildInfo[] = [];
      for (const e of this.dynamic.values()) out.push({ id: undefined, pid: e.restarting ? 'restarting' : e.pid, type });
      return out;
    }
    const out: ChildInfo[] = [];
    for (let i = this.list.length - 1; i >= 0; i--) {
      const c = this.list[i]!;
      out.push({ id: c.spec.id, pid: c.restarting ? 'restarting' : c.pid, type: c.spec.type });
    }
    return out;
  }

  count(): ChildCounts {
    if (this.simple) {
      const size = this.dynamic.size;
      const supervisor = this.template!.type === 'supervisor';
      return { specs: 1, active: size - this.dynamicRestarting, supervisors: supervisor ? size : 0, workers: supervisor ? 0 : size };
    }
    let active = 0;
    let supervisors = 0;
    for (const c of this.list) {
      if (c.pid !== undefined && this.self.isAlive(c.pid)) active++;
      if (c.spec.type === 'supervisor') supervisors++;
    }
    return { specs: this.list.length, active, supervisors, workers: this.list.length - supervisors };
  }
}
