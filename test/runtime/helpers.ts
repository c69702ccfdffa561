import type { ExecutionContext } from 'ava';
import { PATIENCE_MS, QUIET_MS, until, withPatience } from '../waiting.ts';
import {
  Runtime,
  TIMEOUT,
  downOf,
  isKairosError,
  reasonEquals,
  type Clock,
  type ExitReason,
  type Pid,
  type Self,
} from '../../runtime/index.ts';

export { Inbox, type Pattern } from '../inbox.ts';
export { QUIET_MS, until };

export interface RuntimeOptions {
  clock?: Clock;
  budget?: number;
}

/**
 * The one place the single-scheduler rule tests build a runtime (their counterparts across
 * two schedulers are in test/runtime/cross/). The runtime is shut down when the test ends.
 */
export function makeRuntime(t: ExecutionContext, options: RuntimeOptions = {}): Runtime {
  const rt = new Runtime({ schedulers: 1, ...options });
  t.teardown(() => rt.shutdown());
  return rt;
}

export type AsyncBody = (self: Self) => Promise<unknown>;
export type GeneratorBody = (self: Self) => Generator<unknown, unknown, unknown>;
export type Body = AsyncBody | GeneratorBody;

/** The exit reason of `pid`, failing the test instead of hanging when it never exits. */
export function exitOf(rt: Runtime, pid: Pid): Promise<ExitReason> {
  return withPatience(rt.wait(pid), `${String(pid)} to exit`);
}

/**
 * Runs `body` as a process and resolves when it returns; rejects with the exit reason when
 * it ends any other way, so assertion code can live inside processes.
 */
export async function run(rt: Runtime, body: Body): Promise<void> {
  const pid = rt.spawn(body);
  const reason = await exitOf(rt, pid);
  if (reason !== 'normal') throw new Error(`test process ${String(pid)} exited with ${describe(reason)}`);
}

export function describe(reason: unknown): string {
  try {
    return JSON.stringify(reason);
  } catch {
    return String(reason);
  }
}

/** Throws (ending the calling process abnormally) when a receive that had to succeed timed out. */
export function got<T>(value: T | typeof TIMEOUT, what: string): T {
  if (value === TIMEOUT) throw new Error(`no ${what} arrived`);
  return value;
}

/** A receive timeout for messages that must arrive: long enough never to fire on a healthy runtime. */
export const MUST = { timeout: PATIENCE_MS } as const;

/** Spawns a process that waits for any message and then exits with reason `'normal'`. */
export function spawnIdle(rt: Runtime): Pid {
  return rt.spawn(async (self: Self) => {
    await self.receive();
  });
}

/** Spawns a process that exits at once with `reason` and waits until it is dead. */
export async function deadPid(rt: Runtime, reason: ExitReason = 'normal'): Promise<Pid> {
  const pid = rt.spawn(async (self: Self) => {
    if (reason !== 'normal') self.exit(reason);
  });
  await exitOf(rt, pid);
  return pid;
}

/**
 * True when `pid` is still alive after a bounded wait: a monitor's DOWN does not arrive within
 * {@link QUIET_MS}. Used to assert that a signal was ignored.
 */
export async function survives(rt: Runtime, pid: Pid): Promise<boolean> {
  let down = true;
  await run(rt, async (self) => {
    const ref = self.monitor(pid);
    down = (await self.receive(downOf(ref), { timeout: QUIET_MS })) !== TIMEOUT;
    self.demonitor(ref, { flush: true });
  });
  return !down && rt.isAlive(pid);
}

/** Resolves once `pid` is parked in a receive, so a manual clock can be moved past its deadline. */
export function parked(rt: Runtime, pid: Pid): Promise<void> {
  return until(() => rt.processInfo(pid)?.status === 'waiting', `${String(pid)} waits in receive`);
}

/** Asserts that `fn` throws a KairosError with `code`, returning it for further checks. */
export function throwsCode(t: ExecutionContext, fn: () => unknown, code: string): Error | undefined {
  try {
    fn();
  } catch (err) {
    t.true(isKairosError(err, code), `expected KairosError ${code}, got ${describe(err)} ${String(err)}`);
    return err as Error;
  }
  t.fail(`expected a KairosError with code ${code}, but the call returned`);
  return undefined;
}

/** Same as {@link throwsCode} for calls that may throw or reject. */
export async function rejectsCode(t: ExecutionContext, fn: () => unknown, code: string): Promise<Error | undefined> {
  try {
    await fn();
  } catch (err) {
    t.true(isKairosError(err, code), `expected KairosError ${code}, got ${String(err)}`);
    return err as Error;
  }
  t.fail(`expected a KairosError with code ${code}, but the call succeeded`);
  return undefined;
}

export function sameReason(t: ExecutionContext, actual: unknown, expected: unknown): void {
  t.true(reasonEquals(actual, expected), `expected reason ${describe(expected)}, got ${describe(actual)}`);
}

/** Checks that an exit reason is a thrown error's serialised form. */
export function isErrorReason(reason: unknown): reason is { error: { name: string; message: string; stack?: string } } {
  if (typeof reason !== 'object' || reason === null || !('error' in reason)) return false;
  const error = (reason as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    && typeof (error as { message?: unknown }).message === 'string';
}
