// How tests wait: for something that must happen (bounded, so a broken runtime fails a test
// instead of hanging it) and for something that must not (a short quiet period on the real
// clock, the one allowed use of real time). Never timing assertions.

/** How long a test waits for something that must happen before it gives up. */
export const PATIENCE_MS = 10_000;

/** How long an absence check waits on the real clock. */
export const QUIET_MS = 20;

/** `promise`, or a rejection naming `what` after {@link PATIENCE_MS}. */
export function withPatience<T>(promise: PromiseLike<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), PATIENCE_MS);
  });
  return Promise.race([Promise.resolve(promise), bound]).finally(() => clearTimeout(timer));
}

/** Polls `condition` once per event-loop turn until it holds (or {@link PATIENCE_MS} passes). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > PATIENCE_MS) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
