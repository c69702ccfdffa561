import { Runtime, type Body, type Pid, type Self } from '../../runtime/index.ts';
import type { BenchArgs, Form } from './args.ts';
import type { Report } from './report.ts';
import { nextTurn } from './clock.ts';

/** Runs `body` as a process until it exits; rejects unless it exits `normal`. */
export async function runProcess<A extends unknown[]>(rt: Runtime, body: Body<A>, ...args: A): Promise<void> {
  const pid = rt.spawn(body, ...args);
  const reason = await rt.wait(pid);
  if (reason !== 'normal') throw new Error(`benchmark process ${pid} exited with ${JSON.stringify(reason)}`);
}

/**
 * Waits until `pid` is blocked in a receive. The run queue is FIFO, so once the process
 * spawned last waits, every process spawned before it has reached its receive too (the BEAM
 * twins rely on the same with `+S 1`).
 */
export async function untilWaiting(rt: Runtime, pid: Pid): Promise<void> {
  while (statusOf(rt, pid) !== 'waiting') await nextTurn();
}

/** {@link untilWaiting} for a generator process. */
export function* untilWaitingGen(self: Self, pid: Pid): Generator<unknown, void, unknown> {
  while (statusOf(self.runtime, pid) !== 'waiting') yield* self.await(nextTurn());
}

/** Waits until only `count` processes are alive (the BEAM twins poll `process_count`). */
export async function untilProcessCount(rt: Runtime, count: number): Promise<void> {
  while (rt.processes().length > count) await nextTurn();
}

/** {@link untilProcessCount} for a generator process. */
export function* untilProcessCountGen(self: Self, count: number): Generator<unknown, void, unknown> {
  while (self.runtime.processes().length > count) yield* self.await(nextTurn());
}

function statusOf(rt: Runtime, pid: Pid): string {
  const info = rt.processInfo(pid);
  if (info === undefined) throw new Error(`${pid} died while the benchmark waited for it to block in receive`);
  return info.status;
}

/** Runs a scenario's main; any failure goes to stderr with a non-zero exit status. */
export function main(run: () => Promise<void>): void {
  run().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** An idle process in the generator form: it waits in receive until it gets any message. */
export function* idleGen(self: Self): Generator<unknown, void, unknown> {
  yield* self.receive();
}

/** An idle process in the async form. */
export async function idleAsync(self: Self): Promise<void> {
  await self.receive();
}

export function idleBody(form: Form): Body<[]> {
  return form === 'gen' ? idleGen : idleAsync;
}

/**
 * Runs a scenario on a one-scheduler runtime: its coordinator (in the benchmark's process
 * form) runs as a process until it exits, then the report is printed.
 */
export function runScenario(
  args: BenchArgs<Record<string, number>>,
  report: Report,
  coordinatorGen: (self: Self, report: Report) => Generator<unknown, void, unknown>,
  coordinatorAsync: (self: Self, report: Report) => Promise<void>,
): void {
  main(async () => {
    const rt = new Runtime({ schedulers: 1 });
    await runProcess(rt, args.form === 'gen' ? coordinatorGen : coordinatorAsync, report);
    await rt.shutdown();
    report.print();
  });
}
