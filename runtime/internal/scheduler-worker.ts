import { Runtime } from '../runtime.ts';
import type { SchedulerTask } from '../cluster.ts';

/** The piscina task that hosts one scheduler; it resolves when the runtime stops this scheduler. */
export default function runScheduler(task: SchedulerTask): Promise<void> {
  return Runtime.bootWorker(task);
}
