/**
 * The one shape in which clients see an audit event (query API, CSV and OCSF exports): camelCase, nested the way
 * CloudTrail nests its records. Secrets were masked when the row was written, so nothing is hidden here.
 *
 * - `sequence` and `chain.chainSeq` are int8 in the database: sent as decimal strings, so no client loses digits.
 * - `eventTime` is ISO 8601 in UTC with microseconds (`2026-11-26T14:58:56.123456Z`): the precision Postgres
 *   stores, rendered by the database itself so no JS Date rounding can make two readings disagree.
 * - `chain` is null until the sealer has chained the row (at most about a second after its commit).
 */
import type { Selectable } from 'kysely';
import type { AuditEventsTable } from '../../db/schema.ts';
import type { RuleOutcome } from '../../rules/engine/decision.ts';

export type AuditDecision = 'ALLOW' | 'DENY' | 'ERROR';

export interface AuditChainView {
  chainSeq: string;
  prevHash: string;
  hash: string;
}

export interface AuditEventView {
  eventId: string;
  sequence: string;
  eventTime: string;
  eventType: string;
  operation: string;
  requestId: string | null;
  caller: { accountId: string | null; accessKeyId: string | null; roles: string[] };
  sourceIp: string | null;
  userAgent: string | null;
  trace: { traceId: string | null; spanId: string | null };
  resource: { certificateId: string | null; certificateArn: string | null };
  targetAccountId: string | null;
  decision: AuditDecision;
  decisionId: string | null;
  errorType: string | null;
  errorMessage: string | null;
  failingRuleId: string | null;
  rules: RuleOutcome[];
  warnings: string[];
  policy: { name: string | null; revision: string | null; hash: string | null };
  requestParameters: Record<string, unknown> | null;
  chain: AuditChainView | null;
}

/** The stored columns as Kysely selects them; event_time comes as text instead (see event_time_iso). */
type StoredAuditColumns = Omit<Selectable<AuditEventsTable>, 'event_time' | 'policy_input'>;

/** A row as the query repository selects it (audit_events joined with its chain link, if sealed). */
export interface AuditEventRow extends StoredAuditColumns {
  /** to_char(...) in UTC with microseconds, see the header. */
  event_time_iso: string;
  chain_seq: string | null;
  prev_hash: string | null;
  hash: string | null;
}

interface StoredOutcomes {
  decisionId?: string;
  rules?: RuleOutcome[];
  warnings?: string[];
}

/** char(n) columns come back blank-padded only when shorter values were stored; ids never are, but be exact. */
const trimmed = (value: string | null): string | null => (value === null ? null : value.trimEnd());

export function toAuditEventView(row: AuditEventRow): AuditEventView {
  const outcomes = (row.rule_outcomes ?? {}) as StoredOutcomes;
  return {
    eventId: row.event_id,
    sequence: String(row.sequence),
    eventTime: row.event_time_iso,
    eventType: row.event_type,
    operation: row.operation,
    requestId: row.request_id,
    caller: { accountId: trimmed(row.caller_account_id), accessKeyId: row.caller_access_key_id, roles: row.caller_roles ?? [] },
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
    trace: { traceId: trimmed(row.trace_id), spanId: trimmed(row.span_id) },
    resource: { certificateId: trimmed(row.certificate_id), certificateArn: row.certificate_arn },
    targetAccountId: trimmed(row.target_account_id),
    decision: row.decision as AuditDecision,
    decisionId: outcomes.decisionId ?? null,
    errorType: row.error_type,
    errorMessage: row.error_message,
    failingRuleId: row.failing_rule_id,
    rules: outcomes.rules ?? [],
    warnings: outcomes.warnings ?? [],
    policy: { name: row.policy_name, revision: row.policy_revision, hash: trimmed(row.policy_hash) },
    requestParameters: (row.request_parameters ?? null) as Record<string, unknown> | null,
    chain:
      row.chain_seq === null || row.hash === null || row.prev_hash === null
        ? null
        : { chainSeq: String(row.chain_seq), prevHash: row.prev_hash.trimEnd(), hash: row.hash.trimEnd() },
  };
}
