import { KairosError } from './errors.ts';
import { R_DEMONITOR, R_LINK, R_MONITOR, R_UNLINK } from './router.ts';
import { SIG_DOWN, SIG_EXIT, schedulerDownReason } from './signal-queue.ts';
import type { Scheduler } from './scheduler.ts';
import type { ExitReason } from './exit-reason.ts';
import type { DownMessage, ExitMessage } from './messages.ts';
import type { Pid, Ref } from './pid.ts';
import type { MonitorEntry, Proc } from './process.ts';

// Links and monitors: setting them up and tearing them down, locally or through the router for
// a pid on another scheduler (answered asynchronously, as for a pid on another node).

export function link(s: Scheduler, p: Proc, pid: Pid): void {
  if (pid.equals(p.pid)) return;
  if (pid.scheduler !== s.index) {
    // As for a pid on another node: the link is made at once, a dead peer answers with an exit signal.
    p.addLink(pid);
    if (s.router!.down[pid.scheduler]) {
      s.pushSignal(SIG_EXIT, p.pid, pid, schedulerDownReason(pid.scheduler), true, null);
      return s.flush();
    }
    return s.router!.post(pid.scheduler, R_LINK, pid.serial, p.pid);
  }
  const t = s.lookup(pid);
  if (t === undefined) {
    if (p.trapping) {
      const msg: ExitMessage = { type: 'EXIT', from: pid, reason: 'noproc' };
      return s.deliverTo(p, msg);
    }
    throw new KairosError('noproc', `link: ${pid} is not alive`, { pid: String(pid) });
  }
  p.addLink(pid);
  t.addLink(p.pid);
}

export function unlink(s: Scheduler, p: Proc, pid: Pid): void {
  p.removeLink(pid.key);
  if (pid.scheduler !== s.index) s.router!.post(pid.scheduler, R_UNLINK, pid.serial, p.pid);
  else s.lookup(pid)?.removeLink(p.pid.key);
}

export function monitor(s: Scheduler, p: Proc, target: Pid | string): Ref {
  const ref = s.makeRef();
  const pid = typeof target === 'string' ? s.runtime.whereis(target) : target;
  if (pid !== undefined && pid.scheduler !== s.index) {
    p.addMonitor(monitorEntry(ref, p.pid, pid, target));
    if (s.router!.down[pid.scheduler]) {
      s.pushSignal(SIG_DOWN, p.pid, pid, schedulerDownReason(pid.scheduler), false, ref);
      s.flush();
    } else {
      s.router!.post(pid.scheduler, R_MONITOR, pid.serial, p.pid, ref);
    }
    return ref;
  }
  const t = pid === undefined ? undefined : s.lookup(pid);
  if (t === undefined) {
    const msg: DownMessage = { type: 'DOWN', ref, pid: target, reason: 'noproc' };
    s.deliverTo(p, msg);
    return ref;
  }
  const entry = monitorEntry(ref, p.pid, t.pid, target);
  p.addMonitor(entry);
  t.addWatcher(entry);
  return ref;
}

/** The entry for a monitor set on `target` (a pid, or the name it was set by: its DOWN then names it). */
function monitorEntry(ref: Ref, watcher: Pid, pid: Pid, target: Pid | string): MonitorEntry {
  return typeof target === 'string' ? { ref, watcher, target: pid, name: target } : { ref, watcher, target: pid };
}

export function demonitor(s: Scheduler, p: Proc, ref: Ref): boolean {
  const entry = p.monitors?.remove(ref.key);
  if (entry === undefined) return false;
  if (entry.target.scheduler !== s.index) s.router!.post(entry.target.scheduler, R_DEMONITOR, entry.target.serial, ref);
  else s.lookup(entry.target)?.removeWatcher(ref.key);
  return true;
}

/**
 * Scheduler `k` died: every link to and monitor of a process it hosted fires here with
 * `reason`, exactly as if each of those processes had exited with it.
 */
export function schedulerDown(s: Scheduler, k: number, reason: ExitReason): void {
  for (const p of s.all()) {
    if (p.links !== null) for (const pid of p.linkList()) if (pid.scheduler === k) s.pushSignal(SIG_EXIT, p.pid, pid, reason, true, null);
    if (p.monitors !== null) for (const m of p.monitors.values()) if (m.target.scheduler === k) s.pushSignal(SIG_DOWN, p.pid, m.target, reason, false, m.ref);
    if (p.monitoredBy !== null) for (const m of p.watcherList()) if (m.watcher.scheduler === k) p.removeWatcher(m.ref.key);
  }
  s.flush();
}

