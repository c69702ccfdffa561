// Many concurrent workflows, each appending one event at a time (the next as soon as the last
// is acknowledged): the group-commit scenario. Prints the fsync floor of the same disk first.
import path from 'node:path';
import fs from 'node:fs';
import { SqliteStore } from '../../store/index.ts';
import type { StoredEvent } from '../../store/index.ts';
import { emit } from './emit.ts';
import { fsyncFloor } from './fsync-floor.ts';
import { durabilities, options, scratchDir } from './bench-options.ts';
import type { Durability } from './bench-options.ts';

const opts = options({ workflows: 1000, eventsPerWorkflow: 100, warmup: 10, durability: 'both', fsyncs: 500, dir: '' });

function event(seq: number): StoredEvent {
  return { seq, at: Date.now(), runId: 'run-1', type: 'activity_completed', activity: seq, result: { ok: true, value: 'v'.repeat(64) } };
}

async function workflowLoop(store: SqliteStore, workflowId: string, count: number): Promise<void> {
  for (let head = 0; head < count; ) head = await store.append(workflowId, [event(head + 1)], head);
}

/** Warms the JIT on a throwaway file, so the first measured durability is not penalised. */
async function warmUp(dir: string): Promise<void> {
  const store = await SqliteStore.open(path.join(dir, 'warmup.db'));
  await Promise.all(Array.from({ length: opts.workflows }, (_, i) => workflowLoop(store, `wf-${i}`, opts.warmup)));
  await store.close();
}

async function run(dir: string, durability: Durability): Promise<void> {
  const store = await SqliteStore.open(path.join(dir, `throughput-${durability}.db`), { durability });
  const ids = Array.from({ length: opts.workflows }, (_, i) => `wf-${i}`);
  const commitsBefore = store.commits;
  const start = process.hrtime.bigint();
  await Promise.all(ids.map((id) => workflowLoop(store, id, opts.eventsPerWorkflow)));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const total = opts.workflows * opts.eventsPerWorkflow;
  const commits = store.commits - commitsBefore;
  await store.close();
  const params = { workflows: opts.workflows, eventsPerWorkflow: opts.eventsPerWorkflow, durability };
  emit('store.append_throughput', params, total / seconds, 'events/s');
  emit('store.append_group_size', params, total / commits, 'events/commit');
}

const dir = scratchDir(opts.dir);
try {
  emit('store.fsync_floor', { bytes: 256, iterations: opts.fsyncs }, fsyncFloor(dir, opts.fsyncs), 'fsyncs/s');
  await warmUp(dir);
  for (const durability of durabilities(opts.durability)) await run(dir, durability);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
