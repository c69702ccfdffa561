import { sequenceConflict } from '../errors.ts';
import type { Connection, Statement } from './connection.ts';
import { HeadCache } from './head-cache.ts';
import { COMPACT_SQL } from './schema.ts';

/** A validated, already encoded append waiting for its group transaction. */
export interface PendingAppend {
  readonly workflowId: string;
  readonly expectedSeq: number;
  readonly events: readonly Uint8Array[];
  readonly run?: RunRow;
}

/** A `runs` row: the columns before `body` (workflow_id, run_id, type, status, start_time, close_time, parent_run_id, search), and `body`. */
export interface RunRow {
  readonly columns: readonly [string, string, string, string, number, number | null, string | null, string | null];
  readonly body: Uint8Array;
}

/** Per append, in the order given: the new head, or the `sequence_conflict` error. */
export type AppendResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly value: Error };

/** Bounds the packed bodies bound to one statement, far below SQLite's 1 GB value limit. */
const MAX_PACKED_BYTES = 16 * 1024 * 1024;
const HEAD_CACHE_LIMIT = 100_000;
/** Recent events written by this connection after which they move to the main table. */
const COMPACT_AFTER_EVENTS = 65_536;

const DATA_VERSION_SQL = 'PRAGMA data_version';

const HEADS_SQL = `SELECT j.value AS workflow_id, max(
    coalesce((SELECT MAX(seq) FROM recent_events r WHERE r.workflow_id = j.value), 0),
    coalesce((SELECT MAX(seq) FROM events e WHERE e.workflow_id = j.value), 0)) AS head
FROM json_each(?) j`;

// Rows travel as one JSON array of columns plus one blob holding every body back to back (each
// row names its body's 1-based offset and length): two bound values per statement instead of
// one per cell, because binding and each statement round trip dominate the cost of a group.
const INSERT_EVENTS_SQL = `INSERT INTO recent_events (workflow_id, seq, body)
SELECT j.value ->> 0, j.value ->> 1, substr(?2, j.value ->> 2, j.value ->> 3) FROM json_each(?1) j`;

const UPSERT_RUNS_SQL = `INSERT INTO runs (workflow_id, run_id, type, status, start_time, close_time, parent_run_id, search, body)
SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7,
  substr(?2, j.value ->> 8, j.value ->> 9)
FROM json_each(?1) j WHERE true
ON CONFLICT (workflow_id, run_id) DO UPDATE SET type = excluded.type, status = excluded.status,
  start_time = excluded.start_time, close_time = excluded.close_time,
  parent_run_id = excluded.parent_run_id, search = excluded.search, body = excluded.body`;

/** Collects rows for one packed statement; flush once `full`, and at the end. */
class PackedRows {
  readonly #statement: Statement;
  #rows: unknown[][] = [];
  #bodies: Uint8Array[] = [];
  #bytes = 0;

  constructor(statement: Statement) {
    this.#statement = statement;
  }

  get full(): boolean {
    return this.#bytes >= MAX_PACKED_BYTES;
  }

  add(columns: readonly unknown[], body: Uint8Array): void {
    this.#rows.push([...columns, this.#bytes + 1, body.length]);
    this.#bodies.push(body);
    this.#bytes += body.length;
  }

  async flush(): Promise<void> {
    if (this.#rows.length === 0) return;
    const json = JSON.stringify(this.#rows);
    const packed = Buffer.concat(this.#bodies, this.#bytes);
    this.#rows = [];
    this.#bodies = [];
    this.#bytes = 0;
    await this.#statement.run([json, packed]);
  }
}

/**
 * Writes one group's appends inside an open write transaction: reads the heads, decides each
 * append in arrival order, inserts the accepted events (into `recent_events`) and summaries with
 * a few packed statements, and every 65,536 events moves the recent events to `events`. The
 * caller commits, then calls `committed` with the heads this returned.
 */
export class AppendWriter {
  readonly #db: Connection;
  readonly #statement: (sql: string) => Promise<Statement>;
  readonly #cache = new HeadCache(HEAD_CACHE_LIMIT);
  #uncompacted = 0;

  constructor(db: Connection, statement: (sql: string) => Promise<Statement>) {
    this.#db = db;
    this.#statement = statement;
  }

  async write(appends: readonly PendingAppend[]): Promise<{ results: AppendResult[]; heads: Map<string, number> }> {
    const heads = await this.#heads(appends);
    const results: AppendResult[] = [];
    const accepted: PendingAppend[] = [];
    // Decided in arrival order, so a second append to one workflow in the same group sees the first.
    for (const append of appends) {
      const head = heads.get(append.workflowId) ?? 0;
      if (head !== append.expectedSeq) {
        results.push({ ok: false, value: sequenceConflict(append.workflowId, append.expectedSeq, head) });
        continue;
      }
      heads.set(append.workflowId, head + append.events.length);
      accepted.push(append);
      results.push({ ok: true, value: head + append.events.length });
    }
    await this.#insertEvents(accepted);
    await this.#upsertRuns(accepted);
    if (this.#uncompacted >= COMPACT_AFTER_EVENTS) {
      await this.#db.exec(COMPACT_SQL);
      this.#uncompacted = 0;
    }
    return { results, heads };
  }

  /** After COMMIT succeeded: the heads of this group are now the stored heads. */
  committed(heads: ReadonlyMap<string, number>): void {
    this.#cache.remember(heads);
  }

  /** After a rollback nothing is known for sure any more. */
  rolledBack(): void {
    this.#cache.clear();
  }

  async #heads(appends: readonly PendingAppend[]): Promise<Map<string, number>> {
    const [version] = await (await this.#statement(DATA_VERSION_SQL)).all<{ data_version: number }>();
    this.#cache.validate(version?.data_version ?? Number.NaN);
    const heads = new Map<string, number>();
    const missing: string[] = [];
    for (const { workflowId } of appends) {
      if (heads.has(workflowId)) continue;
      const cached = this.#cache.get(workflowId);
      if (cached === undefined) missing.push(workflowId);
      heads.set(workflowId, cached ?? 0);
    }
    if (missing.length === 0) return heads;
    const rows = await (await this.#statement(HEADS_SQL)).all<{ workflow_id: string; head: number | null }>([JSON.stringify(missing)]);
    for (const row of rows) heads.set(row.workflow_id, row.head ?? 0);
    return heads;
  }

  async #insertEvents(accepted: readonly PendingAppend[]): Promise<void> {
    if (accepted.every((append) => append.events.length === 0)) return;
    const rows = new PackedRows(await this.#statement(INSERT_EVENTS_SQL));
    for (const append of accepted) {
      this.#uncompacted += append.events.length;
      for (let i = 0; i < append.events.length; i++) {
        rows.add([append.workflowId, append.expectedSeq + i + 1], append.events[i] as Uint8Array);
        if (rows.full) await rows.flush();
      }
    }
    await rows.flush();
  }

  async #upsertRuns(accepted: readonly PendingAppend[]): Promise<void> {
    const latest = new Map<string, RunRow>();
    for (const append of accepted) {
      if (append.run !== undefined) latest.set(`${append.run.columns[0]}\u0000${append.run.columns[1]}`, append.run);
    }
    if (latest.size === 0) return;
    const rows = new PackedRows(await this.#statement(UPSERT_RUNS_SQL));
    for (const run of latest.values()) {
      rows.add(run.columns, run.body);
      if (rows.full) await rows.flush();
    }
    await rows.flush();
  }
}
