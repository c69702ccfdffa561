import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteStore } from '../../store/index.ts';

const WORKFLOWS = 40;
const BATCH = 3;
const ROUNDS = 6;
const WRITER = path.resolve('test/fixtures/store-crash-writer.ts');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-crash-'));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged `killAfter` appends, then SIGKILLs it. */
async function runAndKill(file: string, killAfter: number, acked: Map<string, number>): Promise<number> {
  const child = spawn(process.execPath, ['--import', './test/register-tsx.mjs', WRITER, file, String(WORKFLOWS), String(BATCH)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  let acks = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const [kind, workflowId, head] = line.split(' ');
    if (kind === 'ack' && workflowId !== undefined) {
      acked.set(workflowId, Math.max(acked.get(workflowId) ?? 0, Number(head)));
      acks++;
    }
    if ((kind === 'ready' && killAfter === 0) || acks >= killAfter) {
      child.kill('SIGKILL');
      break;
    }
  }
  const [code, signal] = await exited;
  if (signal !== 'SIGKILL') throw new Error(`writer exited by itself (code ${code}) before it was killed`);
  return acks;
}

test('after SIGKILL at random points, every acknowledged append is present, whole, gap-free, and the head accepts the next append', async (t) => {
  const file = path.join(dir, 'crash.db');
  const acked = new Map<string, number>();
  for (let round = 1; round <= ROUNDS; round++) {
    const killAfter = round === 1 ? 0 : Math.floor(Math.random() * 1500) + 1;
    const acks = await runAndKill(file, killAfter, acked);
    t.log(`round ${round}: killed after ${acks} acknowledged appends (target ${killAfter})`);
    const store = await SqliteStore.open(file);
    try {
      for (let i = 0; i < WORKFLOWS; i++) {
        const workflowId = `wf-${i}`;
        const history = await store.readHistory(workflowId);
        const head = history.length;
        t.true(head >= (acked.get(workflowId) ?? 0), `${workflowId} lost acknowledged events`);
        t.is(head % BATCH, 0, `${workflowId} has a torn batch`);
        history.forEach((event, k) => {
          if (event.seq !== k + 1 || event['index'] !== k % BATCH || event['batch'] !== Math.floor(k / BATCH) + 1) {
            t.fail(`${workflowId} is broken at position ${k + 1}: seq ${event.seq}`);
          }
        });
        const [run] = (await store.listWorkflows({ workflowId })).items;
        t.is(run?.searchAttributes?.['head'] ?? 0, head, `${workflowId} visibility disagrees with its history`);
      }
      const head = (await store.readHistory('wf-0')).length;
      const next = Array.from({ length: BATCH }, (_, index) => ({
        seq: head + index + 1, at: 0, runId: 'run-1', type: 'crash_step', batch: head / BATCH + 1, index,
      }));
      if (head > 0) {
        const stale = next.map((event) => ({ ...event, seq: event.seq - BATCH }));
        await t.throwsAsync(store.append('wf-0', stale, head - BATCH), { code: 'sequence_conflict' });
      }
      const summary = { workflowId: 'wf-0', runId: 'run-1', type: 'crash', status: 'running', startTime: 0, searchAttributes: { head: head + BATCH } };
      t.is(await store.append('wf-0', next, head, summary), head + BATCH);
      acked.set('wf-0', head + BATCH);
    } finally {
      await store.close();
    }
  }
  t.true([...acked.values()].some((head) => head > 0), 'the writer acknowledged nothing in any round');
});
