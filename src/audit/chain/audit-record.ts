/**
 * The audit record as it is hashed (format v1, docs/audit.md section 3) and as each NDJSON export line carries it:
 * 26 camelCase keys, always all present, int8 as decimal strings, event time as UTC text with 6 fraction digits
 * rendered by Postgres itself (a JS Date would drop the microseconds, so an edit of them would go unseen).
 */
import { type RawBuilder, sql } from 'kysely';
import type { AuditEventsTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';

export interface AuditRecord {
  sequence: string;
  eventId: string;
  eventTime: string;
  eventType: string;
  operation: string;
  requestId: string | null;
  callerAccountId: string | null;
  callerAccessKeyId: string | null;
  callerRoles: string[] | null;
  sourceIp: string | null;
  userAgent: string | null;
  certificateId: string | null;
  certificateArn: string | null;
  targetAccountId: string | null;
  decision: string;
  errorType: string | null;
  errorMessage: string | null;
  failingRuleId: string | null;
  ruleOutcomes: unknown;
  policyName: string | null;
  policyRevision: string | null;
  policyHash: string | null;
  policyInput: unknown;
  requestParameters: unknown;
  traceId: string | null;
  spanId: string | null;
}

/** The SQL rendering of a timestamptz used everywhere in the chain: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export const UTC_TIMESTAMP_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** `event_time` as the record's text, e.g. `.select(utcTimestamp('e.event_time').as('event_time_utc'))`. */
export function utcTimestamp(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', ${sql.raw(UTC_TIMESTAMP_FORMAT)})`;
}

/** An audit_events row with `event_time_utc` (see utcTimestamp); `event_time` itself is not needed. */
export type AuditRecordRow = Omit<Selectable<AuditEventsTable>, 'event_time'> & { event_time_utc: string };

export function toAuditRecord(row: AuditRecordRow): AuditRecord {
  return {
    sequence: String(row.sequence),
    eventId: row.event_id,
    eventTime: row.event_time_utc,
    eventType: row.event_type,
    operation: row.operation,
    requestId: row.request_id,
    callerAccountId: row.caller_account_id,
    callerAccessKeyId: row.caller_access_key_id,
    callerRoles: row.caller_roles,
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
    certificateId: row.certificate_id,
    certificateArn: row.certificate_arn,
    targetAccountId: row.target_account_id,
    decision: row.decision,
    errorType: row.error_type,
    errorMessage: row.error_message,
    failingRuleId: row.failing_rule_id,
    ruleOutcomes: row.rule_outcomes ?? null,
    policyName: row.policy_name,
    policyRevision: row.policy_revision,
    policyHash: row.policy_hash,
    policyInput: row.policy_input ?? null,
    requestParameters: row.request_parameters ?? null,
    traceId: row.trace_id,
    spanId: row.span_id,
  };
}

/** The record keys, in no particular order: what an export line holds besides the chain fields. */
export const AUDIT_RECORD_KEYS: readonly (keyof AuditRecord)[] = [
  'sequence',
  'eventId',
  'eventTime',
  'eventType',
  'operation',
  'requestId',
  'callerAccountId',
  'callerAccessKeyId',
  'callerRoles',
  'sourceIp',
  'userAgent',
  'certificateId',
  'certificateArn',
  'targetAccountId',
  'decision',
  'errorType',
  'errorMessage',
  'failingRuleId',
  'ruleOutcomes',
  'policyName',
  'policyRevision',
  'policyHash',
  'policyInput',
  'requestParameters',
  'traceId',
  'spanId',
];
