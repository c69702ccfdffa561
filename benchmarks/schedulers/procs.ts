// Process bodies the scheduler benchmarks spawn by module reference (so they can run on any
// scheduler thread). No top-level side effects.
import type { Pid, Self } from '../../runtime/index.ts';

/** A ring node: learns its successor, then forwards tokens; a token at 0 reports its scheduler to `coordinator`. */
export function* ringNode(self: Self, coordinator: Pid) {
  const next = (yield* self.receive()) as Pid;
  for (;;) {
    const k = (yield* self.receive()) as number;
    if (k === 0) self.send(coordinator, self.pid.scheduler);
    else self.send(next, k - 1);
  }
}

/** Answers every `{ from, n }` with `n`. */
export function* pong(self: Self) {
  for (;;) {
    const m = (yield* self.receive()) as { from: Pid; n: number };
    self.send(m.from, m.n);
  }
}

/** Waits for `'go'`, then makes `rounds` round trips to `server`, timing each; reports the samples. */
export function* ping(self: Self, server: Pid, rounds: number, report: Pid) {
  yield* self.receive((m) => m === 'go');
  const samples = new Float64Array(rounds);
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    self.send(server, { from: self.pid, n: i });
    yield* self.receive();
    samples[i] = performance.now() - start;
  }
  self.send(report, { totalMs: performance.now() - t0, samples });
}
