import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { RouterPorts } from './router.ts';
import type { SharedNameTableBuffers } from './registry.ts';

/** What a scheduler thread is started with (the piscina task of a long-lived scheduler). */
export interface SchedulerTask {
  readonly index: number;
  readonly count: number;
  readonly ports: RouterPorts;
  readonly names: SharedNameTableBuffers;
  readonly budget: number;
  readonly sliceMs: number;
}

/** Running from TypeScript sources (tests, tsx): workers go through a shim that registers tsx first. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** Node options that take the next argument as their value. */
const WITH_VALUE = new Set(['-e', '--eval', '-p', '--print', '-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--input-type']);
/** What a worker thread may take from the main thread's options when they cannot all be inherited. */
const FOR_WORKERS = /^(-r|--require|--import|--loader|--experimental-loader|-C|--conditions|--enable-source-maps|--no-warnings|--expose-gc|--experimental-[a-z-]+)$/;

/**
 * The Node options worker threads start with: `undefined` (inherit, as Node does) unless the
 * program itself was given on the command line (`-e`/`-p`): worker threads inherit that too
 * and would run it again, so then they get only the options that shape module loading.
 */
export function workerExecArgv(): string[] | undefined {
  const argv = process.execArgv;
  if (!argv.some((a) => /^(-e|--eval|-p|--print)(=|$)/.test(a))) return undefined;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split('=')[0]!;
    const value = WITH_VALUE.has(arg) ? argv[++i] : undefined;
    if (!FOR_WORKERS.test(name)) continue;
    out.push(arg);
    if (value !== undefined) out.push(value);
  }
  return out;
}

export function execArgvOption(): { execArgv?: string[] } {
  const execArgv = workerExecArgv();
  return execArgv === undefined ? {} : { execArgv };
}

export function workerFile(name: string): { filename: string; workerData: { entry: string } | undefined } {
  const entry = new URL(`./internal/${name}.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);
  if (!FROM_SOURCE) return { filename: fileURLToPath(entry), workerData: undefined };
  return { filename: fileURLToPath(new URL('./internal/tsx-worker.mjs', import.meta.url)), workerData: { entry: entry.href } };
}

/**
 * The threads behind schedulers 1..N-1: one piscina pool sized exactly (a thread per scheduler,
 * never idled out) running each scheduler as a long-lived task, and the mesh of MessagePorts
 * between every pair of schedulers.
 */
export class Cluster {
  readonly ports0: RouterPorts;
  private readonly pool: Piscina;
  private readonly tasks: Promise<void>[] = [];

  constructor(count: number, names: SharedNameTableBuffers, budget: number, sliceMs: number, onDown: (k: number, error: unknown) => void) {
    const doorbells = new SharedArrayBuffer(4 * count);
    const allocated = new SharedArrayBuffer(8 * count * count);
    const grid = (): (MessagePort | null)[][] => Array.from({ length: count }, () => new Array<MessagePort | null>(count).fill(null));
    const batch = grid();
    const callOut = grid();
    const callIn = grid();
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < count; j++) {
        if (i === j) continue;
        if (i < j) {
          const ch = new MessageChannel();
          batch[i]![j] = ch.port1;
          batch[j]![i] = ch.port2;
        }
        const call = new MessageChannel();
        callOut[i]![j] = call.port1;
        callIn[j]![i] = call.port2;
      }
    }
    const portsOf = (k: number): RouterPorts => ({ batch: batch[k]!, callOut: callOut[k]!, callIn: callIn[k]!, doorbells, allocated });
    this.ports0 = portsOf(0);
    const { filename, workerData } = workerFile('scheduler-worker');
    this.pool = new Piscina({
      filename,
      workerData,
      minThreads: count - 1,
      maxThreads: count - 1,
      idleTimeout: Infinity,
      concurrentTasksPerWorker: 1,
      ...execArgvOption(),
    });
    this.pool.on('error', (err: unknown) => onDown(-1, err));
    for (let k = 1; k < count; k++) {
      const ports = portsOf(k);
      const task: SchedulerTask = { index: k, count, ports, names, budget, sliceMs };
      const transferList = [...ports.batch, ...ports.callOut, ...ports.callIn].filter((p): p is MessagePort => p !== null);
      this.tasks.push(this.pool.run(task, { transferList }).then(() => undefined, (err: unknown) => onDown(k, err)));
    }
  }

  /** Waits for every scheduler task to end (they were told to stop), then frees all threads. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.tasks);
    await this.pool.destroy();
  }
}
