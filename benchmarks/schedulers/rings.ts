import type { Pid, Runtime, Self } from '../../runtime/index.ts';
import { nextTurn } from '../lib/clock.ts';

const PROCS = new URL('./procs.js', import.meta.url);

/** Spawns a ring of `m` nodes whose node i runs on `schedulerOf(i)`; returns its first node. */
export function spawnRing(self: Self, m: number, schedulerOf: (i: number) => number): Pid[] {
  const nodes: Pid[] = [];
  for (let i = 0; i < m; i++) nodes.push(self.spawn({ module: PROCS, export: 'ringNode', scheduler: schedulerOf(i) }, self.pid));
  for (let i = 0; i < m; i++) self.send(nodes[i]!, nodes[(i + 1) % m]!);
  return nodes;
}

/** Waits until every node of every ring is blocked in receive (wherever it runs). */
export async function untilAllWaiting(rt: Runtime, nodes: Pid[]): Promise<void> {
  for (const pid of nodes) while (rt.processInfo(pid)?.status !== 'waiting') await nextTurn();
}
