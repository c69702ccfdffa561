import test, { type ExecutionContext } from 'ava';
import { Runtime, isKairosError, type Self } from '../../runtime/index.ts';
import { Inbox, exitOf, makeRuntime, rejectsCode, run, spawnIdle, throwsCode } from './helpers.ts';

/** Any value, typed loosely so bad input reaches the runtime's checks instead of the compiler's. */
const bad = (value: unknown): never => value as never;

/**
 * Asserts that `fn` fails with `invalid_input` and a message of the form
 * `<argument> must be <expected>, got <what arrived>`.
 */
async function invalid(t: ExecutionContext, fn: () => unknown, arrived: string): Promise<void> {
  const err = await rejectsCode(t, fn, 'invalid_input');
  if (!err) return;
  const parts = /^(\S+) must be (.+), got (.+)$/s.exec(err.message);
  t.truthy(parts, `message does not name argument, expectation and value: ${err.message}`);
  t.is(parts?.[3], arrived, `message: ${err.message}`);
}

/** The runtime still spawns, sends and receives after bad calls. */
async function stillWorks(t: ExecutionContext, rt: Runtime): Promise<void> {
  const inbox = new Inbox(rt);
  const echo = rt.spawn(function* (self: Self) {
    self.send(inbox.pid, { echo: yield* self.receive() });
  });
  rt.send(echo, 'after bad calls');
  t.deepEqual(await inbox.take(), { echo: 'after bad calls' });
}

test("spawning something that is not a function fails with 'invalid_input' naming what arrived", async (t) => {
  const rt = makeRuntime(t);
  await invalid(t, () => rt.spawn(bad(42)), '42');
  await invalid(t, () => rt.spawn(bad(undefined)), 'undefined');
  await invalid(t, () => rt.spawn(bad({})), 'an object');
  await run(rt, async (self) => {
    await invalid(t, () => self.spawn(bad('main')), '"main"');
    await invalid(t, () => self.spawnLink(bad(null)), 'null');
    await invalid(t, () => self.spawnMonitor(bad(7)), '7');
  });
  t.deepEqual(rt.processes().length, 0);
  await stillWorks(t, rt);
});

test("sending to something that is neither a pid nor a name fails with 'invalid_input'", async (t) => {
  const rt = makeRuntime(t);
  await invalid(t, () => rt.send(bad(42), 'x'), '42');
  await invalid(t, () => rt.send(bad(undefined), 'x'), 'undefined');
  await invalid(t, () => rt.send(bad({ key: 1 }), 'x'), 'an object');
  await run(rt, async (self) => {
    await invalid(t, () => self.send(bad(null), 'x'), 'null');
  });
  await stillWorks(t, rt);
});

test("an exit reason that is undefined, a function or a symbol fails with 'invalid_input'", async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await invalid(t, () => rt.exit(target, bad(undefined)), 'undefined');
  await invalid(t, () => rt.exit(target, bad(function reason() {})), 'a function (reason)');
  await invalid(t, () => rt.exit(target, bad(Symbol('s'))), 'a symbol');
  await invalid(t, () => rt.exit(bad('not a pid'), 'boom'), '"not a pid"');
  await run(rt, async (self) => {
    await invalid(t, () => self.exit(target, bad(undefined)), 'undefined');
    await invalid(t, () => self.exit(bad(undefined)), 'undefined');
  });
  t.true(rt.isAlive(target), 'a rejected exit signal still reached its target');
  await stillWorks(t, rt);
});

test("an unknown process flag or a non-boolean flag value fails with 'invalid_input'", async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    await invalid(t, () => self.processFlag(bad('trap_exits'), true), '"trap_exits"');
    await invalid(t, () => self.trapExit(bad('yes')), '"yes"');
    t.false(rt.processInfo(self.pid)?.trapExit);
  });
  await stillWorks(t, rt);
});

test("a negative or NaN timeout fails with 'invalid_input' in both process forms", async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    await invalid(t, () => self.receive(null, { timeout: -5 }), '-5');
    await invalid(t, () => self.receive(null, { timeout: Number.NaN }), 'NaN');
    await invalid(t, () => self.sleep(-1), '-1');
  });
  await run(rt, function* (self) {
    for (const timeout of [-5, Number.NaN]) {
      let caught: unknown;
      try {
        yield* self.receive(null, { timeout });
      } catch (err) {
        caught = err;
      }
      t.true(isKairosError(caught, 'invalid_input'), `timeout ${timeout}`);
    }
    self.send(self.pid, 'still receiving');
    t.is(yield* self.receive(), 'still receiving');
  });
  await stillWorks(t, rt);
});

test("a receive pattern that is not a function fails with 'invalid_input'", async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    await invalid(t, () => self.receive(bad('ping')), '"ping"');
  });
  await stillWorks(t, rt);
});

test("link, monitor, register and wait reject arguments of the wrong kind with 'invalid_input'", async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await invalid(t, () => rt.register(bad(42), target), '42');
  await invalid(t, () => rt.register('name', bad('not a pid')), '"not a pid"');
  await invalid(t, () => rt.wait(bad(1)), '1');
  await run(rt, async (self) => {
    await invalid(t, () => self.link(bad('target')), '"target"');
    await invalid(t, () => self.monitor(bad(3)), '3');
    await invalid(t, () => self.demonitor(bad('ref')), '"ref"');
  });
  t.deepEqual(rt.registered(), []);
  t.deepEqual(rt.processInfo(target)?.links, []);
  await stillWorks(t, rt);
});

test("a runtime constructed with an impossible scheduler count fails with 'invalid_input'", (t) => {
  for (const schedulers of [0, -1, 1.5]) {
    throwsCode(t, () => new Runtime({ schedulers }), 'invalid_input');
  }
});

test('shutdown kills every process and later calls fail with shutting_down', async (t) => {
  const rt = makeRuntime(t);
  const trapper = rt.spawn(async (self: Self) => {
    self.trapExit(true);
    for (;;) await self.receive();
  });
  const waiter = rt.spawn(function* (self: Self) {
    yield* self.receive(null, { timeout: 60_000 });
  });
  const linked = rt.spawn(function* (self: Self) {
    self.spawnLink(function* (c: Self) {
      yield* c.receive();
    });
    yield* self.receive();
  });
  const exits = [trapper, waiter, linked].map((pid) => exitOf(rt, pid));
  await rt.shutdown();
  t.deepEqual(await Promise.all(exits), ['killed', 'killed', 'killed']);
  t.deepEqual(rt.processes(), []);
  throwsCode(t, () => rt.spawn(async () => {}), 'shutting_down');
  throwsCode(t, () => rt.send(trapper, 'late'), 'shutting_down');
  throwsCode(t, () => rt.exit(trapper, 'kill'), 'shutting_down');
  throwsCode(t, () => rt.register('late', trapper), 'shutting_down');
  await rejectsCode(t, () => rt.wait(trapper), 'shutting_down');
});

test('shutdown twice is harmless', async (t) => {
  const rt = makeRuntime(t);
  spawnIdle(rt);
  await rt.shutdown();
  await t.notThrowsAsync(() => rt.shutdown());
});
