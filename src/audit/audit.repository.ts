/** The audit trail's SQL. Rows are only ever inserted; the database itself refuses UPDATE, DELETE and TRUNCATE. */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AuditEventsTable, DB } from '../db/schema.ts';
import type { RequestFacts } from '../request/request-context.ts';
import type { Decision, PolicyReference } from '../rules/engine/decision.ts';
import type { PolicyInput } from '../rules/engine/policy-bundle.ts';
import { canonicalJsonText } from './canonical-json.ts';
import { maskRequestParameters } from './request-masking.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export type AuditOutcome = 'ALLOW' | 'DENY' | 'ERROR';

export interface DecisionAuditRecord {
  decision: Decision;
  outcome: AuditOutcome;
  request: RequestFacts;
  resource: { certificateId?: string; certificateArn?: string; targetAccountId?: string };
  requestParameters: Record<string, unknown>;
  /** What the rules saw (absent when the request was refused before they ran). */
  policyInput?: PolicyInput;
  /** For ERROR rows: what failed, without internals. */
  errorMessage?: string;
  /** The row version of the resource the decision was made on (versioned decisions): kept in rule_outcomes. */
  decidedOnVersion?: string;
  trace: { traceId?: string; spanId?: string };
}

export interface AppendedAuditEvent {
  eventId: string;
  sequence: string;
}

export async function appendDecisionEvent(db: Executor, record: DecisionAuditRecord): Promise<AppendedAuditEvent> {
  return insertAuditRow(db, decisionAuditRow(record));
}

/** The exact row appendDecisionEvent inserts (fresh event_id, current time): also what the outage spool stores. */
export function decisionAuditRow(record: DecisionAuditRecord): AuditRow {
  const { decision, request, resource, trace } = record;
  return newAuditRow({
    event_type: 'Decision',
    operation: decision.operation,
    request_id: request.requestId,
    caller_account_id: request.caller.accountId,
    caller_access_key_id: request.caller.accessKeyId,
    caller_roles: request.caller.roles,
    source_ip: request.sourceIp,
    user_agent: request.userAgent,
    certificate_id: resource.certificateId ?? null,
    certificate_arn: resource.certificateArn ?? null,
    target_account_id: resource.targetAccountId ?? null,
    decision: record.outcome,
    error_type: decision.allowed ? null : (decision.errorType ?? null),
    error_message: record.errorMessage ?? (decision.allowed ? null : (decision.message ?? null)),
    failing_rule_id: decision.failingRuleId ?? null,
    rule_outcomes: canonicalJsonText({
      decisionId: decision.decisionId,
      rules: decision.rules,
      warnings: decision.warnings,
      ...(record.decidedOnVersion === undefined ? {} : { decidedOnVersion: record.decidedOnVersion }),
    }),
    policy_name: decision.policy.name,
    policy_revision: decision.policy.revision,
    policy_hash: decision.policy.hash,
    // Masked like the parameters: no rule reads a PEM, so the stored input still replays every decision.
    policy_input: record.policyInput ? canonicalJsonText({ ...record.policyInput, request: maskRequestParameters(record.policyInput.request) }) : null,
    request_parameters: canonicalJsonText(maskRequestParameters(record.requestParameters)),
    trace_id: trace.traceId ?? null,
    span_id: trace.spanId ?? null,
  });
}

/** An administrative event (not a request's decision), e.g. a rule bundle being activated. */
export interface AdminAuditRecord {
  eventType: 'PolicyActivated';
  policy: PolicyReference;
  parameters: Record<string, unknown>;
  trace: { traceId?: string; spanId?: string };
}

export async function appendAdminEvent(db: Executor, record: AdminAuditRecord): Promise<AppendedAuditEvent> {
  return insertAuditEvent(db, {
    event_type: record.eventType,
    operation: record.eventType,
    decision: 'ALLOW',
    rule_outcomes: canonicalJsonText({ rules: [], warnings: [] }),
    policy_name: record.policy.name,
    policy_revision: record.policy.revision,
    policy_hash: record.policy.hash,
    request_parameters: canonicalJsonText(record.parameters),
    trace_id: record.trace.traceId ?? null,
    span_id: record.trace.spanId ?? null,
  });
}

/** An audit row ready to insert: every column but the sequence, which the database assigns. */
export type AuditRow = Insertable<AuditEventsTable> & { event_id: string; event_time: Date };

/** Every audit event gets a fresh id and the current time. */
export function newAuditRow(values: Omit<Insertable<AuditEventsTable>, 'event_id' | 'event_time'>): AuditRow {
  return { ...values, event_id: randomUUID(), event_time: new Date() };
}

export async function insertAuditEvent(db: Executor, values: Omit<Insertable<AuditEventsTable>, 'event_id' | 'event_time'>): Promise<AppendedAuditEvent> {
  return insertAuditRow(db, newAuditRow(values));
}

export async function insertAuditRow(db: Executor, values: AuditRow): Promise<AppendedAuditEvent> {
  const row = await db.insertInto('audit_events').values(values).returning('sequence').executeTakeFirstOrThrow();
  return { eventId: values.event_id, sequence: String(row.sequence) };
}
