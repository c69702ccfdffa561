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
export function findUnsendable(value: unknown, path: string, depth = 0, seen = new Set<object>()): { path: string; value: unknown } | undefined {
  switch (typeof value) {
    case 'function':
    case 'symbol':
      return { path, value };
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null || depth > 64) return undefined;
  if (seen.has(value)) return { path, value: 'a cyclic reference' };
  if (ArrayBuffer.isView(value)) return undefined;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const bad = findUnsendable(value[i], `${path}[${i}]`, depth + 1, seen);
        if (bad) return bad;
      }
      return undefined;
    }
    if (value instanceof Map) {
      for (const [k, v] of value) {
        const bad = findUnsendable(k, `${path}<key>`, depth + 1, seen) ?? findUnsendable(v, `${path}.get(${preview(k)})`, depth + 1, seen);
        if (bad) return bad;
      }
      return undefined;
    }
    if (value instanceof Set) {
      for (const v of value) {
        const bad = findUnsendable(v, `${path}<element>`, depth + 1, seen);
        if (bad) return bad;
      }
      return undefined;
    }
    if (VALUE_CLASSES.some((c) => value instanceof c)) return undefined;
    if (!PLAIN_PROTOS.has(Object.getPrototypeOf(value))) return { path, value };
    for (const key of Object.keys(value)) {
      const bad = findUnsendable((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, seen);
      if (bad) return bad;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}
