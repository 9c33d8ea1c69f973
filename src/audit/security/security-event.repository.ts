/**
 * Audit rows for what is not a guarded decision but must still be on the trail (docs/security.md "What is
 * audited"): failed authentications and their flood summaries, reads of the trail itself, policy dry runs,
 * refused policy reloads and (optionally) certificate data reads. Same table, same hash chain as decisions.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PolicyReference } from '../../rules/engine/decision.ts';
import { type AppendedAuditEvent, type AuditOutcome, type AuditRow, insertAuditRow, newAuditRow } from '../audit.repository.ts';
import { canonicalJsonText } from '../canonical-json.ts';
import { maskRequestParameters } from '../request-masking.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** The event types this file writes (the query API's `eventType` values besides Decision and PolicyActivated). */
export const SECURITY_EVENT_TYPES = [
  'AuthenticationFailed',
  'AuthenticationFailureSummary',
  'AuditTrailRead',
  'PolicyEvaluation',
  'PolicyReloadRefused',
  'DataRead',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export interface SecurityEventRecord {
  eventType: SecurityEventType;
  /** The API operation (operationId), or the event type itself for events that are not a request. */
  operation: string;
  decision: AuditOutcome;
  requestId?: string | null;
  /** Who: the authenticated caller, or for a failed authentication only the claimed access key id. */
  caller?: { accountId?: string | null; accessKeyId?: string | null; roles?: readonly string[] | null };
  sourceIp?: string | null;
  userAgent?: string | null;
  errorType?: string | null;
  errorMessage?: string | null;
  /** The policy in force (or the one concerned), when it matters to the event. */
  policy?: PolicyReference;
  /** What was asked (masked like decision parameters: no PEM, no key material). */
  parameters: Record<string, unknown>;
  trace?: { traceId?: string; spanId?: string };
}

export async function appendSecurityEvent(db: Executor, record: SecurityEventRecord): Promise<AppendedAuditEvent> {
  return insertAuditRow(db, securityEventRow(record));
}

/** The row of a security event, for writers that spool it when the database is down (audit/spool/audit-spool.ts). */
export function securityEventRow(record: SecurityEventRecord): AuditRow {
  const { caller } = record;
  return newAuditRow({
    event_type: record.eventType,
    operation: record.operation,
    request_id: record.requestId ?? null,
    caller_account_id: caller?.accountId ?? null,
    caller_access_key_id: caller?.accessKeyId ?? null,
    caller_roles: caller?.roles ? [...caller.roles] : null,
    source_ip: record.sourceIp ?? null,
    user_agent: record.userAgent ?? null,
    decision: record.decision,
    error_type: record.errorType ?? null,
    error_message: record.errorMessage ?? null,
    rule_outcomes: canonicalJsonText({ rules: [], warnings: [] }),
    policy_name: record.policy?.name ?? null,
    policy_revision: record.policy?.revision ?? null,
    policy_hash: record.policy?.hash ?? null,
    request_parameters: canonicalJsonText(maskRequestParameters(record.parameters)),
    trace_id: record.trace?.traceId ?? null,
    span_id: record.trace?.spanId ?? null,
  });
}
