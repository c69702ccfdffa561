/**
 * OTP behaviours on the Kairos runtime. `GenServer` is the gen-server behaviour: a typed object
 * of callbacks (`init`, `handleCall`, `handleCast`, `handleInfo`, `terminate`, ...) returning
 * results built by `ok`, `reply`, `noreply`, `stop`, run by a generator process; `call` is
 * monitor + alias-tagged request + timeout, as `gen:call`. `Supervisor` is OTP's supervisor,
 * itself a gen-server callback module: child specs, the four strategies, restart intensity on
 * the runtime's clock, ordered start and reverse-ordered shutdown, and the full child API.
 * Requests made from a process return an `Op`: `yield*` it in a generator process, `await` it
 * in an async one; from outside any process pass the `Runtime` and `await`.
 */
export { GenServer, startServer } from './gen-server.ts';
export type { GenServerBehaviour, BehaviourRef, StartOptions } from './gen-server.ts';
export { ok, ignore, reply, noreply, stop, stopReply } from './results.ts';
export type { Ok, Ignore, Reply, Noreply, Stop, InitResult, CallResult, CastResult, NextOptions, Returns } from './results.ts';
export type { From, ServerRef, StartResult } from './gen.ts';
export type { Op, Caller } from './op.ts';
export { Supervisor } from './supervisor.ts';
export type { SupervisorOptions } from './supervisor.ts';
export type { SupervisorBehaviour } from './supervisor-server.ts';
export type { SupervisorSpec, Strategy } from './supervisor-spec.ts';
export { validateChildSpec } from './child-spec.ts';
export type { ChildSpec, FullChildSpec, RestartType, Shutdown, ChildType, StartFunction } from './child-spec.ts';
export type { ChildInfo, ChildCounts, SupervisorReport } from './supervisor-children.ts';
export { RestartIntensity } from './restart-intensity.ts';
export { KairosError, isKairosError } from './errors.ts';
export type { SupervisionErrorCode } from './errors.ts';
