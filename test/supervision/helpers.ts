import type { ExecutionContext } from 'ava';
import { QUIET_MS, until, withPatience } from '../waiting.ts';
import { Runtime, ManualClock, isKairosError, type ExitReason, type Pid, type Self } from '../../runtime/index.ts';

export { Inbox } from '../inbox.ts';
export { QUIET_MS, until, withPatience };

export function makeRuntime(t: ExecutionContext, clock?: ManualClock): Runtime {
  const rt = new Runtime(clock === undefined ? { schedulers: 1 } : { schedulers: 1, clock });
  t.teardown(() => rt.shutdown());
  return rt;
}

export function exitOf(rt: Runtime, pid: Pid): Promise<ExitReason> {
  return withPatience(rt.wait(pid), `${String(pid)} to exit`);
}

/** Runs a generator body as a process; resolves with what it returned, rejects with its exit reason otherwise. */
export async function inProcess<T>(rt: Runtime, body: (self: Self) => Generator<unknown, T, unknown>): Promise<T> {
  let out: { value: T } | undefined;
  const pid = rt.spawn(function* (self: Self) {
    out = { value: yield* body(self) };
  });
  const reason = await exitOf(rt, pid);
  if (out === undefined) throw new Error(`test process ${String(pid)} exited with ${JSON.stringify(reason)}`);
  return out.value;
}

/** Resolves once `pid` is parked in a receive (so a manual clock can be moved past its deadline). */
export function parked(rt: Runtime, pid: Pid): Promise<void> {
  return until(() => rt.processInfo(pid)?.status === 'waiting', `${String(pid)} waits in receive`);
}

/** Asserts that `promise` rejects with a KairosError with `code`; returns the error. */
export async function rejectsWith(t: ExecutionContext, promise: PromiseLike<unknown>, code: string): Promise<Record<string, any>> {
  try {
    await withPatience(promise, `a rejection with ${code}`);
  } catch (err) {
    t.true(isKairosError(err, code), `expected KairosError ${code}, got ${String(err)} ${JSON.stringify(err)}`);
    return err as Record<string, any>;
  }
  t.fail(`expected a KairosError with code ${code}, but it resolved`);
  return {};
}

/** Matches a fixture's event report: `{ event, id }`. */
export function event(name: string, id?: string): (msg: any) => boolean {
  return (m) => typeof m === 'object' && m !== null && m.event === name && (id === undefined || m.id === id);
}
