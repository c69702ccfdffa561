import type { Pid, Self } from '../runtime/index.ts';
import { KairosError, invalidInput, preview } from './errors.ts';
import type { Returns } from './results.ts';

/** When a terminated child is restarted: always, only after an abnormal exit, or never. */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** How a child is stopped: `exit(kill)`, `exit(shutdown)` then kill after that many ms, or `exit(shutdown)` and wait. */
export type Shutdown = 'brutal_kill' | 'infinity' | number;

export type ChildType = 'worker' | 'supervisor';

/**
 * Starts a child from inside the supervisor process (OTP's `{M, F, A}`): it must create the
 * child linked to the supervisor (`self`) and return its pid, or `'ignore'`; directly, as a
 * promise, or as a gen-server start (`(self) => GenServer.startLink(self, behaviour, args)`).
 * Throwing (or a rejected start) is a start error.
 */
export type StartFunction = (self: Self, ...args: any[]) => Returns<Pid | 'ignore'>;

/** A child specification, as OTP's child spec map. */
export interface ChildSpec {
  readonly id: string;
  readonly start: StartFunction;
  /** Arguments after `self`; a simple_one_for_one supervisor appends `startChild`'s extra arguments. @default [] */
  readonly args?: readonly unknown[];
  /** @default 'permanent' */
  readonly restart?: RestartType;
  /** @default 5000 for a worker, 'infinity' for a supervisor */
  readonly shutdown?: Shutdown;
  /** @default 'worker' */
  readonly type?: ChildType;
}

/** A child spec with every default filled in (what `getChildspec` returns). */
export interface FullChildSpec {
  readonly id: string;
  readonly start: StartFunction;
  readonly args: readonly unknown[];
  readonly restart: RestartType;
  readonly shutdown: Shutdown;
  readonly type: ChildType;
}

const FIELDS = ['id', 'start', 'args', 'restart', 'shutdown', 'type'];

/** Checks one child spec and fills in OTP's defaults; `invalid_input` names the field at fault. */
export function validateChildSpec(spec: unknown, where = 'childSpec'): FullChildSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw invalidInput(where, 'an object { id, start, args?, restart?, shutdown?, type? }', spec);
  }
  for (const key of Object.keys(spec)) {
    if (!FIELDS.includes(key)) {
      throw new KairosError('invalid_input', `${where} has an unknown field ${JSON.stringify(key)}; accepted fields are ${FIELDS.join(', ')}`, {
        field: `${where}.${key}`,
      });
    }
  }
  const s = spec as Partial<FullChildSpec>;
  if (typeof s.id !== 'string' || s.id.length === 0) throw invalidInput(`${where}.id`, 'a non-empty string', s.id);
  if (typeof s.start !== 'function') throw invalidInput(`${where}.start`, 'a function (self, ...args) => Pid | "ignore" (or a promise or start of one)', s.start);
  const args = s.args ?? [];
  if (!Array.isArray(args)) throw invalidInput(`${where}.args`, 'an array of start arguments', s.args);
  const restart = s.restart ?? 'permanent';
  if (restart !== 'permanent' && restart !== 'transient' && restart !== 'temporary') {
    throw invalidInput(`${where}.restart`, "'permanent', 'transient' or 'temporary'", s.restart);
  }
  const type = s.type ?? 'worker';
  if (type !== 'worker' && type !== 'supervisor') throw invalidInput(`${where}.type`, "'worker' or 'supervisor'", s.type);
  const shutdown = s.shutdown ?? (type === 'worker' ? 5000 : 'infinity');
  if (shutdown !== 'brutal_kill' && shutdown !== 'infinity' && !(Number.isSafeInteger(shutdown) && (shutdown as number) >= 0)) {
    throw invalidInput(`${where}.shutdown`, "'brutal_kill', 'infinity' or a non-negative integer", s.shutdown);
  }
  return { id: s.id, start: s.start, args, restart, shutdown, type };
}

/** Checks a list of child specs: each one, and that ids are unique (OTP `duplicate_child_name`). */
export function validateChildSpecs(specs: unknown, where = 'children'): FullChildSpec[] {
  if (!Array.isArray(specs)) throw invalidInput(where, 'an array of child specs', specs);
  const seen = new Map<string, number>();
  return specs.map((spec, i) => {
    const full = validateChildSpec(spec, `${where}[${i}]`);
    const first = seen.get(full.id);
    if (first !== undefined) {
      throw new KairosError('invalid_input', `${where}[${i}].id must be unique, got ${preview(full.id)} (already used by ${where}[${first}])`, {
        field: `${where}[${i}].id`,
        id: full.id,
      });
    }
    seen.set(full.id, i);
    return full;
  });
}
