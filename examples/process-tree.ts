// A small process tree on the Kairos runtime, printing what happens: a trapping "boss" links
// two workers, a watcher monitors one of them, one worker crashes, the crash propagates along
// a link to a non-trapping helper, the boss receives EXIT messages and the watcher a DOWN.
import { Runtime, isExit, downOf, type Self, type Pid } from '../runtime/index.ts';

const rt = new Runtime();
const log = (who: string, text: string): void => console.log(`${who.padEnd(16)} ${text}`);
const describe = (reason: unknown): string =>
  typeof reason === 'object' && reason !== null && 'error' in reason
    ? `error ${(reason as { error: { name: string; message: string } }).error.name}: ${(reason as { error: { message: string } }).error.message}`
    : JSON.stringify(reason);

rt.events.on('spawn', (pid) => log(String(pid), 'spawned'));
rt.events.on('exit', (pid, reason) => log(String(pid), `exited: ${describe(reason)}`));

/** A worker counts the jobs it receives and crashes on a poisoned one. */
function* worker(self: Self, name: string) {
  let done = 0;
  for (;;) {
    const job = (yield* self.receive()) as { n: number } | 'poison';
    if (job === 'poison') throw new Error(`${name} swallowed poison after ${done} jobs`);
    done++;
  }
}

/** A helper linked to worker-a, not trapping exits: it dies with worker-a. */
function* helper(self: Self, partner: Pid) {
  self.link(partner);
  log(`helper ${self.pid}`, `linked to ${partner}`);
  yield* self.receive();
}

async function boss(self: Self): Promise<string> {
  self.trapExit(true);
  const a = self.spawnLink(worker, 'worker-a');
  const b = self.spawnLink(worker, 'worker-b');
  rt.register('worker-a', a);
  rt.register('worker-b', b);
  log('boss', `trapping exits, linked to ${a} and ${b}`);
  self.spawn(helper, a);

  const watcher = self.spawn(async (w: Self) => {
    const ref = w.monitor('worker-a');
    log('watcher', `monitoring worker-a ${a} with ${ref}`);
    const down = await w.receive(downOf(ref));
    log('watcher', `DOWN ${down.pid} reason ${describe(down.reason)}`);
  });

  for (let i = 1; i <= 3; i++) {
    self.send('worker-a', { n: i });
    self.send('worker-b', { n: i });
  }
  await self.sleep(5);
  self.send('worker-a', 'poison');
  const exitA = await self.receive(isExit);
  log('boss', `EXIT from ${exitA.from}: ${describe(exitA.reason)}`);
  await rt.wait(watcher);

  self.exit(b, 'shutdown');
  const exitB = await self.receive(isExit);
  log('boss', `EXIT from ${exitB.from}: ${describe(exitB.reason)}`);
  log('boss', `still alive: ${rt.processes().map(String).join(', ')}`);
  return 'done';
}

await rt.ready();
const pid = rt.spawn(boss);
log('main', `boss is ${pid}`);
const reason = await rt.wait(pid);
log('main', `boss finished (${describe(reason)}); shutting down`);
await rt.shutdown();
