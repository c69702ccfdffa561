import test from 'ava';
import { exitFrom, isExit, type Self } from '../../runtime/index.ts';
import { MUST, exitOf, got, makeRuntime, run } from './helpers.ts';

test('a trapping process receives an EXIT message when a linked process exits normally', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.trapExit(true);
    const child = self.spawnLink(function* () {
      return 'done';
    });
    const exit = got(yield* self.receive(isExit, MUST), 'EXIT');
    t.deepEqual({ type: exit.type, from: String(exit.from), reason: exit.reason }, {
      type: 'EXIT', from: String(child), reason: 'normal',
    });
  });
});

test('a trapping process receives an EXIT message with the reason when a linked process exits abnormally, and lives on', async (t) => {
  const rt = makeRuntime(t);
  const parent = rt.spawn(async (self: Self) => {
    self.trapExit(true);
    const child = self.spawnLink(async (c: Self) => {
      c.exit({ code: 3 });
    });
    const exit = got(await self.receive(exitFrom(child), MUST), 'EXIT');
    self.exit({ saw: exit.reason });
  });
  t.deepEqual(await exitOf(rt, parent), { saw: { code: 3 } });
});

test('a trapping process receives exit/2 signals as EXIT messages from their sender, normal ones included', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    self.trapExit(true);
    const target = self.pid;
    const sender = self.spawn(function* (s: Self) {
      s.exit(target, 'normal');
      s.exit(target, 'shutdown');
      s.exit(target, { custom: true });
      yield* s.receive();
    });
    const reasons: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const exit = got(await self.receive(exitFrom(sender), MUST), 'EXIT');
      reasons.push(exit.reason);
    }
    t.deepEqual(reasons, ['normal', 'shutdown', { custom: true }]);
    self.exit(sender, 'kill');
  });
});

test("exit(self, 'normal') in a trapping process becomes an EXIT message, not death", async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.trapExit(true);
    self.exit(self.pid, 'normal');
    const exit = got(yield* self.receive(isExit, MUST), 'EXIT');
    t.true(exit.from.equals(self.pid));
    t.is(exit.reason, 'normal');
  });
});

test("exit(pid, 'kill') still kills a trapping process, and its trapping partners see 'killed'", async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    self.trapExit(true);
    const parent = self.pid;
    const target = self.spawnLink(async (c: Self) => {
      c.trapExit(true);
      c.send(parent, 'trapping');
      for (;;) await c.receive();
    });
    got(await self.receive((m) => m === 'trapping', MUST), 'trapping');
    const targetExit = rt.wait(target);
    self.spawn(function* (killer: Self) {
      killer.exit(target, 'kill');
    });
    const exit = got(await self.receive(exitFrom(target), MUST), 'EXIT');
    t.is(exit.reason, 'killed');
    t.is(await targetExit, 'killed');
  });
});

test('trapExit returns the previous value of the flag', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    t.false(rt.processInfo(self.pid)?.trapExit);
    t.false(self.trapExit(true));
    t.true(rt.processInfo(self.pid)?.trapExit);
    t.true(self.trapExit(true));
    t.true(self.processFlag('trapExit', false));
    t.false(rt.processInfo(self.pid)?.trapExit);
    t.false(self.processFlag('trapExit', false));
    yield* self.sleep(0);
  });
});

test('turning trapping off again restores the default: an abnormal linked exit kills the process', async (t) => {
  const rt = makeRuntime(t);
  const parent = rt.spawn(async (self: Self) => {
    self.trapExit(true);
    self.trapExit(false);
    self.spawnLink(async (c: Self) => {
      c.exit('boom');
    });
    await self.receive(null, MUST);
    self.exit('survived');
  });
  t.is(await exitOf(rt, parent), 'boom');
});

test('turning trapping off again restores the default: a normal linked exit is ignored without a message', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    self.trapExit(true);
    self.trapExit(false);
    const child = self.spawnLink(async () => 'done');
    const ref = self.monitor(child);
    const first = await self.receive(null, MUST);
    t.like(first as object, { type: 'DOWN' });
    t.true((first as { ref: { equals(x: unknown): boolean } }).ref.equals(ref));
    t.is(rt.processInfo(self.pid)?.messageQueueLen, 0, 'an EXIT message arrived while not trapping');
  });
});

test('a supervisor-like trapping process linked to N children gets one EXIT per child', async (t) => {
  const rt = makeRuntime(t);
  const n = 50;
  await run(rt, function* (self) {
    self.trapExit(true);
    const children = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const child = self.spawnLink(function* (c: Self, index: number) {
        yield* c.sleep(0);
        if (index % 2 === 0) return;
        c.exit({ index });
      }, i);
      children.set(child.key, i);
    }
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const exit = got(yield* self.receive(isExit, MUST), `EXIT ${i}`);
      const index = children.get(exit.from.key);
      t.not(index, undefined);
      if (index === undefined) continue;
      t.false(seen.has(index));
      seen.add(index);
      t.deepEqual(exit.reason, index % 2 === 0 ? 'normal' : { index });
    }
    t.is(seen.size, n);
  });
});
