import {
  ProcessExit, TIMEOUT, downOf, errorReason, isDown, isExit, isPid,
  type DownMessage, type ExitMessage, type ExitReason, type Pid, type Self,
} from '../runtime/index.ts';
import { isKairosError, preview } from './errors.ts';
import { isCleanExit } from './gen.ts';
import { needsSettle, settle } from './op.ts';
import type { FullChildSpec, Shutdown } from './child-spec.ts';

/** What starting one child gave: its pid, `'ignore'`, or why it failed. */
export type StartOutcome = Pid | 'ignore' | { readonly error: ExitReason };

/** `supervisor:do_start_child_i`: runs the start function inside the supervisor process. */
export function* startProcess(self: Self, spec: FullChildSpec, extraArgs: readonly unknown[]): Generator<unknown, StartOutcome, unknown> {
  let result: unknown;
  try {
    result = extraArgs.length === 0 ? spec.start(self, ...spec.args) : spec.start(self, ...spec.args, ...extraArgs);
    if (needsSettle(result)) result = yield* settle(self, result);
  } catch (err) {
    if (err instanceof ProcessExit && !self.isAlive(self.pid)) throw err;
    return { error: startFailure(err) };
  }
  if (result === 'ignore' || isPid(result)) return result;
  return { error: { bad_return_value: preview(result) } };
}

function startFailure(err: unknown): ExitReason {
  if (err instanceof ProcessExit) return err.reason;
  if (isKairosError(err, 'already_started') && err.pid !== undefined) return { already_started: err.pid };
  if (isKairosError(err) && err.reason !== undefined) return err.reason;
  return errorReason(err);
}

/**
 * `supervisor:shutdown/1`: monitor the child (a DOWN cannot be lost to a child that unlinks),
 * send `kill` or `shutdown` (then `kill` after the timeout), wait for it to be gone. Returns
 * `undefined` when it ended as its shutdown spec expects, else the reason to report.
 */
export function* shutdownProcess(self: Self, pid: Pid, shutdown: Shutdown, permanent: boolean): Generator<unknown, ExitReason | undefined, unknown> {
  const mref = self.monitor(pid);
  const isDownOfChild = downOf(mref);
  self.exit(pid, shutdown === 'brutal_kill' ? 'kill' : 'shutdown');
  let down: DownMessage | typeof TIMEOUT =
    typeof shutdown === 'number' ? yield* self.receive(isDownOfChild, { timeout: shutdown }) : yield* self.receive(isDownOfChild);
  if (down === TIMEOUT) {
    self.exit(pid, 'kill');
    down = yield* self.receive(isDownOfChild);
  }
  const reason = yield* unlinkFlush(self, pid, down.reason);
  return expectedShutdown(reason, shutdown, permanent) ? undefined : reason;
}

/** OTP's `unlink_flush`: the child's EXIT (already queued before its DOWN) must not reach the restart logic. */
function* unlinkFlush(self: Self, pid: Pid, fallback: ExitReason): Generator<unknown, ExitReason, unknown> {
  self.unlink(pid);
  const exit = yield* self.receive((m): m is ExitMessage => isExit(m) && m.from.equals(pid), { timeout: 0 });
  return exit === TIMEOUT ? fallback : exit.reason;
}

function expectedShutdown(reason: ExitReason, shutdown: Shutdown, permanent: boolean): boolean {
  if (shutdown === 'brutal_kill' && reason === 'killed') return true;
  if (shutdown !== 'brutal_kill' && reason === 'shutdown') return true;
  return !permanent && isCleanExit(reason);
}

/**
 * `supervisor:terminate_dynamic_children`: signal every child at once, then collect the DOWNs
 * (and swallow the EXITs, so the mailbox scan stays linear with 100,000 children); after the
 * shutdown timeout the survivors are killed. Reports each unexpected exit through `report`.
 */
export function* shutdownAll(
  self: Self, pids: Iterable<Pid>, isChild: (pid: Pid) => boolean, shutdown: Shutdown, permanent: boolean,
  report: (pid: Pid, reason: ExitReason) => void,
): Generator<unknown, void, unknown> {
  const pending = new Map<number, Pid>();
  const signal = shutdown === 'brutal_kill' ? 'kill' : 'shutdown';
  for (const pid of pids) {
    pending.set(self.monitor(pid).key, pid);
    self.exit(pid, signal);
  }
  const clock = self.runtime.clock;
  const deadline = typeof shutdown === 'number' ? clock.now() + shutdown : Infinity;
  const pattern = (m: unknown): boolean => (isDown(m) && pending.has(m.ref.key)) || (isExit(m) && isChild(m.from));
  let killed = false;
  while (pending.size > 0) {
    const msg = killed || deadline === Infinity
      ? yield* self.receive(pattern)
      : yield* self.receive(pattern, { timeout: Math.max(0, deadline - clock.now()) });
    if (msg === TIMEOUT) {
      for (const pid of pending.values()) self.exit(pid, 'kill');
      killed = true;
    } else if (isDown(msg)) {
      const pid = pending.get(msg.ref.key)!;
      pending.delete(msg.ref.key);
      if (!expectedShutdown(msg.reason, shutdown, permanent)) report(pid, msg.reason);
    }
  }
}
