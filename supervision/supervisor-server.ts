import { isExit, isPid, type ExitReason, type Pid, type Self } from '../runtime/index.ts';
import { needsSettle, settle } from './op.ts';
import { ignore, noreply, ok, reply, stop } from './results.ts';
import { startProcess } from './child-process.ts';
import { validateSupervisorSpec, type SupervisorSpec } from './supervisor-spec.ts';
import { Children, type ReportHook } from './supervisor-children.ts';
import type { FullChildSpec } from './child-spec.ts';
import type { GenServerBehaviour } from './gen-server.ts';
import type { Ignore, Returns } from './results.ts';
import { assertNever, describeReason, type SupervisionErrorCode } from './errors.ts';

/** A supervisor callback module (OTP's `supervisor` behaviour): `init` says how to supervise what. */
export interface SupervisorBehaviour<A = undefined> {
  /** Runs in the supervisor process; returns the flags and child specs, or `ignore()`. Keep it free of side effects. */
  init(args: A): Returns<SupervisorSpec | Ignore>;
}

export interface SupervisorArgs {
  readonly behaviour: SupervisorBehaviour<any>;
  readonly args: unknown;
  readonly onReport: ReportHook | undefined;
}

/** Requests the API functions send (the supervisor's `handle_call` clauses). */
export type SupervisorRequest =
  | { readonly op: 'start_child'; readonly spec: FullChildSpec | undefined; readonly args: readonly unknown[] | undefined }
  | { readonly op: 'terminate_child'; readonly child: string | Pid }
  | { readonly op: 'restart_child'; readonly id: string }
  | { readonly op: 'delete_child'; readonly id: string }
  | { readonly op: 'get_childspec'; readonly child: string | Pid }
  | { readonly op: 'which_children' }
  | { readonly op: 'count_children' };

/** How the supervisor answers: a value, or an error the API turns into a `KairosError`. */
export type Answer =
  | { readonly ok: unknown }
  | { readonly error: SupervisionErrorCode; readonly message: string; readonly pid?: Pid; readonly reason?: ExitReason; readonly id?: string };

interface RetryRequest {
  readonly op: 'try_again_restart';
  readonly target: string | number;
}

function fail(code: SupervisionErrorCode, message: string, fields: { pid?: Pid; reason?: ExitReason; id?: string } = {}): Answer {
  return { error: code, message, ...fields };
}

const NOT_SIMPLE = (what: string): Answer => fail('simple_one_for_one', `${what} is not available for a simple_one_for_one supervisor`);

function* startChild(c: Children, request: Extract<SupervisorRequest, { op: 'start_child' }>): Generator<unknown, Answer, unknown> {
  if (c.simple) {
    if (request.args === undefined) return fail('invalid_input', 'a simple_one_for_one supervisor starts children from extra arguments (an array), not a child spec');
    const outcome = yield* startProcess(c.self, c.template!, request.args);
    if (outcome === 'ignore') return { ok: undefined };
    if (!isPid(outcome)) return startFailed(undefined, outcome.error);
    c.storeDynamic(outcome, request.args);
    return { ok: outcome };
  }
  const spec = request.spec;
  if (spec === undefined) return fail('invalid_input', 'childSpec must be an object { id, start, ... } for a supervisor that is not simple_one_for_one, got an array');
  const existing = c.find(spec.id);
  if (existing !== undefined) {
    if (existing.pid !== undefined) return fail('already_started', `child ${JSON.stringify(spec.id)} is already running as ${existing.pid}`, { pid: existing.pid, id: spec.id });
    return fail('already_present', `a child spec with id ${JSON.stringify(spec.id)} is already present`, { id: spec.id });
  }
  const outcome = yield* startProcess(c.self, spec, []);
  if (isPid(outcome)) c.add(spec, outcome);
  else if (outcome !== 'ignore') return startFailed(spec.id, outcome.error);
  else if (spec.restart !== 'temporary') c.add(spec, undefined);
  return { ok: isPid(outcome) ? outcome : undefined };
}

function startFailed(id: string | undefined, reason: ExitReason): Answer {
  const already = (reason as { already_started?: unknown } | null)?.already_started;
  if (isPid(already)) return fail('already_started', `the child's start found a process already registered: ${already}`, { pid: already });
  const who = id === undefined ? 'the child' : `child ${JSON.stringify(id)}`;
  return fail('start_failed', `${who} failed to start: ${describeReason(reason)}`, id === undefined ? { reason } : { reason, id });
}

function* terminateChild(c: Children, target: string | Pid): Generator<unknown, Answer, unknown> {
  if (c.simple) {
    if (!isPid(target)) return NOT_SIMPLE('terminateChild by id');
    const entry = c.dynamic.get(target.key);
    if (entry === undefined) return c.self.isAlive(target) ? fail('not_found', `${target} is not a child of this supervisor`) : { ok: undefined };
    yield* c.shutdownDynamic(entry);
    c.eraseDynamic(entry);
    return { ok: undefined };
  }
  const child = typeof target === 'string' ? c.find(target) : undefined;
  if (child === undefined) return notFound(target);
  yield* c.shutdown(child);
  c.release(child);
  return { ok: undefined };
}

function notFound(target: string | Pid): Answer {
  return fail('not_found', `no child ${typeof target === 'string' ? JSON.stringify(target) : String(target)}`, typeof target === 'string' ? { id: target } : {});
}

function* restartChild(c: Children, id: string): Generator<unknown, Answer, unknown> {
  if (c.simple) return NOT_SIMPLE('restartChild');
  const child = c.find(id);
  if (child === undefined) return notFound(id);
  if (child.restarting) return fail('restarting', `child ${JSON.stringify(id)} is about to be restarted`, { id });
  if (child.pid !== undefined) return fail('running', `child ${JSON.stringify(id)} is running as ${child.pid}`, { id, pid: child.pid });
  const outcome = yield* startProcess(c.self, child.spec, []);
  if (outcome === 'ignore') return { ok: undefined };
  if (!isPid(outcome)) return startFailed(id, outcome.error);
  c.setPid(child, outcome);
  return { ok: outcome };
}

function deleteChild(c: Children, id: string): Answer {
  if (c.simple) return NOT_SIMPLE('deleteChild');
  const child = c.find(id);
  if (child === undefined) return notFound(id);
  if (child.restarting) return fail('restarting', `child ${JSON.stringify(id)} is about to be restarted`, { id });
  if (child.pid !== undefined) return fail('running', `child ${JSON.stringify(id)} is running as ${child.pid}; terminate it first`, { id, pid: child.pid });
  c.remove(child);
  return { ok: undefined };
}

function getChildspec(c: Children, target: string | Pid): Answer {
  if (c.simple) {
    const template = c.template!;
    if (typeof target === 'string') return target === template.id ? { ok: template } : notFound(target);
    // OTP: a pid that is no longer alive is taken for one of the dynamic children.
    if (c.dynamic.has(target.key) || !c.self.isAlive(target)) return { ok: template };
    return notFound(target);
  }
  const child = typeof target === 'string' ? c.find(target) : undefined;
  return child === undefined ? notFound(target) : { ok: child.spec };
}

function* handle(c: Children, request: SupervisorRequest): Generator<unknown, Answer, unknown> {
  switch (request.op) {
    case 'start_child':
      return yield* startChild(c, request);
    case 'terminate_child':
      return yield* terminateChild(c, request.child);
    case 'restart_child':
      return yield* restartChild(c, request.id);
    case 'delete_child':
      return deleteChild(c, request.id);
    case 'get_childspec':
      return getChildspec(c, request.child);
    case 'which_children':
      return { ok: c.which() };
    case 'count_children':
      return { ok: c.count() };
    default:
      return assertNever(request);
  }
}

function isIgnore(value: unknown): value is Ignore {
  return typeof value === 'object' && value !== null && (value as Ignore).kind === 'ignore';
}

/** The supervisor itself: a gen-server callback module over {@link Children} (OTP's `supervisor` as a `gen_server`). */
export const supervisorServer: GenServerBehaviour<Children, SupervisorArgs, SupervisorRequest, Answer, RetryRequest> = {
  *init({ behaviour, args, onReport }: SupervisorArgs, self: Self) {
    self.trapExit(true);
    let spec: unknown = behaviour.init(args);
    if (needsSettle(spec)) spec = yield* settle(self, spec);
    if (isIgnore(spec)) return ignore();
    const full = validateSupervisorSpec(spec);
    const children = new Children(self, full, onReport);
    if (children.simple) return ok(children);
    const failure = yield* children.startInitial(full.children);
    return failure === undefined ? ok(children) : stop(failure);
  },

  *handleCall(request: SupervisorRequest, _from, children: Children) {
    return reply(yield* handle(children, request), children);
  },

  *handleCast(request: RetryRequest, children: Children) {
    const verdict = yield* children.retry(request.target);
    return verdict === 'shutdown' ? stop('shutdown', children) : noreply(children);
  },

  *handleInfo(msg: unknown, children: Children) {
    if (!isExit(msg)) return noreply(children);
    const verdict = yield* children.onExit(msg.from, msg.reason);
    return verdict === 'shutdown' ? stop('shutdown', children) : noreply(children);
  },

  *terminate(_reason: ExitReason, children: Children) {
    yield* children.terminateAll();
  },

  formatStatus(children: Children) {
    return { strategy: children.strategy, children: children.simple ? children.dynamic.size : children.list.length };
  },
};
