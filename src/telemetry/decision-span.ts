/**
 * The decision span: one INTERNAL span per guarded operation, child of the HTTP server span, carrying the same
 * decision data as the audit row and the error response. Uses only @opentelemetry/api, so without an SDK every
 * call is a cheap no-op.
 *
 * No OpenTelemetry semantic convention exists for authorization decisions yet; names follow OPA (decision id)
 * and Kyverno (policy/rule names) under the certguard.* namespace.
 */
import { SpanStatusCode, isSpanContextValid, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ServiceError } from '../http/errors.ts';
import type { Decision } from '../policy/decision.ts';

const TRACER_NAME = 'certguard';

export interface DecisionSpanFacts {
  callerAccountId?: string;
  certificateId?: string;
  targetAccountId?: string;
  auditEventId?: string;
  auditSequence?: string;
}

/** Only a failure of certguard itself is a span error; a ServiceError is a client mistake or a denial. */
function recordFailure(span: Span, error: unknown): void {
  if (error instanceof ServiceError) {
    span.setAttribute('certguard.error.type', error.errorType);
    return;
  }
  const errorType = error instanceof Error ? error.constructor.name || error.name : '_OTHER';
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setAttribute('error.type', errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/**
 * Runs fn inside an active span named `${operation} decision`, so spans and log lines made inside are its
 * children. The span ends when fn settles; fn's result or error passes through unchanged.
 */
export async function withDecisionSpan<T>(operation: string, fn: (span: Span) => Promise<T>): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(
    `${operation} decision`,
    { attributes: { 'certguard.operation': operation } },
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

function definedOnly(attributes: Record<string, string | undefined>): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
}

/** Records the decision and the facts it was made on; one `certguard.rule` event per evaluated rule. */
export function recordDecision(span: Span, decision: Decision, facts: DecisionSpanFacts): void {
  span.setAttributes(
    definedOnly({
      'certguard.decision': decision.allowed ? 'allow' : 'deny',
      'certguard.decision.id': decision.decisionId,
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
