import { PayloadCodec } from './codec.ts';
import { closedError, packageNotFound, sequenceConflict } from './errors.ts';
import type {
  DurableTimer,
  EventStore,
  IdPage,
  PackageRoute,
  RunChainEntry,
  RunId,
  RunSummary,
  StoredEvent,
  WorkflowFilter,
  WorkflowId,
  WorkflowPackage,
  WorkflowPage,
  WorkflowQuery,
} from './event-store.ts';
import { buildRunChain, chainEntry } from './run-chain.ts';
import {
  checkAppend,
  checkCountQuery,
  checkFilter,
  checkFromSeq,
  checkId,
  checkIdPage,
  checkPackage,
  checkPositiveInteger,
  checkRoute,
  checkTime,
  checkTimer,
} from './validate.ts';
import { compareRuns, decodeCursor, encodeCursor, isTerminalStatus, matchesQuery } from './visibility.ts';

interface StoredRun {
  readonly bytes: Uint8Array;
  /** A private decoded copy for filtering; callers only ever get fresh decodes of `bytes`. */
  readonly view: RunSummary;
}

interface StoredPackage {
  readonly type: string;
  readonly version: string;
  readonly bytes: Uint8Array;
  readonly manifest: Uint8Array;
  readonly deployedAt: number;
  readonly order: number;
}

const key = (a: string, b: string): string => `${a}\u0000${b}`;

/**
 * The reference {@link EventStore}: everything in memory, nothing survives the process. Values are
 * encoded on the way in and decoded on the way out with the same codec as the SQLite store, so
 * both give callers the same fidelity and neither shares objects with its callers.
 *
 * @example
 * const store = new MemoryStore();
 * await store.append('order-1', [{ seq: 1, at: Date.now(), runId: 'r1', type: 'workflow_started' }], 0);
 */
export class MemoryStore implements EventStore {
  readonly #codec = new PayloadCodec();
  readonly #histories = new Map<WorkflowId, Uint8Array[]>();
  readonly #runs = new Map<string, StoredRun>();
  readonly #timers = new Map<string, DurableTimer>();
  readonly #packages = new Map<string, StoredPackage>();
  readonly #routes = new Map<string, string>();
  #deployCount = 0;
  #closed = false;

  async append(workflowId: WorkflowId, events: readonly StoredEvent[], expectedSeq: number, summary?: RunSummary): Promise<number> {
    this.#open('append');
    checkAppend(workflowId, events, expectedSeq, summary);
    const history = this.#histories.get(workflowId) ?? [];
    if (history.length !== expectedSeq) throw sequenceConflict(workflowId, expectedSeq, history.length);
    const encoded = events.map((event) => this.#codec.encode(event));
    const run = summary === undefined ? undefined : this.#codec.encode(summary);
    if (encoded.length > 0) this.#histories.set(workflowId, history.concat(encoded));
    if (run !== undefined && summary !== undefined) {
      this.#runs.set(key(workflowId, summary.runId), { bytes: run, view: this.#codec.decode(run) });
    }
    return expectedSeq + encoded.length;
  }

  async readHistory(workflowId: WorkflowId, fromSeq = 1): Promise<StoredEvent[]> {
    this.#open('readHistory');
    checkId('workflowId', workflowId);
    checkFromSeq(fromSeq);
    const history = this.#histories.get(workflowId) ?? [];
    return history.slice(Math.max(fromSeq, 1) - 1).map((bytes) => this.#codec.decode<StoredEvent>(bytes));
  }

  async runChain(workflowId: WorkflowId, runId?: RunId): Promise<RunChainEntry[]> {
    this.#open('runChain');
    checkId('workflowId', workflowId);
    if (runId !== undefined) checkId('runId', runId);
    const runs = [...this.#runs.values()].map((run) => run.view).filter((run) => run.workflowId === workflowId);
    return buildRunChain(runs, runId).map(chainEntry);
  }

  async scheduleTimer(workflowId: WorkflowId, timerId: string, fireAt: number): Promise<void> {
    this.#open('scheduleTimer');
    checkTimer(workflowId, timerId);
    checkTime('fireAt', fireAt);
    this.#timers.set(key(workflowId, timerId), { workflowId, timerId, fireAt });
  }

  async cancelTimer(workflowId: WorkflowId, timerId: string): Promise<boolean> {
    this.#open('cancelTimer');
    checkTimer(workflowId, timerId);
    return this.#timers.delete(key(workflowId, timerId));
  }

  async dueTimers(asOf: number, limit?: number): Promise<DurableTimer[]> {
    this.#open('dueTimers');
    checkTime('asOf', asOf);
    checkPositiveInteger('limit', limit);
    const due = [...this.#timers.values()]
      .filter((timer) => timer.fireAt <= asOf)
      .sort((a, b) => a.fireAt - b.fireAt || compareText(a.workflowId, b.workflowId) || compareText(a.timerId, b.timerId));
    return due.slice(0, limit).map((timer) => ({ ...timer }));
  }

  async listWorkflows(filter?: WorkflowFilter): Promise<WorkflowPage> {
    this.#open('listWorkflows');
    checkFilter(filter);
    const after = filter?.cursor === undefined ? undefined : decodeCursor(filter.cursor);
    const matching = this.#matching(filter).filter((run) => after === undefined || compareRuns(run, after) > 0);
    const offset = filter?.offset ?? 0;
    const limit = filter?.limit;
    const page = matching.slice(offset, limit === undefined ? undefined : offset + limit);
    const last = page.at(-1);
    const more = limit !== undefined && matching.length > offset + limit;
    const items = page.map((run) => this.#decodeRun(run));
    return more && last !== undefined ? { items, nextCursor: encodeCursor(last) } : { items };
  }

  async countWorkflows(query?: WorkflowQuery): Promise<number> {
    this.#open('countWorkflows');
    checkCountQuery(query);
    return this.#matching(query).length;
  }

  async listActive(): Promise<RunSummary[]> {
    this.#open('listActive');
    return this.#sortedRuns()
      .filter((run) => !isTerminalStatus(run.status))
      .map((run) => this.#decodeRun(run));
  }

  async listWorkflowIds(page?: IdPage): Promise<WorkflowId[]> {
    this.#open('listWorkflowIds');
    checkIdPage(page);
    const ids = new Set(this.#histories.keys());
    for (const run of this.#runs.values()) ids.add(run.view.workflowId);
    const after = page?.after;
    const sorted = [...ids].filter((id) => after === undefined || id > after).sort(compareText);
    return sorted.slice(0, page?.limit);
  }

  async putPackage(pkg: WorkflowPackage): Promise<void> {
    this.#open('putPackage');
    checkPackage(pkg);
    this.#packages.set(key(pkg.type, pkg.version), {
      type: pkg.type,
      version: pkg.version,
      bytes: new Uint8Array(pkg.bytes),
      manifest: this.#codec.encode(pkg.manifest),
      deployedAt: pkg.deployedAt,
      order: ++this.#deployCount,
    });
    this.#routes.set(pkg.type, pkg.version);
  }

  async putRoute(type: string, version: string): Promise<void> {
    this.#open('putRoute');
    checkRoute(type, version);
    if (!this.#packages.has(key(type, version))) throw packageNotFound(type, version);
    this.#routes.set(type, version);
  }

  async listPackages(): Promise<WorkflowPackage[]> {
    this.#open('listPackages');
    return [...this.#packages.values()]
      .sort((a, b) => a.deployedAt - b.deployedAt || a.order - b.order)
      .map((p) => ({
        type: p.type,
        version: p.version,
        bytes: new Uint8Array(p.bytes),
        manifest: this.#codec.decode<Record<string, unknown>>(p.manifest),
        deployedAt: p.deployedAt,
      }));
  }

  async listRoutes(): Promise<PackageRoute[]> {
    this.#open('listRoutes');
    return [...this.#routes.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([type, version]) => ({ type, version }));
  }

  async deletePackage(type: string, version: string): Promise<boolean> {
    this.#open('deletePackage');
    checkRoute(type, version);
    if (this.#routes.get(type) === version) this.#routes.delete(type);
    return this.#packages.delete(key(type, version));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(operation: string): void {
    if (this.#closed) throw closedError(operation);
  }

  #sortedRuns(): RunSummary[] {
    return [...this.#runs.values()].map((run) => run.view).sort(compareRuns);
  }

  #matching(query: WorkflowQuery | undefined): RunSummary[] {
    return this.#sortedRuns().filter((run) => matchesQuery(run, query));
  }

  #decodeRun(view: RunSummary): RunSummary {
    const stored = this.#runs.get(key(view.workflowId, view.runId));
    return this.#codec.decode<RunSummary>(stored?.bytes ?? this.#codec.encode(view));
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
