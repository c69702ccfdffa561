import { durabilityRules } from './durability.ts';
import type { ConformanceSubject } from './harness.ts';
import { historyRules } from './histories.ts';
import { packageRules, timerRules } from './timers-packages.ts';
import { visibilityRules } from './visibility.ts';

export type { ConformanceSubject } from './harness.ts';

/**
 * Declares the EventStore conformance suite for one implementation: every rule of the contract
 * in store/event-store.ts, plus durability across close and reopen where `supports.durable`.
 */
export function eventStoreConformance(subject: ConformanceSubject): void {
  historyRules(subject);
  visibilityRules(subject);
  timerRules(subject);
  packageRules(subject);
  durabilityRules(subject);
}
