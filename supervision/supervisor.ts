import { OUTSIDE, Runtime, isPid, type ExitReason, type Pid, type Self } from '../runtime/index.ts';
import { KairosError, invalidInput } from './errors.ts';
import { callProtocol, validateServer, type ServerRef, type StartResult } from './gen.ts';
import { GenServer, startServer } from './gen-server.ts';
import { op, type Caller, type Op, type Protocol } from './op.ts';
import { validateChildSpec, type ChildSpec, type FullChildSpec } from './child-spec.ts';
import { supervisorServer, type Answer, type SupervisorBehaviour, type SupervisorRequest } from './supervisor-server.ts';
import type { ChildCounts, ChildInfo, ReportHook } from './supervisor-children.ts';

export interface SupervisorOptions {
  /** Register the supervisor under this name. */
  readonly name?: string;
  /** Receives the supervisor's reports (child terminated, start error, shutdown error, intensity reached). */
  readonly onReport?: ReportHook;
}

function validateOptions(options: unknown): { name?: string; onReport: ReportHook | undefined } {
  if (options === undefined) return { onReport: undefined };
  if (typeof options !== 'object' || options === null) throw invalidInput('options', 'an object like { name, onReport }', options);
  const { name, onReport } = options as SupervisorOptions;
  if (onReport !== undefined && typeof onReport !== 'function') throw invalidInput('options.onReport', 'a function or absent', onReport);
  return name === undefined ? { onReport } : { name, onReport };
}

function startOp<A>(caller: Caller, link: boolean, behaviour: SupervisorBehaviour<A>, args: A, options?: SupervisorOptions): Op<StartResult> {
  if (typeof behaviour !== 'object' || behaviour === null || typeof behaviour.init !== 'function') {
    throw invalidInput('behaviour', 'an object with an init(args) function returning { strategy, intensity, period, children }', behaviour);
  }
  const { name, onReport } = validateOptions(options);
  const parent = caller instanceof Runtime ? OUTSIDE : undefined;
  return op(caller, (self) => startServer(self, link, supervisorServer, { behaviour, args, onReport }, name === undefined ? {} : { name }, parent));
}

/** A supervisor call: OTP's `call(Supervisor, Req)` is a `gen_server:call` with `infinity`. */
function request<T>(caller: Caller, supervisor: ServerRef, make: () => SupervisorRequest): Op<T> {
  const to = validateServer(supervisor);
  return op(caller, (self) => answerOf<T>(self, to, make));
}

function* answerOf<T>(self: Self, supervisor: ServerRef, make: () => SupervisorRequest): Protocol<T> {
  const answer = (yield* callProtocol(self, supervisor, '$gen_call', make(), Infinity)) as Answer;
  if ('ok' in answer) return answer.ok as T;
  const { error, message, ...fields } = answer;
  throw new KairosError(error, message, fields);
}

function validateChildRef(child: unknown): string | Pid {
  if ((typeof child === 'string' && child.length > 0) || isPid(child)) return child;
  throw invalidInput('child', 'a child id (non-empty string) or, for a simple_one_for_one supervisor, a child pid', child);
}

function validateId(id: unknown): string {
  if (typeof id === 'string' && id.length > 0) return id;
  throw invalidInput('id', 'a child id (non-empty string)', id);
}

function startChildRequest(specOrArgs: ChildSpec | readonly unknown[]): SupervisorRequest {
  if (Array.isArray(specOrArgs)) return { op: 'start_child', spec: undefined, args: specOrArgs };
  return { op: 'start_child', spec: validateChildSpec(specOrArgs), args: undefined };
}

/**
 * The supervisor API (OTP's `supervisor` module). As with {@link GenServer}, the caller comes
 * first: a process's `self` (the result is an {@link Op}: `yield*` or `await` it) or the
 * `Runtime` from outside any process (`await` it). Supervisor calls wait without a timeout, as
 * OTP's do.
 *
 * @example
 * const tree: SupervisorBehaviour = {
 *   init: () => ({ strategy: 'one_for_one', intensity: 3, period: 5000, children: [
 *     { id: 'counter', start: (self: Self) => GenServer.startLink(self, counter, 0) },
 *   ] }),
 * };
 * const sup = await Supervisor.start(rt, tree, undefined);
 * await Supervisor.whichChildren(rt, sup as Pid); // [{ id: 'counter', pid: <0.5.0>, type: 'worker' }]
 */
export const Supervisor = {
  /**
   * Starts a supervisor without a link; resolves once every child started, with its pid (or
   * `'ignore'` if `init` returned `ignore()`). From outside any process its parent is the
   * outside pseudo-process: `rt.exit(pid, 'shutdown')` shuts the tree down in order.
   * @throws invalid_input (bad flags or child specs, naming the field), init_failed (a child failed to start: `reason` is `{ shutdown: { failed_to_start_child, reason } }`), already_started
   */
  start<A>(caller: Caller, behaviour: SupervisorBehaviour<A>, args: A, options?: SupervisorOptions): Op<StartResult> {
    return startOp(caller, false, behaviour, args, options);
  },

  /** Starts a supervisor linked to the calling process, its parent (`supervisor:start_link`). @throws as {@link Supervisor.start} */
  startLink<A>(self: Self, behaviour: SupervisorBehaviour<A>, args: A, options?: SupervisorOptions): Op<StartResult> {
    if (self instanceof Runtime) throw invalidInput('self', "a process's self (a link needs a calling process; use start from outside)", self);
    return startOp(self, true, behaviour, args, options);
  },

  /**
   * Adds a child and starts it (`start_child/2`): a child spec, or for a simple_one_for_one
   * supervisor an array of extra arguments appended to the template's. Resolves with the pid,
   * or `undefined` when the start function returned `'ignore'`.
   * @throws invalid_input, already_started (with `pid`), already_present, start_failed (with `reason`)
   */
  startChild(caller: Caller, supervisor: ServerRef, specOrArgs: ChildSpec | readonly unknown[]): Op<Pid | undefined> {
    return request(caller, supervisor, () => startChildRequest(specOrArgs));
  },

  /**
   * Stops a child by id, keeping its spec unless it is temporary (`terminate_child/2`); for a
   * simple_one_for_one supervisor, by pid (a pid that is no longer alive succeeds, as in OTP).
   * @throws not_found, simple_one_for_one (an id given to a simple_one_for_one supervisor)
   */
  terminateChild(caller: Caller, supervisor: ServerRef, child: string | Pid): Op<void> {
    return request(caller, supervisor, () => ({ op: 'terminate_child', child: validateChildRef(child) }));
  },

  /**
   * Starts again a child whose spec is kept but which is not running (`restart_child/2`).
   * @throws not_found, running, restarting, simple_one_for_one, start_failed
   */
  restartChild(caller: Caller, supervisor: ServerRef, id: string): Op<Pid | undefined> {
    return request(caller, supervisor, () => ({ op: 'restart_child', id: validateId(id) }));
  },

  /** Removes the spec of a child that is not running (`delete_child/2`). @throws not_found, running, restarting, simple_one_for_one */
  deleteChild(caller: Caller, supervisor: ServerRef, id: string): Op<void> {
    return request(caller, supervisor, () => ({ op: 'delete_child', id: validateId(id) }));
  },

  /**
   * Every child, in OTP's order: the most recently started static child first (OTP keeps its
   * children in reverse start order); simple_one_for_one children in start order.
   */
  whichChildren(caller: Caller, supervisor: ServerRef): Op<ChildInfo[]> {
    return request(caller, supervisor, () => ({ op: 'which_children' }));
  },

  /** Counts of specs, running children, supervisors and workers (`count_children/1`). */
  countChildren(caller: Caller, supervisor: ServerRef): Op<ChildCounts> {
    return request(caller, supervisor, () => ({ op: 'count_children' }));
  },

  /** The child's spec with every default filled in (`get_childspec/2`). @throws not_found */
  getChildspec(caller: Caller, supervisor: ServerRef, child: string | Pid): Op<FullChildSpec> {
    return request(caller, supervisor, () => ({ op: 'get_childspec', child: validateChildRef(child) }));
  },

  /** Stops the supervisor and its whole tree (children in reverse start order), as `GenServer.stop` does. */
  stop(caller: Caller, supervisor: ServerRef, reason: ExitReason = 'normal'): Op<void> {
    return GenServer.stop(caller, supervisor, reason);
  },
};
