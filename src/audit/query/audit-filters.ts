/**
 * The filters shared by GET /v1/audit/events and GET /v1/audit/export. Shapes (formats, patterns, enums) are
 * already enforced by the OpenAPI validator; here they are only normalized (hex ids to lower case, as stored)
 * and turned into SQL conditions, each of which an index serves (see the audit-query-indexes migration).
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { InvalidRequestError } from '../../errors.ts';
import type { operations } from '../../request/api-types.generated.ts';
import type { AuditDecision } from './audit-event-view.ts';

export interface AuditFilters {
  /** ISO 8601; inclusive lower bound on event_time. */
  from?: string;
  /** ISO 8601; exclusive upper bound on event_time. */
  to?: string;
  operation?: string;
  decision?: AuditDecision;
  callerAccountId?: string;
  certificateId?: string;
  targetAccountId?: string;
  failingRuleId?: string;
  policyHash?: string;
  traceId?: string;
  eventType?: string;
  /** The x-amzn-RequestId, exactly as answered (case kept). */
  requestId?: string;
}

export const AUDIT_FILTER_NAMES = [
  'from',
  'to',
  'operation',
  'decision',
  'callerAccountId',
  'certificateId',
  'targetAccountId',
  'failingRuleId',
  'policyHash',
  'traceId',
  'eventType',
  'requestId',
] as const satisfies ReadonlyArray<keyof AuditFilters>;

/** Stored in lower case: certificate ids (certificateIdOf), bundle hashes and W3C trace ids. */
const LOWER_CASED = new Set<keyof AuditFilters>(['certificateId', 'policyHash', 'traceId']);

/** The filter members of the query, as the contract types them (ListAuditEvents and ExportAuditEvents share them). */
export type AuditFilterQuery = Pick<NonNullable<operations['ListAuditEvents']['parameters']['query']>, (typeof AUDIT_FILTER_NAMES)[number]>;

/** Reads the filters from a validated query string; absent or empty members are no filter. */
export function auditFiltersOf(query: AuditFilterQuery): AuditFilters {
  const filters: Record<string, string> = {};
  for (const name of AUDIT_FILTER_NAMES) {
    const value = query[name];
    if (value === undefined || value === '') continue;
    filters[name] = LOWER_CASED.has(name) ? value.toLowerCase() : value;
  }
  const { from, to } = filters;
  // The date-time format allows year 0000, which Postgres refuses as input (500): there is no year 0.
  if (from?.startsWith('0000') === true || to?.startsWith('0000') === true) {
    throw new InvalidRequestError('from and to must be in year 0001 or later');
  }
  if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
    throw new InvalidRequestError('from must not be later than to');
  }
  return filters as AuditFilters;
}

type AuditEventsBuilder = ExpressionBuilder<DB, 'audit_events'>;
type EqualityColumn = `audit_events.${
  | 'operation'
  | 'decision'
  | 'caller_account_id'
  | 'certificate_id'
  | 'target_account_id'
  | 'failing_rule_id'
  | 'policy_hash'
  | 'trace_id'
  | 'event_type'
  | 'request_id'}`;

const timestamp = (iso: string) => sql<Date>`${iso}::timestamptz`;

/** One condition per filter, ANDed by the caller. Times are passed as text so Postgres keeps their microseconds. */
export function auditFilterConditions(eb: AuditEventsBuilder, filters: AuditFilters): Array<Expression<SqlBool>> {
  const conditions: Array<Expression<SqlBool>> = [];
  const equal = (column: EqualityColumn, value: string | undefined) => {
    if (value !== undefined) conditions.push(eb(column, '=', value));
  };
  if (filters.from !== undefined) conditions.push(eb('audit_events.event_time', '>=', timestamp(filters.from)));
  if (filters.to !== undefined) conditions.push(eb('audit_events.event_time', '<', timestamp(filters.to)));
  equal('audit_events.operation', filters.operation);
  equal('audit_events.decision', filters.decision);
  equal('audit_events.caller_account_id', filters.callerAccountId);
  equal('audit_events.certificate_id', filters.certificateId);
  equal('audit_events.target_account_id', filters.targetAccountId);
  equal('audit_events.failing_rule_id', filters.failingRuleId);
  equal('audit_events.policy_hash', filters.policyHash);
  equal('audit_events.trace_id', filters.traceId);
  equal('audit_events.event_type', filters.eventType);
  equal('audit_events.request_id', filters.requestId);
  return conditions;
}
