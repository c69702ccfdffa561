import { KairosError } from '../errors.ts';
import { Connection, sqliteCode } from './connection.ts';
import { APPLICATION_ID, COMPACT_SQL, CREATE_SCHEMA, SCHEMA_VERSION } from './schema.ts';
import { storeError } from './store-error.ts';

export interface OpenSettings {
  readonly synchronous: 'NORMAL' | 'FULL';
  readonly busyTimeoutMs: number;
  readonly integrityCheck: 'quick' | 'full' | 'none';
}

export interface OpenedDatabase {
  /** Every write goes through this connection, one transaction at a time. */
  readonly writer: Connection;
  /** Reads see the last committed state (WAL) and never an open group transaction. */
  readonly reader: Connection;
}

/**
 * Retries a step of opening while the file is busy. Switching a file to WAL, and reading it while
 * another connection switches it, can fail with SQLITE_BUSY at once, without SQLite's busy
 * handler waiting; this is the wait the busy timeout promises.
 */
async function retryWhileBusy<T>(step: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await step();
    } catch (err) {
      if (sqliteCode(err) !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

async function closeQuietly(connection: Connection | undefined): Promise<void> {
  await connection?.close().catch(() => undefined);
}

async function checkIdentity(db: Connection, file: string): Promise<void> {
  const appId = (await db.get<{ application_id: number }>('PRAGMA application_id'))?.application_id ?? 0;
  const version = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
  if (version > SCHEMA_VERSION) {
    throw new KairosError(
      'schema_too_new',
      `${file} has store schema version ${version}, but this build of Kairos reads versions up to ${SCHEMA_VERSION}: upgrade Kairos`,
      { file, found: version, supported: SCHEMA_VERSION },
    );
  }
  const tables = (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"))?.n ?? 0;
  const foreign = appId !== APPLICATION_ID && (appId !== 0 || tables > 0);
  if (foreign || (appId === APPLICATION_ID && version === 0)) {
    throw new KairosError('store_incompatible', `${file} is a SQLite database, but not a Kairos event store`, {
      file,
      applicationId: appId,
    });
  }
}

async function configure(db: Connection, file: string, settings: OpenSettings): Promise<void> {
  const encoding = (await db.get<{ encoding: string }>('PRAGMA encoding'))?.encoding;
  if (encoding !== 'UTF-8') {
    throw new KairosError('store_incompatible', `${file} uses text encoding ${encoding}; Kairos stores are UTF-8`, { file, encoding });
  }
  // Only takes effect on a new file (before WAL is on). Large pages cut the WAL frames a group
  // commit writes: its events land in hundreds of index leaves, one per workflow.
  await db.exec('PRAGMA page_size = 16384');
  const mode = (await db.get<{ journal_mode: string }>('PRAGMA journal_mode = WAL'))?.journal_mode;
  if (mode !== 'wal') {
    throw new KairosError('store_unavailable', `${file} cannot use write-ahead logging (journal mode stayed ${mode})`, { file });
  }
  // A group commit of many workflows dirties hundreds of index pages, so the default checkpoint
  // every 1,000 WAL pages would run (with its fsyncs) after nearly every group; 4,096 pages of
  // 16 KiB (64 MiB of WAL) spread that cost.
  await db.exec(
    `PRAGMA synchronous = ${settings.synchronous}; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 4096;`,
  );
}

async function prepareSchema(db: Connection): Promise<void> {
  // Taking the write lock here also turns a file locked by another writer into an error at open,
  // rather than at the first append. The version is read again under the lock, because another
  // process may have created the schema since the first look. An existing file starts with its
  // recent events compacted, so a long-lived file never keeps a large staging table.
  await db.exec('BEGIN IMMEDIATE');
  try {
    const version = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
    await db.exec(version === 0 ? CREATE_SCHEMA : COMPACT_SQL);
    await db.exec('COMMIT');
  } catch (err) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function checkIntegrity(db: Connection, file: string, mode: OpenSettings['integrityCheck']): Promise<void> {
  if (mode === 'none') return;
  const rows = await db.all<Record<string, string>>(mode === 'quick' ? 'PRAGMA quick_check(5)' : 'PRAGMA integrity_check(5)');
  const problems = rows.map((row) => Object.values(row)[0] ?? '').filter((text) => text !== 'ok');
  if (problems.length > 0) {
    throw new KairosError('store_corrupt', `${file} failed its integrity check: ${problems.join('; ')}`, { file, problems });
  }
}

async function openWriter(file: string, settings: OpenSettings): Promise<Connection> {
  const db = await Connection.open(file, Connection.modes.readWriteCreate).catch((err: unknown) => {
    throw storeError(file, err, 'store_unavailable', 'opening');
  });
  try {
    db.configureBusyTimeout(settings.busyTimeoutMs);
    await retryWhileBusy(() => checkIdentity(db, file), settings.busyTimeoutMs);
    await retryWhileBusy(() => configure(db, file, settings), settings.busyTimeoutMs);
    await prepareSchema(db);
    await checkIntegrity(db, file, settings.integrityCheck);
    return db;
  } catch (err) {
    await closeQuietly(db);
    throw err instanceof KairosError ? err : storeError(file, err, 'store_unavailable', 'opening');
  }
}

async function openReader(file: string, settings: OpenSettings): Promise<Connection> {
  const db = await Connection.open(file, Connection.modes.readWrite);
  try {
    db.configureBusyTimeout(settings.busyTimeoutMs);
    await db.exec('PRAGMA query_only = 1; PRAGMA cache_size = -32768;');
    return db;
  } catch (err) {
    await closeQuietly(db);
    throw err;
  }
}

/**
 * Opens (creating if needed) a store file: checks it is a Kairos store of a known schema version,
 * switches it to WAL, creates the schema in one transaction, runs the integrity check, and opens
 * a second, read-only connection for reads.
 */
export async function openDatabase(file: string, settings: OpenSettings): Promise<OpenedDatabase> {
  const writer = await openWriter(file, settings);
  try {
    const reader = await openReader(file, settings);
    return { writer, reader };
  } catch (err) {
    await closeQuietly(writer);
    throw storeError(file, err, 'store_unavailable', 'opening a reader on');
  }
}
