// The floor under the async process form: the ring of ring.bench.ts with no runtime at all,
// M bare async functions, each awaiting a fresh promise per message that its predecessor
// resolves. Any design in which a process waits with `await` pays at least this per message
// (a promise, its resolving function, the await's reaction and a microtask), so the async
// form's ring figures are read against it. Not part of `npm run bench` (there is no twin):
//   node --expose-gc dist/benchmarks/runtime/await-floor.bench.js --m=100000
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ m: 1000, hops: 1_000_000 });
const { m, hops } = args.params;

const waiting: (((value: number) => void) | null)[] = new Array(m).fill(null);
const parked: (number | null)[] = new Array(m).fill(null);
let captured: ((value: number) => void) | null = null;
const capture = (resolve: (value: number) => void): void => {
  captured = resolve;
};

function receive(i: number): number | Promise<number> {
  const early = parked[i]!;
  if (early !== null) {
    parked[i] = null;
    return early;
  }
  const promise = new Promise<number>(capture);
  waiting[i] = captured;
  return promise;
}

function send(i: number, value: number): void {
  const resolve = waiting[i]!;
  if (resolve === null) {
    parked[i] = value;
    return;
  }
  waiting[i] = null;
  resolve(value);
}

async function node(i: number, done: () => void): Promise<void> {
  const next = (i + 1) % m;
  for (;;) {
    const k = await receive(i);
    if (k === 0) return done();
    send(next, k - 1);
  }
}

const report = new Report(args);
const finished = new Promise<void>((resolve) => {
  for (let i = 0; i < m; i++) void node(i, resolve);
});
const t0 = nowNs();
send(0, hops);
await finished;
report.add('await_floor.ring.throughput', hops / (sinceNs(t0) / 1e9), 'msg/s', 'higher');
report.print();
