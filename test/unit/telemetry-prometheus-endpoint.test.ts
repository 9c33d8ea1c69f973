import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { recordDecisionMetrics } from '../../src/telemetry/decision-metrics.ts';
import { prometheusMetrics, servePrometheusMetricsFrom } from '../../src/telemetry/prometheus-endpoint.ts';
import type { Decision } from '../../src/rules/engine/decision.ts';

const server = createServer(prometheusMetrics);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;

const denied: Decision = {
  decisionId: 'd-1',
  operation: 'TransferCertificate',
  allowed: false,
  warnings: [],
  policy: { name: 'certguard-default', revision: 'r1', hash: 'ab'.repeat(32) },
  rules: [{ id: 'certificate-not-active', outcome: 'fail', action: 'enforce' }],
  failingRuleId: 'certificate-not-active',
};

describe('GET /metrics', () => {
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('answers 404 with a hint when no Prometheus reader is registered', async () => {
    servePrometheusMetricsFrom(undefined);
    const response = await fetch(url);
    assert.equal(response.status, 404);
    assert.match(await response.text(), /OTEL_METRICS_EXPORTER/);
  });

  test('serves the decision counter and duration histogram in the Prometheus text format', async () => {
    const reader = new PrometheusExporter({ preventServerStart: true, withoutTargetInfo: true });
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    servePrometheusMetricsFrom(reader);
    recordDecisionMetrics({ operation: 'TransferCertificate', outcome: 'deny', decision: denied, durationMs: 2 });

    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await response.text();
    const counter = text.split('\n').find((line) => line.startsWith('certguard_decisions_total{'));
    assert.ok(counter, text);
    assert.match(counter, /certguard_operation="TransferCertificate"/);
    assert.match(counter, /certguard_decision="deny"/);
    assert.match(counter, /certguard_rule_failing_id="certificate-not-active"/);
    assert.match(counter, /certguard_decision_mode="enforce"/);
    assert.match(counter, / 1$/);
    // 2 ms, recorded in seconds, served with the unit suffix the Collector's exporter would add.
    assert.match(text, /^# UNIT certguard_decision_duration_seconds s$/m);
    assert.match(text, /^certguard_decision_duration_seconds_bucket\{.*le="0\.002"\} 1$/m);
    assert.match(text, /^certguard_decision_duration_seconds_bucket\{.*le="0\.0015"\} 0$/m);
    assert.doesNotMatch(text, /^certguard_decision_duration_bucket/m);
    assert.match(text, /^certguard_rule_evaluations_total\{.*certguard_rule_id="certificate-not-active".*\} 1$/m);
    assert.doesNotMatch(text, /target_info/, 'resource attributes (host, command line) are not exposed');
  });
});
