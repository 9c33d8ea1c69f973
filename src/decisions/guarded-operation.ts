/**
 * The one path every state-changing request takes (docs/architecture.md, "The request path"): load the state, evaluate
 * the guard rules, apply the change only if allowed, and append the audit event — allowed and denied alike — so a
 * state change never exists without its audit row, nor an audit row of an ALLOW without its change. The decision
 * then flows unchanged into the span and the error response.
 *
 * Two ways to make it atomic:
 * - versioned (decisions on an existing certificate): read the state and its row version in one statement, no
 *   lock; evaluate; a denial is one INSERT of its audit row; an allow is one statement that applies the change
 *   only if the version is unchanged and inserts the audit row with it. A moved version means another decision
 *   got there first: decide again on the new state, at most MAX_VERSION_ATTEMPTS times. No lock is ever held
 *   while the rules run, and a decision costs 2 round trips instead of 6.
 *   Creations of a certificate take this path too, without a version: the write is one INSERT of the certificate
 *   and its audit row (certificate-creation-write.ts), 1 round trip instead of 5.
 * - locking (registrations, and attach/detach whose writes span other tables): one transaction that loads and
 *   locks the state, decides, applies and appends.
 */
import type { Kysely, Transaction } from 'kysely';
import type winston from 'winston';
import { hasRole } from '../request/caller.ts';
import {
  type AppendedAuditEvent,
  type AuditOutcome,
  type AuditRow,
  appendDecisionEvent,
  type DecisionAuditRecord,
  decisionAuditRow,
} from '../audit/audit.repository.ts';
import { insertAuditRowGrouped } from '../audit/grouped-audit-insert.ts';
import { type AuditSpool, appendOrSpool } from '../audit/spool/audit-spool.ts';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { ServiceError, ThrottlingError, UnauthorizedError } from '../errors.ts';
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

interface GuardedBase<TState> {
  operation: string;
  request: RequestFacts;
  /** The request members: given to the rules as `request` and stored (masked) in the audit row. */
  parameters: Record<string, unknown>;
  resource: AuditResource;
  /** The facts the rules see besides request, caller and now. */
  facts(state: TState): Pick<PolicyInput, 'certificate' | 'attachedPolicies'>;
  /** Built-in invariants (the state machine), checked when the rules allow; they throw a ServiceError to refuse. */
  invariants?(state: TState): void;
}

/** Decided and applied in one transaction that locks the state from load to commit. */
export interface LockingOperation<TState, TResult> extends GuardedBase<TState> {
  /** Loads and locks what the decision is about. A ServiceError here (not found...) is an audited denial. */
  load(trx: Transaction<DB>): Promise<TState>;
  apply(trx: Transaction<DB>, state: TState, now: Date): Promise<TResult>;
  /** The audit resource once the change is made (e.g. a certificate id known only after creation). */
  resourceAfter?(result: TResult): AuditResource;
}

/** What a versioned write did: undefined when the version had moved and nothing was written. */
export type VersionedOutcome<TResult> = { result: TResult; audit: AppendedAuditEvent } | undefined;

/** Decided on a version read without a lock; applied in one statement only while that version is current. */
export interface VersionedOperation<TState, TResult> extends GuardedBase<TState> {
  /** One statement, no lock: the state and its version. A ServiceError here (not found...) is an audited denial. */
  read(db: Kysely<DB>): Promise<TState>;
  /**
   * The row version `read` saw: recorded in the audit row (rule_outcomes.decidedOnVersion). Absent for a creation:
   * nothing existed to decide on, and its write never finds a version moved.
   */
  version?(state: TState): string;
  /** The audit resource of an ALLOW when the write will create it (a new certificate's id, known before the write). */
  resourceIfAllowed?(state: TState): AuditResource;
  /** One statement: apply the change and insert `audit` if the version read is unchanged, else write nothing. */
  write(db: Kysely<DB>, state: TState, now: Date, audit: AuditRow): Promise<VersionedOutcome<TResult>>;
}

export type GuardedOperation<TState, TResult> = LockingOperation<TState, TResult> | VersionedOperation<TState, TResult>;

/**
 * How many times a versioned decision is made again because another decision changed the certificate first.
 * Each retry decides on newer state, so a race of N distinct changes settles within N attempts; past this bound
 * the request is answered ThrottlingException (retryable) and audited, never looped on.
 */
export const MAX_VERSION_ATTEMPTS = 8;

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

/** A decision before anything is written: a denial (with what the rules saw) or an allow with its state. */
type Decided<S> =
  /** `loaded`: the state the rules refused, when it was loaded (absent when refused before). */
  { allowed: false; outcome: Outcome<never>; loaded?: { state: S } } | { allowed: true; outcome: Outcome<never>; state: S; now: Date };

async function decide<S>(ctx: GuardContext, op: GuardedBase<S>, load: () => Promise<S>): Promise<Decided<S>> {
  const policy = ctx.policy();
  if (!hasRole(op.request.caller, 'operator')) {
    const denied = new UnauthorizedError(`Access key ${op.request.caller.accessKeyId} has no operator role: it cannot perform ${op.operation}`);
    return { allowed: false, outcome: { decision: builtinDenial(op.operation, policy, 'caller-may-write', denied), resource: op.resource, error: denied } };
  }
  let state: S;
  try {
    state = await load();
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return { allowed: false, outcome: { decision: builtinDenial(op.operation, policy, 'precondition', error), resource: op.resource, error } };
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
      return {
        allowed: false,
        outcome: { decision: withBuiltinFailure(decision, 'invariant', error), resource: op.resource, error, input },
        loaded: { state },
      };
    }
  }
  if (!decision.allowed) return { allowed: false, outcome: { decision, resource: op.resource, input }, loaded: { state } };
  return { allowed: true, outcome: { decision, resource: op.resource, input }, state, now };
}

async function decideAndApply<S, R>(ctx: GuardContext, op: LockingOperation<S, R>, trx: Transaction<DB>): Promise<Outcome<R>> {
  const decided = await decide(ctx, op, () => op.load(trx));
  if (!decided.allowed) return decided.outcome;
  const result = await op.apply(trx, decided.state, decided.now);
  return { ...decided.outcome, result, resource: op.resourceAfter?.(result) ?? op.resource };
}

interface Concluded<R> {
  outcome: Outcome<R>;
  audit: AppendedAuditEvent;
}

/** The locking path: one transaction from load to audit row. */
async function runLocking<S, R>(ctx: GuardContext, op: LockingOperation<S, R>): Promise<Concluded<R>> {
  return ctx.db.transaction().execute(async (trx) => {
    const decided = await decideAndApply(ctx, op, trx);
    const appended = await timeAuditAppend(() => appendDecisionEvent(trx, auditRecord(op, decided, outcomeOf(decided.decision))));
    return { outcome: decided, audit: appended };
  });
}

/** The versioned path: read, decide, then one INSERT (denial) or one conditional write (allow); again if it moved. */
async function runVersioned<S, R>(ctx: GuardContext, op: VersionedOperation<S, R>): Promise<Concluded<R>> {
  for (let attempt = 1; attempt <= MAX_VERSION_ATTEMPTS; attempt++) {
    const decided = await decide(ctx, op, () => op.read(ctx.db));
    const loaded = decided.allowed ? { state: decided.state } : decided.loaded;
    const version = loaded === undefined || !op.version ? undefined : op.version(loaded.state);
    if (!decided.allowed) {
      const row = decisionAuditRow(auditRecord(op, decided.outcome, outcomeOf(decided.outcome.decision), undefined, version));
      return { outcome: decided.outcome, audit: await timeAuditAppend(() => insertAuditRowGrouped(ctx.db, row)) };
    }
    const { state, now } = decided;
    const outcome = op.resourceIfAllowed ? { ...decided.outcome, resource: op.resourceIfAllowed(state) } : decided.outcome;
    const row = decisionAuditRow(auditRecord(op, outcome, outcomeOf(outcome.decision), undefined, version));
    const written = await timeAuditAppend(() => op.write(ctx.db, state, now, row));
    if (written) return { outcome: { ...outcome, result: written.result }, audit: written.audit };
  }
  throw new ThrottlingError(
    `${op.operation} was decided ${MAX_VERSION_ATTEMPTS} times and each time the resource changed before the decision could be applied; nothing was changed, retry the request`,
  );
}

function auditRecord<R>(
  op: GuardedBase<never>,
  outcome: Outcome<R>,
  kind: AuditOutcome,
  errorMessage?: string,
  decidedOnVersion?: string,
): DecisionAuditRecord {
  return {
    ...(decidedOnVersion === undefined ? {} : { decidedOnVersion }),
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
      ({ outcome, audit } = 'write' in op ? await runVersioned(ctx, op) : await runLocking(ctx, op));
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

function logDecision(logger: winston.Logger, op: GuardedBase<never>, decision: Decision, auditEventId: string): void {
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
