import type { Connection, Statement } from './connection.ts';
import { TERMINAL_SQL_LIST } from './schema.ts';

/** The fixed queries, prepared once on the reader connection. */
export interface ReadStatements {
  readonly history: Statement;
  readonly runsOf: Statement;
  readonly dueTimers: Statement;
  readonly active: Statement;
  readonly workflowIds: Statement;
  readonly packages: Statement;
  readonly routes: Statement;
}

export interface HistoryChunk {
  readonly n: number;
  readonly lengths: string | null;
  readonly bodies: Uint8Array | null;
}

/** Splits a history chunk back into one encoded body per event. */
export function chunkBodies(chunk: HistoryChunk): Uint8Array[] {
  if (chunk.n === 0 || chunk.lengths === null || chunk.bodies === null) return [];
  const bodies: Uint8Array[] = [];
  let offset = 0;
  for (const length of chunk.lengths.split(',')) {
    const end = offset + Number(length);
    bodies.push(chunk.bodies.subarray(offset, end));
    offset = end;
  }
  return bodies;
}

export interface RunRow {
  readonly run_id: string;
  readonly status: string;
  readonly start_time: number;
  readonly close_time: number | null;
  readonly parent_run_id: string | null;
}

const SQL: Readonly<Record<keyof ReadStatements, string>> = {
  // One row per chunk instead of one per event: the driver builds a JS object and a Buffer per
  // row, which costs more than the read itself. Byte-exact because the file is UTF-8 (checked at
  // open), so blob-to-text is a plain reinterpretation.
  history: `SELECT count(*) AS n, group_concat(length(body), ',' ORDER BY seq) AS lengths,
      CAST(group_concat(body, x'' ORDER BY seq) AS BLOB) AS bodies
    FROM (SELECT seq, body FROM events WHERE workflow_id = ?1 AND seq >= ?2
      UNION ALL SELECT seq, body FROM recent_events WHERE workflow_id = ?1 AND seq >= ?2
      ORDER BY seq LIMIT ?3)`,
  runsOf: 'SELECT run_id, status, start_time, close_time, parent_run_id FROM runs WHERE workflow_id = ?',
  dueTimers: `SELECT workflow_id, timer_id, fire_at FROM timers WHERE fire_at <= ?
    ORDER BY fire_at, workflow_id, timer_id LIMIT ?`,
  active: `SELECT body FROM runs WHERE status NOT IN (${TERMINAL_SQL_LIST}) ORDER BY start_time, workflow_id, run_id`,
  // Walks the events primary key one workflow at a time (a loose index scan), so listing ids costs
  // one seek per workflow rather than a scan of every event.
  workflowIds: `WITH RECURSIVE ids(id) AS (
      SELECT (SELECT MIN(workflow_id) FROM events WHERE workflow_id > ?1)
      UNION ALL
      SELECT (SELECT MIN(workflow_id) FROM events WHERE workflow_id > ids.id) FROM ids WHERE ids.id IS NOT NULL
    )
    SELECT id FROM ids WHERE id IS NOT NULL
    UNION
    SELECT DISTINCT workflow_id FROM recent_events WHERE workflow_id > ?1
    UNION
    SELECT workflow_id FROM runs WHERE workflow_id > ?1
    ORDER BY 1 LIMIT ?2`,
  packages: 'SELECT type, version, bytes, manifest, deployed_at FROM packages ORDER BY deployed_at, deploy_seq',
  routes: 'SELECT type, version FROM routes ORDER BY type',
};

export async function prepareReads(db: Connection): Promise<ReadStatements> {
  const entries = await Promise.all(
    Object.entries(SQL).map(async ([name, sql]) => [name, await db.prepare(sql)] as const),
  );
  return Object.fromEntries(entries) as unknown as ReadStatements;
}
