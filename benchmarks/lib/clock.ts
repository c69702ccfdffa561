/** Monotonic nanoseconds (a double: exact to well under a microsecond for days). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

export function sinceNs(t0: number): number {
  return nowNs() - t0;
}

export function sinceMs(t0: number): number {
  return (nowNs() - t0) / 1e6;
}

/** Resolves on the next event-loop turn, after the scheduler's pending drain. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
