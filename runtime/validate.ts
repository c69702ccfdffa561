import { Pid, Ref } from './pid.ts';
import { invalidInput } from './errors.ts';
import type { Body, ReceiveOptions } from './process.ts';

const GeneratorFunction = Object.getPrototypeOf(function* () {}) as object;

export function isGeneratorFunction(fn: unknown): boolean {
  return typeof fn === 'function' && Object.getPrototypeOf(fn) === GeneratorFunction;
}

export function validateBody(body: unknown): Body {
  if (typeof body !== 'function') {
    throw invalidInput('body', 'a function (async function or generator function)', body);
  }
  return body as Body;
}

/** A destination is a Pid, or (where allowed) a non-empty registered name or an alias Ref. */
export function validateDestination(to: unknown, argument: string, allowName: true, allowAlias: true): Pid | Ref | string;
export function validateDestination(to: unknown, argument?: string, allowName?: true): Pid | string;
export function validateDestination(to: unknown, argument: string, allowName: false): Pid;
export function validateDestination(to: unknown, argument = 'to', allowName = true, allowAlias = false): Pid | Ref | string {
  if (to instanceof Pid) return to;
  if (allowName && typeof to === 'string' && to.length > 0) return to;
  if (allowAlias && to instanceof Ref) return to;
  const expected = allowAlias ? 'a Pid, a registered name (non-empty string) or an alias Ref' : allowName ? 'a Pid or a registered name (non-empty string)' : 'a Pid';
  throw invalidInput(argument, expected, to);
}

export function validateName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw invalidInput('name', 'a non-empty string', name);
  return name;
}

export function validatePattern(pattern: unknown): void {
  if (pattern !== undefined && pattern !== null && typeof pattern !== 'function') {
    throw invalidInput('pattern', 'a function (msg) => boolean | value, or null', pattern);
  }
}

export function validateTimeout(options: ReceiveOptions, argument = 'options.timeout'): number {
  if (typeof options !== 'object' || options === null) throw invalidInput('options', 'an object like { timeout: 100 }', options);
  const t = options.timeout;
  if (t === undefined) return Infinity;
  if (typeof t !== 'number' || Number.isNaN(t) || t < 0) {
    throw invalidInput(argument, 'a non-negative number of milliseconds or Infinity', t);
  }
  return t;
}
