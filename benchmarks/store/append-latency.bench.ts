// One workflow appending one event at a time: the latency of a lone append (a group of one),
// per durability, beside the raw fsync floor of the same disk.
import fs from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../../store/index.ts';
import { emit } from './emit.ts';
import { fsyncFloor } from './fsync-floor.ts';
import { durabilities, options, scratchDir } from './bench-options.ts';
import type { Durability } from './bench-options.ts';

/** Nearest-rank percentile of an ascending sample. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? Number.NaN;
}

const opts = options({ appends: 2000, warmup: 200, durability: 'both', fsyncs: 500, dir: '' });

async function run(dir: string, durability: Durability): Promise<void> {
  const store = await SqliteStore.open(path.join(dir, `latency-${durability}.db`), { durability });
  const samples: number[] = [];
  for (let head = 0; head < opts.warmup + opts.appends; ) {
    const start = process.hrtime.bigint();
    head = await store.append('wf-latency', [{ seq: head + 1, at: Date.now(), runId: 'run-1', type: 'timer_fired', timer: head }], head);
    if (head > opts.warmup) samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  await store.close();
  samples.sort((a, b) => a - b);
  const params = { appends: opts.appends, durability };
  emit('store.append_latency_p50', params, percentile(samples, 50), 'us');
  emit('store.append_latency_p99', params, percentile(samples, 99), 'us');
}

const dir = scratchDir(opts.dir);
try {
  emit('store.fsync_floor', { bytes: 256, iterations: opts.fsyncs }, fsyncFloor(dir, opts.fsyncs), 'fsyncs/s');
  for (const durability of durabilities(opts.durability)) await run(dir, durability);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
