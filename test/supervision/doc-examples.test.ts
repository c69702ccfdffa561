import test from 'ava';
import type { Pid, Self } from '../../runtime/index.ts';
import { GenServer, Supervisor, noreply, ok, reply, type From, type GenServerBehaviour, type SupervisorBehaviour } from '../../supervision/index.ts';
import { makeRuntime } from './helpers.ts';

// The @example blocks of GenServer and Supervisor (supervision/gen-server.ts, supervisor.ts), run as written.

const counter = {
  init: (start: number) => ok(start),
  handleCall: (_req: 'get', _from: From, n: number) => reply(n, n),
  handleCast: (_req: 'inc', n: number) => noreply(n + 1),
} satisfies GenServerBehaviour<number, number>;

test('the GenServer example: a counter started from outside, cast to and called', async (t) => {
  const rt = makeRuntime(t);
  const pid = await GenServer.start(rt, counter, 0);
  GenServer.cast(rt, pid as Pid, 'inc');
  t.is(await GenServer.call(rt, pid as Pid, 'get'), 1);
});

test('the Supervisor example: a one_for_one tree with the counter as its child', async (t) => {
  const rt = makeRuntime(t);
  const tree: SupervisorBehaviour = {
    init: () => ({ strategy: 'one_for_one', intensity: 3, period: 5000, children: [
      { id: 'counter', start: (self: Self) => GenServer.startLink(self, counter, 0) },
    ] }),
  };
  const sup = await Supervisor.start(rt, tree, undefined);
  const children = await Supervisor.whichChildren(rt, sup as Pid);
  t.is(children.length, 1);
  t.is(children[0]!.id, 'counter');
  t.is(children[0]!.type, 'worker');
  t.true(rt.isAlive(children[0]!.pid as Pid));
});
