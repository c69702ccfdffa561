import type { SearchAttributes, SearchPredicate, TimeRange, WorkflowFilter, WorkflowQuery } from '../event-store.ts';
import type { RunPosition } from '../visibility.ts';
import { assertNever, searchKind, searchScalar, statusList } from '../visibility.ts';
import type { SqlValue } from './connection.ts';

export interface SqlCondition {
  readonly sql: string;
  readonly params: SqlValue[];
}

/**
 * The `runs.search` column: each attribute as `{ t: kind, v: value }`, so a filter never matches a
 * value of another kind (a Date against a number, a keyword list against a string).
 */
export function encodeSearchColumn(attributes: SearchAttributes | undefined): string | null {
  if (attributes === undefined) return null;
  const column: Record<string, { t: string; v: unknown }> = {};
  for (const [key, value] of Object.entries(attributes)) {
    const kind = searchKind(value);
    column[key] = { t: kind, v: kind === 'k' ? value : searchScalar(value as string | number | boolean | Date) };
  }
  return JSON.stringify(column);
}

const OPERATORS = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function predicateCondition(predicate: SearchPredicate): SqlCondition {
  const kindPath = `$."${predicate.key}".t`;
  const valuePath = `$."${predicate.key}".v`;
  switch (predicate.op) {
    case 'contains':
      return {
        sql: `json_extract(search, ?) = 'k' AND EXISTS (SELECT 1 FROM json_each(search, ?) WHERE value = ?)`,
        params: [kindPath, valuePath, predicate.value],
      };
    case 'eq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return {
        sql: `json_extract(search, ?) = ? AND json_extract(search, ?) ${OPERATORS[predicate.op]} ?`,
        params: [kindPath, searchKind(predicate.value), valuePath, searchScalar(predicate.value)],
      };
    default:
      return assertNever(predicate);
  }
}

function rangeConditions(column: string, range: TimeRange | undefined): SqlCondition[] {
  const conditions: SqlCondition[] = [];
  if (range?.from !== undefined) conditions.push({ sql: `${column} >= ?`, params: [range.from] });
  if (range?.to !== undefined) conditions.push({ sql: `${column} <= ?`, params: [range.to] });
  return conditions;
}

/** The SQL twin of `matchesQuery`: one AND-combined WHERE clause over `runs`. */
export function queryCondition(query: WorkflowQuery | undefined): SqlCondition {
  const conditions: SqlCondition[] = [];
  if (query?.workflowId !== undefined) conditions.push({ sql: 'workflow_id = ?', params: [query.workflowId] });
  if (query?.type !== undefined) conditions.push({ sql: 'type = ?', params: [query.type] });
  const statuses = statusList(query?.status);
  if (statuses !== undefined) {
    conditions.push({ sql: `status IN (${statuses.map(() => '?').join(', ')})`, params: [...statuses] });
  }
  conditions.push(...rangeConditions('start_time', query?.startTime), ...rangeConditions('close_time', query?.closeTime));
  for (const predicate of query?.searchAttributes ?? []) conditions.push(predicateCondition(predicate));
  return {
    sql: conditions.length === 0 ? '1' : conditions.map((c) => `(${c.sql})`).join(' AND '),
    params: conditions.flatMap((c) => c.params),
  };
}

/**
 * One page of `runs` in list order. It asks for one row more than `limit`, so the caller knows
 * whether a next page exists.
 */
export function pageQuery(filter: WorkflowFilter | undefined, after: RunPosition | undefined): SqlCondition {
  const where = queryCondition(filter);
  const params: SqlValue[] = [...where.params];
  let sql = `SELECT start_time, workflow_id, run_id, body FROM runs WHERE ${where.sql}`;
  if (after !== undefined) {
    sql += ' AND (start_time, workflow_id, run_id) > (?, ?, ?)';
    params.push(after.startTime, after.workflowId, after.runId);
  }
  sql += ' ORDER BY start_time, workflow_id, run_id LIMIT ? OFFSET ?';
  params.push(filter?.limit === undefined ? -1 : filter.limit + 1, filter?.offset ?? 0);
  return { sql, params };
}
