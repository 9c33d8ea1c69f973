/**
 * The decision span: one INTERNAL span per guarded operation, child of the HTTP server span, carrying the same
 * decision data as the audit row and the error response. When the span ends, the decision metrics are recorded
 * (decision-metrics.ts) from the same data. Uses only @opentelemetry/api, so without an SDK every call is a cheap
 * no-op.
 *
 * No OpenTelemetry semantic convention exists for authorization decisions yet; names follow OPA (decision id)
 * and Kyverno (policy/rule names) under the certguard.* namespace.
 */
import { SpanStatusCode, isSpanContextValid, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ServiceError } from '../errors.ts';
import type { Decision } from '../rules/engine/decision.ts';
import { decisionMode, recordDecisionMetrics, type DecisionOutcome } from './decision-metrics.ts';

const TRACER_NAME = 'certguard';

/** The decision recorded on each open decision span, for the metrics recorded when it ends. */
const decisionsBySpan = new WeakMap<Span, Decision>();

export interface DecisionSpanFacts {
  callerAccountId?: string;
  certificateId?: string;
  targetAccountId?: string;
  auditEventId?: string;
  auditSequence?: string;
}

/** A ServiceError is a client mistake or a denial; anything else is a failure of certguard itself. */
function isOwnFailure(error: unknown): boolean {
  return !(error instanceof ServiceError);
}

/** Only a failure of certguard itself is a span error (and the decision `error`); a ServiceError is not. */
function recordFailure(span: Span, error: unknown): void {
  if (error instanceof ServiceError) {
    span.setAttribute('certguard.error.type', error.errorType);
    return;
  }
  const errorType = error instanceof Error ? error.constructor.name || error.name : '_OTHER';
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setAttributes({ 'error.type': errorType, 'certguard.decision': 'error' });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** allow/deny as decided; `error` when certguard failed, whatever had been decided before the failure. */
function outcomeOf(decision: Decision | undefined, failure: { error: unknown } | undefined): DecisionOutcome | undefined {
  if (failure !== undefined && isOwnFailure(failure.error)) return 'error';
  if (decision !== undefined) return decision.allowed ? 'allow' : 'deny';
  return failure === undefined ? undefined : 'deny';
}

function recordMetrics(operation: string, span: Span, failure: { error: unknown } | undefined, startedMs: number): void {
  const decision = decisionsBySpan.get(span);
  decisionsBySpan.delete(span);
  const outcome = outcomeOf(decision, failure);
  // Work that ends without a decision or an error decided nothing: there is nothing to count.
  if (outcome === undefined) return;
  recordDecisionMetrics({ operation, outcome, decision, durationMs: performance.now() - startedMs });
}

/**
 * Runs fn inside an active span named `${operation} decision`, so spans and log lines made inside are its
 * children. The span ends when fn settles; fn's result or error passes through unchanged.
 */
export async function withDecisionSpan<T>(operation: string, fn: (span: Span) => Promise<T>): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  const startedMs = performance.now();
  return tracer.startActiveSpan(`${operation} decision`, { attributes: { 'certguard.operation': operation } }, async (span) => {
    let failure: { error: unknown } | undefined;
    try {
      return await fn(span);
    } catch (error) {
      failure = { error };
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
      recordMetrics(operation, span, failure, startedMs);
    }
  });
}

function definedOnly(attributes: Record<string, string | undefined>): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
}

/**
 * Records the decision and the facts it was made on; one `certguard.rule` event per rule of the operation.
 * Called at most once per span (the last call wins for the metrics).
 */
export function recordDecision(span: Span, decision: Decision, facts: DecisionSpanFacts): void {
  decisionsBySpan.set(span, decision);
  span.setAttributes(
    definedOnly({
      'certguard.decision': decision.allowed ? 'allow' : 'deny',
      'certguard.decision.id': decision.decisionId,
      'certguard.decision.mode': decisionMode(decision),
      'certguard.policy.name': decision.policy.name,
      'certguard.policy.revision': decision.policy.revision,
      'certguard.policy.hash': decision.policy.hash,
      'certguard.rule.failing_id': decision.failingRuleId,
      'certguard.error.type': decision.errorType,
      'certguard.caller.account_id': facts.callerAccountId,
      'certguard.certificate.id': facts.certificateId,
      'certguard.target.account_id': facts.targetAccountId,
      'certguard.audit.event_id': facts.auditEventId,
      'certguard.audit.sequence': facts.auditSequence,
    }),
  );
  for (const rule of decision.rules) {
    span.addEvent('certguard.rule', {
      'certguard.rule.id': rule.id,
      'certguard.rule.outcome': rule.outcome,
      'certguard.rule.action': rule.action,
    });
  }
}

/** Trace and span id of the active span, for log lines and audit rows; empty when there is no valid span. */
export function currentTraceIds(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
