import type { RunChainEntry, RunId } from './event-store.ts';

function latest(runs: readonly RunChainEntry[]): RunChainEntry | undefined {
  let best: RunChainEntry | undefined;
  for (const run of runs) {
    if (best === undefined || run.startTime > best.startTime || (run.startTime === best.startTime && run.runId > best.runId)) {
      best = run;
    }
  }
  return best;
}

function successors(runs: readonly RunChainEntry[]): Map<RunId, RunChainEntry> {
  const next = new Map<RunId, RunChainEntry>();
  for (const run of runs) {
    if (run.parentRunId === undefined) continue;
    const seen = next.get(run.parentRunId);
    // A parent continues as new once; should a second successor exist, the earlier one is the chain.
    if (seen === undefined || run.startTime < seen.startTime) next.set(run.parentRunId, run);
  }
  return next;
}

/**
 * Orders the continue-as-new chain holding `runId` (or the latest run) from a workflow's runs:
 * oldest first. Links to runs that are not stored end the walk; a cycle is cut where it closes.
 */
export function buildRunChain(runs: readonly RunChainEntry[], runId?: RunId): RunChainEntry[] {
  const byId = new Map(runs.map((run) => [run.runId, run] as const));
  const start = runId === undefined ? latest(runs) : byId.get(runId);
  if (start === undefined) return [];
  const chain = [start];
  const visited = new Set([start.runId]);
  for (let run = start; run.parentRunId !== undefined; ) {
    const parent = byId.get(run.parentRunId);
    if (parent === undefined || visited.has(parent.runId)) break;
    visited.add(parent.runId);
    chain.unshift(parent);
    run = parent;
  }
  const next = successors(runs);
  for (let run = next.get(start.runId); run !== undefined && !visited.has(run.runId); run = next.get(run.runId)) {
    visited.add(run.runId);
    chain.push(run);
  }
  return chain;
}

export function chainEntry(run: RunChainEntry): RunChainEntry {
  return {
    runId: run.runId,
    status: run.status,
    startTime: run.startTime,
    ...(run.closeTime === undefined ? {} : { closeTime: run.closeTime }),
    ...(run.parentRunId === undefined ? {} : { parentRunId: run.parentRunId }),
  };
}
