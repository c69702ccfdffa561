import { isKairosError } from '../errors.ts';
import { AppendWriter } from './append-writer.ts';
import type { PendingAppend } from './append-writer.ts';
import type { Connection, SqlValue, Statement } from './connection.ts';
import { storeError } from './store-error.ts';

/** What a write op may do inside the group transaction; statements are prepared once and cached. */
export interface WriteContext {
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}

/** A write other than an append; it must throw its logical errors before it writes anything. */
export type WriteOp<T> = (db: WriteContext) => Promise<T>;

interface Settle {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

type AppendJob = PendingAppend & Settle & { readonly kind: 'append' };
type OpJob = Settle & { readonly kind: 'op'; readonly op: WriteOp<unknown> };
type Job = AppendJob | OpJob;

interface Outcome {
  readonly job: Job;
  readonly ok: boolean;
  readonly value: unknown;
}

/** Bounds one transaction, so a flood of appends commits in steps instead of one huge write. */
const MAX_JOBS_PER_GROUP = 8192;

/**
 * Group commit on the writer connection. Writes that arrive while a transaction is being
 * prepared or committed queue up and share the next transaction; each caller's promise settles
 * only after that transaction committed (or rolled back). Appends of a group go in through a few
 * packed statements, because every statement is a round trip through libuv.
 */
export class GroupCommitter {
  readonly #db: Connection;
  readonly #file: string;
  readonly #statements = new Map<string, Promise<Statement>>();
  readonly #appends: AppendWriter;
  readonly #context: WriteContext = {
    run: async (sql, params) => (await this.#statement(sql)).run(params),
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await this.#statement(sql)).all<T>(params),
  };
  #queue: Job[] = [];
  #scheduled = false;
  #running = false;
  #idle: (() => void)[] = [];
  #commits = 0;

  constructor(db: Connection, file: string) {
    this.#db = db;
    this.#file = file;
    this.#appends = new AppendWriter(db, (sql) => this.#statement(sql));
  }

  /** Transactions committed so far. */
  get commits(): number {
    return this.#commits;
  }

  append(append: PendingAppend): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: 'append', ...append, resolve: resolve as Settle['resolve'], reject });
      this.#schedule();
    });
  }

  write<T>(op: WriteOp<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: 'op', op, resolve: resolve as Settle['resolve'], reject });
      this.#schedule();
    });
  }

  /** Resolves once every queued write has been committed or failed. */
  drain(): Promise<void> {
    if (!this.#running && !this.#scheduled && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async finalize(): Promise<void> {
    const statements = await Promise.allSettled(this.#statements.values());
    await Promise.all(statements.map((s) => (s.status === 'fulfilled' ? s.value.finalize() : undefined)));
    this.#statements.clear();
  }

  #schedule(): void {
    if (this.#scheduled || this.#running) return;
    this.#scheduled = true;
    // A macrotask turn lets every append issued in this tick, and the continuations of callers
    // woken by the previous commit, join the group.
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    this.#running = true;
    const group = this.#queue.splice(0, MAX_JOBS_PER_GROUP);
    const outcomes = await this.#commit(group);
    this.#running = false;
    for (const { job, ok, value } of outcomes) {
      if (ok) job.resolve(value);
      else job.reject(value);
    }
    if (this.#queue.length > 0) this.#schedule();
    else for (const wake of this.#idle.splice(0)) wake();
  }

  async #commit(group: readonly Job[]): Promise<Outcome[]> {
    try {
      await this.#db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      return this.#failAll(group, err);
    }
    try {
      const outcomes = await this.#runOps(group);
      const appends = group.filter((job): job is AppendJob => job.kind === 'append');
      const written = appends.length === 0 ? undefined : await this.#appends.write(appends);
      await this.#db.exec('COMMIT');
      this.#commits++;
      if (written === undefined) return outcomes;
      this.#appends.committed(written.heads);
      return outcomes.concat(written.results.map((result, i) => ({ job: appends[i] as Job, ...result })));
    } catch (err) {
      await this.#db.exec('ROLLBACK').catch(() => undefined);
      this.#appends.rolledBack();
      return this.#failAll(group, err);
    }
  }

  #failAll(group: readonly Job[], err: unknown): Outcome[] {
    const error = storeError(this.#file, err, 'store_failed', 'writing to');
    return group.map((job) => ({ job, ok: false, value: error }));
  }

  async #runOps(group: readonly Job[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const job of group) {
      if (job.kind !== 'op') continue;
      try {
        outcomes.push({ job, ok: true, value: await job.op(this.#context) });
      } catch (err) {
        // Typed errors are refusals decided before writing; anything else fails the whole group.
        if (!isKairosError(err)) throw err;
        outcomes.push({ job, ok: false, value: err });
      }
    }
    return outcomes;
  }

  #statement(sql: string): Promise<Statement> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
      statement.catch(() => this.#statements.delete(sql));
    }
    return statement;
  }
}
