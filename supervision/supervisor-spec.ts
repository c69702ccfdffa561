import { KairosError, invalidInput } from './errors.ts';
import { validateChildSpecs, type ChildSpec, type FullChildSpec } from './child-spec.ts';

export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one' | 'simple_one_for_one';

/** What a supervisor behaviour's `init` returns: OTP's `{ok, {SupFlags, ChildSpecs}}` as one object. */
export interface SupervisorSpec {
  /** @default 'one_for_one' */
  readonly strategy?: Strategy;
  /** Most restarts allowed within `period`. @default 1 */
  readonly intensity?: number;
  /** The restart window in milliseconds (OTP counts seconds). @default 5000 */
  readonly period?: number;
  /** Started in order; a simple_one_for_one supervisor takes exactly one, the template for its dynamic children. */
  readonly children: readonly ChildSpec[];
}

export interface FullSupervisorSpec {
  readonly strategy: Strategy;
  readonly intensity: number;
  readonly period: number;
  readonly children: readonly FullChildSpec[];
}

const FIELDS = ['strategy', 'intensity', 'period', 'children'];
const STRATEGIES: readonly Strategy[] = ['one_for_one', 'one_for_all', 'rest_for_one', 'simple_one_for_one'];

/** Checks the flags and child specs an `init` returned, filling in OTP's defaults. */
export function validateSupervisorSpec(spec: unknown): FullSupervisorSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw invalidInput('supervisor spec', "an object { strategy?, intensity?, period?, children } (or ignore())", spec);
  }
  for (const key of Object.keys(spec)) {
    if (!FIELDS.includes(key)) {
      throw new KairosError('invalid_input', `supervisor spec has an unknown field ${JSON.stringify(key)}; accepted fields are ${FIELDS.join(', ')}`, {
        field: key,
      });
    }
  }
  const s = spec as Partial<FullSupervisorSpec>;
  const strategy = s.strategy ?? 'one_for_one';
  if (!STRATEGIES.includes(strategy)) throw invalidInput('strategy', STRATEGIES.map((x) => `'${x}'`).join(', ').replace(/, ([^,]*)$/, ' or $1'), s.strategy);
  const intensity = s.intensity ?? 1;
  if (!Number.isSafeInteger(intensity) || intensity < 0) throw invalidInput('intensity', 'a non-negative integer', s.intensity);
  const period = s.period ?? 5000;
  if (!Number.isSafeInteger(period) || period <= 0) throw invalidInput('period', 'a positive integer (milliseconds)', s.period);
  const children = validateChildSpecs(s.children);
  if (strategy === 'simple_one_for_one' && children.length !== 1) {
    throw new KairosError('invalid_input', `children must hold exactly one child spec (the template) for a simple_one_for_one supervisor, got ${children.length}`, {
      field: 'children',
    });
  }
  return { strategy, intensity, period, children };
}
