import { test, describe, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { currentTraceIds, recordDecision, withDecisionSpan } from '../../src/telemetry/decision-span.ts';
import { CertificateStateError } from '../../src/errors.ts';
import type { Decision } from '../../src/rules/engine/decision.ts';

// Providers are registered before any helper runs: a tracer used before registration would record nothing.
const exporter = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

const deniedTransfer: Decision = {
  decisionId: 'd-123',
  operation: 'TransferCertificate',
  allowed: false,
  warnings: [],
  rules: [
    { id: 'target-account-allowed', outcome: 'pass', action: 'enforce' },
    { id: 'no-transfer-of-active', outcome: 'fail', action: 'enforce' },
    { id: 'log-large-accounts', outcome: 'error', action: 'audit' },
  ],
  policy: { name: 'certguard-default', revision: 'r7', hash: 'ab'.repeat(32) },
  failingRuleId: 'no-transfer-of-active',
  errorType: 'CertificateStateException',
};

function onlySpan() {
  const spans = exporter.getFinishedSpans();
  assert.equal(spans.length, 1);
  return spans[0]!;
}

describe('decision span', () => {
  beforeEach(() => exporter.reset());

  test('is named after the operation, carries certguard.operation and ends when the work settles', async () => {
    const result = await withDecisionSpan('TransferCertificate', async () => 'transferred');
    assert.equal(result, 'transferred');
    const span = onlySpan();
    assert.equal(span.name, 'TransferCertificate decision');
    assert.equal(span.instrumentationScope.name, 'certguard');
    assert.equal(span.attributes['certguard.operation'], 'TransferCertificate');
    assert.equal(span.status.code, SpanStatusCode.UNSET);
  });

  test('records the decision, its facts and one certguard.rule event per rule, omitting unknown facts', async () => {
    await withDecisionSpan('TransferCertificate', async (span) => {
      recordDecision(span, deniedTransfer, { callerAccountId: '123456789012', certificateId: 'abc', auditSequence: '42' });
    });
    const span = onlySpan();
    assert.deepEqual(span.attributes, {
      'certguard.operation': 'TransferCertificate',
      'certguard.decision': 'deny',
      'certguard.decision.id': 'd-123',
      'certguard.decision.mode': 'enforce',
      'certguard.policy.name': 'certguard-default',
      'certguard.policy.revision': 'r7',
      'certguard.policy.hash': 'ab'.repeat(32),
      'certguard.rule.failing_id': 'no-transfer-of-active',
      'certguard.error.type': 'CertificateStateException',
      'certguard.caller.account_id': '123456789012',
      'certguard.certificate.id': 'abc',
      'certguard.audit.sequence': '42',
    });
    assert.deepEqual(
      span.events.map((event) => [event.name, event.attributes]),
      deniedTransfer.rules.map((rule) => [
        'certguard.rule',
        { 'certguard.rule.id': rule.id, 'certguard.rule.outcome': rule.outcome, 'certguard.rule.action': rule.action },
      ]),
    );
  });

  test('an allowed decision is recorded as allow without failing rule or error type', async () => {
    const allowed: Decision = {
      decisionId: 'd-1',
      operation: 'AcceptCertificateTransfer',
      allowed: true,
      rules: [],
      policy: { name: 'p', revision: '1', hash: 'cd'.repeat(32) },
      warnings: [],
    };
    await withDecisionSpan('AcceptCertificateTransfer', async (span) => recordDecision(span, allowed, {}));
    const { attributes } = onlySpan();
    assert.equal(attributes['certguard.decision'], 'allow');
    assert.equal('certguard.rule.failing_id' in attributes, false);
    assert.equal('certguard.error.type' in attributes, false);
  });

  test('is a child of the span active when it starts, and is active itself while the work runs', async () => {
    const outer = trace.getTracer('test').startSpan('POST /transfer-certificate');
    let inside: ReturnType<typeof currentTraceIds> = {};
    await context.with(trace.setSpan(context.active(), outer), () =>
      withDecisionSpan('TransferCertificate', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        inside = currentTraceIds();
      }),
    );
    outer.end();
    const [decision, server] = exporter.getFinishedSpans();
    assert.equal(decision!.name, 'TransferCertificate decision');
    assert.equal(decision!.parentSpanContext?.spanId, server!.spanContext().spanId);
    assert.equal(decision!.spanContext().traceId, server!.spanContext().traceId);
    assert.deepEqual(inside, { traceId: decision!.spanContext().traceId, spanId: decision!.spanContext().spanId });
  });

  test('a failure of certguard itself sets error status, error.type and an exception event, and is rethrown', async () => {
    class DatabaseDownError extends Error {}
    const failure = new DatabaseDownError('connection refused');
    await assert.rejects(
      withDecisionSpan('TransferCertificate', async () => {
        throw failure;
      }),
      (error) => error === failure,
    );
    const span = onlySpan();
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.status.message, 'connection refused');
    assert.equal(span.attributes['error.type'], 'DatabaseDownError');
    assert.equal(span.attributes['certguard.decision'], 'error');
    assert.equal(span.events.filter((event) => event.name === 'exception').length, 1);
  });

  test('a failure after the decision was recorded turns the recorded decision into error', async () => {
    await assert.rejects(
      withDecisionSpan('TransferCertificate', async (span) => {
        recordDecision(span, deniedTransfer, { callerAccountId: '123456789012' });
        throw new Error('audit insert failed');
      }),
    );
    const span = onlySpan();
    assert.equal(span.attributes['certguard.decision'], 'error');
    assert.equal(span.attributes['certguard.rule.failing_id'], 'no-transfer-of-active');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
  });

  test('the mode attribute says whether a warn or audit rule objected to an allowed decision', async () => {
    const warned: Decision = {
      decisionId: 'd-2',
      operation: 'TransferCertificate',
      allowed: true,
      policy: deniedTransfer.policy,
      warnings: ['[short-message] too long'],
      rules: [
        { id: 'short-message', outcome: 'fail', action: 'warn' },
        { id: 'trial-rule', outcome: 'fail', action: 'audit' },
      ],
    };
    await withDecisionSpan('TransferCertificate', async (span) => recordDecision(span, warned, {}));
    assert.equal(onlySpan().attributes['certguard.decision.mode'], 'warn');
  });

  test('a ServiceError (denial or client mistake) is not a span error but names its error type', async () => {
    const denial = new CertificateStateError('certificate is ACTIVE');
    await assert.rejects(
      withDecisionSpan('TransferCertificate', async () => {
        throw denial;
      }),
      (error) => error === denial,
    );
    const span = onlySpan();
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.equal(span.events.length, 0);
    assert.equal('error.type' in span.attributes, false);
    assert.notEqual(span.attributes['certguard.decision'], 'error');
    assert.equal(span.attributes['certguard.error.type'], 'CertificateStateException');
  });
});

describe('currentTraceIds', () => {
  test('is empty when no span is active', () => {
    assert.deepEqual(currentTraceIds(), {});
  });

  test('is empty when the active span context is invalid', () => {
    const invalid = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
    context.with(trace.setSpan(context.active(), invalid), () => assert.deepEqual(currentTraceIds(), {}));
  });
});
