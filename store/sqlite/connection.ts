import sqlite3 from 'sqlite3';

export type SqlValue = string | number | Uint8Array | null;
export type Row = Record<string, unknown>;

/** The SQLite result code of a driver error (`SQLITE_BUSY`, …), if it has one. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A prepared statement; calls on one statement run one after another in the driver. */
export class Statement {
  readonly #statement: sqlite3.Statement;

  constructor(statement: sqlite3.Statement) {
    this.#statement = statement;
  }

  run(params: readonly SqlValue[] = []): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#statement.run(params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve(this.changes);
      });
    });
  }

  all<T = Row>(params: readonly SqlValue[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.#statement.all<T>(params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
    });
  }

  finalize(): Promise<void> {
    return new Promise((resolve) => this.#statement.finalize(() => resolve()));
  }
}

/** A promise-shaped sqlite3 connection; each call is one round trip through libuv's thread pool. */
export class Connection {
  readonly #db: sqlite3.Database;

  private constructor(db: sqlite3.Database) {
    this.#db = db;
  }

  static open(file: string, mode: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(file, mode, (err: Error | null) =>
        err ? reject(err) : resolve(new Connection(db)),
      );
    });
  }

  static readonly modes = {
    readWriteCreate: sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE,
    readWrite: sqlite3.OPEN_READWRITE,
  };

  configureBusyTimeout(ms: number): void {
    this.#db.configure('busyTimeout', ms);
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.#db.exec(sql, (err: Error | null) => (err ? reject(err) : resolve())));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve(this.changes);
      });
    });
  }

  all<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.#db.all<T>(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
    });
  }

  async get<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  prepare(sql: string): Promise<Statement> {
    return new Promise((resolve, reject) => {
      const statement: sqlite3.Statement = this.#db.prepare(sql, (err: Error | null) =>
        err ? reject(err) : resolve(new Statement(statement)),
      );
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.#db.close((err: Error | null) => (err ? reject(err) : resolve())));
  }
}
