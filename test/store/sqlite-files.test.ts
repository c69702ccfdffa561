import test from 'ava';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import sqlite3 from 'sqlite3';
import { SqliteStore } from '../../store/index.ts';
import type { KairosError, StoredEvent } from '../../store/index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-store-files-'));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = (): string => path.join(dir, `file-${++files}.db`);

const events = (first: number, count: number): StoredEvent[] =>
  Array.from({ length: count }, (_, i) => ({ seq: first + i, at: first + i, runId: 'r', type: 'step', pad: 'p'.repeat(300) }));

function runSql(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return reject(err);
      db.exec(sql, (execErr) => db.close(() => (execErr ? reject(execErr) : resolve())));
    });
  });
}

/** A separate Node process that holds an exclusive lock on `file` until it is killed. */
async function lockInAnotherProcess(file: string): Promise<ChildProcess> {
  const script = `
    const sqlite3 = require('sqlite3');
    const db = new sqlite3.Database(${JSON.stringify(file)});
    db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (x);', (err) => {
      process.stdout.write(err ? 'error ' + err.message + '\\n' : 'locked\\n');
    });
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  if (!chunk.toString().startsWith('locked')) throw new Error(`lock holder failed: ${chunk.toString()}`);
  return child;
}

async function storeWithData(file: string, count: number): Promise<void> {
  const store = await SqliteStore.open(file);
  for (let seq = 1; seq <= count; seq += 100) await store.append('wf', events(seq, 100), seq - 1);
  await store.close();
}

test('a path that cannot hold a database file fails at open with store_unavailable naming the file', async (t) => {
  const blocker = path.join(dir, 'a-regular-file');
  fs.writeFileSync(blocker, 'not a directory');
  const under = path.join(blocker, 'store.db');
  const err = await t.throwsAsync<KairosError>(SqliteStore.open(under), { code: 'store_unavailable' });
  t.true(err?.message.includes(under));
  t.is(err?.details['file'], under);
  await t.throwsAsync(SqliteStore.open(dir), { code: 'store_unavailable' });
});

test('a file that is not a database fails at open with store_corrupt and is left untouched', async (t) => {
  const file = freshFile();
  const text = 'these are not the pages you are looking for\n'.repeat(200);
  fs.writeFileSync(file, text);
  const err = await t.throwsAsync<KairosError>(SqliteStore.open(file), { code: 'store_corrupt' });
  t.true(err?.message.includes(file));
  t.is(fs.readFileSync(file, 'utf8'), text);
});

test('a database locked by another process fails at open with store_locked', async (t) => {
  const file = freshFile();
  await storeWithData(file, 100);
  const holder = await lockInAnotherProcess(file);
  t.teardown(() => holder.kill('SIGKILL'));
  const err = await t.throwsAsync<KairosError>(SqliteStore.open(file, { busyTimeoutMs: 50 }), { code: 'store_locked' });
  t.true(err?.message.includes(file));
  holder.kill('SIGKILL');
  await once(holder, 'exit');
  const store = await SqliteStore.open(file);
  t.is((await store.readHistory('wf')).length, 100);
  await store.close();
});

test('a corrupt page fails at open with store_corrupt, before anything is read or written', async (t) => {
  const file = freshFile();
  await storeWithData(file, 2000);
  t.false(fs.existsSync(`${file}-wal`), 'a cleanly closed store leaves no WAL behind');
  const fd = fs.openSync(file, 'r+');
  const header = Buffer.alloc(100);
  fs.readSync(fd, header, 0, 100, 0);
  const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
  const middlePage = Math.floor(fs.statSync(file).size / pageSize / 2) * pageSize;
  fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, middlePage);
  fs.closeSync(fd);
  const err = await t.throwsAsync<KairosError>(SqliteStore.open(file), { code: 'store_corrupt' });
  t.true(err?.message.includes(file));
});

test('a file written by a newer schema fails at open with schema_too_new', async (t) => {
  const file = freshFile();
  await storeWithData(file, 1);
  await runSql(file, 'PRAGMA user_version = 99;');
  const err = await t.throwsAsync<KairosError>(SqliteStore.open(file), { code: 'schema_too_new' });
  t.like(err?.details, { file, found: 99, supported: 1 });
});

test('a database of another application fails at open with store_incompatible and is left untouched', async (t) => {
  const file = freshFile();
  await runSql(file, 'CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1);');
  await t.throwsAsync(SqliteStore.open(file), { code: 'store_incompatible' });
  const rows = await new Promise<unknown[]>((resolve, reject) => {
    const db = new sqlite3.Database(file, () => db.all("SELECT name FROM sqlite_schema", (err, r) => db.close(() => (err ? reject(err) : resolve(r)))));
  });
  t.deepEqual(rows, [{ name: 'invoices' }]);
});

test('bad options are invalid_input', async (t) => {
  await t.throwsAsync(SqliteStore.open(freshFile(), { durability: 'disk' as never }), { code: 'invalid_input' });
  await t.throwsAsync(SqliteStore.open(freshFile(), { integrityCheck: 'deep' as never }), { code: 'invalid_input' });
  await t.throwsAsync(SqliteStore.open(freshFile(), { busyTimeoutMs: -1 }), { code: 'invalid_input' });
  await t.throwsAsync(SqliteStore.open(''), { code: 'invalid_input' });
});

test('appends issued in one tick share one transaction, and each resolves only once it is committed', async (t) => {
  const file = freshFile();
  const store = await SqliteStore.open(file, { durability: 'power' });
  t.teardown(() => store.close());
  const before = store.commits;
  const heads = await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(`wf-${i}`, events(1, 2), 0)));
  t.is(store.commits - before, 1);
  t.true(heads.every((head) => head === 2));
  const other = await SqliteStore.open(file);
  t.teardown(() => other.close());
  t.is((await other.listWorkflowIds()).length, 200);
  t.is((await other.readHistory('wf-199')).length, 2);
});

test('appends whose transaction cannot take the write lock all fail with store_locked and write nothing', async (t) => {
  const file = freshFile();
  const store = await SqliteStore.open(file, { busyTimeoutMs: 20 });
  t.teardown(() => store.close());
  await store.append('wf-a', events(1, 1), 0);
  const holder = new sqlite3.Database(file);
  await new Promise<void>((resolve, reject) => holder.exec('BEGIN IMMEDIATE', (err) => (err ? reject(err) : resolve())));
  const results = await Promise.allSettled([store.append('wf-a', events(2, 1), 1), store.append('wf-b', events(1, 1), 0)]);
  t.true(results.every((r) => r.status === 'rejected' && (r.reason as KairosError).code === 'store_locked'));
  await new Promise<void>((resolve) => holder.exec('ROLLBACK', () => holder.close(() => resolve())));
  t.deepEqual((await store.readHistory('wf-a')).map((e) => e.seq), [1]);
  t.deepEqual(await store.readHistory('wf-b'), []);
  t.is(await store.append('wf-a', events(2, 1), 1), 2);
});

test('two stores on one file fence each other: an append at a head the other store moved fails with sequence_conflict', async (t) => {
  const file = freshFile();
  const first = await SqliteStore.open(file);
  const second = await SqliteStore.open(file);
  t.teardown(async () => {
    await first.close();
    await second.close();
  });
  t.is(await first.append('wf', events(1, 2), 0), 2);
  t.is(await first.append('wf', events(3, 1), 2), 3);
  t.is(await second.append('wf', events(4, 1), 3), 4);
  await t.throwsAsync(first.append('wf', events(4, 1), 3), { code: 'sequence_conflict' });
  t.is(await first.append('wf', events(5, 2), 4), 6);
  await t.throwsAsync(second.append('wf', events(5, 1), 4), { code: 'sequence_conflict' });
  t.deepEqual((await second.readHistory('wf')).map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
});

test('stores opening one new file at the same time all succeed and share one schema', async (t) => {
  const file = freshFile();
  const stores = await Promise.all([SqliteStore.open(file), SqliteStore.open(file), SqliteStore.open(file)]);
  t.teardown(() => Promise.all(stores.map((store) => store.close())));
  t.is(await stores[0]!.append('wf', events(1, 1), 0), 1);
  t.is((await stores[2]!.readHistory('wf')).length, 1);
});

test('histories stay whole and ordered while events move from recent to main storage, within a run and at reopen', async (t) => {
  const file = freshFile();
  let store = await SqliteStore.open(file);
  const workflows = 40;
  const small = (first: number, count: number): StoredEvent[] =>
    Array.from({ length: count }, (_, i) => ({ seq: first + i, at: first + i, runId: 'r', type: 'step' }));
  // 40 × 1,800 events passes the 65,536 recent events after which a run moves them.
  for (let head = 0; head < 1800; head += 200) {
    await Promise.all(Array.from({ length: workflows }, (_, w) => store.append(`wf-${w}`, small(head + 1, 200), head)));
  }
  const check = async (expected: number, sample: readonly number[]): Promise<void> => {
    for (const w of sample) {
      const history = await store.readHistory(`wf-${w}`);
      t.is(history.length, expected);
      t.true(history.every((event, i) => event.seq === i + 1));
      t.deepEqual((await store.readHistory(`wf-${w}`, expected - 2)).map((e) => e.seq), [expected - 2, expected - 1, expected]);
    }
  };
  await check(1800, [0, 17, 39]);
  await t.throwsAsync(store.append('wf-3', small(1800, 1), 1799), { code: 'sequence_conflict' });
  await store.close();
  store = await SqliteStore.open(file);
  t.teardown(() => store.close());
  t.is(await store.append('wf-0', small(1801, 1), 1800), 1801);
  await check(1800, [17, 39]);
  t.is((await store.readHistory('wf-0')).length, 1801);
  t.is((await store.listWorkflowIds()).length, workflows);
});
