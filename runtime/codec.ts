import { Packr, addExtension } from 'msgpackr';
import { Pid, Ref } from './pid.ts';
import { KairosError, preview } from './errors.ts';

// Pids and refs cross threads as msgpackr extensions and come back as value-equal objects.
addExtension({ Class: Pid, type: 0x50, write: (p: Pid) => [p.scheduler, p.serial], read: (a: [number, number]) => new Pid(a[0], a[1]) });
addExtension({ Class: Ref, type: 0x52, write: (r: Ref) => [r.scheduler, r.serial], read: (a: [number, number]) => new Ref(a[0], a[1]) });

/** The encoder for everything that crosses schedulers: Map, Set, Date, BigInt, typed arrays and Errors round-trip. */
export function makePackr(): Packr {
  return new Packr({ moreTypes: true, useBigIntExtension: true });
}

const PLAIN_PROTOS = new Set<unknown>([Object.prototype, null]);
const VALUE_CLASSES: Function[] = [Pid, Ref, Date, Map, Set, Error, RegExp, ArrayBuffer, DataView];

/**
 * Checks that `value` can be copied to another thread; throws `invalid_input` naming the path
 * of the first field that cannot (a function, a symbol, an instance of a class with no extension).
 */
export function assertSendable(value: unknown, argument: string): void {
  const bad = findUnsendable(value, argument);
  if (bad !== undefined) {
    throw new KairosError(
      'invalid_input',
      `${bad.path} cannot be copied to another scheduler: expected plain data (objects, arrays, strings, numbers, booleans, null, bigint, Date, Map, Set, typed arrays, Error, Pid, Ref), got ${preview(bad.value)}`,
      { argument, path: bad.path },
    );
  }
}

/** The first part of `value` that cannot be copied to another thread (with its path), if any. */
export function findUnsendable(value: unknown, path: string): { path: string; value: unknown } | undefined {
  // Most messages and exit reasons are primitives: no walk, no `seen` set. The path of a bad
  // field is built only when there is one.
  const bad = typeof value === 'object' ? (value === null ? undefined : walk(value, 0, new Set<object>())) : primitiveUnsendable(value);
  return bad === undefined ? undefined : { path: path + bad.suffix, value: bad.value };
}

interface Unsendable {
  suffix: string;
  readonly value: unknown;
}

function primitiveUnsendable(value: unknown): Unsendable | undefined {
  return typeof value === 'function' || typeof value === 'symbol' ? { suffix: '', value } : undefined;
}

function walk(value: unknown, depth: number, seen: Set<object>): Unsendable | undefined {
  if (typeof value !== 'object') return primitiveUnsendable(value);
  if (value === null || depth > 64) return undefined;
  if (seen.has(value)) return { suffix: '', value: 'a cyclic reference' };
  if (ArrayBuffer.isView(value)) return undefined;
  seen.add(value);
  try {
    return walkChildren(value, depth + 1, seen);
  } finally {
    seen.delete(value);
  }
}

function walkChildren(value: object, depth: number, seen: Set<object>): Unsendable | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = walk(value[i], depth, seen);
      if (bad) return prefix(`[${i}]`, bad);
    }
    return undefined;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const badKey = walk(k, depth, seen);
      if (badKey) return prefix('<key>', badKey);
      const bad = walk(v, depth, seen);
      if (bad) return prefix(`.get(${preview(k)})`, bad);
    }
    return undefined;
  }
  if (value instanceof Set) {
    for (const v of value) {
      const bad = walk(v, depth, seen);
      if (bad) return prefix('<element>', bad);
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value);
  if (!PLAIN_PROTOS.has(proto)) return isValueClass(value) ? undefined : { suffix: '', value };
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const bad = walk((value as Record<string, unknown>)[key], depth, seen);
    if (bad) return prefix(`.${key}`, bad);
  }
  return undefined;
}

function isValueClass(value: object): boolean {
  for (const c of VALUE_CLASSES) if (value instanceof c) return true;
  return false;
}

function prefix(segment: string, bad: Unsendable): Unsendable {
  bad.suffix = segment + bad.suffix;
  return bad;
}
