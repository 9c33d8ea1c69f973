/** The decision span a real request produces, read back from an in-memory exporter. */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { TransferCertificateCommand } from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { spanExporter, useTestService } from '../support/test-service.ts';

describe('decision spans', () => {
  const t = useTestService();
  beforeEach(() => spanExporter.reset());

  const decisionSpan = () => {
    const spans = spanExporter.getFinishedSpans().filter((s) => s.name === 'TransferCertificate decision');
    assert.equal(spans.length, 1);
    return spans[0]!;
  };

  test('an allowed transfer: decision, policy, certificate, target and audit ids as attributes, one event per rule', async () => {
    const cert = await createCertificate(t.one);
    spanExporter.reset();
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
    const span = decisionSpan();
    assert.equal(span.attributes['certguard.operation'], 'TransferCertificate');
    assert.equal(span.attributes['certguard.decision'], 'allow');
    assert.equal(span.attributes['certguard.policy.name'], 'certguard-default');
    assert.equal(span.attributes['certguard.policy.revision'], '2026-11-26.3');
    assert.equal(span.attributes['certguard.certificate.id'], cert.certificateId);
    assert.equal(span.attributes['certguard.target.account_id'], demoOperatorTwo.accountId);
    assert.equal(span.attributes['certguard.caller.account_id'], demoOperatorOne.accountId);
    assert.equal(span.attributes['certguard.rule.failing_id'], undefined);
    assert.equal(span.status.code, 0, 'an allowed decision is not an error');
    assert.deepEqual(
      span.events.map((e) => [e.attributes?.['certguard.rule.id'], e.attributes?.['certguard.rule.outcome']]),
      [
        ['certificate-not-active', 'pass'],
        ['certificate-not-pending-transfer', 'pass'],
        ['no-attached-policies', 'pass'],
        ['valid-target-account', 'pass'],
        ['transfer-not-under-legal-hold', 'pass'],
      ],
    );

    const audit = await t.svc.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event_id', '=', String(span.attributes['certguard.audit.event_id']))
      .executeTakeFirstOrThrow();
    assert.equal(audit.trace_id, span.spanContext().traceId, 'the audit row points at the trace');
    assert.equal(audit.sequence, span.attributes['certguard.audit.sequence']);
  });

  test('a denied transfer names the failing rule and error type, and is not a span error', async () => {
    const cert = await createCertificate(t.one, true);
    spanExporter.reset();
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
      'CertificateStateException',
      406,
    );
    const span = decisionSpan();
    assert.equal(span.attributes['certguard.decision'], 'deny');
    assert.equal(span.attributes['certguard.rule.failing_id'], 'certificate-not-active');
    assert.equal(span.attributes['certguard.error.type'], 'CertificateStateException');
    assert.notEqual(span.status.code, 2, 'a denial is a decision, not a failure of certguard');
  });
});
