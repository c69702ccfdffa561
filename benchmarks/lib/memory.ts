export interface MemoryReading {
  readonly heapUsed: number;
  readonly rss: number;
}

/** Heap used after full collections (needs `node --expose-gc`), and RSS. */
export function settledMemory(): MemoryReading {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('memory readings need node --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}
