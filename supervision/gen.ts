import {
  TIMEOUT, isDown, isExit, isPid, reasonEquals, isKairosError as isRuntimeError,
  type Body, type ExitReason, type ModuleRef, type Pid, type Ref, type Self,
} from '../runtime/index.ts';
import { KairosError, assertNever, describeReason, invalidInput } from './errors.ts';
import { wait, type Caller, type Protocol } from './op.ts';

/** A server: its pid or its registered name. */
export type ServerRef = Pid | string;

/** Who is waiting for a reply: the caller's pid and the alias the reply goes to (OTP's `From`). */
export interface From {
  readonly pid: Pid;
  readonly tag: Ref;
}

export interface CallMessage {
  readonly type: '$gen_call';
  readonly from: From;
  readonly request: unknown;
}

export interface CastMessage {
  readonly type: '$gen_cast';
  readonly request: unknown;
}

/** Requests the behaviour layer itself answers (OTP's system messages). */
export interface SystemMessage {
  readonly type: '$gen_system';
  readonly request: SystemRequest;
  readonly from?: From;
}

export type SystemRequest =
  | { readonly op: 'stop'; readonly reason: ExitReason }
  | { readonly op: 'code_change'; readonly behaviour: unknown; readonly oldVersion: unknown; readonly extra: unknown };

interface ReplyMessage {
  readonly type: '$gen_reply';
  readonly tag: Ref;
  readonly reply: unknown;
}

/** What a starting process tells its starter (proc_lib's `ack` / `nack`). */
export type InitOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'ignore' }
  | { readonly kind: 'error'; readonly reason: ExitReason; readonly code?: string; readonly message?: string; readonly field?: string }
  | { readonly kind: 'already_started'; readonly pid: Pid };

interface AckMessage {
  readonly type: '$gen_ack';
  readonly tag: Ref;
  readonly outcome: InitOutcome;
}

export function isCall(msg: unknown): msg is CallMessage {
  return typeof msg === 'object' && msg !== null && (msg as CallMessage).type === '$gen_call';
}

export function isCast(msg: unknown): msg is CastMessage {
  return typeof msg === 'object' && msg !== null && (msg as CastMessage).type === '$gen_cast';
}

export function isSystem(msg: unknown): msg is SystemMessage {
  return typeof msg === 'object' && msg !== null && (msg as SystemMessage).type === '$gen_system';
}

/** Sends `reply` to a caller waiting in {@link callProtocol}; dropped if the caller gave up (its alias is gone). */
export function sendReply(sender: Caller, from: From, reply: unknown): void {
  const msg: ReplyMessage = { type: '$gen_reply', tag: from.tag, reply };
  sender.send(from.tag, msg);
}

/** The starting process acknowledges its start (OTP `proc_lib:init_ack` / `init_fail`). */
export function sendAck(self: Self, tag: Ref, outcome: InitOutcome): void {
  const msg: AckMessage = { type: '$gen_ack', tag, outcome };
  self.send(tag, msg);
}

/** Sends without ever failing: a cast to a name that is not registered is dropped, as in OTP. */
export function sendQuietly(sender: Caller, to: ServerRef, msg: unknown): void {
  try {
    sender.send(to, msg);
  } catch (err) {
    if (!isRuntimeError(err, 'not_registered')) throw err;
  }
}

export function validateServer(server: unknown): ServerRef {
  if (typeof server === 'string' && server.length > 0) return server;
  if (isPid(server)) return server;
  throw invalidInput('server', 'a Pid or a registered name (non-empty string)', server);
}

export function validateTimeout(field: string, timeout: unknown): number {
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
    throw invalidInput(field, 'a non-negative number of milliseconds or Infinity', timeout);
  }
  return timeout;
}

function resolve(self: Self, server: ServerRef): Pid {
  if (typeof server !== 'string') return server;
  const pid = self.whereis(server);
  if (pid === undefined) throw new KairosError('noproc', `no process is registered as ${JSON.stringify(server)}`);
  return pid;
}

/**
 * `gen:call`: monitor the server, send a request tagged with a fresh alias, wait for the reply
 * or the DOWN. The alias is dropped before returning, so a reply that comes after a timeout
 * is discarded by the runtime instead of landing in the caller's mailbox.
 */
export function* callProtocol(
  self: Self, server: ServerRef, type: '$gen_call' | '$gen_system', request: unknown, timeout: number,
): Protocol<unknown> {
  const pid = resolve(self, server);
  if (pid.equals(self.pid)) throw new KairosError('calling_self', `${pid} called itself`, { pid });
  const mref = self.monitor(pid);
  const tag = self.alias();
  self.send(pid, { type, from: { pid: self.pid, tag }, request });
  const got = yield wait((m) => isReplyTo(m, tag) || (isDown(m) && m.ref.equals(mref)), timeout);
  self.unalias(tag);
  if (got === TIMEOUT) {
    self.demonitor(mref, { flush: true });
    // A reply may have been delivered after the timer fired but before this process resumed.
    const late = yield wait((m) => isReplyTo(m, tag), 0);
    if (late !== TIMEOUT) return (late as ReplyMessage).reply;
    throw new KairosError('timeout', `no reply from ${pid} within ${timeout} ms`, { pid });
  }
  if (isDown(got)) throw exitedDuringCall(pid, got.reason);
  self.demonitor(mref, { flush: true });
  return (got as ReplyMessage).reply;
}

function isReplyTo(msg: unknown, tag: Ref): boolean {
  return typeof msg === 'object' && msg !== null && (msg as ReplyMessage).type === '$gen_reply' && tag.equals((msg as ReplyMessage).tag);
}

function exitedDuringCall(pid: Pid, reason: ExitReason): KairosError {
  if (reason === 'noproc') return new KairosError('noproc', `${pid} is not alive`, { pid });
  return new KairosError('server_exited', `${pid} exited during the call with ${describeReason(reason)}`, { pid, reason });
}

/** Monitor, ask the server to stop with `reason`, wait for it to be gone (`proc_lib:stop`). */
export function* stopProtocol(self: Self, server: ServerRef, reason: ExitReason, timeout: number): Protocol<void> {
  const pid = resolve(self, server);
  if (pid.equals(self.pid)) throw new KairosError('calling_self', `${pid} tried to stop itself with a call`, { pid });
  const mref = self.monitor(pid);
  const msg: SystemMessage = { type: '$gen_system', request: { op: 'stop', reason } };
  self.send(pid, msg);
  const got = yield wait((m) => isDown(m) && m.ref.equals(mref), timeout);
  if (got === TIMEOUT) {
    self.demonitor(mref, { flush: true });
    throw new KairosError('timeout', `${pid} did not stop within ${timeout} ms`, { pid });
  }
  const exit = (got as { reason: ExitReason }).reason;
  if (exit === 'noproc') throw new KairosError('noproc', `${pid} is not alive`, { pid });
  if (!reasonEquals(exit, reason)) throw exitedDuringCall(pid, exit);
}

export interface StartSpec<A extends unknown[]> {
  /** The process body; it receives the ack alias and the parent (the starter when linked) after `self`. */
  readonly body: Body<[ack: Ref, parent: Pid | undefined, ...args: A]> | ModuleRef;
  readonly args: A;
  readonly link: boolean;
  readonly name: string | undefined;
  readonly timeout: number;
}

/** What {@link startProtocol} resolves to: the pid, or `'ignore'` when init returned `ignore()`. */
export type StartResult = Pid | 'ignore';

/**
 * `gen:start` / `proc_lib:start_link`: spawn (and link), wait for the init acknowledgement, the
 * process's death, or the timeout (then the process is killed). As in OTP, a linked starter
 * that does not trap exits dies with a process whose init failed abnormally.
 */
export function* startProtocol<A extends unknown[]>(self: Self, spec: StartSpec<A>, parent: Pid | undefined): Protocol<StartResult> {
  if (spec.name !== undefined) {
    const holder = self.whereis(spec.name);
    if (holder !== undefined) throw alreadyStarted(spec.name, holder);
  }
  const ack = self.alias();
  const pid = spec.link
    ? self.spawnLink(spec.body, ack, self.pid, ...spec.args)
    : self.spawn(spec.body, ack, parent, ...spec.args);
  const mref = self.monitor(pid);
  const got = yield wait((m) => isAckOf(m, ack) || (isDown(m) && m.ref.equals(mref)), spec.timeout);
  self.unalias(ack);
  if (got === TIMEOUT) {
    self.demonitor(mref, { flush: true });
    if (spec.link) self.unlink(pid);
    self.exit(pid, 'kill');
    // An acknowledgement delivered after the timer fired but before this process resumed is stale now.
    yield wait((m) => isAckOf(m, ack), 0);
    throw new KairosError('timeout', `${pid} did not finish init within ${spec.timeout} ms`, { pid });
  }
  if (isDown(got)) {
    yield* flushExit(self, pid, spec.link);
    throw initFailed(pid, got.reason);
  }
  const outcome = (got as AckMessage).outcome;
  if (outcome.kind === 'ok') {
    self.demonitor(mref, { flush: true });
    return pid;
  }
  yield wait((m) => isDown(m) && m.ref.equals(mref), Infinity);
  yield* flushExit(self, pid, spec.link);
  return failedStart(pid, outcome);
}

function failedStart(pid: Pid, outcome: InitOutcome): 'ignore' {
  switch (outcome.kind) {
    case 'ignore':
      return 'ignore';
    case 'already_started':
      throw new KairosError('already_started', `a process is already registered under that name: ${outcome.pid}`, { pid: outcome.pid });
    case 'error':
      if (outcome.code === 'invalid_input') {
        const fields = outcome.field === undefined ? { reason: outcome.reason } : { reason: outcome.reason, field: outcome.field };
        throw new KairosError('invalid_input', `init: ${outcome.message ?? 'invalid input'}`, fields);
      }
      throw initFailed(pid, outcome.reason);
    case 'ok':
      throw new Error('unreachable: an ok acknowledgement is handled by the caller');
    default:
      return assertNever(outcome);
  }
}

/** OTP's `unlink_flush`: a linked starter that traps exits must not keep the child's EXIT. */
function* flushExit(self: Self, pid: Pid, linked: boolean): Protocol<void> {
  if (!linked) return;
  self.unlink(pid);
  yield wait((m) => isExit(m) && m.from.equals(pid), 0);
}

function isAckOf(msg: unknown, tag: Ref): boolean {
  return typeof msg === 'object' && msg !== null && (msg as AckMessage).type === '$gen_ack' && tag.equals((msg as AckMessage).tag);
}

function initFailed(pid: Pid, reason: ExitReason): KairosError {
  return new KairosError('init_failed', `${pid} failed in init with ${describeReason(reason)}`, { pid, reason });
}

export function alreadyStarted(name: string, pid: Pid): KairosError {
  return new KairosError('already_started', `${JSON.stringify(name)} is already registered by ${pid}`, { pid });
}

/** Exit reasons that end a child without it being an error (OTP: `normal`, `shutdown`, `{shutdown, _}`). */
export function isCleanExit(reason: ExitReason): boolean {
  if (reason === 'normal' || reason === 'shutdown') return true;
  return typeof reason === 'object' && reason !== null && !Array.isArray(reason) && Object.keys(reason).length === 1 && 'shutdown' in reason;
}
