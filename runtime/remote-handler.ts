import { Pid, Ref } from './pid.ts';
import type { ExitReason } from './exit-reason.ts';
import type { ResolvedModuleRef } from './module-ref.ts';
import { R_DOWN, R_EXIT, type RemoteHandler } from './router.ts';
import { SIG_DOWN, SIG_EXIT } from './signal-queue.ts';
import type { Scheduler } from './scheduler.ts';

/** What the runtime does with control records and synchronous requests from other schedulers. */
export interface ControlHost {
  onControl(code: number, a: unknown, b: unknown, c: unknown, d: unknown, source: number): void;
  serve(request: unknown): unknown;
}

/**
 * Applies signals that arrive from other schedulers to this scheduler's processes, with the
 * same rules as local ones; a link or monitor request for a dead process is answered with
 * `noproc`, as a remote node would.
 */
export class SchedulerEndpoint implements RemoteHandler {
  constructor(
    private readonly sched: Scheduler,
    private readonly host: ControlHost,
  ) {}

  inMessage(serial: number, msg: unknown): void {
    const p = this.sched.bySerial(serial);
    if (p !== undefined) this.sched.deliverTo(p, msg);
  }

  inAlias(refSerial: number, msg: unknown): void {
    this.sched.deliverToAlias(new Ref(this.sched.index, refSerial).key, msg);
  }

  inExit(serial: number, from: Pid, reason: ExitReason, link: boolean): void {
    this.sched.pushSignal(SIG_EXIT, new Pid(this.sched.index, serial), from, reason, link, null);
    this.sched.flush();
  }

  inLink(serial: number, from: Pid): void {
    const p = this.sched.bySerial(serial);
    if (p !== undefined) p.addLink(from);
    else this.sched.router!.post(from.scheduler, R_EXIT, from.serial, new Pid(this.sched.index, serial), 'noproc', true);
  }

  inUnlink(serial: number, from: Pid): void {
    this.sched.bySerial(serial)?.removeLink(from.key);
  }

  inMonitor(serial: number, from: Pid, ref: Ref): void {
    const p = this.sched.bySerial(serial);
    if (p !== undefined) p.addWatcher({ ref, watcher: from, target: p.pid });
    else this.sched.router!.post(from.scheduler, R_DOWN, from.serial, ref, new Pid(this.sched.index, serial), 'noproc');
  }

  inDemonitor(serial: number, ref: Ref): void {
    this.sched.bySerial(serial)?.removeWatcher(ref.key);
  }

  inDown(serial: number, ref: Ref, from: Pid | string, reason: ExitReason): void {
    this.sched.pushSignal(SIG_DOWN, new Pid(this.sched.index, serial), from, reason, false, ref);
    this.sched.flush();
  }

  inSpawn(serial: number, ref: ResolvedModuleRef, args: unknown[], linkTo: Pid | null, monitor: [Pid, Ref] | null): void {
    if (this.sched.stopped) return;
    const p = this.sched.create(serial, null, args, linkTo);
    if (monitor !== null) p.addWatcher({ ref: monitor[1], watcher: monitor[0], target: p.pid });
    this.sched.loadBody(p, ref);
  }

  inControl(code: number, a: unknown, b: unknown, c: unknown, d: unknown, source: number): void {
    this.host.onControl(code, a, b, c, d, source);
  }

  serve(request: unknown): unknown {
    return this.host.serve(request);
  }
}
