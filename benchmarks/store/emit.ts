/** Prints one result as one JSON line: the only thing a benchmark writes to stdout. */
export function emit(name: string, params: Record<string, unknown>, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, params, value: Number(value.toFixed(3)), unit })}\n`);
}
