/**
 * certguard's own metrics and decision-span attributes against the OpenTelemetry semantic conventions
 * (test/support/semantic-conventions.ts), read from a real MeterProvider and tracer after certguard recorded
 * everything it records: decisions allowed, denied and failed, rule evaluations, audit appends, the chain head,
 * verifications and the process metrics. What the running service exports over OTLP, the instrumentations'
 * metrics and spans included, is checked the same way by test/e2e/otlp-grpc-export.test.ts. The checker itself
 * is shown to catch each kind of mistake.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { recordAuditAppend, recordAuditChainHead, recordAuditVerification, registerAuditMetrics } from '../../src/telemetry/audit-metrics.ts';
import { registerDecisionMetrics } from '../../src/telemetry/decision-metrics.ts';
import { recordDecision, withDecisionSpan } from '../../src/telemetry/decision-span.ts';
import { registerProcessMetrics } from '../../src/telemetry/runtime-metrics.ts';
import type { Decision } from '../../src/rules/engine/decision.ts';
import { attributeProblems, type ExportedMetric, metricProblems } from '../support/semantic-conventions.ts';

class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

const reader = new CollectingReader();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
const spans = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));

const denied: Decision = {
  decisionId: 'd-1',
  operation: 'TransferCertificate',
  allowed: false,
  warnings: [],
  policy: { name: 'certguard-default', revision: 'r1', hash: 'ab'.repeat(32) },
  rules: [
    { id: 'certificate-not-active', outcome: 'fail', action: 'enforce' },
    { id: 'valid-target-account', outcome: 'pass', action: 'enforce' },
  ],
  failingRuleId: 'certificate-not-active',
  errorType: 'CertificateStateException',
};
const facts = { callerAccountId: '1', certificateId: 'c', targetAccountId: '2', auditEventId: 'e', auditSequence: '1' };

registerDecisionMetrics();
registerAuditMetrics();
registerProcessMetrics();
await withDecisionSpan('TransferCertificate', async (span) => recordDecision(span, denied, facts));
await withDecisionSpan('TransferCertificate', async (span) =>
  recordDecision(span, { ...denied, allowed: true, failingRuleId: undefined, errorType: undefined }, facts),
);
await withDecisionSpan('UpdateCertificate', async () => {
  throw new TypeError('certguard itself failed');
}).catch(() => undefined);
recordAuditAppend(1.5);
recordAuditChainHead(7);
recordAuditVerification(undefined);

/** The collected metrics as OTLP would carry them (instrument kind and monotonicity). */
async function collected(): Promise<Array<ExportedMetric & { attributeNames: string[] }>> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .map((metric: MetricData) => ({
      name: metric.descriptor.name,
      unit: metric.descriptor.unit,
      kind: metric.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : metric.dataPointType === DataPointType.GAUGE ? 'gauge' : 'sum',
      ...(metric.dataPointType === DataPointType.SUM ? { monotonic: metric.isMonotonic } : {}),
      attributeNames: metric.dataPoints.flatMap((point) => Object.keys(point.attributes)),
    }));
}

describe('semantic conventions', () => {
  test('every metric certguard records has a convention name, unit and instrument, or a certguard.* name with a UCUM unit', async () => {
    const exported = await collected();
    assert.deepEqual(exported.map((m) => m.name).sort(), [
      'certguard.audit.append.duration',
      'certguard.audit.chain.sequence',
      'certguard.audit.verifications',
      'certguard.decision.duration',
      'certguard.decisions',
      'certguard.rule.evaluations',
      'process.cpu.time',
      'process.memory.usage',
    ]);
    assert.deepEqual(metricProblems(exported), []);
    assert.deepEqual(attributeProblems(exported.flatMap((m) => m.attributeNames)), []);
  });

  test('every attribute of a decision span and its events is a convention attribute or a certguard.* one', () => {
    const finished = spans.getFinishedSpans();
    assert.equal(finished.length, 3);
    const names = finished.flatMap((span) => [...Object.keys(span.attributes), ...span.events.flatMap((event) => Object.keys(event.attributes ?? {}))]);
    assert.ok(names.includes('error.type') && names.includes('exception.message') && names.includes('certguard.target.account_id'), names.join(' '));
    assert.deepEqual(attributeProblems(names), []);
  });

  test('the check catches a unit in the name, a wrong unit or instrument, a deprecated or unknown name and a foreign namespace', () => {
    const problems = metricProblems([
      { name: 'certguard.decision.duration_seconds', unit: 's', kind: 'histogram' },
      { name: 'certguard.decisions', unit: 'decisions', kind: 'sum', monotonic: true },
      { name: 'http.server.request.duration', unit: 'ms', kind: 'histogram' },
      { name: 'process.cpu.time', unit: 's', kind: 'gauge' },
      { name: 'http.server.duration', unit: 'ms', kind: 'histogram' },
      { name: 'v8js.heap.space.available_size', unit: 'By', kind: 'sum', monotonic: false },
      { name: 'nodejs.heap.bytes', unit: 'By', kind: 'gauge' },
      { name: 'myapp.requests', unit: '{request}', kind: 'sum', monotonic: true },
    ]);
    assert.deepEqual(problems, [
      'certguard.decision.duration_seconds: a unit in the name (the unit belongs in the unit field)',
      'certguard.decisions: unit "decisions" is not a UCUM unit or {annotation}',
      'http.server.request.duration: unit "ms", the conventions say "s"',
      'process.cpu.time: a gauge, the conventions say a counter',
      'http.server.duration: not a semantic-conventions metric',
      'http.server.duration: no unit and instrument recorded in SEMCONV_METRICS',
      'v8js.heap.space.available_size: deprecated in the semantic conventions',
      'v8js.heap.space.available_size: no unit and instrument recorded in SEMCONV_METRICS',
      'nodejs.heap.bytes: not a semantic-conventions metric',
      'nodejs.heap.bytes: no unit and instrument recorded in SEMCONV_METRICS',
      'myapp.requests: neither a certguard.* metric nor in a semantic-conventions namespace',
    ]);
    assert.deepEqual(attributeProblems(['http.method', 'http.request.method', 'http.verb', 'certguard.Decision', 'acme.tenant']), [
      'http.method: deprecated in the semantic conventions',
      'http.verb: not a semantic-conventions attribute',
      'certguard.Decision: not certguard.<lower_snake_case>.…',
      'acme.tenant: neither a certguard.* attribute nor in a semantic-conventions namespace',
    ]);
  });
});
