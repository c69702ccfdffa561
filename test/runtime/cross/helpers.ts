import type { TestFn } from 'ava';
import {
  Runtime, type ExitReason, type ModuleRef, type Pid, type Receive, type Ref, type Self,
} from '../../../runtime/index.ts';
import type { Command, Forwarded, Op, Reply } from '../../fixtures/runtime-rules.ts';
import { MUST } from '../helpers.ts';
import { Inbox, applyPattern, type Pattern } from '../../inbox.ts';

export { Inbox };

/** The fixture module every process under test is spawned from (closures cannot cross threads). */
export const FIXTURES = new URL('../../fixtures/runtime-rules.ts', import.meta.url).href;

/** Scheduler 0 is the test's own thread; scheduler 1 is a worker thread. */
export const SCHEDULERS = [0, 1] as const;

/** The scheduler that is not `k`. */
export const other = (k: number): number => 1 - k;

/** A module reference to a fixture body pinned to scheduler `k`. */
export function on(k: number, name: string): ModuleRef {
  return { module: FIXTURES, export: name, scheduler: k };
}

/** A receive timeout for a reply that must come but whose absence is the bug under test: fails in seconds, not at the suite's patience. */
export const SOON = { timeout: 3_000 } as const;

/**
 * One runtime with two schedulers for a whole test file, booted before the first test: a
 * worker booted from TypeScript sources costs about a second. Tests that share it must leave
 * it as they found it and must not count processes or events that are not theirs.
 */
export function sharedRuntime(test: TestFn): () => Runtime {
  let rt: Runtime | undefined;
  test.before(async () => {
    rt = new Runtime({ schedulers: 2 });
    await rt.ready();
  });
  test.after.always(async () => {
    await rt?.shutdown();
  });
  return () => rt!;
}

/** A runtime with two schedulers of its own, booted, shut down when the test ends. */
export async function ownRuntime(t: { teardown(fn: () => unknown): void }, options: { clock?: Runtime['clock'] } = {}): Promise<Runtime> {
  const rt = new Runtime({ schedulers: 2, ...options });
  t.teardown(() => rt.shutdown());
  await rt.ready();
  return rt;
}

/** A pattern for the `{ pong: ref }` answer of a `pongOnce` process to the ping `ref`. */
function pongOf(ping: Ref): (m: unknown) => boolean {
  return (m) => typeof m === 'object' && m !== null && ping.equals((m as { pong?: unknown }).pong);
}

/**
 * Resolves (inside a process) once every signal and message scheduler `k` sent this process
 * before now has arrived: a ping through a fresh process on `k` comes back behind them,
 * because everything between two schedulers travels on one ordered channel.
 */
export function roundTrip(self: Self, k: number): Receive<unknown> {
  const ping = self.makeRef();
  self.send(self.spawn(on(k, 'pongOnce')), { ping, from: self.pid });
  return self.receive(pongOf(ping), MUST);
}

/** The same barrier for the test's {@link Inbox}: what scheduler `k` sent to it before now is in it. */
export async function settle(rt: Runtime, inbox: Inbox, k: number): Promise<void> {
  const ping = rt.makeRef();
  rt.send(rt.spawn(on(k, 'pongOnce')), { ping, from: inbox.pid });
  await inbox.take(pongOf(ping));
}

/**
 * The test's handle on a {@link puppet} process: commands run operations on the puppet's own
 * `self`, and what the puppet receives comes back, in arrival order, through the test inbox.
 */
export class Puppet {
  private nextCommand = 1;

  constructor(readonly pid: Pid, private readonly inbox: Inbox) {}

  /** Spawns a puppet on scheduler `k` reporting to `inbox`. */
  static spawn(rt: Runtime, inbox: Inbox, k: number): Puppet {
    return new Puppet(rt.spawn(on(k, 'puppet'), inbox.pid), inbox);
  }

  /** Runs `ops` and resolves with their results; rejects when one failed. An empty list is a barrier: the puppet has handled everything sent to it before. */
  async do(...ops: Op[]): Promise<unknown[]> {
    const reply = await this.attempt(...ops);
    if (reply.error !== undefined) throw new Error(`puppet ${String(this.pid)}: ${reply.error.code}: ${reply.error.message}`);
    return reply.results;
  }

  /** Runs `ops` and resolves with the reply, error included. */
  async attempt(...ops: Op[]): Promise<Reply> {
    const cmd = this.post(...ops);
    return this.inbox.take<Reply>((m) => isReply(m) && m.reply === cmd && this.pid.equals(m.at));
  }

  /** Sends `ops` without waiting for the reply (for commands that end the puppet). */
  post(...ops: Op[]): number {
    const command: Command = { cmd: this.nextCommand++, ops };
    this.inbox.rt.send(this.pid, command);
    return command.cmd;
  }

  /** The next message this puppet received that `pattern` accepts (with receive's extraction rules). */
  async got<T = unknown>(pattern: Pattern = () => true): Promise<T> {
    const hit = await this.inbox.take<{ value: T }>((m) => {
      if (!isForwarded(m) || !this.pid.equals(m.at)) return undefined;
      const found = applyPattern(pattern, m.got);
      return found === undefined ? undefined : found as { value: T };
    });
    return hit.value;
  }

  /**
   * Resolves once the puppet has handled every message sent to it before this call, from
   * either scheduler: it pings a fresh process on the other scheduler and waits for the pong,
   * which travels behind anything that scheduler sent earlier.
   */
  async sync(): Promise<void> {
    const ping = this.inbox.rt.makeRef();
    await this.do(['spawn', on(other(this.pid.scheduler), 'pongOnce')], ['send', { $: 0 }, { ping, from: this.pid }]);
    await this.got(pongOf(ping));
  }

  /** True when, after {@link Puppet.sync}, the puppet has received nothing `pattern` accepts. */
  async nothing(pattern: Pattern = () => true): Promise<boolean> {
    await this.sync();
    return !this.inbox.has((m) => isForwarded(m) && this.pid.equals(m.at) && Boolean(pattern(m.got)));
  }
}

function isReply(m: unknown): m is Reply {
  return typeof m === 'object' && m !== null && 'reply' in m && 'results' in m;
}

function isForwarded(m: unknown): m is Forwarded {
  return typeof m === 'object' && m !== null && 'got' in m && 'at' in m;
}

/**
 * Exit reasons as the runtime's `exit` event reports them, for processes that may die before
 * the test could monitor them. Listens from construction until the test ends.
 */
export class ExitLog {
  private readonly reasons = new Map<number, ExitReason>();
  private readonly wakers = new Map<number, ((reason: ExitReason) => void)[]>();

  constructor(rt: Runtime, t: { teardown(fn: () => unknown): void }) {
    const onExit = (pid: Pid, reason: ExitReason): void => {
      this.reasons.set(pid.key, reason);
      for (const wake of this.wakers.get(pid.key) ?? []) wake(reason);
      this.wakers.delete(pid.key);
    };
    rt.events.on('exit', onExit);
    t.teardown(() => rt.events.off('exit', onExit));
  }

  /** The exit reason of `pid`, waiting for it if needed (bounded by the suite's patience). */
  reasonOf(pid: Pid): Promise<ExitReason> {
    const known = this.reasons.get(pid.key);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gave up waiting for ${String(pid)} to exit`)), MUST.timeout);
      const list = this.wakers.get(pid.key) ?? [];
      list.push((reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
      this.wakers.set(pid.key, list);
    });
  }
}

/** A pattern for messages that have property `key` (the whole message is taken). */
export function hasKey(key: string): (m: unknown) => boolean {
  return (m) => typeof m === 'object' && m !== null && key in m;
}

/** A pattern that extracts property `key` from messages that have it. */
export function field<T>(key: string): (m: unknown) => T | undefined {
  return (m) => (typeof m === 'object' && m !== null && key in m ? (m as Record<string, T>)[key] : undefined);
}
