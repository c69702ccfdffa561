// A simple_one_for_one supervisor with n dynamic children (minimal gen-servers): the time to
// start them all with startChild, one call after another, and the time for the supervisor to
// shut them all down (`shutdown` from its parent until its EXIT arrives).
// Twin: benchmarks/beam/supervision_dynamic.erl.
import { Runtime, isExit, type Pid, type Self } from '../../runtime/index.ts';
import { GenServer, Supervisor, ok, reply, type GenServerBehaviour, type SupervisorBehaviour } from '../../supervision/index.ts';
import { parseArgs } from '../lib/args.ts';
import { nowNs, sinceMs } from '../lib/clock.ts';
import { main, runProcess } from '../lib/process.ts';
import { Report } from '../lib/report.ts';

const args = parseArgs({ n: 100_000 });
const { n } = args.params;

const child: GenServerBehaviour<number, number> = {
  init: (i: number) => ok(i),
  handleCall: (_req: unknown, _from, i: number) => reply(i, i),
};

const tree: SupervisorBehaviour = {
  init: () => ({
    strategy: 'simple_one_for_one',
    intensity: 1,
    period: 5000,
    children: [{ id: 'child', start: (self: Self, i: number) => GenServer.startLink(self, child, i) }],
  }),
};

function record(report: Report, startMs: number, shutdownMs: number): void {
  report.add('supervision_dynamic.start', startMs, 'ms', 'lower');
  report.add('supervision_dynamic.start_per_child', (startMs * 1000) / n, 'us/child', 'lower');
  report.add('supervision_dynamic.shutdown', shutdownMs, 'ms', 'lower');
}

const exitOf = (pid: Pid) => (m: unknown): boolean => isExit(m) && m.from.equals(pid);

function* coordinatorGen(self: Self, report: Report): Generator<unknown, void, unknown> {
  self.trapExit(true);
  const t0 = nowNs();
  const sup = (yield* Supervisor.startLink(self, tree, undefined)) as Pid;
  for (let i = 0; i < n; i++) yield* Supervisor.startChild(self, sup, [i]);
  const startMs = sinceMs(t0);
  if ((yield* Supervisor.countChildren(self, sup)).active !== n) throw new Error('not every child is running');
  const t1 = nowNs();
  self.exit(sup, 'shutdown');
  yield* self.receive(exitOf(sup));
  record(report, startMs, sinceMs(t1));
}

async function coordinatorAsync(self: Self, report: Report): Promise<void> {
  self.trapExit(true);
  const t0 = nowNs();
  const sup = (await Supervisor.startLink(self, tree, undefined)) as Pid;
  for (let i = 0; i < n; i++) await Supervisor.startChild(self, sup, [i]);
  const startMs = sinceMs(t0);
  if ((await Supervisor.countChildren(self, sup)).active !== n) throw new Error('not every child is running');
  const t1 = nowNs();
  self.exit(sup, 'shutdown');
  await self.receive(exitOf(sup));
  record(report, startMs, sinceMs(t1));
}

main(async () => {
  const rt = new Runtime({ schedulers: 1 });
  const report = new Report(args);
  await runProcess(rt, args.form === 'gen' ? coordinatorGen : coordinatorAsync, report);
  if (rt.processes().length !== 0) throw new Error(`${rt.processes().length} processes left after the shutdown`);
  await rt.shutdown();
  report.print();
});
