// n request/reply round trips between two processes. Twin: benchmarks/beam/ping_pong.erl.
import { Runtime, type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { main, runProcess } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 1_000_000 });
const { n } = args.params;

interface Ping {
  readonly ping: Pid;
}

function* pongGen(self: Self): Generator<unknown, void, unknown> {
  for (;;) {
    const { ping } = (yield* self.receive()) as Ping;
    self.send(ping, 'pong');
  }
}

async function pongAsync(self: Self): Promise<void> {
  for (;;) {
    const { ping } = (await self.receive()) as Ping;
    self.send(ping, 'pong');
  }
}

function* pingGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  const ponger = self.spawn(pongGen);
  const t0 = nowNs();
  for (let k = 0; k < n; k++) {
    self.send(ponger, { ping: self.pid });
    yield* self.receive(isPong);
  }
  report.add('ping_pong.throughput', n / (sinceNs(t0) / 1e9), 'round_trips/s', 'higher');
}

async function pingAsync(self: Self, report: Report): Promise<void> {
  const ponger = self.spawn(pongAsync);
  const t0 = nowNs();
  for (let k = 0; k < n; k++) {
    self.send(ponger, { ping: self.pid });
    await self.receive(isPong);
  }
  report.add('ping_pong.throughput', n / (sinceNs(t0) / 1e9), 'round_trips/s', 'higher');
}

function isPong(msg: unknown): boolean {
  return msg === 'pong';
}

main(async () => {
  const rt = new Runtime({ schedulers: 1 });
  const report = new Report(args);
  await runProcess(rt, args.form === 'gen' ? pingGen : pingAsync, report);
  await rt.shutdown();
  report.print();
});
