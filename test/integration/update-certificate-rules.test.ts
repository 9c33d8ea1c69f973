/** The UpdateCertificate guard rules (policies/update-certificate.yaml), via the AWS SDK. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DescribeCertificateCommand, UpdateCertificateCommand } from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { useTestService } from '../support/test-service.ts';

describe('UpdateCertificate rules', () => {
  const t = useTestService();

  /** Registration refuses expired certificates, so age one in the database. */
  async function expire(certificateId: string): Promise<void> {
    await t.svc.db
      .updateTable('certificates')
      .set({ not_after: new Date(Date.now() - 60_000) })
      .where('certificate_id', '=', certificateId)
      .execute();
  }

  const statusOf = async (certificateId: string) => (await t.one.send(new DescribeCertificateCommand({ certificateId }))).certificateDescription?.status;

  test('an expired certificate cannot be set ACTIVE: CertificateStateException (406), audited with the rule id', async () => {
    const cert = await createCertificate(t.one);
    await expire(cert.certificateId);
    await rejectsWithAws(
      t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' })),
      'CertificateStateException',
      406,
      /no-activation-of-expired-certificate.*expired at/,
    );
    assert.equal(await statusOf(cert.certificateId), 'INACTIVE');
    const row = await t.svc.db
      .selectFrom('audit_events')
      .selectAll()
      .where('certificate_id', '=', cert.certificateId)
      .where('operation', '=', 'UpdateCertificate')
      .executeTakeFirstOrThrow();
    assert.equal(row.decision, 'DENY');
    assert.equal(row.failing_rule_id, 'no-activation-of-expired-certificate');
  });

  test('an expired ACTIVE certificate can still be deactivated or revoked', async () => {
    const cert = await createCertificate(t.one, true);
    await expire(cert.certificateId);
    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'INACTIVE' }));
    assert.equal(await statusOf(cert.certificateId), 'INACTIVE');
    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'REVOKED' }));
    assert.equal(await statusOf(cert.certificateId), 'REVOKED');
  });

  test('a certificate within its validity period is activated', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' }));
    assert.equal(await statusOf(cert.certificateId), 'ACTIVE');
  });
});
