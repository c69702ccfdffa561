// `senders` processes each send `messages` messages to one receiver; the clock stops when
// the receiver has them all. Twin: benchmarks/beam/fan_in.erl.
import { type Pid, type Self } from '../../runtime/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { runScenario } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ senders: 1000, messages: 1000 });
const { senders, messages } = args.params;
const total = senders * messages;

function* senderGen(self: Self, receiver: Pid): Generator<unknown, void, unknown> {
  for (let k = messages; k > 0; k--) self.send(receiver, k);
}

async function senderAsync(self: Self, receiver: Pid): Promise<void> {
  for (let k = messages; k > 0; k--) self.send(receiver, k);
}

function* receiverGen(self: Self, coordinator: Pid): Generator<unknown, void, unknown> {
  for (let k = 0; k < total; k++) yield* self.receive();
  self.send(coordinator, 'done');
}

async function receiverAsync(self: Self, coordinator: Pid): Promise<void> {
  for (let k = 0; k < total; k++) await self.receive();
  self.send(coordinator, 'done');
}

function start(self: Self): void {
  const gen = args.form === 'gen';
  const receiver = gen ? self.spawn(receiverGen, self.pid) : self.spawn(receiverAsync, self.pid);
  for (let i = 0; i < senders; i++) self.spawn(gen ? senderGen : senderAsync, receiver);
}

function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  const t0 = nowNs();
  start(self);
  yield* self.receive();
  report.add('fan_in.throughput', total / (sinceNs(t0) / 1e9), 'msg/s', 'higher');
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  const t0 = nowNs();
  start(self);
  await self.receive();
  report.add('fan_in.throughput', total / (sinceNs(t0) / 1e9), 'msg/s', 'higher');
}

runScenario(args, new Report(args), coordinatorGen, coordinatorAsync);
