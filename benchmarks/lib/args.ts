export type Form = 'gen' | 'async';

export interface BenchArgs<P extends Record<string, number>> {
  readonly form: Form;
  readonly params: P;
}

/**
 * Reads `--form=gen|async` and integer parameters `--key=value` from argv; every key must be
 * one of `defaults` (so a typo fails instead of silently running the default).
 */
export function parseArgs<P extends Record<string, number>>(defaults: P, argv = process.argv.slice(2)): BenchArgs<P> {
  let form: Form = 'gen';
  const params: Record<string, number> = { ...defaults };
  for (const arg of argv) {
    const m = /^--([a-z_]+)=(.+)$/.exec(arg);
    if (m === null) throw new Error(`arguments must look like --key=value, got ${JSON.stringify(arg)}`);
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'form') form = parseForm(value);
    else params[key] = parseParam(key, value, defaults);
  }
  return { form, params: params as P };
}

function parseForm(value: string): Form {
  if (value === 'gen' || value === 'async') return value;
  throw new Error(`--form must be gen or async, got ${JSON.stringify(value)}`);
}

function parseParam(key: string, value: string, defaults: Record<string, number>): number {
  if (!(key in defaults)) throw new Error(`unknown parameter --${key}; expected one of ${Object.keys(defaults).join(', ')}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${key} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}
