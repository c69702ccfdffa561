import test, { type ExecutionContext } from 'ava';
import type { Pid } from '../../runtime/index.ts';
import { Supervisor, validateChildSpec, type ChildSpec, type SupervisorSpec } from '../../supervision/index.ts';
import { staticTree, workerSpec } from '../fixtures/supervision-workers.ts';
import { makeRuntime, rejectsWith } from './helpers.ts';

const start = () => 'ignore' as const;

/** Each bad child spec, with the field the error must name and a fragment of the accepted shapes. */
const BAD_SPECS: [string, unknown, string, RegExp][] = [
  ['not an object', 'worker', 'childSpec', /an object \{ id, start/],
  ['no id', { start }, 'childSpec.id', /non-empty string/],
  ['an empty id', { id: '', start }, 'childSpec.id', /non-empty string/],
  ['no start function', { id: 'a' }, 'childSpec.start', /a function/],
  ['an unknown restart', { id: 'a', start, restart: 'always' }, 'childSpec.restart', /'permanent', 'transient' or 'temporary', got "always"/],
  ['a negative shutdown', { id: 'a', start, shutdown: -5 }, 'childSpec.shutdown', /'brutal_kill', 'infinity' or a non-negative integer, got -5/],
  ['an unknown type', { id: 'a', start, type: 'daemon' }, 'childSpec.type', /'worker' or 'supervisor'/],
  ['args that are not an array', { id: 'a', start, args: 'x' }, 'childSpec.args', /an array/],
  ['an unknown field', { id: 'a', start, restrat: 'permanent' }, 'childSpec.restrat', /accepted fields are id, start, args, restart, shutdown, type/],
];

for (const [what, spec, field, message] of BAD_SPECS) {
  test(`startChild with a child spec with ${what} fails with invalid_input naming ${field}, and the supervisor keeps running`, async (t) => {
    const rt = makeRuntime(t);
    const sup = (await Supervisor.start(rt, staticTree({ children: [workerSpec('ok')] }), undefined)) as Pid;
    const err = await rejectsWith(t, Supervisor.startChild(rt, sup, spec as ChildSpec), 'invalid_input');
    t.is(err.field, field);
    t.regex(err.message, message);
    t.true(rt.isAlive(sup));
    t.deepEqual((await Supervisor.whichChildren(rt, sup)).map((c) => c.id), ['ok']);
  });
}

test('validateChildSpec fills in OTP\'s defaults: permanent, worker, 5000 ms for a worker and infinity for a supervisor', (t) => {
  t.deepEqual(validateChildSpec({ id: 'w', start }), { id: 'w', start, args: [], restart: 'permanent', shutdown: 5000, type: 'worker' });
  t.is(validateChildSpec({ id: 's', start, type: 'supervisor' }).shutdown, 'infinity');
});

async function startFails(t: ExecutionContext, spec: unknown, field: string, message: string): Promise<void> {
  const rt = makeRuntime(t);
  const err = await rejectsWith(t, Supervisor.start(rt, staticTree(spec as SupervisorSpec), undefined), 'invalid_input');
  t.is(err.field, field);
  t.true(err.message.includes(message), `the message says ${message}: ${err.message}`);
}

test('duplicate child ids in init fail the start with invalid_input naming the second one', async (t) => {
  await startFails(t, { children: [workerSpec('a'), workerSpec('b'), workerSpec('a')] }, 'children[2].id', 'children[2].id must be unique, got "a" (already used by children[0])');
});

test('an unknown strategy fails the start with invalid_input naming strategy and the accepted ones', async (t) => {
  await startFails(t, { strategy: 'one_for_some', children: [] }, 'strategy', "strategy must be 'one_for_one', 'one_for_all', 'rest_for_one' or 'simple_one_for_one', got \"one_for_some\"");
});

test('a bad intensity or period fails the start with invalid_input naming it', async (t) => {
  await startFails(t, { intensity: -1, children: [] }, 'intensity', 'intensity must be a non-negative integer');
  await startFails(t, { period: 0, children: [] }, 'period', 'period must be a positive integer');
});

test('a bad child spec in init fails the start with invalid_input naming its position and field', async (t) => {
  await startFails(t, { children: [workerSpec('a'), { id: 'b', start, shutdown: 'never' }] }, 'children[1].shutdown', 'children[1].shutdown must be');
});

test('a simple_one_for_one supervisor needs exactly one template spec', async (t) => {
  await startFails(t, { strategy: 'simple_one_for_one', children: [workerSpec('a'), workerSpec('b')] }, 'children', 'children must hold exactly one child spec');
});

test('startChild with extra arguments on a supervisor that is not simple_one_for_one fails with invalid_input, and it keeps running', async (t) => {
  const rt = makeRuntime(t);
  const sup = (await Supervisor.start(rt, staticTree({ children: [] }), undefined)) as Pid;
  await rejectsWith(t, Supervisor.startChild(rt, sup, ['x']), 'invalid_input');
  t.true(rt.isAlive(sup));
});

test('startChild with a child spec on a simple_one_for_one supervisor fails with invalid_input, and it keeps running', async (t) => {
  const rt = makeRuntime(t);
  const sup = (await Supervisor.start(rt, staticTree({ strategy: 'simple_one_for_one', children: [workerSpec('tpl')] }), undefined)) as Pid;
  await rejectsWith(t, Supervisor.startChild(rt, sup, workerSpec('x')), 'invalid_input');
  t.true(rt.isAlive(sup));
});
