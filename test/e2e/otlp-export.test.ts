/**
 * The real service process exports traces AND metrics over OTLP/HTTP protobuf to a receiver that decodes them
 * with the OTLP .proto definitions: an allowed transfer (under a caller's W3C traceparent) and a denied one,
 * then SIGTERM. Spans are batched with a 60 s delay, so every span received was flushed by the shutdown.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DecodedMetric, DecodedSpan } from '../support/otlp-proto-schema.ts';
import { startOtlpProtoReceiver, type OtlpProtoReceiver } from '../support/otlp-proto-receiver.ts';
import { createCertificateOn, type OtlpTestService, signedTransfer, startOtlpTestService } from '../support/otlp-test-service.ts';
import type { ServiceProcess } from '../support/service-process.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';

const SPAN_KIND_SERVER = 2;
const STATUS_ERROR = 2;
const METRIC_INTERVAL_MS = 500;

interface Sent {
  status: number;
  traceparent: string | null;
}

describe('OTLP protobuf export of traces and metrics from the running service', () => {
  let receiver: OtlpProtoReceiver;
  let running: OtlpTestService | undefined;
  let service: ServiceProcess;
  let port: number;
  const incomingTraceId = randomBytes(16).toString('hex');
  const incomingParentId = randomBytes(8).toString('hex');
  let allowedCert = '';
  let deniedCert = '';
  let allowed: Sent;
  let denied: Sent;
  let prometheusText = '';
  let pushedBeforeStop = 0;
  let stoppedAt = 0;

  async function transfer(certificateId: string, traceparent?: string): Promise<Sent> {
    const response = await signedTransfer(port, certificateId, traceparent);
    await response.arrayBuffer();
    return { status: response.status, traceparent: response.headers.get('traceparent') };
  }

  async function waitForPushWith(predicate: (metrics: DecodedMetric[]) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!receiver.metricPushes.some((push) => predicate(push.metrics))) {
      if (Date.now() > deadline) throw new Error(`no metrics push matched within ${timeoutMs} ms (${receiver.metricPushes.length} pushes)`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  before(async () => {
    receiver = await startOtlpProtoReceiver();
    running = await startOtlpTestService({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      OTEL_METRIC_EXPORT_INTERVAL: String(METRIC_INTERVAL_MS),
    });
    ({ service, port } = running);

    allowedCert = await createCertificateOn(port, false);
    deniedCert = await createCertificateOn(port, true);
    allowed = await transfer(allowedCert, `00-${incomingTraceId}-${incomingParentId}-01`);
    denied = await transfer(deniedCert);
    prometheusText = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    // The periodic push works while the service runs: the denial reaches the receiver before any shutdown.
    await waitForPushWith((metrics) => decisionPoints(metrics).some((p) => p.attributes['certguard.decision'] === 'deny'));
    pushedBeforeStop = receiver.metricPushes.length;

    stoppedAt = Date.now();
    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0, `SIGTERM drains and exits cleanly: ${service.stderr()}`);
  });

  after(async () => {
    await running?.close();
    await receiver?.close();
  });

  const decisionSpan = (traceId: string): DecodedSpan => {
    const found = receiver.spans.find((s) => s.traceId === traceId && s.name === 'TransferCertificate decision');
    assert.ok(found, `decision span of trace ${traceId} exported; got ${receiver.spans.map((s) => s.name).join(', ')}`);
    return found;
  };
  const traceIdOf = (traceparent: string | null) => traceparent?.split('-')[1] ?? '';

  test("both transfers were answered as expected, the allowed one in the caller's trace", () => {
    assert.equal(receiver.rejected.length, 0, receiver.rejected.join('; '));
    assert.equal(allowed.status, 200);
    assert.equal(denied.status, 406);
    assert.match(allowed.traceparent ?? '', new RegExp(`^00-${incomingTraceId}-[0-9a-f]{16}-01$`));
    assert.match(denied.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.notEqual(traceIdOf(denied.traceparent), incomingTraceId, 'a request without traceparent starts a trace of its own');
  });

  test('spans arrive over protobuf with the service resource and the certguard scope', () => {
    const span = decisionSpan(incomingTraceId);
    assert.equal(span.resource['service.name'], 'certguard');
    assert.equal(span.scope, 'certguard');
    assert.equal(span.kind, 1, 'INTERNAL');
  });

  test('the allowed decision span carries every documented attribute and one rule event per rule', () => {
    const { attributes, events, status } = decisionSpan(incomingTraceId);
    assert.equal(attributes['certguard.operation'], 'TransferCertificate');
    assert.equal(attributes['certguard.decision'], 'allow');
    assert.equal(attributes['certguard.decision.mode'], 'enforce');
    assert.match(String(attributes['certguard.decision.id']), /^[0-9a-f-]{36}$/);
    assert.equal(attributes['certguard.policy.name'], 'certguard-default');
    assert.ok(attributes['certguard.policy.revision']);
    assert.match(String(attributes['certguard.policy.hash']), /^[0-9a-f]{64}$/);
    assert.equal(attributes['certguard.caller.account_id'], demoOperatorOne.accountId);
    assert.equal(attributes['certguard.certificate.id'], allowedCert);
    assert.equal(attributes['certguard.target.account_id'], demoOperatorTwo.accountId);
    assert.ok(attributes['certguard.audit.event_id']);
    assert.match(String(attributes['certguard.audit.sequence']), /^\d+$/);
    assert.equal(attributes['certguard.rule.failing_id'], undefined);
    assert.equal(status.code, 0);
    const rules = events.filter((e) => e.name === 'certguard.rule');
    assert.equal(rules.length, 5);
    for (const event of rules) {
      assert.equal(event.attributes['certguard.rule.outcome'], 'pass');
      assert.equal(event.attributes['certguard.rule.action'], 'enforce');
      assert.match(String(event.attributes['certguard.rule.id']), /^[a-z0-9-]+$/);
    }
  });

  test('the denied decision span names the failing rule and error type, and is not a span error', () => {
    const { attributes, events, status } = decisionSpan(traceIdOf(denied.traceparent));
    assert.equal(attributes['certguard.decision'], 'deny');
    assert.equal(attributes['certguard.rule.failing_id'], 'certificate-not-active');
    assert.equal(attributes['certguard.error.type'], 'CertificateStateException');
    assert.equal(attributes['certguard.certificate.id'], deniedCert);
    assert.equal(attributes['error.type'], undefined);
    assert.notEqual(status.code, STATUS_ERROR);
    const failed = events.find((e) => e.attributes['certguard.rule.id'] === 'certificate-not-active');
    assert.equal(failed?.attributes['certguard.rule.outcome'], 'fail');
  });

  test("the server span is the child of the caller's span, and the decision span descends from the server span", () => {
    const trace = receiver.spans.filter((s) => s.traceId === incomingTraceId);
    const server = trace.find((s) => s.kind === SPAN_KIND_SERVER);
    assert.ok(server, 'a server span was exported in the incoming trace');
    assert.equal(server.parentSpanId, incomingParentId);
    assert.equal(server.attributes['http.route'], '/transfer-certificate/:certificateId');
    assert.equal(traceIdOf(allowed.traceparent), incomingTraceId);
    // The header is set by the first middleware: it names the server span, so the caller lands on this request.
    const named = trace.find((s) => s.spanId === allowed.traceparent?.split('-')[2]);
    assert.equal(named?.spanId, server.spanId, `response traceparent names ${named?.name}`);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const chain: string[] = [];
    let current: DecodedSpan | undefined = decisionSpan(incomingTraceId);
    while (current && current.spanId !== server.spanId) {
      chain.push(current.name);
      current = current.parentSpanId ? byId.get(current.parentSpanId) : undefined;
    }
    assert.ok(current, `decision span reaches the server span (chain: ${chain.join(' <- ')})`);
  });

  test('a request exports only its server span and its decision span: no Express layer or SQL query spans', () => {
    // Express and pg spans were most of tracing's CPU cost per decision (docs/telemetry.md#what-it-costs); SQL
    // query spans are opt-in (CERTGUARD_TRACE_DATABASE=true), Express layer spans are gone.
    const trace = receiver.spans.filter((s) => s.traceId === incomingTraceId);
    assert.deepEqual(trace.map((s) => s.name).sort(), ['PATCH /transfer-certificate/:certificateId', 'TransferCertificate decision'].sort());
    const database = receiver.spans.filter((s) => s.name.startsWith('pg.') || s.name.startsWith('pg-pool.'));
    assert.deepEqual(database, [], `database spans exported: ${database.map((s) => s.name).join(', ')}`);
  });

  test('the decision log lines carry the trace and span ids of their decision spans', () => {
    const lines = service
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const decisionLines = lines.filter((l) => l.message === 'decision' && l.operation === 'TransferCertificate');
    assert.equal(decisionLines.length, 2);
    for (const traceId of [incomingTraceId, traceIdOf(denied.traceparent)]) {
      const line = decisionLines.find((l) => l.trace_id === traceId);
      assert.ok(line, `a decision line in trace ${traceId}`);
      assert.equal(line.span_id, decisionSpan(traceId).spanId);
    }
  });

  test('the decision counter is labelled by operation, decision, failing rule and mode', () => {
    const transfers = decisionPoints(lastPush()).filter((p) => p.attributes['certguard.operation'] === 'TransferCertificate');
    assert.deepEqual(
      transfers
        .map((p): Record<string, unknown> => ({ ...p.attributes, value: p.value }))
        .sort((a, b) => String(a['certguard.decision']).localeCompare(String(b['certguard.decision']))),
      [
        {
          'certguard.operation': 'TransferCertificate',
          'certguard.decision': 'allow',
          'certguard.rule.failing_id': 'none',
          'certguard.decision.mode': 'enforce',
          value: 1,
        },
        {
          'certguard.operation': 'TransferCertificate',
          'certguard.decision': 'deny',
          'certguard.rule.failing_id': 'certificate-not-active',
          'certguard.decision.mode': 'enforce',
          value: 1,
        },
      ],
    );
  });

  test('rule evaluations, decision duration and audit append duration are exported with their units', () => {
    const metrics = lastPush();
    const byName = (name: string) => metrics.find((m) => m.name === name);
    const failedRule = byName('certguard.rule.evaluations')?.points.find(
      (p) => p.attributes['certguard.rule.id'] === 'certificate-not-active' && p.attributes['certguard.rule.outcome'] === 'fail',
    );
    assert.equal(failedRule?.value, 1);
    const duration = byName('certguard.decision.duration');
    assert.equal(duration?.kind, 'histogram');
    assert.equal(duration?.unit, 's');
    assert.equal(
      duration?.points.reduce((sum, p) => sum + (p.count ?? 0), 0),
      4,
      'two creations and two transfers',
    );
    assert.ok(duration?.points[0]?.explicitBounds?.includes(0.005), 'buckets in seconds');
    const append = byName('certguard.audit.append.duration');
    assert.equal(append?.unit, 's');
    assert.equal(
      append?.points.reduce((sum, p) => sum + (p.count ?? 0), 0),
      4,
      'one audit append per decision',
    );
  });

  test('no certificate id or account id is a label value of any exported metric', () => {
    const ids = [allowedCert, deniedCert, demoOperatorOne.accountId, demoOperatorTwo.accountId];
    const values = receiver.metricPushes.flatMap((push) => push.metrics).flatMap((m) => m.points.flatMap((p) => Object.values(p.attributes).map(String)));
    assert.ok(values.length > 0);
    for (const value of values) assert.ok(!ids.some((id) => value.includes(id)), `label value ${value} contains an id`);
  });

  test('shutdown pushes the metrics one last time', () => {
    assert.ok(receiver.metricPushes.length > pushedBeforeStop, 'a push after SIGTERM');
    assert.ok((receiver.metricPushes.at(-1)?.receivedAt ?? 0) >= stoppedAt);
  });

  test('GET /metrics shows the decision counter in the Prometheus text format', () => {
    const line = prometheusText.split('\n').find((l) => l.startsWith('certguard_decisions_total{') && l.includes('certguard_decision="deny"'));
    assert.ok(line, prometheusText.slice(0, 2000));
    assert.match(line, /certguard_rule_failing_id="certificate-not-active"/);
    assert.match(line, / 1$/);
    for (const id of [allowedCert, deniedCert, demoOperatorOne.accountId, demoOperatorTwo.accountId]) assert.ok(!prometheusText.includes(id), id);
  });

  function lastPush(): DecodedMetric[] {
    return receiver.metricPushes.at(-1)?.metrics ?? [];
  }
});

function decisionPoints(metrics: DecodedMetric[]) {
  return metrics.find((m) => m.name === 'certguard.decisions')?.points ?? [];
}
