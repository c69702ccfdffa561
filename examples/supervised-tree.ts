// A small supervised server tree, printing what happens. The root supervisor (one_for_one)
// runs a key-value store and a "jobs" supervisor (rest_for_one) with a queue and a worker that
// reads from it. The worker crashes on a poisoned job and is restarted alone; then the queue
// crashes and rest_for_one restarts it and the worker started after it; finally the tree is
// shut down in reverse start order.
//
//   node --import ./test/register-tsx.mjs examples/supervised-tree.ts
import { Runtime, type Pid, type Self } from '../runtime/index.ts';
import {
  GenServer, Supervisor, noreply, ok, reply,
  type From, type GenServerBehaviour, type SupervisorBehaviour, type SupervisorReport,
} from '../supervision/index.ts';

const rt = new Runtime();
const log = (who: string, text: string): void => console.log(`${who.padEnd(12)} ${text}`);
const describe = (reason: unknown): string =>
  typeof reason === 'object' && reason !== null && 'error' in reason
    ? `error: ${(reason as { error: { message: string } }).error.message}`
    : JSON.stringify(reason);

/** A key-value store: calls `{ get }`, casts `{ put, value }`. */
const kv = {
  init(_args: undefined, self: Self) {
    log('kv', `started as ${self.pid}`);
    return ok(new Map<string, number>());
  },
  handleCall(req: { get: string }, _from: From, table: Map<string, number>) {
    return reply(table.get(req.get) ?? 0, table);
  },
  handleCast(req: { put: string; value: number }, table: Map<string, number>) {
    return noreply(table.set(req.put, req.value));
  },
} satisfies GenServerBehaviour<Map<string, number>, undefined>;

/** A job queue: casts `{ push }`, calls `'pop'`; crashes on `'break'`. */
const queue = {
  init(_args: undefined, self: Self) {
    self.register('queue');
    log('queue', `started as ${self.pid}`);
    return ok<string[]>([]);
  },
  handleCall(_req: 'pop', _from: From, jobs: string[]) {
    return reply(jobs[0], jobs.slice(1));
  },
  handleCast(req: { push: string } | 'break', jobs: string[]) {
    if (req === 'break') throw new Error('queue storage corrupted');
    return noreply([...jobs, req.push]);
  },
} satisfies GenServerBehaviour<string[], undefined>;

/**
 * A worker that, on `'work'`, pops a job from the queue and records it in the kv store (a
 * generator callback: it calls another server); `'done'` (a call) tells how many it did.
 */
const worker = {
  init(_args: undefined, self: Self) {
    log('worker', `started as ${self.pid}`);
    return ok(0);
  },
  handleCall(_req: 'done', _from: From, done: number) {
    return reply(done, done);
  },
  *handleCast(_req: 'work', done: number, self: Self) {
    const job = yield* GenServer.call<string | undefined>(self, 'queue', 'pop');
    if (job === undefined) return noreply(done);
    if (job === 'poison') throw new Error('worker swallowed a poisoned job');
    GenServer.cast(self, 'kv', { put: job, value: done + 1 });
    log('worker', `did ${job}`);
    return noreply(done + 1);
  },
} satisfies GenServerBehaviour<number, undefined>;

const jobs: SupervisorBehaviour = {
  init: () => ({
    strategy: 'rest_for_one',
    intensity: 3,
    period: 5000,
    children: [
      { id: 'queue', start: (self: Self) => GenServer.startLink(self, queue, undefined) },
      { id: 'worker', start: (self: Self) => GenServer.startLink(self, worker, undefined, { name: 'worker' }) },
    ],
  }),
};

const report = (r: SupervisorReport): void => log(`sup ${r.supervisor}`, `${r.context} ${r.childId} ${describe(r.reason)}`);

const root: SupervisorBehaviour = {
  init: () => ({
    strategy: 'one_for_one',
    intensity: 5,
    period: 10_000,
    children: [
      { id: 'kv', start: (self: Self) => GenServer.startLink(self, kv, undefined, { name: 'kv' }) },
      { id: 'jobs', type: 'supervisor', start: (self: Self) => Supervisor.startLink(self, jobs, undefined, { onReport: report }) },
    ],
  }),
};

async function tree(sup: Pid | string): Promise<string> {
  const kids = await Supervisor.whichChildren(rt, sup);
  return kids.map((k) => `${k.id}=${String(k.pid)}`).join(' ');
}

async function main(): Promise<void> {
  const rootPid = (await Supervisor.start(rt, root, undefined, { onReport: report })) as Pid;
  const jobsPid = (await Supervisor.whichChildren(rt, rootPid)).find((k) => k.id === 'jobs')!.pid as Pid;
  log('root', `${rootPid}: ${await tree(rootPid)}`);
  log('jobs', `${jobsPid}: ${await tree(jobsPid)}`);

  for (const job of ['job-1', 'job-2']) GenServer.cast(rt, 'queue', { push: job });
  for (let i = 0; i < 2; i++) GenServer.cast(rt, 'worker', 'work');
  log('worker', `done ${await GenServer.call(rt, 'worker', 'done')}`);
  log('kv', `job-2 -> ${await GenServer.call(rt, 'kv', { get: 'job-2' })}`);

  log('main', 'pushing a poisoned job');
  const oldWorker = rt.whereis('worker')!;
  GenServer.cast(rt, 'queue', { push: 'poison' });
  GenServer.cast(rt, 'worker', 'work');
  log('main', `worker ${oldWorker} exited: ${describe(await rt.wait(oldWorker))}`);
  log('jobs', `after the worker crash: ${await tree(jobsPid)}`);

  log('main', 'breaking the queue (rest_for_one restarts the queue and the worker after it)');
  const oldQueue = rt.whereis('queue')!;
  GenServer.cast(rt, 'queue', 'break');
  await rt.wait(oldQueue);
  log('jobs', `after the queue crash: ${await tree(jobsPid)}`);
  log('kv', `still ${rt.whereis('kv')}, job-1 -> ${await GenServer.call(rt, 'kv', { get: 'job-1' })}`);

  log('main', 'shutting the tree down (children in reverse start order)');
  const names = new Map([...rt.registered()].map((name) => [String(rt.whereis(name)), name]));
  names.set(String(jobsPid), 'jobs');
  names.set(String(rootPid), 'root');
  rt.events.on('exit', (pid, reason) => log(names.get(String(pid)) ?? String(pid), `exited: ${describe(reason)}`));
  rt.exit(rootPid, 'shutdown');
  await rt.wait(rootPid);
  await rt.shutdown();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
