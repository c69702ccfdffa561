import { Ref, type Pid } from './pid.ts';
import type { ExitReason } from './exit-reason.ts';
import type { Proc } from './process.ts';

/**
 * What few processes need, kept beside the process table so every process stays small:
 * active aliases, crash info, and `Runtime.wait` callers. Keyed by pid or ref keys (numbers),
 * never by process object (that would give every process an identity hash).
 */
export class SideTables {
  private readonly aliases = new Map<number, Proc>();
  private readonly aliasesOf = new Map<number, number[]>();
  private readonly crashInfo = new Map<number, Record<string, unknown>>();
  private readonly waiters = new Map<number, ((reason: ExitReason) => void)[]>();

  addAlias(p: Proc, ref: Ref): void {
    this.aliases.set(ref.key, p);
    const own = this.aliasesOf.get(p.pid.key);
    if (own === undefined) this.aliasesOf.set(p.pid.key, [ref.key]);
    else own.push(ref.key);
  }

  removeAlias(p: Proc, ref: Ref): boolean {
    if (this.aliases.get(ref.key) !== p) return false;
    this.aliases.delete(ref.key);
    const own = this.aliasesOf.get(p.pid.key)!;
    own.splice(own.indexOf(ref.key), 1);
    if (own.length === 0) this.aliasesOf.delete(p.pid.key);
    return true;
  }

  aliasOwner(refKey: number): Proc | undefined {
    return this.aliases.get(refKey);
  }

  setCrashInfo(p: Proc, info: Record<string, unknown> | undefined): void {
    if (info === undefined) this.crashInfo.delete(p.pid.key);
    else this.crashInfo.set(p.pid.key, info);
  }

  addWaiter(pid: Pid, resolve: (reason: ExitReason) => void): void {
    const list = this.waiters.get(pid.key);
    if (list === undefined) this.waiters.set(pid.key, [resolve]);
    else list.push(resolve);
  }

  /** A process exited: drop its aliases, answer its waiters, and return its crash info. */
  release(p: Proc, reason: ExitReason): Record<string, unknown> | undefined {
    const key = p.pid.key;
    if (this.aliasesOf.size > 0) {
      const own = this.aliasesOf.get(key);
      if (own !== undefined) {
        for (const k of own) this.aliases.delete(k);
        this.aliasesOf.delete(key);
      }
    }
    if (this.waiters.size > 0) {
      const list = this.waiters.get(key);
      if (list !== undefined) {
        this.waiters.delete(key);
        for (const resolve of list) resolve(reason);
      }
    }
    if (this.crashInfo.size === 0) return undefined;
    const info = this.crashInfo.get(key);
    this.crashInfo.delete(key);
    return info;
  }

  /** The runtime stopped: every waiter learns its process was killed. */
  clear(): void {
    for (const list of this.waiters.values()) for (const resolve of list) resolve('killed');
    this.waiters.clear();
    this.aliases.clear();
    this.aliasesOf.clear();
    this.crashInfo.clear();
  }
}
