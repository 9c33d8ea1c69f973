/**
 * deploy/prometheus/certguard-alerts.yaml: valid for promtool (when installed; .ci/run installs it and runs the
 * same check), and every series an alert queries is one certguard exports - its own metrics as GET /metrics
 * serves them, or the HTTP server metric of the semantic conventions (unit-suffixed like the Collector does).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ATTR_HTTP_RESPONSE_STATUS_CODE, METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../../src/config.ts';
import { recordAuditAppend, recordAuditChainHead, recordAuditVerification } from '../../src/telemetry/audit-metrics.ts';
import { recordDecisionMetrics } from '../../src/telemetry/decision-metrics.ts';
import { withUnitSuffixes } from '../../src/telemetry/prometheus-unit-suffix.ts';

const RULES_FILE = `${PROJECT_ROOT}/deploy/prometheus/certguard-alerts.yaml`;
const PROMTOOL = '/usr/bin/promtool';

const prometheus = new PrometheusExporter({ preventServerStart: true, withoutTargetInfo: true });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [prometheus] }));
recordDecisionMetrics({ operation: 'TransferCertificate', outcome: 'deny', decision: undefined, durationMs: 1 });
recordAuditAppend(1);
recordAuditChainHead(1);
recordAuditVerification('hash-mismatch');

/** Series and labels: certguard's own as served, plus the HTTP server duration histogram (seconds). */
async function exportedSeries(): Promise<Map<string, Set<string>>> {
  const { resourceMetrics } = await prometheus.collect();
  const text = withUnitSuffixes(new PrometheusSerializer('', false, undefined, true).serialize(resourceMetrics));
  const series = new Map<string, Set<string>>();
  for (const match of text.matchAll(/^([a-z_]+)\{([^}]*)\}/gm)) {
    const labels = series.get(match[1]!) ?? new Set<string>();
    for (const pair of match[2]!.matchAll(/([a-z_]+)="/g)) labels.add(pair[1]!);
    series.set(match[1]!, labels);
  }
  const http = `${METRIC_HTTP_SERVER_REQUEST_DURATION.replaceAll('.', '_')}_seconds`;
  for (const suffix of ['_count', '_sum', '_bucket']) series.set(http + suffix, new Set([ATTR_HTTP_RESPONSE_STATUS_CODE.replaceAll('.', '_')]));
  return series;
}

const rules = (YAML.parse(readFileSync(RULES_FILE, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }).groups.flatMap(
  (group) => group.rules,
);

describe('deploy/prometheus alert rules', () => {
  test('cover denials spike, decision errors, verify failure, sealing lag, 5xx rate and throttling', () => {
    assert.deepEqual(rules.map((rule) => rule.alert).sort(), [
      'CertguardAuditVerifyFailed',
      'CertguardDecisionErrors',
      'CertguardDenialsSpike',
      'CertguardHttp5xxRate',
      'CertguardSealingLag',
      'CertguardThrottling',
    ]);
  });

  test('every series and label an alert uses is exported', async () => {
    const served = await exportedSeries();
    for (const { alert, expr } of rules) {
      const names = [...expr.matchAll(/\b((?:certguard|http)_[a-z_]+)\s*[{[)]/g)].map((m) => m[1]!);
      assert.ok(names.length > 0, `${alert} queries a series`);
      for (const name of names) {
        assert.ok(served.has(name), `${name} (in ${alert}) is exported`);
        for (const label of [...expr.matchAll(/([a-z_]+)\s*(?:=~|!=|=)\s*"/g)].map((m) => m[1]!)) {
          const known = [...served.values()].some((labels) => labels.has(label));
          assert.ok(known, `label ${label} (in ${alert}) exists`);
        }
      }
    }
  });

  test('promtool check rules passes (when promtool is installed; .ci/run installs it)', () => {
    if (!existsSync(PROMTOOL)) return;
    const output = execFileSync(PROMTOOL, ['check', 'rules', RULES_FILE], { encoding: 'utf8' });
    assert.match(output, /SUCCESS: 6 rules found/);
  });
});
