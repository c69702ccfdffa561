import { TERMINAL_STATUSES } from '../event-store.ts';

/** Bumped with every change to the tables below; a file with a higher number is refused. */
export const SCHEMA_VERSION = 1;

/** `PRAGMA application_id` of Kairos store files ("KRS1"), so a foreign database is recognised. */
export const APPLICATION_ID = 0x4b525331;

/** The SQL list of terminal statuses; the partial index and the active-runs query must spell it alike. */
export const TERMINAL_SQL_LIST = TERMINAL_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * Events land in the small \`recent_events\` table and move to \`events\` in bulk, sorted by
 * workflow (see \`COMPACT_SQL\`). A group commit spreads its events over as many workflows as it
 * has appends; inserted straight into one large index, each of them would dirty its own leaf page,
 * so every commit rewrote most of the index. The small index stays in cache and few of its pages
 * are dirty per commit; the bulk move touches each leaf of the large one once per many commits.
 * Every read and head query looks at both tables.
 */
export const CREATE_SCHEMA = `
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  workflow_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE UNIQUE INDEX events_by_workflow ON events (workflow_id, seq);

CREATE TABLE recent_events (
  id INTEGER PRIMARY KEY,
  workflow_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE UNIQUE INDEX recent_events_by_workflow ON recent_events (workflow_id, seq);

CREATE TABLE runs (
  workflow_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  start_time NUMERIC NOT NULL,
  close_time NUMERIC,
  parent_run_id TEXT,
  search TEXT,
  body BLOB NOT NULL,
  PRIMARY KEY (workflow_id, run_id)
) WITHOUT ROWID;
CREATE INDEX runs_by_start ON runs (start_time, workflow_id, run_id);
CREATE INDEX runs_by_type ON runs (type, start_time, workflow_id, run_id);
CREATE INDEX runs_active ON runs (start_time, workflow_id, run_id) WHERE status NOT IN (${TERMINAL_SQL_LIST});

CREATE TABLE timers (
  workflow_id TEXT NOT NULL,
  timer_id TEXT NOT NULL,
  fire_at NUMERIC NOT NULL,
  PRIMARY KEY (workflow_id, timer_id)
) WITHOUT ROWID;
CREATE INDEX timers_by_fire_at ON timers (fire_at, workflow_id, timer_id);

CREATE TABLE packages (
  type TEXT NOT NULL,
  version TEXT NOT NULL,
  bytes BLOB NOT NULL,
  manifest BLOB NOT NULL,
  deployed_at NUMERIC NOT NULL,
  deploy_seq INTEGER NOT NULL,
  PRIMARY KEY (type, version)
) WITHOUT ROWID;

CREATE TABLE routes (
  type TEXT NOT NULL PRIMARY KEY,
  version TEXT NOT NULL
) WITHOUT ROWID;

PRAGMA application_id = ${APPLICATION_ID};
PRAGMA user_version = ${SCHEMA_VERSION};
`;

/** Moves every recent event into \`events\`, inside the caller's write transaction. */
export const COMPACT_SQL = `INSERT INTO events (workflow_id, seq, body)
  SELECT workflow_id, seq, body FROM recent_events ORDER BY workflow_id, seq;
DELETE FROM recent_events;`;
