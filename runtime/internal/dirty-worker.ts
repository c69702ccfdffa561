/** The piscina task for dirty work: load the module and call the export with the arguments. */
export default async function runDirty(task: { module: string; export: string; args: unknown[] }): Promise<unknown> {
  const mod = (await import(task.module)) as Record<string, unknown>;
  const fn = mod[task.export];
  if (typeof fn !== 'function') throw new TypeError(`export ${JSON.stringify(task.export)} of ${task.module} is not a function`);
  return (fn as (...a: unknown[]) => unknown)(...task.args);
}
