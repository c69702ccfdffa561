// Reading one long history back (decode included), e.g. a replay after recovery.
import fs from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../../store/index.ts';
import type { StoredEvent } from '../../store/index.ts';
import { emit } from './emit.ts';
import { options, scratchDir } from './bench-options.ts';

const opts = options({ events: 10_000, batch: 500, reads: 20, dir: '' });

function event(seq: number): StoredEvent {
  return { seq, at: 1_700_000_000_000 + seq, runId: 'run-1', type: 'activity_completed', activity: seq, result: { ok: true, value: 'v'.repeat(64) } };
}

const dir = scratchDir(opts.dir);
try {
  const store = await SqliteStore.open(path.join(dir, 'read.db'));
  for (let head = 0; head < opts.events; ) {
    const count = Math.min(opts.batch, opts.events - head);
    head = await store.append('wf-long', Array.from({ length: count }, (_, i) => event(head + i + 1)), head);
  }
  await store.readHistory('wf-long');
  const start = process.hrtime.bigint();
  let read = 0;
  for (let i = 0; i < opts.reads; i++) read += (await store.readHistory('wf-long')).length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await store.close();
  emit('store.read_history', { events: opts.events, reads: opts.reads }, read / seconds, 'events/s');
  emit('store.read_history_time', { events: opts.events, reads: opts.reads }, (seconds / opts.reads) * 1000, 'ms');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
