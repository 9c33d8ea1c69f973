/** Concurrent transfers of one certificate: the row lock makes exactly one win, and every attempt is audited. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DescribeCertificateCommand, TransferCertificateCommand } from '@aws-sdk/client-iot';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

const ATTEMPTS = 20;

describe('concurrent TransferCertificate', () => {
  const t = useTestService();

  test(`${ATTEMPTS} concurrent transfers of one certificate: exactly one succeeds and all ${ATTEMPTS} are audited`, async () => {
    const cert = await createCertificate(t.one);
    const results = await Promise.allSettled(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        t.one.send(
          new TransferCertificateCommand({
            certificateId: cert.certificateId,
            targetAwsAccount: demoOperatorTwo.accountId,
            transferMessage: `attempt ${i}`,
          }),
        ),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    for (const r of lost) assert.equal((r.reason as Error).name, 'CertificateStateException');

    const rows = await t.svc.db
      .selectFrom('audit_events')
      .select(['decision', 'failing_rule_id', 'request_parameters'])
      .where('certificate_id', '=', cert.certificateId)
      .where('operation', '=', 'TransferCertificate')
      .execute();
    assert.equal(rows.length, ATTEMPTS);
    assert.equal(rows.filter((r) => r.decision === 'ALLOW').length, 1);
    assert.ok(rows.filter((r) => r.decision === 'DENY').every((r) => r.failing_rule_id === 'certificate-not-pending-transfer'));

    // The certificate carries the message of the one allowed attempt.
    const allowed = rows.find((r) => r.decision === 'ALLOW')?.request_parameters as { transferMessage: string };
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.status, 'PENDING_TRANSFER');
    assert.equal(d?.transferData?.transferMessage, allowed.transferMessage);
  });
});
