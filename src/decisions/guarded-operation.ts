/**
 * The one path every state-changing request takes (ARCHITECTURE.md "The one path"): in ONE transaction, load and
 * lock the state, evaluate the guard rules, apply the change only if allowed, and append the audit event —
 * allowed and denied alike — so a state change never exists without its audit row, nor an audit row of an
 * ALLOW without its change. The decision then flows unchanged into the span and the error response.
 */
import type { Transaction } from 'kysely';
import type winston from 'winston';
import { hasRole } from '../request/caller.ts';
import { appendDecisionEvent, type AuditOutcome, type DecisionAuditRecord, decisionAuditRow } from '../audit/audit.repository.ts';
import { type AuditSpool, appendOrSpool } from '../audit/spool/audit-spool.ts';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { ServiceError, UnauthorizedError } from '../errors.ts';
import type { RequestFacts } from '../request/request-context.ts';
import type { Decision } from '../rules/engine/decision.ts';
import type { PolicyBundle, PolicyInput } from '../rules/engine/policy-bundle.ts';
import { timeAuditAppend } from '../telemetry/audit-metrics.ts';
import { currentTraceIds, recordDecision, withDecisionSpan } from '../telemetry/decision-span.ts';
import { builtinDenial, withBuiltinFailure } from './builtin-decision.ts';

export interface GuardContext {
  db: Database;
  /** The active rule bundle (a function: the bundle may be swapped by a reload between requests). */
  policy: () => PolicyBundle;
  logger: winston.Logger;
  /** Where refused attempts' audit rows go while the database is unreachable (docs/security.md); absent: only logged. */
  auditSpool?: AuditSpool;
}

export interface AuditResource {
  certificateId?: string;
  certificateArn?: string;
  targetAccountId?: string;
}

export interface GuardedOperation<TState, TResult> {
  operation: string;
  request: RequestFacts;
  /** The request members: given to the rules as `request` and stored (masked) in the audit row. */
  parameters: Record<string, unknown>;
  resource: AuditResource;
  /** Loads and locks what the decision is about. A ServiceError here (not found...) is an audited denial. */
  load(trx: Transaction<DB>): Promise<TState>;
  /** The facts the rules see besides request, caller and now. */
  facts(state: TState): Pick<PolicyInput, 'certificate' | 'attachedPolicies'>;
  /** Built-in invariants (the state machine), checked when the rules allow; they throw a ServiceError to refuse. */
  invariants?(state: TState): void;
  apply(trx: Transaction<DB>, state: TState, now: Date): Promise<TResult>;
  /** The audit resource once the change is made (e.g. a certificate id known only after creation). */
  resourceAfter?(result: TResult): AuditResource;
}

interface Outcome<TResult> {
  decision: Decision;
  result?: TResult;
  resource: AuditResource;
  /** A built-in denial keeps its original error, which may carry extra members (e.g. resourceArn). */
  error?: ServiceError;
  /** What the rules saw, for the audit row (absent when refused before they ran). */
  input?: PolicyInput;
}

function outcomeOf(decision: Decision): AuditOutcome {
  return decision.allowed ? 'ALLOW' : 'DENY';
}

export function errorFromDecision(decision: Decision): ServiceError {
  return new ServiceError(decision.errorType ?? 'InvalidRequestException', decision.message ?? 'Request denied by policy');
}

async function decideAndApply<S, R>(ctx: GuardContext, op: GuardedOperation<S, R>, trx: Transaction<DB>): Promise<Outcome<R>> {
  const policy = ctx.policy();
  if (!hasRole(op.request.caller, 'operator')) {
    const denied = new UnauthorizedError(`Access key ${op.request.caller.accessKeyId} has no operator role: it cannot perform ${op.operation}`);
    return { decision: builtinDenial(op.operation, policy, 'caller-may-write', denied), resource: op.resource, error: denied };
  }
  let state: S;
  try {
    state = await op.load(trx);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return { decision: builtinDenial(op.operation, policy, 'precondition', error), resource: op.resource, error };
  }
  const now = new Date();
  const { caller } = op.request;
  const input: PolicyInput = { request: op.parameters, caller, now, ...op.facts(state) };
  const decision = policy.evaluate(op.operation, input);
  if (decision.allowed && op.invariants) {
    try {
      op.invariants(state);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return { decision: withBuiltinFailure(decision, 'invariant', error), resource: op.resource, error, input };
    }
  }
  if (!decision.allowed) return { decision, resource: op.resource, input };
  const result = await op.apply(trx, state, now);
  return { decision, result, resource: op.resourceAfter?.(result) ?? op.resource, input };
}

function auditRecord<R>(op: GuardedOperation<unknown, R>, outcome: Outcome<R>, kind: AuditOutcome, errorMessage?: string): DecisionAuditRecord {
  return {
    decision: outcome.decision,
    outcome: kind,
    request: op.request,
    resource: outcome.resource,
    requestParameters: op.parameters,
    ...(outcome.input ? { policyInput: outcome.input } : {}),
    trace: currentTraceIds(),
    ...(errorMessage ? { errorMessage } : {}),
  };
}

/**
 * The transaction failed and rolled back, so nothing changed: record the failed attempt in its own transaction,
 * or, if the database is unreachable, in the outage spool (fsync'd before the client gets its 503).
 */
async function auditFailedAttempt<S, R>(ctx: GuardContext, op: GuardedOperation<S, R>, error: unknown): Promise<Decision> {
  const clientError = error instanceof ServiceError;
  const cause = clientError ? error : new ServiceError('InternalFailureException', 'The decision could not be completed');
  const decision = builtinDenial(op.operation, ctx.policy(), clientError ? 'apply' : 'internal-failure', cause);
  const outcome: Outcome<R> = { decision, resource: op.resource };
  try {
    await appendOrSpool(ctx.db, ctx.auditSpool, decisionAuditRow(auditRecord(op, outcome, clientError ? 'DENY' : 'ERROR', cause.message)));
  } catch (auditError) {
    ctx.logger.error('could not audit a failed decision', {
      operation: op.operation,
      requestId: op.request.requestId,
      error: auditError instanceof Error ? auditError.message : String(auditError),
    });
  }
  return decision;
}

export async function runGuarded<S, R>(ctx: GuardContext, op: GuardedOperation<S, R>): Promise<R> {
  return withDecisionSpan(op.operation, async (span) => {
    let outcome: Outcome<R>;
    let audit: { eventId: string; sequence: string };
    try {
      ({ outcome, audit } = await ctx.db.transaction().execute(async (trx) => {
        const decided = await decideAndApply(ctx, op, trx);
        const appended = await timeAuditAppend(() => appendDecisionEvent(trx, auditRecord(op, decided, outcomeOf(decided.decision))));
        return { outcome: decided, audit: appended };
      }));
    } catch (error) {
      const decision = await auditFailedAttempt(ctx, op, error);
      recordDecision(span, decision, { callerAccountId: op.request.caller.accountId, ...facts(op.resource) });
      throw error;
    }
    const { decision } = outcome;
    recordDecision(span, decision, {
      callerAccountId: op.request.caller.accountId,
      ...facts(outcome.resource),
      auditEventId: audit.eventId,
      auditSequence: audit.sequence,
    });
    logDecision(ctx.logger, op, decision, audit.eventId);
    for (const warning of decision.warnings) op.request.warn(warning);
    if (!decision.allowed) throw outcome.error ?? errorFromDecision(decision);
    return outcome.result as R;
  });
}

function facts(resource: AuditResource): { certificateId?: string; targetAccountId?: string } {
  return {
    ...(resource.certificateId ? { certificateId: resource.certificateId } : {}),
    ...(resource.targetAccountId ? { targetAccountId: resource.targetAccountId } : {}),
  };
}

function logDecision(logger: winston.Logger, op: GuardedOperation<unknown, unknown>, decision: Decision, auditEventId: string): void {
  logger.info('decision', {
    operation: op.operation,
    decision: decision.allowed ? 'allow' : 'deny',
    failingRuleId: decision.failingRuleId,
    errorType: decision.errorType,
    callerAccountId: op.request.caller.accountId,
    requestId: op.request.requestId,
    auditEventId,
  });
}
