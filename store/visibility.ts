import { invalidInput } from './errors.ts';
import { TERMINAL_STATUSES } from './event-store.ts';
import type { RunSummary, SearchAttributeValue, SearchPredicate, TimeRange, WorkflowQuery } from './event-store.ts';

const terminal: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

export function isTerminalStatus(status: string): boolean {
  return terminal.has(status);
}

/** How a search attribute value is kept apart from values of other kinds when filtering. */
export type SearchKind = 's' | 'n' | 'b' | 'd' | 'k';

export function searchKind(value: SearchAttributeValue): SearchKind {
  if (typeof value === 'string') return 's';
  if (typeof value === 'number') return 'n';
  if (typeof value === 'boolean') return 'b';
  if (value instanceof Date) return 'd';
  return 'k';
}

/** The value filters compare: Dates as epoch ms, booleans as 0/1. */
export function searchScalar(value: string | number | boolean | Date): string | number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export interface RunPosition {
  readonly startTime: number;
  readonly workflowId: string;
  readonly runId: string;
}

export function compareRuns(a: RunPosition, b: RunPosition): number {
  if (a.startTime !== b.startTime) return a.startTime - b.startTime;
  if (a.workflowId !== b.workflowId) return a.workflowId < b.workflowId ? -1 : 1;
  if (a.runId !== b.runId) return a.runId < b.runId ? -1 : 1;
  return 0;
}

export function encodeCursor(run: RunPosition): string {
  return Buffer.from(JSON.stringify([run.startTime, run.workflowId, run.runId])).toString('base64url');
}

export function decodeCursor(cursor: string): RunPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 3) {
      const [startTime, workflowId, runId] = parsed as unknown[];
      if (typeof startTime === 'number' && typeof workflowId === 'string' && typeof runId === 'string') {
        return { startTime, workflowId, runId };
      }
    }
  } catch {
    // falls through to the typed error below
  }
  throw invalidInput('filter.cursor', 'a cursor returned by listWorkflows', cursor);
}

export function statusList(status: WorkflowQuery['status']): readonly string[] | undefined {
  if (status === undefined) return undefined;
  return typeof status === 'string' ? [status] : status;
}

function inRange(value: number | undefined, range: TimeRange | undefined): boolean {
  if (range === undefined) return true;
  if (value === undefined) return range.from === undefined && range.to === undefined;
  return (range.from === undefined || value >= range.from) && (range.to === undefined || value <= range.to);
}

function matchesPredicate(summary: RunSummary, predicate: SearchPredicate): boolean {
  const actual = summary.searchAttributes?.[predicate.key];
  if (actual === undefined) return false;
  if (predicate.op === 'contains') return searchKind(actual) === 'k' && (actual as readonly string[]).includes(predicate.value);
  if (searchKind(actual) !== searchKind(predicate.value)) return false;
  const a = searchScalar(actual as string | number | boolean | Date);
  const b = searchScalar(predicate.value);
  switch (predicate.op) {
    case 'eq':
      return a === b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    default:
      return assertNever(predicate);
  }
}

/** The reference semantics of {@link WorkflowQuery}, which the SQL translation must agree with. */
export function matchesQuery(summary: RunSummary, query: WorkflowQuery | undefined): boolean {
  if (query === undefined) return true;
  const statuses = statusList(query.status);
  return (
    (query.workflowId === undefined || summary.workflowId === query.workflowId) &&
    (query.type === undefined || summary.type === query.type) &&
    (statuses === undefined || statuses.includes(summary.status)) &&
    inRange(summary.startTime, query.startTime) &&
    inRange(summary.closeTime, query.closeTime) &&
    (query.searchAttributes ?? []).every((p) => matchesPredicate(summary, p))
  );
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
