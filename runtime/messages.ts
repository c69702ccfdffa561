import type { Pid, Ref } from './pid.ts';
import type { ExitReason } from './exit-reason.ts';

/** What a process trapping exits receives for an exit signal: Erlang's `{'EXIT', From, Reason}`. */
export interface ExitMessage {
  readonly type: 'EXIT';
  readonly from: Pid;
  readonly reason: ExitReason;
}

/**
 * What a monitoring process receives when the monitored process exits: Erlang's
 * `{'DOWN', Ref, process, Pid, Reason}`. For a monitor set by registered name, `pid` is that
 * name (Erlang gives `{Name, Node}`), whether or not the name was registered.
 */
export interface DownMessage {
  readonly type: 'DOWN';
  readonly ref: Ref;
  readonly pid: Pid | string;
  readonly reason: ExitReason;
}

export function isExit(msg: unknown): msg is ExitMessage {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'EXIT' && 'from' in msg;
}

export function isDown(msg: unknown): msg is DownMessage {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'DOWN' && 'ref' in msg;
}

/** A receive pattern for the DOWN message of one monitor. */
export function downOf(ref: Ref): (msg: unknown) => msg is DownMessage {
  return (msg): msg is DownMessage => isDown(msg) && ref.equals(msg.ref);
}

/** A receive pattern for the EXIT message from one process. */
export function exitFrom(pid: Pid): (msg: unknown) => msg is ExitMessage {
  return (msg): msg is ExitMessage => isExit(msg) && pid.equals(msg.from);
}
