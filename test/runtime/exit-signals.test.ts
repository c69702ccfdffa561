import test from 'ava';
import { TIMEOUT, downOf, exitFrom, type Pid, type Self } from '../../runtime/index.ts';
import {
  Inbox, MUST, deadPid, exitOf, got, isErrorReason, makeRuntime, run, spawnIdle, survives,
} from './helpers.ts';

test("exit(pid, 'normal') sent to another process that is not trapping exits is ignored", async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await run(rt, async (self) => {
    self.exit(target, 'normal');
  });
  rt.exit(target, 'normal');
  t.true(await survives(rt, target));
});

test("exit(self, 'normal') ends a process that is not trapping exits with reason 'normal'", async (t) => {
  const rt = makeRuntime(t);
  const pid = rt.spawn(function* (self: Self) {
    self.exit(self.pid, 'normal');
    yield* self.receive(null, MUST);
    self.exit('survived');
  });
  t.is(await exitOf(rt, pid), 'normal');
});

for (const form of ['async', 'generator'] as const) {
  test(`exit(self, reason) in a process not trapping exits ends it at once, like exit(reason): no code after the call runs (${form} form)`, async (t) => {
    const rt = makeRuntime(t);
    const inbox = new Inbox(rt);
    const body = form === 'async'
      ? async (self: Self) => {
        self.exit(self.pid, 'boom');
        self.send(inbox.pid, 'ran after exit/2 to self');
      }
      : function* (self: Self) {
        self.exit(self.pid, 'boom');
        self.send(inbox.pid, 'ran after exit/2 to self');
        yield* self.sleep(0);
      };
    const pid = rt.spawn(body);
    t.is(await exitOf(rt, pid), 'boom');
    t.true(await inbox.quiet(), 'the process ran on after exit(self, reason)');
  });
}

for (const form of ['async', 'generator'] as const) {
  test(`a process killed while it awaits a promise has no effects afterwards (${form} form)`, async (t) => {
    const rt = makeRuntime(t);
    const inbox = new Inbox(rt);
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const body = form === 'async'
      ? async (self: Self) => {
        self.send(inbox.pid, 'waiting');
        await gate;
        self.send(inbox.pid, 'zombie');
      }
      : function* (self: Self) {
        self.send(inbox.pid, 'waiting');
        yield* self.await(gate);
        self.send(inbox.pid, 'zombie');
      };
    const pid = rt.spawn(body);
    const exit = exitOf(rt, pid);
    await inbox.take((m) => m === 'waiting');
    rt.exit(pid, 'kill');
    t.is(await exit, 'killed');
    release();
    t.true(await inbox.quiet(), 'a killed process still sent a message');
  });
}

test("exit(pid, 'kill') kills with reason 'killed' even a process that is trapping exits", async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const target = rt.spawn(async (self: Self) => {
    self.trapExit(true);
    self.send(inbox.pid, 'trapping');
    for (;;) await self.receive();
  });
  const targetExit = exitOf(rt, target);
  await inbox.take((m) => m === 'trapping');
  await run(rt, async (self) => {
    self.exit(target, 'kill');
  });
  t.is(await targetExit, 'killed');
});

test("exit(self, 'kill') kills the calling process with reason 'killed'", async (t) => {
  const rt = makeRuntime(t);
  const pid = rt.spawn(async (self: Self) => {
    self.trapExit(true);
    self.exit(self.pid, 'kill');
    await self.receive(null, MUST);
    self.exit('survived');
  });
  t.is(await exitOf(rt, pid), 'killed');
});

test('exit(pid, reason) with an abnormal reason kills a process that is not trapping exits with that reason', async (t) => {
  const rt = makeRuntime(t);
  const first = spawnIdle(rt);
  const second = spawnIdle(rt);
  const firstExit = exitOf(rt, first);
  const secondExit = exitOf(rt, second);
  await run(rt, function* (self) {
    self.exit(first, { shutdown: { why: 'test' } });
    self.exit(second, 'shutdown');
    yield* self.sleep(0);
  });
  t.deepEqual(await firstExit, { shutdown: { why: 'test' } });
  t.is(await secondExit, 'shutdown');
});

test('exit(reason) ends the calling process at once with that reason', async (t) => {
  const rt = makeRuntime(t);
  let reachedAfterExit = false;
  const nested = (self: Self): void => {
    self.exit(['deep', 42]);
  };
  const pid = rt.spawn(async (self: Self) => {
    nested(self);
    reachedAfterExit = true;
  });
  t.deepEqual(await exitOf(rt, pid), ['deep', 42]);
  t.false(reachedAfterExit);
});

test('exit(reason) in a generator process ends it at once with that reason', async (t) => {
  const rt = makeRuntime(t);
  let reachedAfterExit = false;
  const pid = rt.spawn(function* (self: Self) {
    yield* self.sleep(0);
    self.exit(7);
    reachedAfterExit = true;
  });
  t.is(await exitOf(rt, pid), 7);
  t.false(reachedAfterExit);
});

test('a thrown error ends an async process with { error: { name, message, stack } }', async (t) => {
  const rt = makeRuntime(t);
  const pid = rt.spawn(async (self: Self) => {
    await self.sleep(0);
    throw new TypeError('not a number');
  });
  const reason = await exitOf(rt, pid);
  t.true(isErrorReason(reason), `got ${JSON.stringify(reason)}`);
  if (!isErrorReason(reason)) return;
  t.is(reason.error.name, 'TypeError');
  t.is(reason.error.message, 'not a number');
  t.true(typeof reason.error.stack === 'string' && reason.error.stack.includes('not a number'));
  t.false(reason.error instanceof Error, 'the reason must be plain data');
});

test('a thrown error ends a generator process with { error: { name, message, stack } }, also seen by a linked trapping process', async (t) => {
  const rt = makeRuntime(t);
  let child: Pid | undefined;
  await run(rt, async (self) => {
    self.trapExit(true);
    child = self.spawnLink(function* (c: Self) {
      yield* c.sleep(0);
      throw new Error('generator failed');
    });
    const childExit = rt.wait(child);
    const exit = got(await self.receive(exitFrom(child), MUST), 'EXIT');
    t.true(isErrorReason(exit.reason));
    if (isErrorReason(exit.reason)) {
      t.is(exit.reason.error.name, 'Error');
      t.is(exit.reason.error.message, 'generator failed');
      t.is(typeof exit.reason.error.stack, 'string');
    }
    t.deepEqual(await childExit, exit.reason);
  });
});

test('a generator body whose parameters throw ends its own process with the error, not its spawner', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.trapExit(true);
    // Destructuring null throws a TypeError before the body's first line runs.
    const child = self.spawnLink(function* (c: Self, { depth }: { depth: number }) {
      yield* c.sleep(depth);
    }, null as never);
    t.true(self.isAlive(self.pid), 'the spawner survives');
    const exit = got(yield* self.receive(exitFrom(child), MUST), 'EXIT');
    t.true(isErrorReason(exit.reason), `got ${JSON.stringify(exit.reason)}`);
    if (isErrorReason(exit.reason)) t.is(exit.reason.error.name, 'TypeError');
  });
});

test("returning from the body ends the process with reason 'normal' in both forms", async (t) => {
  const rt = makeRuntime(t);
  const a = rt.spawn(async () => ({ some: 'value' }));
  const g = rt.spawn(function* () {
    return 'ignored';
  });
  const exits = [exitOf(rt, a), exitOf(rt, g)];
  t.deepEqual(await Promise.all(exits), ['normal', 'normal']);
});

test("processes linked to a killed process receive reason 'killed'", async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.trapExit(true);
    const parent = self.pid;
    const victim = self.spawnLink(function* (v: Self) {
      const bystander = v.spawnLink(function* (b: Self) {
        yield* b.receive();
      });
      v.send(parent, { bystander });
      yield* v.receive();
    });
    const { bystander } = got(yield* self.receive((m): m is { bystander: Pid } => typeof m === 'object' && m !== null && 'bystander' in m, MUST), 'ready');
    const ref = self.monitor(bystander);
    rt.exit(victim, 'kill');
    const exit = got(yield* self.receive(exitFrom(victim), MUST), 'EXIT');
    t.is(exit.reason, 'killed');
    const down = got(yield* self.receive(downOf(ref), MUST), 'DOWN of the bystander');
    t.is(down.reason, 'killed');
  });
});

test('rt.exit sends an exit signal from outside any process', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const trapper = rt.spawn(async (self: Self) => {
    self.trapExit(true);
    self.send(inbox.pid, 'trapping');
    self.send(inbox.pid, await self.receive());
  });
  const plain = spawnIdle(rt);
  const plainExit = exitOf(rt, plain);
  await inbox.take((m) => m === 'trapping');
  rt.exit(trapper, 'from outside');
  rt.exit(plain, 'from outside');
  const exit = await inbox.take<{ type: string; from: Pid; reason: unknown }>();
  t.is(exit.type, 'EXIT');
  t.is(exit.reason, 'from outside');
  t.is(String(exit.from), '<0.0.0>');
  t.is(await plainExit, 'from outside');
});

test('an exit signal to a dead pid is dropped without an error', async (t) => {
  const rt = makeRuntime(t);
  const dead = await deadPid(rt);
  t.notThrows(() => rt.exit(dead, 'kill'));
  await run(rt, async (self) => {
    self.exit(dead, 'boom');
    t.is(await self.receive(null, { timeout: 0 }), TIMEOUT);
  });
});
