import { PayloadCodec } from './codec.ts';
import { closedError, invalidInput, isKairosError, packageNotFound } from './errors.ts';
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
import { buildRunChain } from './run-chain.ts';
import type { Statement } from './sqlite/connection.ts';
import { GroupCommitter } from './sqlite/group-commit.ts';
import type { RunRow as RunWrite } from './sqlite/append-writer.ts';
import type { WriteOp } from './sqlite/group-commit.ts';
import { openDatabase } from './sqlite/open-database.ts';
import type { OpenSettings, OpenedDatabase } from './sqlite/open-database.ts';
import { chunkBodies, prepareReads } from './sqlite/reads.ts';
import type { HistoryChunk, ReadStatements, RunRow } from './sqlite/reads.ts';
import { storeError } from './sqlite/store-error.ts';
import { encodeSearchColumn, pageQuery, queryCondition } from './sqlite/visibility-sql.ts';
import {
  checkAppend,
  checkCountQuery,
  checkFilter,
  checkFromSeq,
  checkId,
  checkIdPage,
  checkNonNegativeInteger,
  checkPackage,
  checkPositiveInteger,
  checkRoute,
  checkTime,
  checkTimer,
} from './validate.ts';
import { decodeCursor, encodeCursor } from './visibility.ts';

/** Options of {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /**
   * What an acknowledged write survives. `'process'` (`PRAGMA synchronous = NORMAL` in WAL mode):
   * a killed or crashed process loses nothing; a power loss or OS crash may lose the last
   * commits, never corrupt the file. `'power'` (`synchronous = FULL`): every commit is fsynced
   * before its promises resolve, so it also survives power loss, at the price of one fsync per
   * group commit.
   * @default 'process'
   */
  readonly durability?: 'process' | 'power';
  /** How long a call waits for a lock held by another connection before failing with `store_locked`. @default 5000 */
  readonly busyTimeoutMs?: number;
  /**
   * The check run at open: `'quick'` (`PRAGMA quick_check`, reads every page, skips index
   * cross-checks), `'full'` (`integrity_check`) or `'none'`. Its cost grows with the file size.
   * @default 'quick'
   */
  readonly integrityCheck?: 'quick' | 'full' | 'none';
}

const ALL = -1;
/** Events per history query: bounds the memory of one read while keeping round trips few. */
const HISTORY_CHUNK = 4096;

/**
 * The embedded {@link EventStore}: one SQLite file (sqlite3 driver) in WAL mode. Appends that
 * arrive while a transaction is being prepared share one transaction (group commit); each
 * caller's promise resolves after that transaction commits. Reads run on a second connection and
 * see only committed state. Payloads are encoded with msgpackr.
 *
 * @example
 * const store = await SqliteStore.open('kairos.db', { durability: 'power' });
 * await store.append('order-1', [{ seq: 1, at: Date.now(), runId: 'r1', type: 'workflow_started' }], 0);
 * await store.close();
 */
export class SqliteStore implements EventStore {
  readonly #file: string;
  readonly #db: OpenedDatabase;
  readonly #reads: ReadStatements;
  readonly #committer: GroupCommitter;
  readonly #codec = new PayloadCodec();
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  private constructor(file: string, db: OpenedDatabase, reads: ReadStatements) {
    this.#file = file;
    this.#db = db;
    this.#reads = reads;
    this.#committer = new GroupCommitter(db.writer, file);
  }

  /**
   * Opens the store file, creating it and its schema if needed.
   * @throws `store_unavailable` (cannot open or create the file), `store_locked` (another
   *   connection holds a lock past `busyTimeoutMs`), `store_corrupt` (not a SQLite database, or
   *   the integrity check failed), `store_incompatible` (another application's database),
   *   `schema_too_new` (written by a newer Kairos), `invalid_input` (bad options). Every error
   *   names the file.
   */
  static async open(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    checkId('file', file);
    const db = await openDatabase(file, openSettings(options));
    try {
      return new SqliteStore(file, db, await prepareReads(db.reader));
    } catch (err) {
      await Promise.allSettled([db.writer.close(), db.reader.close()]);
      throw storeError(file, err, 'store_unavailable', 'preparing statements on');
    }
  }

  /** The database file this store writes. */
  get file(): string {
    return this.#file;
  }

  /** Transactions committed by this store so far (one per group commit). */
  get commits(): number {
    return this.#committer.commits;
  }

  append(workflowId: WorkflowId, events: readonly StoredEvent[], expectedSeq: number, summary?: RunSummary): Promise<number> {
    if (this.#closing) return Promise.reject(closedError('append'));
    try {
      checkAppend(workflowId, events, expectedSeq, summary);
      const encoded = events.map((event) => this.#codec.encode(event));
      const run = summary === undefined ? undefined : this.#runRow(summary);
      return this.#committer.append({ workflowId, expectedSeq, events: encoded, ...(run === undefined ? {} : { run }) });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  readHistory(workflowId: WorkflowId, fromSeq = 1): Promise<StoredEvent[]> {
    return this.#read('readHistory', async () => {
      checkId('workflowId', workflowId);
      checkFromSeq(fromSeq);
      const events: StoredEvent[] = [];
      // Chunks are separate snapshots; an append landing between two only adds events after the
      // first chunk's end, so the result is still a gap-free range from fromSeq.
      for (let from = Math.max(fromSeq, 1); ; ) {
        const [chunk] = await this.#reads.history.all<HistoryChunk>([workflowId, from, HISTORY_CHUNK]);
        if (chunk === undefined) break;
        for (const body of chunkBodies(chunk)) events.push(this.#codec.decode<StoredEvent>(body));
        if (chunk.n < HISTORY_CHUNK) break;
        from += chunk.n;
      }
      return events;
    });
  }

  runChain(workflowId: WorkflowId, runId?: RunId): Promise<RunChainEntry[]> {
    return this.#read('runChain', async () => {
      checkId('workflowId', workflowId);
      if (runId !== undefined) checkId('runId', runId);
      const rows = await this.#reads.runsOf.all<RunRow>([workflowId]);
      return buildRunChain(rows.map(chainEntryOf), runId);
    });
  }

  scheduleTimer(workflowId: WorkflowId, timerId: string, fireAt: number): Promise<void> {
    return this.#write('scheduleTimer', () => {
      checkTimer(workflowId, timerId);
      checkTime('fireAt', fireAt);
      return async (db) => {
        await db.run(
          `INSERT INTO timers (workflow_id, timer_id, fire_at) VALUES (?, ?, ?)
           ON CONFLICT (workflow_id, timer_id) DO UPDATE SET fire_at = excluded.fire_at`,
          [workflowId, timerId, fireAt],
        );
      };
    });
  }

  cancelTimer(workflowId: WorkflowId, timerId: string): Promise<boolean> {
    return this.#write('cancelTimer', () => {
      checkTimer(workflowId, timerId);
      return async (db) => (await db.run('DELETE FROM timers WHERE workflow_id = ? AND timer_id = ?', [workflowId, timerId])) > 0;
    });
  }

  dueTimers(asOf: number, limit?: number): Promise<DurableTimer[]> {
    return this.#read('dueTimers', async () => {
      checkTime('asOf', asOf);
      checkPositiveInteger('limit', limit);
      const rows = await this.#reads.dueTimers.all<{ workflow_id: string; timer_id: string; fire_at: number }>([asOf, limit ?? ALL]);
      return rows.map((row) => ({ workflowId: row.workflow_id, timerId: row.timer_id, fireAt: row.fire_at }));
    });
  }

  listWorkflows(filter?: WorkflowFilter): Promise<WorkflowPage> {
    return this.#read('listWorkflows', async () => {
      checkFilter(filter);
      const { sql, params } = pageQuery(filter, filter?.cursor === undefined ? undefined : decodeCursor(filter.cursor));
      const rows = await this.#db.reader.all<{ start_time: number; workflow_id: string; run_id: string; body: Uint8Array }>(sql, params);
      const limit = filter?.limit;
      const page = limit === undefined ? rows : rows.slice(0, limit);
      const items = page.map((row) => this.#codec.decode<RunSummary>(row.body));
      const last = page.at(-1);
      if (limit === undefined || rows.length <= limit || last === undefined) return { items };
      return { items, nextCursor: encodeCursor({ startTime: last.start_time, workflowId: last.workflow_id, runId: last.run_id }) };
    });
  }

  countWorkflows(query?: WorkflowQuery): Promise<number> {
    return this.#read('countWorkflows', async () => {
      checkCountQuery(query);
      const where = queryCondition(query);
      const row = await this.#db.reader.get<{ n: number }>(`SELECT COUNT(*) AS n FROM runs WHERE ${where.sql}`, where.params);
      return row?.n ?? 0;
    });
  }

  listActive(): Promise<RunSummary[]> {
    return this.#read('listActive', async () => {
      const rows = await this.#reads.active.all<{ body: Uint8Array }>();
      return rows.map((row) => this.#codec.decode<RunSummary>(row.body));
    });
  }

  listWorkflowIds(page?: IdPage): Promise<WorkflowId[]> {
    return this.#read('listWorkflowIds', async () => {
      checkIdPage(page);
      const rows = await this.#reads.workflowIds.all<{ id: string }>([page?.after ?? '', page?.limit ?? ALL]);
      return rows.map((row) => row.id);
    });
  }

  putPackage(pkg: WorkflowPackage): Promise<void> {
    return this.#write('putPackage', () => {
      checkPackage(pkg);
      const manifest = this.#codec.encode(pkg.manifest);
      return async (db) => {
        await db.run(
          `INSERT INTO packages (type, version, bytes, manifest, deployed_at, deploy_seq)
           VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(deploy_seq), 0) + 1 FROM packages))
           ON CONFLICT (type, version) DO UPDATE SET bytes = excluded.bytes, manifest = excluded.manifest,
             deployed_at = excluded.deployed_at, deploy_seq = excluded.deploy_seq`,
          [pkg.type, pkg.version, pkg.bytes, manifest, pkg.deployedAt],
        );
        await upsertRoute(db, pkg.type, pkg.version);
      };
    });
  }

  putRoute(type: string, version: string): Promise<void> {
    return this.#write('putRoute', () => {
      checkRoute(type, version);
      return async (db) => {
        const found = await db.all('SELECT 1 FROM packages WHERE type = ? AND version = ?', [type, version]);
        if (found.length === 0) throw packageNotFound(type, version);
        await upsertRoute(db, type, version);
      };
    });
  }

  listPackages(): Promise<WorkflowPackage[]> {
    return this.#read('listPackages', async () => {
      const rows = await this.#reads.packages.all<{
        type: string;
        version: string;
        bytes: Uint8Array;
        manifest: Uint8Array;
        deployed_at: number;
      }>();
      return rows.map((row) => ({
        type: row.type,
        version: row.version,
        bytes: new Uint8Array(row.bytes),
        manifest: this.#codec.decode<Record<string, unknown>>(row.manifest),
        deployedAt: row.deployed_at,
      }));
    });
  }

  listRoutes(): Promise<PackageRoute[]> {
    return this.#read('listRoutes', () => this.#reads.routes.all<PackageRoute>());
  }

  deletePackage(type: string, version: string): Promise<boolean> {
    return this.#write('deletePackage', () => {
      checkRoute(type, version);
      return async (db) => {
        await db.run('DELETE FROM routes WHERE type = ? AND version = ?', [type, version]);
        return (await db.run('DELETE FROM packages WHERE type = ? AND version = ?', [type, version])) > 0;
      };
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    await this.#committer.drain();
    await Promise.allSettled(this.#inFlight);
    await this.#committer.finalize();
    await Promise.all(Object.values(this.#reads).map((statement: Statement) => statement.finalize()));
    // The writer closes last: the last connection checkpoints the WAL into the file and removes
    // it, which the query-only reader would not do.
    const closed = [await settle(this.#db.reader.close()), await settle(this.#db.writer.close())];
    const failure = closed.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw storeError(this.#file, failure.reason, 'store_failed', 'closing');
  }

  #runRow(summary: RunSummary): RunWrite {
    return {
      columns: [
        summary.workflowId,
        summary.runId,
        summary.type,
        summary.status,
        summary.startTime,
        summary.closeTime ?? null,
        summary.parentRunId ?? null,
        encodeSearchColumn(summary.searchAttributes),
      ],
      body: this.#codec.encode(summary),
    };
  }

  #read<T>(operation: string, body: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(closedError(operation));
    const result = body().catch((err: unknown) => {
      throw isKairosError(err) ? err : storeError(this.#file, err, 'store_failed', `${operation} on`);
    });
    this.#inFlight.add(result);
    void result.finally(() => this.#inFlight.delete(result)).catch(() => undefined);
    return result;
  }

  /** Validates synchronously (`prepare` throws `invalid_input`), then queues the op for the next group commit. */
  #write<T>(operation: string, prepare: () => WriteOp<T>): Promise<T> {
    if (this.#closing) return Promise.reject(closedError(operation));
    try {
      return this.#committer.write(prepare());
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

function openSettings(options: SqliteStoreOptions): OpenSettings {
  const { durability = 'process', busyTimeoutMs = 5000, integrityCheck = 'quick' } = options;
  if (durability !== 'process' && durability !== 'power') throw invalidInput('options.durability', "'process' or 'power'", durability);
  if (integrityCheck !== 'quick' && integrityCheck !== 'full' && integrityCheck !== 'none') {
    throw invalidInput('options.integrityCheck', "'quick', 'full' or 'none'", integrityCheck);
  }
  checkNonNegativeInteger('options.busyTimeoutMs', busyTimeoutMs);
  return { synchronous: durability === 'power' ? 'FULL' : 'NORMAL', busyTimeoutMs, integrityCheck };
}

function settle(promise: Promise<void>): Promise<PromiseSettledResult<void>> {
  return Promise.allSettled([promise]).then(([result]) => result as PromiseSettledResult<void>);
}

function chainEntryOf(row: RunRow): RunChainEntry {
  return {
    runId: row.run_id,
    status: row.status,
    startTime: row.start_time,
    ...(row.close_time === null ? {} : { closeTime: row.close_time }),
    ...(row.parent_run_id === null ? {} : { parentRunId: row.parent_run_id }),
  };
}

async function upsertRoute(db: Parameters<WriteOp<void>>[0], type: string, version: string): Promise<void> {
  await db.run('INSERT INTO routes (type, version) VALUES (?, ?) ON CONFLICT (type) DO UPDATE SET version = excluded.version', [
    type,
    version,
  ]);
}
