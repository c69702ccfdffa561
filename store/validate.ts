import { invalidInput } from './errors.ts';
import type {
  IdPage,
  PackageRoute,
  RunSummary,
  SearchAttributes,
  SearchPredicate,
  StoredEvent,
  TimeRange,
  WorkflowFilter,
  WorkflowPackage,
  WorkflowQuery,
} from './event-store.ts';

const SEARCH_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkId(argument: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) throw invalidInput(argument, 'a non-empty string', value);
}

function checkOptionalId(argument: string, value: unknown): void {
  if (value !== undefined) checkId(argument, value);
}

export function checkNonNegativeInteger(argument: string, value: unknown): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw invalidInput(argument, 'a non-negative integer', value);
  }
}

export function checkTime(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidInput(argument, 'a finite number (epoch ms)', value);
}

function checkOptionalTime(argument: string, value: unknown): void {
  if (value !== undefined) checkTime(argument, value);
}

export function checkPositiveInteger(argument: string, value: unknown): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < 1)) {
    throw invalidInput(argument, 'a positive integer', value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkAppend(workflowId: unknown, events: unknown, expectedSeq: unknown, summary: unknown): void {
  checkId('workflowId', workflowId);
  checkNonNegativeInteger('expectedSeq', expectedSeq);
  if (!Array.isArray(events)) throw invalidInput('events', 'an array', events);
  for (let i = 0; i < events.length; i++) checkEvent(`events[${i}]`, events[i], expectedSeq + i + 1);
  if (summary !== undefined) checkSummary(summary, workflowId);
}

function checkEvent(argument: string, event: unknown, seq: number): asserts event is StoredEvent {
  if (!isPlainObject(event)) throw invalidInput(argument, 'an object', event);
  if (event['seq'] !== seq) throw invalidInput(`${argument}.seq`, `${seq} (expectedSeq + position)`, event['seq']);
  checkTime(`${argument}.at`, event['at']);
  checkId(`${argument}.runId`, event['runId']);
  checkId(`${argument}.type`, event['type']);
}

export function checkSummary(summary: unknown, workflowId: string): asserts summary is RunSummary {
  if (!isPlainObject(summary)) throw invalidInput('summary', 'an object', summary);
  if (summary['workflowId'] !== workflowId) {
    throw invalidInput('summary.workflowId', `the appended workflow id ${JSON.stringify(workflowId)}`, summary['workflowId']);
  }
  checkId('summary.runId', summary['runId']);
  checkId('summary.type', summary['type']);
  checkId('summary.status', summary['status']);
  checkTime('summary.startTime', summary['startTime']);
  checkOptionalTime('summary.closeTime', summary['closeTime']);
  checkOptionalId('summary.parentRunId', summary['parentRunId']);
  checkParent(summary['parent']);
  if (summary['searchAttributes'] !== undefined) checkSearchAttributes(summary['searchAttributes']);
}

function checkParent(parent: unknown): void {
  if (parent === undefined) return;
  if (!isPlainObject(parent)) throw invalidInput('summary.parent', 'an object { workflowId, runId }', parent);
  checkId('summary.parent.workflowId', parent['workflowId']);
  checkId('summary.parent.runId', parent['runId']);
}

function checkSearchAttributes(attributes: unknown): asserts attributes is SearchAttributes {
  if (!isPlainObject(attributes)) throw invalidInput('summary.searchAttributes', 'an object', attributes);
  for (const [key, value] of Object.entries(attributes)) {
    const argument = `summary.searchAttributes.${key}`;
    if (!SEARCH_KEY.test(key)) throw invalidInput('summary.searchAttributes key', 'an identifier ([A-Za-z_][A-Za-z0-9_]*)', key);
    if (!isSearchValue(value)) {
      throw invalidInput(argument, 'a string, finite number, boolean, valid Date or array of strings', value);
    }
  }
}

function isSearchValue(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function checkFromSeq(fromSeq: unknown): void {
  if (fromSeq !== undefined && !Number.isSafeInteger(fromSeq)) throw invalidInput('fromSeq', 'an integer', fromSeq);
}

export function checkQuery(query: unknown, argument = 'query'): asserts query is WorkflowQuery | undefined {
  if (query === undefined) return;
  if (!isPlainObject(query)) throw invalidInput(argument, 'an object', query);
  checkOptionalId(`${argument}.workflowId`, query['workflowId']);
  checkOptionalId(`${argument}.type`, query['type']);
  checkStatusFilter(`${argument}.status`, query['status']);
  checkRange(`${argument}.startTime`, query['startTime']);
  checkRange(`${argument}.closeTime`, query['closeTime']);
  const predicates = query['searchAttributes'];
  if (predicates === undefined) return;
  if (!Array.isArray(predicates)) throw invalidInput(`${argument}.searchAttributes`, 'an array of predicates', predicates);
  predicates.forEach((p, i) => checkPredicate(`${argument}.searchAttributes[${i}]`, p));
}

export function checkFilter(filter: unknown): asserts filter is WorkflowFilter | undefined {
  checkQuery(filter, 'filter');
  if (filter === undefined) return;
  const f = filter as Record<string, unknown>;
  checkPositiveInteger('filter.limit', f['limit']);
  if (f['offset'] !== undefined) checkNonNegativeInteger('filter.offset', f['offset']);
  if (f['cursor'] !== undefined && typeof f['cursor'] !== 'string') throw invalidInput('filter.cursor', 'a string', f['cursor']);
  if (f['cursor'] !== undefined && f['offset'] !== undefined) {
    throw invalidInput('filter', 'either an offset or a cursor, not both', filter);
  }
}

export function checkCountQuery(query: unknown): void {
  checkQuery(query);
  for (const key of ['limit', 'offset', 'cursor']) {
    const value = (query as Record<string, unknown> | undefined)?.[key];
    if (value !== undefined) throw invalidInput(`query.${key}`, 'absent (countWorkflows does not page)', value);
  }
}

function checkStatusFilter(argument: string, status: unknown): void {
  if (status === undefined) return;
  const list = Array.isArray(status) ? status : [status];
  if (list.length === 0) throw invalidInput(argument, 'a status or a non-empty array of statuses', status);
  list.forEach((s, i) => checkId(`${argument}[${i}]`, s));
}

function checkRange(argument: string, range: unknown): asserts range is TimeRange | undefined {
  if (range === undefined) return;
  if (!isPlainObject(range)) throw invalidInput(argument, 'an object { from?, to? }', range);
  checkOptionalTime(`${argument}.from`, range['from']);
  checkOptionalTime(`${argument}.to`, range['to']);
}

function checkPredicate(argument: string, predicate: unknown): asserts predicate is SearchPredicate {
  if (!isPlainObject(predicate)) throw invalidInput(argument, 'an object { key, op, value }', predicate);
  const { key, op, value } = predicate;
  if (typeof key !== 'string' || !SEARCH_KEY.test(key)) {
    throw invalidInput(`${argument}.key`, 'an identifier ([A-Za-z_][A-Za-z0-9_]*)', key);
  }
  const valid =
    op === 'eq'
      ? isSearchValue(value) && !Array.isArray(value)
      : op === 'contains'
        ? typeof value === 'string'
        : ['gt', 'gte', 'lt', 'lte'].includes(op as string) && isOrderable(value);
  if (!valid) {
    throw invalidInput(argument, "eq with a scalar, gt/gte/lt/lte with a number or Date, or contains with a string", predicate);
  }
}

function isOrderable(value: unknown): boolean {
  return (typeof value === 'number' && Number.isFinite(value)) || (value instanceof Date && !Number.isNaN(value.getTime()));
}

export function checkTimer(workflowId: unknown, timerId: unknown): void {
  checkId('workflowId', workflowId);
  checkId('timerId', timerId);
}

export function checkPackage(pkg: unknown): asserts pkg is WorkflowPackage {
  if (!isPlainObject(pkg)) throw invalidInput('pkg', 'an object { type, version, bytes, manifest, deployedAt }', pkg);
  checkId('pkg.type', pkg['type']);
  checkId('pkg.version', pkg['version']);
  if (!(pkg['bytes'] instanceof Uint8Array)) throw invalidInput('pkg.bytes', 'a Uint8Array', pkg['bytes']);
  if (!isPlainObject(pkg['manifest'])) throw invalidInput('pkg.manifest', 'an object', pkg['manifest']);
  checkTime('pkg.deployedAt', pkg['deployedAt']);
}

export function checkRoute(type: unknown, version: unknown): asserts type is PackageRoute['type'] {
  checkId('type', type);
  checkId('version', version);
}

export function checkIdPage(page: unknown): asserts page is IdPage | undefined {
  if (page === undefined) return;
  if (!isPlainObject(page)) throw invalidInput('page', 'an object { after?, limit? }', page);
  if (page['after'] !== undefined && typeof page['after'] !== 'string') throw invalidInput('page.after', 'a string', page['after']);
  checkPositiveInteger('page.limit', page['limit']);
}
