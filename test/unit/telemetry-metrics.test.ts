import { test, describe, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { metrics, type Attributes } from '@opentelemetry/api';
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { recordAuditAppend, recordAuditChainHead, registerAuditMetrics, timeAuditAppend } from '../../src/telemetry/audit-metrics.ts';
import { DECISION_DURATION_BUCKETS_S, decisionMode, recordDecisionMetrics } from '../../src/telemetry/decision-metrics.ts';
import { recordDecision, withDecisionSpan } from '../../src/telemetry/decision-span.ts';
import { CertificateStateError } from '../../src/errors.ts';
import type { Decision, RuleOutcome } from '../../src/rules/engine/decision.ts';

/** Reads what the instruments recorded, on demand. */
class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}

  async metric(name: string): Promise<MetricData | undefined> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === name);
  }

  async points(name: string): Promise<Array<{ attributes: Attributes; value: unknown }>> {
    return (await this.metric(name))?.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })) ?? [];
  }
}

let reader: CollectingReader;

/** A fresh provider per test: certguard's instruments must follow whichever provider is registered now. */
function registerFreshProvider(): void {
  metrics.disable();
  reader = new CollectingReader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
}

const policy = { name: 'certguard-default', revision: 'r7', hash: 'ab'.repeat(32) };
const rule = (id: string, outcome: RuleOutcome['outcome'], action: RuleOutcome['action'] = 'enforce'): RuleOutcome => ({ id, outcome, action });

function decision(allowed: boolean, rules: RuleOutcome[], failingRuleId?: string): Decision {
  return { decisionId: 'd-1', operation: 'TransferCertificate', allowed, rules, policy, warnings: [], ...(failingRuleId ? { failingRuleId } : {}) };
}

const deniedTransfer = decision(false, [rule('certificate-not-active', 'fail'), rule('valid-target-account', 'pass')], 'certificate-not-active');

describe('decision metrics', () => {
  beforeEach(registerFreshProvider);

  test('instruments obtained before a meter provider was registered still record once it is', async () => {
    metrics.disable();
    recordDecisionMetrics({ operation: 'TransferCertificate', outcome: 'allow', decision: undefined, durationMs: 1 });
    registerFreshProvider();
    recordDecisionMetrics({ operation: 'TransferCertificate', outcome: 'allow', decision: undefined, durationMs: 1 });
    const [point] = await reader.points('certguard.decisions');
    assert.equal(point?.value, 1);
  });

  test('a denial counts once by operation, decision, failing rule and mode, and its duration is recorded in seconds', async () => {
    recordDecisionMetrics({ operation: 'TransferCertificate', outcome: 'deny', decision: deniedTransfer, durationMs: 3.2 });
    assert.deepEqual(await reader.points('certguard.decisions'), [
      {
        attributes: {
          'certguard.operation': 'TransferCertificate',
          'certguard.decision': 'deny',
          'certguard.rule.failing_id': 'certificate-not-active',
          'certguard.decision.mode': 'enforce',
        },
        value: 1,
      },
    ]);
    const duration = await reader.metric('certguard.decision.duration');
    assert.equal(duration?.dataPointType, DataPointType.HISTOGRAM);
    assert.equal(duration?.descriptor.unit, 's');
    const histogram = duration?.dataPoints[0]?.value as { buckets: { boundaries: number[] }; sum: number; count: number };
    assert.deepEqual(histogram.buckets.boundaries, DECISION_DURATION_BUCKETS_S);
    assert.deepEqual([histogram.count, histogram.sum], [1, 0.0032], '3.2 ms recorded as 0.0032 s');
    assert.deepEqual(duration?.dataPoints[0]?.attributes, { 'certguard.operation': 'TransferCertificate', 'certguard.decision': 'deny' });
  });

  test('counts rule evaluations by rule id, outcome and action, leaving out rules that were skipped', async () => {
    const precondition = decision(false, [rule('certificate-not-active', 'skipped'), rule('certguard.precondition', 'fail')], 'certguard.precondition');
    recordDecisionMetrics({ operation: 'TransferCertificate', outcome: 'deny', decision: precondition, durationMs: 1 });
    recordDecisionMetrics({ operation: 'TransferCertificate', outcome: 'deny', decision: deniedTransfer, durationMs: 1 });
    const counted = (await reader.points('certguard.rule.evaluations'))
      .map(
        (p) =>
          `${String(p.attributes['certguard.rule.id'])}:${String(p.attributes['certguard.rule.outcome'])}:${String(p.attributes['certguard.rule.action'])}=${String(p.value)}`,
      )
      .sort();
    assert.deepEqual(counted, ['certguard.precondition:fail:enforce=1', 'certificate-not-active:fail:enforce=1', 'valid-target-account:pass:enforce=1']);
  });

  test('an allow has failing rule "none"; its mode says whether a warn or audit rule objected', () => {
    assert.equal(decisionMode(decision(true, [rule('a', 'pass')])), 'enforce');
    assert.equal(decisionMode(decision(true, [rule('a', 'fail', 'audit'), rule('b', 'error', 'warn')])), 'warn');
    assert.equal(decisionMode(decision(true, [rule('a', 'pass', 'warn'), rule('b', 'fail', 'audit')])), 'audit');
    assert.equal(decisionMode(deniedTransfer), 'enforce');
  });

  test('the decision span records allow, deny and a failure of certguard itself as error, once each', async () => {
    await withDecisionSpan('UpdateCertificate', async (span) => recordDecision(span, decision(true, [rule('a', 'pass')]), {}));
    await assert.rejects(
      withDecisionSpan('UpdateCertificate', async (span) => {
        recordDecision(span, deniedTransfer, {});
        throw new CertificateStateError('certificate is ACTIVE');
      }),
    );
    await assert.rejects(
      withDecisionSpan('UpdateCertificate', async (span) => {
        recordDecision(span, decision(false, [rule('certguard.internal-failure', 'fail')], 'certguard.internal-failure'), {});
        throw new Error('connection refused');
      }),
    );
    const byOutcome = Object.fromEntries(
      (await reader.points('certguard.decisions')).map((p) => [
        p.attributes['certguard.decision'],
        `${String(p.attributes['certguard.rule.failing_id'])}=${String(p.value)}`,
      ]),
    );
    assert.deepEqual(byOutcome, { allow: 'none=1', deny: 'certificate-not-active=1', error: 'certguard.internal-failure=1' });
    const durations = (await reader.metric('certguard.decision.duration'))?.dataPoints.length;
    assert.equal(durations, 3);
  });

  test('work that ends without a decision or an error is not counted', async () => {
    await withDecisionSpan('UpdateCertificate', async () => 'nothing decided');
    assert.deepEqual(await reader.points('certguard.decisions'), []);
  });

  test('no certificate, account, decision or audit id is ever a label value or key', async () => {
    const ids = ['a1b2'.repeat(16), '111111111111', '222222222222', 'd-1', 'event-77', '42'];
    const [certificateId, callerAccountId, targetAccountId, , auditEventId, auditSequence] = ids;
    await withDecisionSpan('TransferCertificate', async (span) => {
      recordDecision(span, deniedTransfer, { certificateId, callerAccountId, targetAccountId, auditEventId, auditSequence });
    });
    recordAuditAppend(1);
    const { resourceMetrics } = await reader.collect();
    const labels = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).flatMap((m) => m.dataPoints.map((p) => p.attributes));
    assert.ok(labels.length >= 3, 'decisions, rule evaluations, durations and the audit append were collected');
    for (const attributes of labels) {
      for (const [key, value] of Object.entries(attributes)) {
        assert.ok(!ids.includes(String(value)), `label ${key}=${String(value)} is an id`);
        assert.doesNotMatch(key, /account|certificate\.id|audit|decision\.id/);
      }
    }
  });
});

describe('audit metrics', () => {
  beforeEach(registerFreshProvider);

  test('timeAuditAppend records the duration of a successful append and passes its result through', async () => {
    const result = await timeAuditAppend(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { eventId: 'e', sequence: '1' };
    });
    assert.deepEqual(result, { eventId: 'e', sequence: '1' });
    const point = (await reader.metric('certguard.audit.append.duration'))?.dataPoints[0]?.value as { count: number; sum: number };
    assert.equal(point.count, 1);
    assert.ok(point.sum >= 0.004 && point.sum < 1, `recorded ${point.sum} s`);
    assert.equal((await reader.metric('certguard.audit.append.duration'))?.descriptor.unit, 's');
  });

  test('a failed append is not recorded and its error passes through', async () => {
    const failure = new Error('insert failed');
    await assert.rejects(
      timeAuditAppend(async () => {
        throw failure;
      }),
      (error) => error === failure,
    );
    assert.equal((await reader.metric('certguard.audit.append.duration'))?.dataPoints.length ?? 0, 0);
  });

  test('the chain sequence gauge reports nothing until the sealer reports, then the highest sequence sealed', async () => {
    registerAuditMetrics();
    assert.deepEqual(await reader.points('certguard.audit.chain.sequence'), []);
    recordAuditChainHead(41);
    recordAuditChainHead(12);
    assert.deepEqual(
      (await reader.points('certguard.audit.chain.sequence')).map((p) => p.value),
      [41],
    );
  });
});
