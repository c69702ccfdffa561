import test from 'ava';
import { spawn as spawnChild } from 'node:child_process';
import {
  Runtime, TIMEOUT, downOf, exitFrom, isKairosError,
  type ModuleRef, type Pid, type Self,
} from '../../runtime/index.ts';

// Each test runs a runtime with two schedulers: the test's own processes (closures) live on
// scheduler 0, the processes under test are spawned by module reference on scheduler 1.
const FIXTURES = new URL('../fixtures/runtime-procs.ts', import.meta.url);
const on1 = (name: string): ModuleRef => ({ module: FIXTURES, export: name, scheduler: 1 });

async function twoSchedulers(t: { teardown(fn: () => unknown): void }): Promise<Runtime> {
  const rt = new Runtime({ schedulers: 2 });
  t.teardown(() => rt.shutdown());
  await rt.ready();
  return rt;
}

// Booting a scheduler thread from TypeScript sources is costly, so the rules that leave the
// runtime as they found it share one; tests that stop a scheduler make their own.
let shared: Runtime | undefined;
test.before(async () => {
  shared = new Runtime({ schedulers: 2 });
  await shared.ready();
});
test.after.always(async () => {
  await shared?.shutdown();
});
const sharedRuntime = async (): Promise<Runtime> => shared!;

/** Runs `body` as a process on scheduler 0 and resolves with its return value. */
function inProcess<T>(rt: Runtime, body: (self: Self) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    rt.spawn(async (self: Self) => {
      try {
        resolve(await body(self));
      } catch (err) {
        reject(err);
      }
    });
  });
}

async function receiveOrFail<T>(self: Self, pattern: (m: unknown) => m is T): Promise<T> {
  const m = await self.receive(pattern, { timeout: 10_000 });
  if (m === TIMEOUT) throw new Error('nothing arrived within 10 s');
  return m;
}

const isReply = (m: unknown): m is { n: number; at: Pid } => typeof m === 'object' && m !== null && 'n' in m;

test('a process spawned by module reference runs on the scheduler it names and its pid says so', async (t) => {
  const rt = await sharedRuntime();
  const reply = await inProcess(rt, async (self) => {
    const echo = self.spawn(on1('echo'));
    t.is(echo.scheduler, 1);
    t.regex(String(echo), /^<1\.\d+\.0>$/);
    self.send(echo, { from: self.pid, n: 41 });
    return receiveOrFail(self, isReply);
  });
  t.is(reply.n, 42);
  t.is(reply.at.scheduler, 1);
});

test('messages between one pair of processes on different schedulers arrive in send order', async (t) => {
  const rt = await sharedRuntime();
  const received = await inProcess(rt, async (self) => {
    const relay = self.spawn(on1('relay'), self.pid);
    for (let i = 0; i < 2000; i++) self.send(relay, i);
    const out: number[] = [];
    while (out.length < 2000) out.push((await receiveOrFail(self, (m): m is number => typeof m === 'number')));
    return out;
  });
  t.deepEqual(received, Array.from({ length: 2000 }, (_, i) => i));
});

test('an abnormal exit on another scheduler kills a linked process that is not trapping, with the same reason', async (t) => {
  const rt = await sharedRuntime();
  const victim = rt.spawn(async (self: Self) => {
    const peer = self.spawnLink(on1('exitOnRequest'));
    self.send(peer, 'boom');
    await self.receive();
  });
  t.is(await rt.wait(victim), 'boom');
});

test('a normal exit on another scheduler does not kill a linked process', async (t) => {
  const rt = await sharedRuntime();
  const outcome = await inProcess(rt, async (self) => {
    const peer = self.spawnLink(on1('echo'));
    const { ref } = self.spawnMonitor(on1('exitOnRequest'));
    self.send(peer, 'stop');
    self.send(peer, { from: self.pid, n: 0 });
    return self.receive(downOf(ref), { timeout: 100 });
  });
  t.is(outcome, TIMEOUT, 'the linked process is still alive and receiving');
});

test('a trapping process receives EXIT from a process on another scheduler with its error reason intact', async (t) => {
  const rt = await sharedRuntime();
  const exit = await inProcess(rt, async (self) => {
    self.trapExit(true);
    const peer = self.spawnLink(on1('crashAfter'), 1);
    return receiveOrFail(self, exitFrom(peer));
  });
  t.like(exit.reason as object, { error: { name: 'Error', message: 'crashed on purpose' } });
});

test('a monitor across schedulers delivers DOWN with its ref, the pid and the reason', async (t) => {
  const rt = await sharedRuntime();
  const [down, pid, ref] = await inProcess(rt, async (self) => {
    const spawned = self.spawnMonitor(on1('exitOnRequest'));
    self.send(spawned.pid, 'bye');
    return [await receiveOrFail(self, downOf(spawned.ref)), spawned.pid, spawned.ref] as const;
  });
  t.true(down.ref.equals(ref));
  t.true((down.pid as Pid).equals(pid));
  t.is(down.reason, 'bye');
});

test('monitoring and linking to a dead pid on another scheduler answer noproc', async (t) => {
  const rt = await sharedRuntime();
  const dead = rt.spawn(on1('exitOnRequest'));
  rt.send(dead, 'gone');
  await rt.wait(dead);
  const [down, exit] = await inProcess(rt, async (self) => {
    const ref = self.monitor(dead);
    const d = await receiveOrFail(self, downOf(ref));
    self.trapExit(true);
    self.link(dead);
    return [d, await receiveOrFail(self, exitFrom(dead))] as const;
  });
  t.is(down.reason, 'noproc');
  t.is(exit.reason, 'noproc');
});

test("exit(pid, 'kill') across schedulers kills even a trapping process, with reason 'killed'", async (t) => {
  const rt = await sharedRuntime();
  const report = rt.spawn(async (self: Self) => {
    await self.receive();
  });
  const trapper = rt.spawn(on1('trapper'), report, null);
  await until(() => rt.processInfo(trapper)?.trapExit === true);
  const exited = rt.wait(trapper);
  rt.exit(trapper, 'kill');
  t.is(await exited, 'killed');
});

test('a synchronous question about a scheduler that has not booted fails with scheduler_starting instead of blocking', async (t) => {
  const rt = new Runtime({ schedulers: 2 });
  t.teardown(() => rt.shutdown());
  const pid = rt.spawn(on1('echo'));
  const err = t.throws(() => rt.processInfo(pid));
  t.true(isKairosError(err, 'scheduler_starting'));
  await rt.ready();
  await until(() => rt.processInfo(pid) !== undefined);
  t.pass();
});

test('a name registered on one scheduler is seen at once on the other, reaches the process, and is freed at exit', async (t) => {
  const rt = await sharedRuntime();
  const pid = rt.spawn(on1('named'), 'cross-echo');
  await until(() => rt.whereis('cross-echo') !== undefined);
  t.true(rt.whereis('cross-echo')!.equals(pid));
  const reply = await inProcess(rt, async (self) => {
    self.send('cross-echo', { from: self.pid, n: 1 });
    return receiveOrFail(self, isReply);
  });
  t.is(reply.n, 2);
  const err = t.throws(() => rt.register('cross-echo', rt.spawn(async (s: Self) => void (await s.receive()))));
  t.true(isKairosError(err, 'name_taken'));
  rt.send('cross-echo', 'stop');
  await rt.wait(pid);
  t.is(rt.whereis('cross-echo'), undefined);
  t.false(rt.registered().includes('cross-echo'));
});

test('processInfo, isAlive and processes report processes on another scheduler', async (t) => {
  const rt = await sharedRuntime();
  const pid = rt.spawn(on1('echo'));
  await until(() => rt.processInfo(pid)?.status === 'waiting');
  const info = rt.processInfo(pid)!;
  t.true(info.pid.equals(pid));
  t.false(info.trapExit);
  t.true(rt.isAlive(pid));
  t.true(rt.processes().some((p) => p.equals(pid)));
  rt.send(pid, 'stop');
  await rt.wait(pid);
  t.false(rt.isAlive(pid));
  t.is(rt.processInfo(pid), undefined);
});

test('a message that cannot be copied to another scheduler makes send throw invalid_input naming the field, and the runtime keeps working', async (t) => {
  const rt = await sharedRuntime();
  const pid = rt.spawn(on1('echo'));
  const err = t.throws(() => rt.send(pid, { ok: 1, nested: [{ bad: () => 1 }] }));
  t.true(isKairosError(err, 'invalid_input'));
  t.regex(err!.message, /msg\.nested\[0\]\.bad/);
  const reply = await inProcess(rt, async (self) => {
    self.send(pid, { from: self.pid, n: 7 });
    return receiveOrFail(self, isReply);
  });
  t.is(reply.n, 8);
});

test('Map, Set, Date, BigInt and typed arrays cross schedulers intact', async (t) => {
  const rt = await sharedRuntime();
  const value = { m: new Map([['k', 1]]), s: new Set(['a']), d: new Date(86_400_000), b: 2n ** 70n, u: new Uint8Array([1, 2, 3]) };
  const back = await inProcess(rt, async (self) => {
    const relay = self.spawn(on1('relay'), self.pid);
    self.send(relay, value);
    return receiveOrFail(self, (m): m is typeof value => typeof m === 'object' && m !== null && 'm' in m);
  });
  t.deepEqual(back, value);
});

test('spawnLink across schedulers is atomic: a child that dies at once still kills its parent', async (t) => {
  const rt = await sharedRuntime();
  const parent = rt.spawn(async (self: Self) => {
    self.spawnLink(on1('crashAfter'), 0);
    await self.receive();
  });
  t.like((await rt.wait(parent)) as object, { error: { message: 'crashed on purpose' } });
});

test('when a scheduler thread dies, its processes exit with { scheduler_down } and the rest of the runtime keeps working', async (t) => {
  const rt = await twoSchedulers(t);
  const downs: number[] = [];
  rt.events.on('scheduler_down', (k) => downs.push(k));
  const down = await inProcess(rt, async (self) => {
    const { pid, ref } = self.spawnMonitor(on1('killThread'));
    self.send(pid, 'now');
    return receiveOrFail(self, downOf(ref));
  });
  t.deepEqual(down.reason, { scheduler_down: 1 });
  t.deepEqual(downs, [1]);
  const placed = rt.spawn({ module: FIXTURES, export: 'echo' });
  t.is(placed.scheduler, 0, 'placement skips the dead scheduler');
  const reply = await inProcess(rt, async (self) => {
    self.send(placed, { from: self.pid, n: 1 });
    return receiveOrFail(self, isReply);
  });
  t.is(reply.n, 2);
});

test('dirty work runs a CPU-heavy export off the schedulers and resolves to its result', async (t) => {
  const rt = await sharedRuntime();
  t.is(await rt.dirty({ module: FIXTURES, export: 'fib' }, 20), 6765);
  await t.throwsAsync(rt.dirty({ module: FIXTURES, export: 'missing' }));
});

test('a process on another scheduler can run dirty work too, and learns of its failure', async (t) => {
  const rt = await sharedRuntime();
  const [ok, failed] = await inProcess(rt, async (self) => {
    self.spawn(on1('dirtyFib'), self.pid, 15);
    const first = await receiveOrFail(self, (m): m is { fib: number } => typeof m === 'object' && m !== null && 'fib' in m);
    self.spawn(on1('dirtyFib'), self.pid, 15, 'missing');
    const second = await receiveOrFail(self, (m): m is { failed: string } => typeof m === 'object' && m !== null && 'failed' in m);
    return [first, second] as const;
  });
  t.is(ok.fib, 610);
  t.regex(failed.failed, /missing/);
});

test('shutdown stops every scheduler thread and leaves no handle open', async (t) => {
  const code = await new Promise<number | null>((resolve) => {
    // --v8-pool-size is a per-process option that worker threads must not be given.
    const child = spawnChild(process.execPath, ['--v8-pool-size=2', '--import', './test/register-tsx.mjs', 'test/fixtures/runtime-shutdown.ts'], {
      cwd: new URL('../..', import.meta.url),
      stdio: 'inherit',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  t.is(code, 0, 'the process ended by itself after shutdown');
});

test('scheduler threads of a program given with node -e run only the runtime, not the program again', async (t) => {
  const script = `
    import { Runtime } from './runtime/index.ts';
    const rt = new Runtime({ schedulers: 2 });
    await rt.ready();
    const pid = rt.spawn({ module: new URL('./test/fixtures/runtime-procs.ts', import.meta.url), export: 'echo', scheduler: 1 });
    const exited = rt.wait(pid);
    rt.send(pid, 'stop');
    const reason = await exited;
    await rt.shutdown();
    if (reason !== 'normal') { console.error('echo ended with', reason); process.exitCode = 1; }
  `;
  const code = await new Promise<number | null>((resolve) => {
    const child = spawnChild(process.execPath, ['--v8-pool-size=2', '--import', './test/register-tsx.mjs', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url),
      stdio: 'inherit',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  t.is(code, 0);
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met within 10 s');
}

