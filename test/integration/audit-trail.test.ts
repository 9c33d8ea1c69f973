/**
 * Every decision, allowed or denied, leaves exactly one audit row written in the decision's own transaction;
 * the table refuses UPDATE, DELETE and TRUNCATE; a failing audit insert rolls the state change back.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { DescribeCertificateCommand, TransferCertificateCommand } from '@aws-sdk/client-iot';
import { sql } from 'kysely';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

describe('audit trail of decisions', () => {
  const t = useTestService();

  const rowsFor = (certificateId: string, operation = 'TransferCertificate') =>
    t.svc.db
      .selectFrom('audit_events')
      .selectAll()
      .where('certificate_id', '=', certificateId)
      .where('operation', '=', operation)
      .orderBy('sequence')
      .execute();

  test('an allowed transfer is audited with caller, request, resource, rule outcomes, policy and trace ids', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(
      new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId, transferMessage: 'hello' }),
    );
    const [row, ...rest] = await rowsFor(cert.certificateId);
    assert.equal(rest.length, 0);
    assert.ok(row);
    assert.equal(row.decision, 'ALLOW');
    assert.equal(row.event_type, 'Decision');
    assert.equal(row.caller_account_id, demoOperatorOne.accountId);
    assert.equal(row.caller_access_key_id, demoOperatorOne.accessKeyId);
    assert.deepEqual(row.caller_roles, ['operator']);
    assert.equal(row.target_account_id, demoOperatorTwo.accountId);
    assert.equal(row.certificate_arn, cert.certificateArn);
    assert.match(row.source_ip ?? '', /127\.0\.0\.1/);
    assert.match(row.user_agent ?? '', /aws-sdk-js/);
    assert.match(row.request_id ?? '', /^[0-9a-f-]{36}$/);
    assert.match(row.trace_id ?? '', /^[0-9a-f]{32}$/);
    assert.equal(row.error_type, null);
    assert.equal(row.policy_name, 'certguard-default');
    assert.equal(row.policy_revision, '2026-11-26.3');
    assert.ok(Date.now() - new Date(row.event_time).getTime() < 60_000);
    const outcomes = row.rule_outcomes as { rules: Array<{ id: string; outcome: string }> };
    assert.deepEqual(
      outcomes.rules.map((r) => [r.id, r.outcome]),
      [
        ['certificate-not-active', 'pass'],
        ['certificate-not-pending-transfer', 'pass'],
        ['no-attached-policies', 'pass'],
        ['valid-target-account', 'pass'],
        ['transfer-not-under-legal-hold', 'pass'],
      ],
    );
    assert.deepEqual(row.request_parameters, {
      certificateId: cert.certificateId,
      targetAwsAccount: demoOperatorTwo.accountId,
      transferMessage: 'hello',
    });
  });

  test('a denied transfer is audited with the failing rule, error type and message', async () => {
    const cert = await createCertificate(t.one, true);
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
      'CertificateStateException',
      406,
    );
    const [row] = await rowsFor(cert.certificateId);
    assert.equal(row?.decision, 'DENY');
    assert.equal(row?.error_type, 'CertificateStateException');
    assert.equal(row?.failing_rule_id, 'certificate-not-active');
    assert.match(row?.error_message ?? '', /certificate-not-active/);
    const outcomes = row?.rule_outcomes as { rules: Array<{ id: string; outcome: string }> };
    assert.equal(outcomes.rules.find((r) => r.id === 'certificate-not-active')?.outcome, 'fail');
  });

  test('a transfer of an unknown certificate is audited as a denial by the built-in precondition', async () => {
    const unknown = 'cd'.repeat(32);
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: unknown, targetAwsAccount: demoOperatorTwo.accountId })),
      'ResourceNotFoundException',
      404,
    );
    const [row] = await rowsFor(unknown);
    assert.equal(row?.decision, 'DENY');
    assert.equal(row?.failing_rule_id, 'certguard.precondition');
    assert.equal(row?.error_type, 'ResourceNotFoundException');
  });

  test('UPDATE, DELETE and TRUNCATE of the audit table are refused by the database', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
    for (const statement of [
      sql`UPDATE audit_events SET decision = 'DENY' WHERE certificate_id = ${cert.certificateId}`,
      sql`DELETE FROM audit_events WHERE certificate_id = ${cert.certificateId}`,
      sql`TRUNCATE audit_events`,
    ]) {
      await assert.rejects(statement.execute(t.svc.db), /append-only/);
    }
    const rows = await rowsFor(cert.certificateId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.decision, 'ALLOW');
  });

  describe('when the audit insert fails', () => {
    beforeEach(async () => {
      await sql`DROP TRIGGER IF EXISTS audit_events_test_failure ON audit_events`.execute(t.svc.db);
      await sql`DROP FUNCTION IF EXISTS audit_events_test_failure()`.execute(t.svc.db);
    });

    test('the transfer is rolled back and the caller gets InternalFailureException (500)', async () => {
      const cert = await createCertificate(t.one);
      await sql`CREATE FUNCTION audit_events_test_failure() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'simulated audit failure'; END $$`.execute(t.svc.db);
      await sql`CREATE TRIGGER audit_events_test_failure BEFORE INSERT ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_test_failure()`.execute(t.svc.db);
      try {
        const error = await rejectsWithAws(
          t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
          'InternalFailureException',
          500,
        );
        assert.doesNotMatch(error.message, /simulated|plpgsql|trigger/, 'internals do not leak');
      } finally {
        await sql`DROP TRIGGER audit_events_test_failure ON audit_events`.execute(t.svc.db);
      }
      const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
      assert.equal(d?.status, 'INACTIVE', 'the state change was rolled back with its audit row');
      assert.equal((await rowsFor(cert.certificateId)).length, 0, 'no audit row for a change that did not happen');
    });
  });
});
