/**
 * The shipped dashboard and Collector configuration refer to names certguard really emits: every certguard_*
 * series and label in the dashboard's PromQL exists in the Prometheus text the service serves, and every
 * spanmetrics dimension is an attribute of a real decision span.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import YAML from 'yaml';
import { recordAuditAppend, recordAuditChainHead } from '../../src/telemetry/audit-metrics.ts';
import { recordDecision, withDecisionSpan } from '../../src/telemetry/decision-span.ts';
import { withUnitSuffixes } from '../../src/telemetry/prometheus-unit-suffix.ts';
import { PROJECT_ROOT } from '../../src/config.ts';
import type { Decision } from '../../src/rules/engine/decision.ts';

const spans = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
const prometheus = new PrometheusExporter({ preventServerStart: true, withoutTargetInfo: true });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [prometheus] }));

const denied: Decision = {
  decisionId: 'd-1',
  operation: 'TransferCertificate',
  allowed: false,
  warnings: [],
  policy: { name: 'certguard-default', revision: 'r1', hash: 'ab'.repeat(32) },
  rules: [{ id: 'certificate-not-active', outcome: 'fail', action: 'enforce' }],
  failingRuleId: 'certificate-not-active',
  errorType: 'CertificateStateException',
};
await withDecisionSpan('TransferCertificate', async (span) => {
  recordDecision(span, denied, {
    callerAccountId: '111111111111',
    certificateId: 'ab'.repeat(32),
    targetAccountId: '222222222222',
    auditEventId: 'e',
    auditSequence: '1',
  });
});
recordAuditAppend(1);
recordAuditChainHead(1);

/** Series name -> label names, as GET /metrics serves them. */
async function servedSeries(): Promise<Map<string, Set<string>>> {
  const { resourceMetrics } = await prometheus.collect();
  const { PrometheusSerializer } = await import('@opentelemetry/exporter-prometheus');
  const text = withUnitSuffixes(new PrometheusSerializer('', false, undefined, false).serialize(resourceMetrics));
  const series = new Map<string, Set<string>>();
  for (const match of text.matchAll(/^([a-z_]+)\{([^}]*)\}/gm)) {
    const labels = series.get(match[1]!) ?? new Set<string>();
    for (const pair of match[2]!.matchAll(/([a-z_]+)="/g)) labels.add(pair[1]!);
    series.set(match[1]!, labels);
  }
  return series;
}

const dashboard = JSON.parse(readFileSync(`${PROJECT_ROOT}/deploy/grafana/certguard-dashboard.json`, 'utf8')) as {
  panels: Array<{ title: string; targets: Array<{ expr?: string }> }>;
};
const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((t) => t.expr ?? '')).filter((expr) => expr !== '');

describe('deploy/', () => {
  test('every certguard series the dashboard queries is served, with the labels it uses', async () => {
    const served = await servedSeries();
    const servedLabels = new Set([...served.values()].flatMap((labels) => [...labels]));
    const decisionSpan = spans.getFinishedSpans().find((s) => s.name === 'TransferCertificate decision');
    const spanLabels = new Set(['span_name', ...Object.keys(decisionSpan?.attributes ?? {}).map((key) => key.replaceAll('.', '_'))]);
    assert.ok(expressions.length >= 8);
    for (const expr of expressions) {
      // GET /metrics and the Collector's exporter serve the same names, unit suffix included (_seconds).
      const names = [...expr.matchAll(/(certguard_[a-z_]+)[{[]/g)].map((m) => m[1]!);
      for (const name of names) assert.ok(served.has(name), `${name} (in ${expr}) is served`);
      const labels = [
        ...[...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())),
        ...[...expr.matchAll(/([a-z_]+)\s*(?:=~|!=|=)\s*"/g)].map((m) => m[1]!),
      ].filter((label) => label !== '__name__' && label !== 'le');
      const known = expr.includes('traces_span_metrics') ? spanLabels : servedLabels;
      for (const label of labels) assert.ok(known.has(label), `label ${label} (in ${expr}) exists`);
    }
  });

  test('the dashboard covers decisions per outcome, top failing rules, p50/p99 latency and denied transfers by target account', () => {
    const all = expressions.join('\n');
    assert.match(all, /sum by \(certguard_decision\) \(rate\(certguard_decisions_total/);
    assert.match(all, /topk\(10, sum by \(certguard_rule_failing_id\)/);
    assert.match(all, /histogram_quantile\(0\.50/);
    assert.match(all, /histogram_quantile\(0\.99/);
    assert.match(
      all,
      /sum by \(certguard_target_account_id\) \(increase\(traces_span_metrics_calls_total\{span_name="TransferCertificate decision", certguard_decision="deny"\}/,
    );
  });

  test("the Collector's spanmetrics dimensions are attributes of the decision span, and every pipeline component is defined", () => {
    const config = YAML.parse(readFileSync(`${PROJECT_ROOT}/deploy/otel-collector/config.yaml`, 'utf8')) as Record<string, Record<string, unknown>> & {
      connectors: { spanmetrics: { dimensions: Array<{ name: string }> } };
      service: { pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
    };
    const decisionSpan = spans.getFinishedSpans().find((s) => s.name === 'TransferCertificate decision');
    for (const { name } of config.connectors.spanmetrics.dimensions) assert.ok(name in (decisionSpan?.attributes ?? {}), name);
    for (const pipeline of Object.values(config.service.pipelines)) {
      for (const receiver of pipeline.receivers) assert.ok(receiver in config.receivers! || receiver in config.connectors, receiver);
      for (const processor of pipeline.processors ?? []) assert.ok(processor in config.processors!, processor);
      for (const exporter of pipeline.exporters) assert.ok(exporter in config.exporters! || exporter in config.connectors, exporter);
    }
  });
});
