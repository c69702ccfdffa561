// The cost of opening a large store file with each integrity check (quick_check reads every page).
import fs from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../../store/index.ts';
import type { StoredEvent } from '../../store/index.ts';
import { emit } from './emit.ts';
import { options, scratchDir } from './bench-options.ts';

const opts = options({ workflows: 1000, eventsPerWorkflow: 1000, dir: '' });

function event(seq: number): StoredEvent {
  return { seq, at: 1_700_000_000_000 + seq, runId: 'run-1', type: 'activity_completed', activity: seq, result: { ok: true, value: 'v'.repeat(64) } };
}

async function fill(file: string): Promise<void> {
  const store = await SqliteStore.open(file, { integrityCheck: 'none' });
  const batch = 100;
  for (let head = 0; head < opts.eventsPerWorkflow; head += batch) {
    const count = Math.min(batch, opts.eventsPerWorkflow - head);
    await Promise.all(
      Array.from({ length: opts.workflows }, (_, w) =>
        store.append(`wf-${w}`, Array.from({ length: count }, (_, i) => event(head + i + 1)), head),
      ),
    );
  }
  await store.close();
}

const dir = scratchDir(opts.dir);
try {
  const file = path.join(dir, 'large.db');
  await fill(file);
  const params = { events: opts.workflows * opts.eventsPerWorkflow, fileMiB: Number((fs.statSync(file).size / 2 ** 20).toFixed(1)) };
  for (const integrityCheck of ['none', 'quick', 'full'] as const) {
    const start = process.hrtime.bigint();
    const store = await SqliteStore.open(file, { integrityCheck });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    await store.close();
    emit('store.open_time', { ...params, integrityCheck }, ms, 'ms');
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
