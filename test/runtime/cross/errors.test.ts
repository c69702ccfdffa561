// The rules of errors.test.ts for calls made on, or aimed at, scheduler 1. Not repeated:
// spawning a non-function (a closure is always local; module references are checked here), a
// scheduler count below 1 (no thread is involved), and a message that cannot be copied to
// another scheduler (in cross-scheduler.test.ts).
import test, { type ExecutionContext } from 'ava';
import { Worker } from 'node:worker_threads';
import { Runtime, exitFrom, type ExitMessage, type ModuleRef, type ProcessInfo } from '../../../runtime/index.ts';
import { MUST, got, isErrorReason, run, throwsCode } from '../helpers.ts';
import { FIXTURES, Inbox, Puppet, SOON, on, ownRuntime, sharedRuntime } from './helpers.ts';

const runtime = sharedRuntime(test);

/** Any value, typed loosely so bad input reaches the runtime's checks instead of the compiler's. */
const bad = (value: unknown): never => value as never;

/** Checks a message of the form `<argument> must be <expected>, got <what arrived>`. */
function saysWhatArrived(t: ExecutionContext, message: string | undefined, arrived: string): void {
  const parts = /^(\S+) must be (.+), got (.+)$/s.exec(message ?? '');
  t.truthy(parts, `message does not name argument, expectation and value: ${message}`);
  t.is(parts?.[3], arrived, `message: ${message}`);
}

function invalid(t: ExecutionContext, fn: () => unknown, arrived: string): void {
  saysWhatArrived(t, throwsCode(t, fn, 'invalid_input')?.message, arrived);
}

/** A process on scheduler 1 still answers after bad calls. */
async function stillWorks(t: ExecutionContext, p: Puppet): Promise<void> {
  await p.do(['send', p.pid, 'after bad calls']);
  t.is(await p.got(), 'after bad calls');
}

const BAD_REFS: Array<[ModuleRef, string]> = [
  [{ module: FIXTURES, export: 'idle', scheduler: 2 }, '2'],
  [{ module: FIXTURES, export: 'idle', scheduler: -1 }, '-1'],
  [{ module: FIXTURES, export: 'idle', scheduler: 1.5 }, '1.5'],
  [{ module: 'relative/runtime-rules.ts', export: 'idle', scheduler: 1 }, '"relative/runtime-rules.ts"'],
  [{ module: FIXTURES, export: '', scheduler: 1 }, '""'],
];

test("spawning a module reference with a scheduler that does not exist, a relative module or an empty export fails with 'invalid_input' naming what arrived, from either scheduler", async (t) => {
  const rt = runtime();
  const spawner = Puppet.spawn(rt, new Inbox(rt), 1);
  for (const [ref, arrived] of BAD_REFS) {
    invalid(t, () => rt.spawn(ref), arrived);
    const reply = await spawner.attempt(['spawnLink', ref]);
    t.is(reply.error?.code, 'invalid_input');
    saysWhatArrived(t, reply.error?.message, arrived);
  }
  t.deepEqual(((await spawner.do(['info']))[0] as ProcessInfo).links, [], 'a failed spawnLink left a link behind');
  await stillWorks(t, spawner);
});

// Erlang's spawn(M, F, A) of a function that does not exist starts a process that exits with
// undef; spawn_link makes that exit reach the parent.
for (const [what, ref] of [
  ['an export that does not exist', { module: FIXTURES, export: 'missing', scheduler: 1 }],
  ['an export that is not a function', { module: FIXTURES, export: 'notAFunction', scheduler: 1 }],
  ['a module that does not exist', { module: new URL('./no-such-module.ts', FIXTURES).href, export: 'idle', scheduler: 1 }],
] as const) {
  test(`spawnLink of ${what} on scheduler 1 starts a process that exits with an error reason, seen by a trapping parent on 0`, async (t) => {
    const rt = runtime();
    await run(rt, async (self) => {
      self.trapExit(true);
      const child = self.spawnLink(ref);
      t.is(child.scheduler, 1);
      const exit = got(await self.receive(exitFrom(child), MUST), 'EXIT') as ExitMessage;
      t.true(isErrorReason(exit.reason), `got ${JSON.stringify(exit.reason)}`);
    });
  });
}

test("sending from scheduler 1 to something that is neither a pid nor a name fails with 'invalid_input'", async (t) => {
  const rt = runtime();
  const sender = Puppet.spawn(rt, new Inbox(rt), 1);
  for (const [to, arrived] of [[42, '42'], [undefined, 'undefined'], [{ key: 1 }, 'an object'], [null, 'null']] as const) {
    const reply = await sender.attempt(['send', bad(to), 'x']);
    t.is(reply.error?.code, 'invalid_input');
    saysWhatArrived(t, reply.error?.message, arrived);
  }
  await stillWorks(t, sender);
});

test("spawn arguments or an exit reason that cannot be copied to scheduler 1 fail with 'invalid_input', and nothing reaches the target", async (t) => {
  const rt = runtime();
  class Opaque {}
  const target = Puppet.spawn(rt, new Inbox(rt), 1);
  const err = throwsCode(t, () => rt.spawn(on(1, 'idle'), { ok: 1, f: () => 1 }), 'invalid_input');
  t.regex(err?.message ?? '', /args\[0\]\.f/);
  throwsCode(t, () => rt.exit(target.pid, bad(new Opaque())), 'invalid_input');
  await run(rt, async (self) => {
    throwsCode(t, () => self.exit(target.pid, bad({ nested: [new Opaque()] })), 'invalid_input');
  });
  await stillWorks(t, target);
});

test("an exit reason that is undefined, a function or a symbol fails with 'invalid_input' when the target is on the other scheduler", async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  const target = Puppet.spawn(rt, inbox, 1);
  invalid(t, () => rt.exit(target.pid, bad(undefined)), 'undefined');
  invalid(t, () => rt.exit(target.pid, bad(function reason() {})), 'a function (reason)');
  invalid(t, () => rt.exit(target.pid, bad(Symbol('s'))), 'a symbol');
  await run(rt, async (self) => {
    invalid(t, () => self.exit(target.pid, bad(undefined)), 'undefined');
  });
  const sender = Puppet.spawn(rt, inbox, 1);
  const reply = await sender.attempt(['exitTo', inbox.pid, bad(undefined)]);
  t.is(reply.error?.code, 'invalid_input');
  saysWhatArrived(t, reply.error?.message, 'undefined');
  t.true(rt.isAlive(target.pid), 'a rejected exit signal still reached its target');
  await stillWorks(t, target);
});

test("an unknown process flag value fails with 'invalid_input' on scheduler 1, and the flag is unchanged", async (t) => {
  const rt = runtime();
  const p = Puppet.spawn(rt, new Inbox(rt), 1);
  const reply = await p.attempt(['trapExit', bad('yes')]);
  t.is(reply.error?.code, 'invalid_input');
  saysWhatArrived(t, reply.error?.message, '"yes"');
  t.false(rt.processInfo(p.pid)?.trapExit);
  await stillWorks(t, p);
});

test("a negative or NaN timeout, or a pattern that is not a function, fails with 'invalid_input' in a process on scheduler 1 (async form)", async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  rt.spawn(on(1, 'badTimeoutsAsync'), inbox.pid);
  t.deepEqual(await inbox.take(), { codes: Array(4).fill('invalid_input'), next: 'still receiving' });
});

test("a negative or NaN timeout fails with 'invalid_input' in a process on scheduler 1 (generator form)", async (t) => {
  const rt = runtime();
  const inbox = new Inbox(rt);
  rt.spawn(on(1, 'badTimeoutsGenerator'), inbox.pid);
  t.deepEqual(await inbox.take(), { codes: ['invalid_input', 'invalid_input'], next: 'still receiving' });
});

test("link, monitor, demonitor and register on scheduler 1 reject arguments of the wrong kind with 'invalid_input'", async (t) => {
  const rt = runtime();
  const p = Puppet.spawn(rt, new Inbox(rt), 1);
  for (const [op, arrived] of [
    [['link', bad('target')], '"target"'],
    [['monitor', bad(3)], '3'],
    [['demonitor', bad('ref')], '"ref"'],
    [['register', bad(42)], '42'],
  ] as const) {
    const reply = await p.attempt(op);
    t.is(reply.error?.code, 'invalid_input', `${op[0]}`);
    saysWhatArrived(t, reply.error?.message, arrived);
  }
  const info = rt.processInfo(p.pid);
  t.like(info, { links: [], monitors: [] });
  t.is(info?.registeredName, undefined);
  await stillWorks(t, p);
});

test("a runtime with more schedulers than it supports fails with 'invalid_input' before starting any thread", (t) => {
  invalid(t, () => new Runtime({ schedulers: 257 }), '257');
});

test('shutdown stops every scheduler, later calls fail with shutting_down, and a second shutdown is harmless', async (t) => {
  const rt = await ownRuntime(t);
  rt.spawn(on(1, 'trapForever'));
  rt.spawn(on(1, 'waitLong'));
  const remote = rt.spawn(on(1, 'spawnLinkAndWait'), on(0, 'idle'));
  await rt.shutdown();
  throwsCode(t, () => rt.spawn(on(1, 'idle')), 'shutting_down');
  throwsCode(t, () => rt.spawn(async () => {}), 'shutting_down');
  throwsCode(t, () => rt.send(remote, 'late'), 'shutting_down');
  throwsCode(t, () => rt.exit(remote, 'kill'), 'shutting_down');
  throwsCode(t, () => rt.register('late', remote), 'shutting_down');
  throwsCode(t, () => rt.wait(remote), 'shutting_down');
  await t.notThrowsAsync(() => rt.shutdown());
});

// rt.wait on a pid of the calling thread resolves with 'killed' at shutdown (errors.test.ts),
// and so does a wait on a pid of another scheduler.
test("rt.wait on processes on scheduler 1 resolves with 'killed' when the runtime shuts down", async (t) => {
  const rt = await ownRuntime(t);
  const pids = [rt.spawn(on(1, 'trapForever')), rt.spawn(on(1, 'waitLong'))];
  const inbox = new Inbox(rt);
  const ready = Puppet.spawn(rt, inbox, 1);
  await ready.do();
  const exits = Promise.all(pids.map((pid) => rt.wait(pid)));
  await rt.shutdown();
  const outcome = await Promise.race([exits, new Promise((resolve) => setTimeout(resolve, SOON.timeout, 'still pending'))]);
  t.deepEqual(outcome, ['killed', 'killed']);
});

// Run on a thread of its own that the test can terminate, should a call block its thread.
test('after shutdown, processes, isAlive and processInfo answer at once about pids of scheduler 1', async (t) => {
  const script = `
    const { register } = await import('tsx/esm/api');
    register();
    const { parentPort } = await import('node:worker_threads');
    const { Runtime } = await import(${JSON.stringify(new URL('../../../runtime/index.ts', import.meta.url).href)});
    const rt = new Runtime({ schedulers: 2 });
    await rt.ready();
    const pid = rt.spawn({ module: ${JSON.stringify(FIXTURES)}, export: 'idle', scheduler: 1 });
    await rt.shutdown();
    parentPort.postMessage([rt.processes().length, rt.isAlive(pid), rt.processInfo(pid) ?? null]);
  `;
  const answer = await new Promise<unknown>((resolve) => {
    const thread = new Worker(script, { eval: true });
    const timer = setTimeout(() => void thread.terminate(), 8_000);
    thread.once('message', (m: unknown) => {
      clearTimeout(timer);
      resolve(m);
      void thread.terminate();
    });
    thread.once('error', (err) => resolve(String(err)));
    thread.once('exit', () => resolve('the thread was stopped before it answered'));
  });
  t.deepEqual(answer, [0, false, null]);
});
