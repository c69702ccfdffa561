import { KairosError } from '../errors.ts';
import type { StoreErrorCode } from '../errors.ts';
import { sqliteCode } from './connection.ts';

const CODE_BY_SQLITE: Readonly<Record<string, StoreErrorCode>> = {
  SQLITE_BUSY: 'store_locked',
  SQLITE_LOCKED: 'store_locked',
  SQLITE_NOTADB: 'store_corrupt',
  SQLITE_CORRUPT: 'store_corrupt',
};

/** Maps a driver error to a typed store error naming the file. */
export function storeError(file: string, err: unknown, fallback: StoreErrorCode, doing: string): KairosError {
  const sqlite = sqliteCode(err);
  const code = (sqlite !== undefined ? CODE_BY_SQLITE[sqlite] : undefined) ?? fallback;
  const reason = err instanceof Error ? err.message : String(err);
  const hint = code === 'store_locked' ? ' (another connection or process holds a lock on it)' : '';
  return new KairosError(code, `${doing} ${file} failed${hint}: ${reason}`, { file, sqliteCode: sqlite }, err);
}
