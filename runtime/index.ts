/**
 * The Kairos actor runtime: BEAM-style processes for Node.js. Pids and refs, processes
 * spawned from async or generator functions, mailboxes with selective receive, links,
 * monitors, exit signals and trap_exit with Erlang's rules, a name registry, and schedulers
 * that preempt at receive and keep the event loop live.
 */
export { Runtime, OUTSIDE } from './runtime.ts';
export type { RuntimeOptions, RuntimeEvents, CrashReport, ProcessInfo } from './runtime.ts';
export { Pid, Ref, isPid, isRef } from './pid.ts';
export { TIMEOUT, ProcessExit } from './process.ts';
export type { Self, Body, Receive, ReceiveOptions, DemonitorOptions, Timeout } from './process.ts';
export { KairosError, isKairosError, preview } from './errors.ts';
export type { RuntimeErrorCode } from './errors.ts';
export { reasonEquals, serializeError, errorReason } from './exit-reason.ts';
export type { ExitReason, SerializedError } from './exit-reason.ts';
export { isExit, isDown, downOf, exitFrom } from './messages.ts';
export type { ExitMessage, DownMessage } from './messages.ts';
export { SystemClock, ManualClock } from './clock.ts';
export type { ModuleRef } from './module-ref.ts';
export { MAX_SHARED_NAME_BYTES } from './registry.ts';
export type { Clock, TimerHandle } from './clock.ts';
