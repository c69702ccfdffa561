// Restarts per second of a crashing one_for_one child: a gen-server whose init asks for a 0 ms
// timeout and which stops with `crash` on it, so the supervisor restarts it over and over.
// Each start reports to the coordinator, which times n restarts. Intensity n + 10 within 1 s
// keeps the supervisor alive. Twin: benchmarks/beam/supervision_restarts.erl.
import { Runtime, isExit, type Pid, type Self } from '../../runtime/index.ts';
import { GenServer, Supervisor, ok, stop, type GenServerBehaviour, type SupervisorBehaviour } from '../../supervision/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceNs } from '../lib/clock.ts';
import { main, runProcess } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000 });
const { n } = args.params;

const crasher: GenServerBehaviour<null, Pid> = {
  init(coordinator: Pid, self: Self) {
    self.send(coordinator, 'started');
    return ok(null, { timeout: 0 });
  },
  handleInfo: () => stop('crash', null),
};

function tree(coordinator: Pid): SupervisorBehaviour {
  return {
    init: () => ({
      strategy: 'one_for_one',
      intensity: n + 10,
      period: 1000,
      children: [{ id: 'crasher', start: (self: Self) => GenServer.startLink(self, crasher, coordinator) }],
    }),
  };
}

const isStarted = (m: unknown): boolean => m === 'started';

function record(report: Report, ns: number): void {
  report.add('supervision_restarts.throughput', n / (ns / 1e9), 'restart/s', 'higher');
  report.add('supervision_restarts.per_restart', ns / n / 1000, 'us/restart', 'lower');
}

function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  self.trapExit(true);
  const sup = (yield* Supervisor.startLink(self, tree(self.pid), undefined)) as Pid;
  yield* self.receive(isStarted);
  const t0 = nowNs();
  for (let k = 0; k < n; k++) yield* self.receive(isStarted);
  record(report, sinceNs(t0));
  self.exit(sup, 'shutdown');
  yield* self.receive((m) => isExit(m) && m.from.equals(sup));
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  self.trapExit(true);
  const sup = (await Supervisor.startLink(self, tree(self.pid), undefined)) as Pid;
  await self.receive(isStarted);
  const t0 = nowNs();
  for (let k = 0; k < n; k++) await self.receive(isStarted);
  record(report, sinceNs(t0));
  self.exit(sup, 'shutdown');
  await self.receive((m) => isExit(m) && m.from.equals(sup));
}

main(async () => {
  const rt = new Runtime({ schedulers: 1 });
  const report = new Report(args);
  await runProcess(rt, args.form === 'gen' ? coordinatorGen : coordinatorAsync, report);
  await rt.shutdown();
  report.print();
});
