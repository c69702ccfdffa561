import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

export type Durability = 'process' | 'power';

/** Reads `--name value` (or `--name=value`) options as numbers or strings, with defaults; unknown names fail. */
export function options<T extends Record<string, number | string>>(defaults: T): T {
  const spec = Object.fromEntries(Object.keys(defaults).map((key) => [key, { type: 'string' as const }]));
  const { values } = parseArgs({ options: spec, strict: true });
  const result: Record<string, number | string> = { ...defaults };
  for (const [key, raw] of Object.entries(values)) {
    if (typeof raw !== 'string') continue;
    const value = typeof defaults[key] === 'number' ? Number(raw) : raw;
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`--${key} must be a number, got ${JSON.stringify(raw)}`);
    result[key] = value;
  }
  return result as T;
}

/** `--durability process|power|both`. */
export function durabilities(choice: string): Durability[] {
  if (choice === 'both') return ['process', 'power'];
  if (choice === 'process' || choice === 'power') return [choice];
  throw new Error(`--durability must be process, power or both, got ${JSON.stringify(choice)}`);
}

/** A fresh temporary directory under `--dir` (default: the OS temp dir), on the disk being measured. */
export function scratchDir(base: string): string {
  return fs.mkdtempSync(path.join(base === '' ? os.tmpdir() : base, 'kairos-bench-'));
}
