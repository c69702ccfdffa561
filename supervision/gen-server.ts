import {
  OUTSIDE, ProcessExit, Runtime, TIMEOUT, errorReason, isExit,
  type ExitReason, type ModuleRef, type Pid, type Ref, type Self,
} from '../runtime/index.ts';
import { KairosError, assertNever, invalidInput, isKairosError, preview } from './errors.ts';
import {
  callProtocol, isCall, isCast, isSystem, sendAck, sendQuietly, sendReply, startProtocol, stopProtocol,
  validateServer, validateTimeout,
  type CallMessage, type From, type InitOutcome, type ServerRef, type StartResult, type SystemMessage,
} from './gen.ts';
import { needsSettle, op, settle, type Caller, type Op, type Protocol } from './op.ts';
import { noreply, type CallResult, type CastResult, type InitResult, type Reply, type Noreply, type Returns, type Stop } from './results.ts';

/**
 * A gen-server behaviour: a typed object of callbacks (OTP's `gen_server` callback module).
 * Each callback returns a result built by a helper (`ok`, `reply`, `noreply`, `stop`, ...)
 * directly, as a promise (the server waits; messages queue meanwhile, as when an OTP callback
 * blocks), or from a generator function (`*handleCall(...) { yield* ... }`), which is how a
 * callback waits in receive, e.g. to call another server with `yield* GenServer.call(self, ...)`.
 * A promise-returning callback must not receive: the server is a generator process.
 */
export interface GenServerBehaviour<S, A = undefined, Req = any, Rep = any, Cast = any> {
  /** Runs in the new process before the start returns: `ok(state)`, `ignore()` or `stop(reason)`. */
  init(args: A, self: Self): Returns<InitResult<S>>;
  /** A `call`: `reply(value, state)`, `noreply(state)` (reply later with `GenServer.reply`), `stop(...)`/`stopReply(...)`. */
  handleCall?(request: Req, from: From, state: S, self: Self): Returns<CallResult<S, Rep>>;
  /** A `cast`: `noreply(state)` or `stop(reason, state)`. */
  handleCast?(request: Cast, state: S, self: Self): Returns<CastResult<S>>;
  /** Any other message (EXIT and DOWN messages included; `'timeout'` after a result's timeout). Default: ignore it. */
  handleInfo?(msg: unknown, state: S, self: Self): Returns<CastResult<S>>;
  /** Runs right after a result that asked for `{ continue: value }`. */
  handleContinue?(value: unknown, state: S, self: Self): Returns<CastResult<S>>;
  /** Runs before the server exits with `reason` (a stop result, a crash, or its parent's exit when trapping exits). */
  terminate?(reason: ExitReason, state: S, self: Self): unknown;
  /** Migrates the running server's state (still in the old behaviour's shape) when `GenServer.codeChange` installs this behaviour. */
  codeChange?(oldVersion: unknown, oldState: unknown, extra: unknown): Returns<S>;
  /** The state as crash reports show it (OTP `format_status`); default: the state itself. */
  formatStatus?(state: S): unknown;
}

type AnyBehaviour = GenServerBehaviour<any, any, any, any, any>;

/**
 * A behaviour named by module and export (a module's exported behaviour object), so the
 * server can run on any scheduler: `{ module: new URL('./counter.js', import.meta.url),
 * export: 'counter', scheduler?: 1 }`. Its init arguments are copied to that scheduler.
 */
export type BehaviourRef = ModuleRef;

/** This module, spawned by reference to host a server whose behaviour is a {@link BehaviourRef}. */
const SELF_MODULE = import.meta.url;

export interface StartOptions {
  /** Register the server under this name before `init` runs (OTP `{local, Name}`). */
  readonly name?: string;
  /** Milliseconds `init` may take; then the process is killed and the start fails with `timeout`. @default Infinity */
  readonly timeout?: number;
}

/** The one object a server's crash report carries; mutated per message, never reallocated. */
interface CrashInfo {
  lastMessage: unknown;
  state: unknown;
}

class Server {
  state: unknown = undefined;
  private readonly info: CrashInfo = { lastMessage: undefined, state: undefined };

  constructor(
    readonly self: Self,
    private behaviour: AnyBehaviour,
    private readonly parent: Pid | undefined,
  ) {
    self.setCrashInfo(this.info as unknown as Record<string, unknown>);
  }

  *init(ack: Ref, args: unknown): Generator<unknown, InitResult<unknown>, unknown> {
    let result: unknown;
    try {
      result = this.behaviour.init(args, this.self);
      if (needsSettle(result)) result = yield* settle(this.self, result);
    } catch (err) {
      this.rethrowIfDead(err);
      const reason = reasonOf(err);
      sendAck(this.self, ack, initError(reason, err));
      this.self.exit(reason);
    }
    if (!isResult(result, 'ok') && !isResult(result, 'ignore') && !isResult(result, 'stop')) {
      const reason = { bad_return_value: preview(result) };
      sendAck(this.self, ack, { kind: 'error', reason });
      this.self.exit(reason);
    }
    return result as InitResult<unknown>;
  }

  *loop(first: { timeout: number; hasContinue: boolean; continueWith: unknown }): Generator<unknown, never, unknown> {
    const self = this.self;
    this.info.state = this.state;
    let timeout = first.timeout;
    let pending = first.hasContinue;
    let continueWith = first.continueWith;
    for (;;) {
      let result: CallResult<unknown, unknown> | CastResult<unknown> | undefined;
      let msg: unknown;
      if (pending) {
        msg = { continue: continueWith };
        this.info.lastMessage = msg;
        result = yield* this.invoke(CONTINUE, continueWith, undefined);
      } else {
        msg = timeout === Infinity ? yield* self.receive() : yield* self.receive(null, { timeout });
        if (msg === TIMEOUT) msg = 'timeout';
        this.info.lastMessage = msg;
        result = yield* this.dispatch(msg);
      }
      if (result === undefined) continue;
      if (result.kind === 'stop') yield* this.stopWith(result, msg);
      const next = result as Reply<unknown, unknown> | Noreply<unknown>;
      this.state = next.state;
      this.info.state = next.state;
      if (next.kind === 'reply') sendReply(self, (msg as CallMessage).from, next.reply);
      timeout = next.timeout;
      pending = next.hasContinue;
      continueWith = next.continueWith;
    }
  }

  /** Routes one message; `undefined` when the behaviour layer handled it itself (system messages keep the timeout). */
  private *dispatch(msg: unknown): Generator<unknown, CallResult<unknown, unknown> | CastResult<unknown> | undefined, unknown> {
    if (isCall(msg)) return yield* this.invoke(CALL, msg.request, msg.from);
    if (isCast(msg)) return yield* this.invoke(CAST, msg.request, undefined);
    if (isSystem(msg)) {
      yield* this.system(msg);
      return undefined;
    }
    if (this.parent !== undefined && isExit(msg) && msg.from.equals(this.parent)) {
      // OTP: a server trapping exits ends with its parent's reason, running terminate first.
      return yield* this.terminate(msg.reason);
    }
    // Without handleInfo the message is dropped, as OTP's default handle_info does (`{noreply, State}`).
    if (this.behaviour.handleInfo === undefined) return noreply(this.state);
    return yield* this.invoke(INFO, msg, undefined);
  }

  private *invoke(kind: number, a: unknown, from: From | undefined): Generator<unknown, any, unknown> {
    const b = this.behaviour;
    const self = this.self;
    let result: unknown;
    try {
      switch (kind) {
        case CALL:
          result = b.handleCall === undefined ? undef('handleCall') : b.handleCall(a, from!, this.state, self);
          break;
        case CAST:
          result = b.handleCast === undefined ? undef('handleCast') : b.handleCast(a, this.state, self);
          break;
        case INFO:
          result = b.handleInfo!(a, this.state, self);
          break;
        default:
          result = b.handleContinue === undefined ? undef('handleContinue') : b.handleContinue(a, this.state, self);
      }
      if (needsSettle(result)) result = yield* settle(self, result);
    } catch (err) {
      this.rethrowIfDead(err);
      return yield* this.terminate(reasonOf(err));
    }
    if (!isResult(result, 'noreply') && !isResult(result, 'stop') && !(kind === CALL && isResult(result, 'reply'))) {
      return yield* this.terminate({ bad_return_value: preview(result) });
    }
    return result;
  }

  private *system(msg: SystemMessage): Generator<unknown, void, unknown> {
    const request = msg.request;
    if (request.op === 'stop') {
      yield* this.terminate(request.reason);
      return;
    }
    const next = request.behaviour as AnyBehaviour;
    try {
      const state = next.codeChange === undefined ? this.state : yield* settle(this.self, next.codeChange(request.oldVersion, this.state, request.extra));
      this.behaviour = next;
      this.state = state;
      this.info.state = state;
      if (msg.from !== undefined) sendReply(this.self, msg.from, { ok: true });
    } catch (err) {
      this.rethrowIfDead(err);
      if (msg.from !== undefined) sendReply(this.self, msg.from, { ok: false, reason: reasonOf(err) });
    }
  }

  private *stopWith(result: Stop<unknown>, msg: unknown): Generator<unknown, never, unknown> {
    if (result.hasState) this.state = result.state;
    try {
      yield* this.runTerminate(result.reason);
    } finally {
      if (result.replies) sendReply(this.self, (msg as CallMessage).from, result.reply);
    }
    this.exit(result.reason);
  }

  /** Runs `terminate(reason)` and exits with `reason` (or with terminate's own failure). */
  *terminate(reason: ExitReason): Generator<unknown, never, unknown> {
    yield* this.runTerminate(reason);
    this.exit(reason);
  }

  private *runTerminate(reason: ExitReason): Generator<unknown, void, unknown> {
    const terminate = this.behaviour.terminate;
    if (terminate === undefined) return;
    let failure: ExitReason | undefined;
    try {
      yield* settle(this.self, terminate.call(this.behaviour, reason, this.state, this.self));
    } catch (err) {
      this.rethrowIfDead(err);
      failure = reasonOf(err);
    }
    if (failure !== undefined) this.exit(failure);
  }

  private exit(reason: ExitReason): never {
    const format = this.behaviour.formatStatus;
    this.info.state = this.state;
    if (format !== undefined) {
      try {
        this.info.state = format.call(this.behaviour, this.state);
      } catch {
        this.info.state = { format_status_failed: true };
      }
    }
    this.self.exit(reason);
  }

  /** A killed process's code must not run cleanup: let the unwind through. */
  private rethrowIfDead(err: unknown): void {
    if (err instanceof ProcessExit && !this.self.isAlive(this.self.pid)) throw err;
  }
}

const CALL = 0;
const CAST = 1;
const INFO = 2;
const CONTINUE = 3;

function undef(callback: string): never {
  throw new KairosError('invalid_input', `the behaviour has no ${callback} callback`, { field: callback });
}

function isResult(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind;
}

function reasonOf(err: unknown): ExitReason {
  return err instanceof ProcessExit ? err.reason : errorReason(err);
}

function initError(reason: ExitReason, err: unknown): InitOutcome {
  if (isKairosError(err, 'invalid_input')) {
    const field = err.field;
    return field === undefined ? { kind: 'error', reason, code: 'invalid_input', message: err.message } : { kind: 'error', reason, code: 'invalid_input', message: err.message, field };
  }
  return { kind: 'error', reason };
}

function* serverBody(
  self: Self, ack: Ref, parent: Pid | undefined, behaviour: AnyBehaviour, args: unknown, name: string | undefined,
): Generator<unknown, void, unknown> {
  if (name !== undefined && !claimName(self, ack, name)) return;
  const server = new Server(self, behaviour, parent);
  const result = yield* server.init(ack, args);
  switch (result.kind) {
    case 'ignore':
      sendAck(self, ack, { kind: 'ignore' });
      return;
    case 'stop':
      sendAck(self, ack, { kind: 'error', reason: result.reason });
      self.exit(result.reason);
      break;
    case 'ok':
      server.state = result.state;
      sendAck(self, ack, { kind: 'ok' });
      yield* server.loop(result);
      break;
    default:
      assertNever(result);
  }
}

/** The body of a server started from a {@link BehaviourRef}: load the behaviour here, then serve. */
export function* serverByReference(
  self: Self, ack: Ref, parent: Pid | undefined, ref: { module: string; export: string }, args: unknown, name: string | undefined,
): Generator<unknown, void, unknown> {
  let behaviour: AnyBehaviour;
  try {
    const mod = (yield* self.await(import(ref.module))) as Record<string, unknown>;
    const exported = mod[ref.export];
    if (exported === undefined) throw invalidInput(`export ${JSON.stringify(ref.export)} of ${ref.module}`, 'a gen-server behaviour object', exported);
    behaviour = validateBehaviour(exported);
  } catch (err) {
    sendAck(self, ack, initError(errorReason(err), err));
    return self.exit(errorReason(err));
  }
  yield* serverBody(self, ack, parent, behaviour, args, name);
}

function isBehaviourRef(value: unknown): value is BehaviourRef {
  return typeof value === 'object' && value !== null && 'module' in value && 'export' in value && !('init' in value);
}

/** Registration happens in the new process, so two racing starts cannot both get the name. */
function claimName(self: Self, ack: Ref, name: string): boolean {
  const holder = self.whereis(name);
  if (holder === undefined) {
    self.register(name);
    return true;
  }
  sendAck(self, ack, { kind: 'already_started', pid: holder });
  return false;
}

function validateBehaviour(behaviour: unknown): AnyBehaviour {
  if (typeof behaviour !== 'object' || behaviour === null || typeof (behaviour as AnyBehaviour).init !== 'function') {
    throw invalidInput('behaviour', 'an object with an init function (and handleCall, handleCast, ... as needed)', behaviour);
  }
  for (const key of ['handleCall', 'handleCast', 'handleInfo', 'handleContinue', 'terminate', 'codeChange', 'formatStatus'] as const) {
    const fn = (behaviour as AnyBehaviour)[key];
    if (fn !== undefined && typeof fn !== 'function') throw invalidInput(`behaviour.${key}`, 'a function or absent', fn);
  }
  return behaviour as AnyBehaviour;
}

function validateOptions(options: unknown): { name: string | undefined; timeout: number } {
  if (options === undefined) return { name: undefined, timeout: Infinity };
  if (typeof options !== 'object' || options === null) throw invalidInput('options', 'an object like { name, timeout }', options);
  const { name, timeout } = options as StartOptions;
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) throw invalidInput('options.name', 'a non-empty string', name);
  return { name, timeout: timeout === undefined ? Infinity : validateTimeout('options.timeout', timeout) };
}

function startOp<A>(caller: Caller, link: boolean, behaviour: GenServerBehaviour<any, A> | BehaviourRef, args: A, options?: StartOptions): Op<StartResult> {
  return op(caller, (self) => startServer(self, link, behaviour, args, options, caller instanceof Runtime ? OUTSIDE : undefined));
}

/** The start protocol for a gen-server, for behaviours (the supervisor) built on this one. */
export function* startServer<A>(
  self: Self, link: boolean, behaviour: GenServerBehaviour<any, A> | BehaviourRef, args: A, options: StartOptions | undefined, parent: Pid | undefined,
): Protocol<StartResult> {
  const { name, timeout } = validateOptions(options);
  if (isBehaviourRef(behaviour)) {
    const ref = behaviour as BehaviourRef;
    const module = ref.module instanceof URL ? ref.module.href : ref.module;
    const body: ModuleRef = ref.scheduler === undefined
      ? { module: SELF_MODULE, export: 'serverByReference' }
      : { module: SELF_MODULE, export: 'serverByReference', scheduler: ref.scheduler };
    return yield* startProtocol(self, { body, args: [{ module, export: ref.export }, args, name], link, name, timeout }, parent);
  }
  const b = validateBehaviour(behaviour);
  return yield* startProtocol(self, { body: serverBody, args: [b, args, name] as [AnyBehaviour, unknown, string | undefined], link, name, timeout }, parent);
}

function* codeChangeProtocol(self: Self, server: ServerRef, behaviour: AnyBehaviour, oldVersion: unknown, extra: unknown, timeout: number): Protocol<void> {
  const answer = (yield* callProtocol(self, server, '$gen_system', { op: 'code_change', behaviour, oldVersion, extra }, timeout)) as {
    ok: boolean;
    reason?: ExitReason;
  };
  if (!answer.ok) {
    throw new KairosError('code_change_failed', `codeChange failed; the server keeps its old behaviour`, answer.reason === undefined ? {} : { reason: answer.reason });
  }
}

/**
 * The gen-server API (OTP's `gen_server` module). Every function takes the caller first: a
 * process's `self` (then the result is an {@link Op}: `yield*` it in a generator process,
 * `await` it in an async one) or the `Runtime` from outside any process (then `await` it; a
 * short-lived caller process makes the request).
 *
 * @example
 * const counter = {
 *   init: (start: number) => ok(start),
 *   handleCall: (_req: 'get', _from: From, n: number) => reply(n, n),
 *   handleCast: (_req: 'inc', n: number) => noreply(n + 1),
 * } satisfies GenServerBehaviour<number, number>;
 * const pid = await GenServer.start(rt, counter, 0);
 * GenServer.cast(rt, pid as Pid, 'inc');
 * await GenServer.call(rt, pid as Pid, 'get'); // 1
 */
export const GenServer = {
  /**
   * Starts a server without a link (`gen_server:start`); resolves once `init` returned
   * `ok(...)` with the pid, or `'ignore'`. A server started from outside any process has the
   * outside pseudo-process as parent, so `rt.exit(pid, 'shutdown')` stops it through
   * `terminate` when it traps exits.
   * @throws invalid_input, already_started (with `pid`), init_failed (with `reason`), timeout
   */
  start<A>(caller: Caller, behaviour: GenServerBehaviour<any, A> | BehaviourRef, args: A, options?: StartOptions): Op<StartResult> {
    return startOp(caller, false, behaviour, args, options);
  },

  /**
   * Starts a server linked to the calling process (`gen_server:start_link`), which becomes its
   * parent. As in OTP, if `init` fails abnormally a caller that does not trap exits dies too.
   * @throws invalid_input, already_started (with `pid`), init_failed (with `reason`), timeout
   */
  startLink<A>(self: Self, behaviour: GenServerBehaviour<any, A> | BehaviourRef, args: A, options?: StartOptions): Op<StartResult> {
    if (self instanceof Runtime) throw invalidInput('self', "a process's self (a link needs a calling process; use start from outside)", self);
    return startOp(self, true, behaviour, args, options);
  },

  /**
   * Sends `request` and waits for the reply (`gen_server:call`): monitor + alias-tagged request
   * + timeout. A reply that arrives after the timeout is dropped, never left in the mailbox.
   * @default timeout 5000
   * @throws noproc (server not alive), server_exited (with the exit `reason`), timeout, calling_self, invalid_input
   */
  call<R = unknown>(caller: Caller, server: ServerRef, request: unknown, timeout = 5000): Op<R> {
    const to = validateServer(server);
    const ms = validateTimeout('timeout', timeout);
    return op(caller, (self) => callProtocol(self, to, '$gen_call', request, ms) as Protocol<R>);
  },

  /** Sends `request` to `handleCast` and returns at once (`gen_server:cast`); never fails, even for a dead server or an unknown name. */
  cast(caller: Caller, server: ServerRef, request: unknown): void {
    sendQuietly(caller, validateServer(server), { type: '$gen_cast', request });
  },

  /** Replies to a call answered with `noreply` (`gen_server:reply`); dropped if the caller stopped waiting. */
  reply(caller: Caller, from: From, value: unknown): void {
    sendReply(caller, from, value);
  },

  /**
   * Stops a server: it runs `terminate(reason)` and exits with `reason` (`gen_server:stop`).
   * @default reason 'normal', timeout Infinity
   * @throws noproc, server_exited (it exited with another reason), timeout
   */
  stop(caller: Caller, server: ServerRef, reason: ExitReason = 'normal', timeout = Infinity): Op<void> {
    const to = validateServer(server);
    const ms = validateTimeout('timeout', timeout);
    return op(caller, (self) => stopProtocol(self, to, reason, ms));
  },

  /**
   * Installs `behaviour` on a running server, migrating its state with the new behaviour's
   * `codeChange(oldVersion, state, extra)` (OTP `sys:change_code`, without suspending).
   * @throws code_change_failed (the server keeps its old behaviour), noproc, server_exited, timeout
   */
  codeChange(caller: Caller, server: ServerRef, behaviour: GenServerBehaviour<any, any>, oldVersion: unknown, extra?: unknown, timeout = 5000): Op<void> {
    const to = validateServer(server);
    const b = validateBehaviour(behaviour);
    const ms = validateTimeout('timeout', timeout);
    return op(caller, (self) => codeChangeProtocol(self, to, b, oldVersion, extra, ms));
  },
};
