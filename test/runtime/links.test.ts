import test from 'ava';
import { TIMEOUT, downOf, exitFrom, isExit, type Pid, type Self } from '../../runtime/index.ts';
import {
  Inbox, MUST, QUIET_MS, deadPid, exitOf, got, isErrorReason, makeRuntime, run, sameReason, spawnIdle, survives,
} from './helpers.ts';

function linksOf(rt: ReturnType<typeof makeRuntime>, pid: Pid): string[] {
  return (rt.processInfo(pid)?.links ?? []).map(String);
}

test('spawnLink links parent and child atomically, so a child that dies at once still kills its parent', async (t) => {
  const rt = makeRuntime(t);
  const parent = rt.spawn(function* (self: Self) {
    self.spawnLink(function* (child: Self) {
      child.exit('early');
    });
    yield* self.receive();
  });
  sameReason(t, await exitOf(rt, parent), 'early');
});

test('spawnLink gives both processes the link at once', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    const child = self.spawnLink(async (c: Self) => {
      await c.receive();
    });
    t.deepEqual(linksOf(rt, self.pid), [String(child)]);
    t.deepEqual(linksOf(rt, child), [String(self.pid)]);
  });
});

test('spawnLink delivers the EXIT of a child that dies at once to a trapping parent', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.trapExit(true);
    const child = self.spawnLink(async (c: Self) => {
      c.exit({ died: 'early' });
    });
    const exit = got(yield* self.receive(exitFrom(child), MUST), 'EXIT');
    t.deepEqual(exit.reason, { died: 'early' });
  });
});

test('linking to the same process many times makes one link, and one EXIT when it dies', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await run(rt, async (self) => {
    self.trapExit(true);
    self.link(target);
    self.link(target);
    self.link(target);
    t.deepEqual(linksOf(rt, self.pid), [String(target)]);
    t.deepEqual(linksOf(rt, target), [String(self.pid)]);
    self.exit(target, 'boom');
    const exit = got(await self.receive(exitFrom(target), MUST), 'EXIT');
    t.is(exit.reason, 'boom');
    t.is(await self.receive(isExit, { timeout: QUIET_MS }), TIMEOUT, 'a second EXIT arrived');
  });
});

test('one unlink removes a link that was made several times', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  await run(rt, async (self) => {
    self.trapExit(true);
    self.link(target);
    self.link(target);
    self.unlink(target);
    t.deepEqual(linksOf(rt, self.pid), []);
    self.exit(target, 'boom');
    t.is(await self.receive(isExit, { timeout: QUIET_MS }), TIMEOUT, 'an EXIT arrived after unlink');
  });
});

test('linking to self does nothing', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.link(self.pid);
    t.deepEqual(linksOf(rt, self.pid), []);
    yield* self.sleep(0);
  });
});

test('linking to a dead pid while trapping exits delivers an EXIT with reason noproc from that pid', async (t) => {
  const rt = makeRuntime(t);
  const dead = await deadPid(rt);
  await run(rt, async (self) => {
    self.trapExit(true);
    self.link(dead);
    const exit = got(await self.receive(isExit, MUST), 'EXIT');
    t.true(exit.from.equals(dead));
    t.is(exit.reason, 'noproc');
    t.deepEqual(linksOf(rt, self.pid), []);
  });
});

test('linking to a dead pid without trapping exits throws noproc', async (t) => {
  const rt = makeRuntime(t);
  const dead = await deadPid(rt);
  await run(rt, async (self) => {
    let code: unknown;
    try {
      self.link(dead);
    } catch (err) {
      code = (err as { code?: unknown }).code;
    }
    t.is(code, 'noproc');
    t.deepEqual(linksOf(rt, self.pid), []);
  });
});

test('an uncaught noproc from linking to a dead pid ends the linking process abnormally', async (t) => {
  const rt = makeRuntime(t);
  const dead = await deadPid(rt);
  const pid = rt.spawn(function* (self: Self) {
    self.link(dead);
    yield* self.receive();
  });
  const reason = await exitOf(rt, pid);
  t.true(isErrorReason(reason), `got ${JSON.stringify(reason)}`);
  if (isErrorReason(reason)) t.is(reason.error.name, 'KairosError');
});

test('unlink removes the link in both directions', async (t) => {
  const rt = makeRuntime(t);
  const target = spawnIdle(rt);
  const linker = rt.spawn(async (self: Self) => {
    self.link(target);
    self.unlink(target);
    self.exit('boom');
  });
  sameReason(t, await exitOf(rt, linker), 'boom');
  t.deepEqual(linksOf(rt, target), []);
  t.true(await survives(rt, target), 'the once-linked process died with its former partner');
});

test('either side of a link can remove it with unlink', async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    self.trapExit(true);
    const parent = self.pid;
    self.spawnLink(async (child: Self) => {
      child.unlink(parent);
      child.send(parent, 'unlinked');
      child.exit('boom');
    });
    got(await self.receive((m) => m === 'unlinked', MUST), 'unlinked');
    t.is(await self.receive(isExit, { timeout: QUIET_MS }), TIMEOUT, 'an EXIT arrived after the child unlinked');
    t.deepEqual(linksOf(rt, self.pid), []);
  });
});

test('an abnormal exit kills a linked process that is not trapping exits, with the same reason', async (t) => {
  const rt = makeRuntime(t);
  const parent = rt.spawn(async (self: Self) => {
    self.spawnLink(function* (child: Self) {
      child.exit({ failed: [1, 'two'] });
    });
    await self.receive();
  });
  t.deepEqual(await exitOf(rt, parent), { failed: [1, 'two'] });
});

test('a thrown error kills a linked process that is not trapping exits, with the error as reason', async (t) => {
  const rt = makeRuntime(t);
  let childExit: Promise<unknown> | undefined;
  const parent = rt.spawn(async (self: Self) => {
    const child = self.spawnLink(async () => {
      throw new RangeError('out of range');
    });
    childExit = rt.wait(child);
    await self.receive();
  });
  const reason = await exitOf(rt, parent);
  t.true(isErrorReason(reason));
  if (isErrorReason(reason)) t.is(reason.error.message, 'out of range');
  t.deepEqual(await childExit, reason);
});

test('a normal exit does not kill a linked process that is not trapping exits', async (t) => {
  const rt = makeRuntime(t);
  const parent = rt.spawn(async (self: Self) => {
    const child = self.spawnLink(async () => 'done');
    const ref = self.monitor(child);
    got(await self.receive(downOf(ref), MUST), 'DOWN');
    await self.receive(null, { timeout: QUIET_MS });
    self.exit('survived');
  });
  t.is(await exitOf(rt, parent), 'survived');
});

test("a process that exits with reason 'kill' reaches a trapping linked process as 'kill', not 'killed'", async (t) => {
  const rt = makeRuntime(t);
  await run(rt, function* (self) {
    self.trapExit(true);
    const child = self.spawnLink(function* (c: Self) {
      c.exit('kill');
    });
    const childExit = rt.wait(child);
    const exit = got(yield* self.receive(exitFrom(child), MUST), 'EXIT');
    t.is(exit.reason, 'kill');
    t.is(yield* self.await(childExit), 'kill');
  });
});

test("a non-trapping process linked to a process that exits with 'kill' dies with 'kill'", async (t) => {
  const rt = makeRuntime(t);
  await run(rt, async (self) => {
    self.trapExit(true);
    const middle = self.spawnLink(async (m: Self) => {
      m.spawnLink(async (c: Self) => {
        c.exit('kill');
      });
      await m.receive();
    });
    const middleExit = rt.wait(middle);
    const exit = got(await self.receive(exitFrom(middle), MUST), 'EXIT');
    t.is(exit.reason, 'kill', 'the middle process passed on a converted reason');
    t.is(await middleExit, 'kill');
  });
});

test('an abnormal exit cascades through a chain of linked processes', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  function* link(self: Self, depth: number): Generator<unknown, void, unknown> {
    if (depth === 0) {
      self.send(inbox.pid, { leaf: self.pid });
      yield* self.receive((m) => m === 'fail');
      self.exit({ cascade: 'from leaf' });
    }
    self.spawnLink(link, depth - 1);
    yield* self.receive();
  }
  const root = rt.spawn(link, 5);
  const { leaf } = await inbox.take<{ leaf: Pid }>();
  const middle = rt.processInfo(root)?.links[0];
  t.truthy(middle);
  const exits = [exitOf(rt, root), exitOf(rt, middle as Pid), exitOf(rt, leaf)];
  rt.send(leaf, 'fail');
  t.deepEqual(await Promise.all(exits), Array(3).fill({ cascade: 'from leaf' }));
});

test('killing the root of a 100,000-process link chain kills every process in it without overflowing the stack', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const length = 100_000;
  function* link(self: Self, left: number): Generator<unknown, void, unknown> {
    if (left === 1) self.send(inbox.pid, { last: self.pid });
    else self.spawnLink(link, left - 1);
    yield* self.receive();
  }
  const root = rt.spawn(link, length);
  const { last } = await inbox.take<{ last: Pid }>();
  t.is(rt.processes().length, length + 1);
  const exits = [exitOf(rt, root), exitOf(rt, last)];
  rt.exit(root, 'kill');
  t.deepEqual(await Promise.all(exits), ['killed', 'killed']);
  t.deepEqual(rt.processes().map(String), [String(inbox.pid)]);
});

// A process with more links than the scheduler queues one by one (16) queues a single fan-out
// entry for its exit signals; every linked process must still get exactly its own signal, after
// whatever the dying process sent it before.
test('a process linked to 40 others sends each its exit signal: trapping ones get one EXIT after its last message, the rest die with its reason', async (t) => {
  const rt = makeRuntime(t);
  const inbox = new Inbox(rt);
  const hub = rt.spawn(async (self: Self) => {
    const { go } = (await self.receive()) as { go: true };
    t.true(go);
    for (const pid of rt.processInfo(self.pid)!.links) self.send(pid, 'last words');
    self.exit({ hub: 'down' });
  });
  const trapping: Pid[] = [];
  const plain: Pid[] = [];
  for (let i = 0; i < 20; i++) {
    trapping.push(rt.spawn(async (self: Self) => {
      self.trapExit(true);
      self.link(hub);
      self.send(inbox.pid, 'linked');
      const first = await self.receive(null, MUST);
      const second = await self.receive(null, MUST);
      self.send(inbox.pid, { from: self.pid, first, second });
      const extra = await self.receive(isExit, { timeout: QUIET_MS });
      self.send(inbox.pid, { from: self.pid, extra });
    }));
    plain.push(rt.spawn(async (self: Self) => {
      self.link(hub);
      self.send(inbox.pid, 'linked');
      await self.receive((m) => m === 'never');
    }));
  }
  await inbox.takeN(40, (m) => m === 'linked');
  t.is(rt.processInfo(hub)!.links.length, 40);
  const plainExits = plain.map((pid) => exitOf(rt, pid));
  rt.send(hub, { go: true });
  const seen = await inbox.takeN<{ from: Pid; first: unknown; second: { type: string; from: Pid; reason: unknown } }>(20, (m) => typeof m === 'object' && m !== null && 'second' in m);
  t.deepEqual(new Set(seen.map((m) => String(m.from))), new Set(trapping.map(String)));
  for (const m of seen) {
    t.is(m.first, 'last words');
    t.is(m.second.type, 'EXIT');
    t.true(m.second.from.equals(hub));
    t.deepEqual(m.second.reason, { hub: 'down' });
  }
  for (const reason of await Promise.all(plainExits)) t.deepEqual(reason, { hub: 'down' });
  const extras = await inbox.takeN<{ extra: unknown }>(20, (m) => typeof m === 'object' && m !== null && 'extra' in m);
  t.true(extras.every((m) => m.extra === TIMEOUT), 'a linked process got a second EXIT');
});
