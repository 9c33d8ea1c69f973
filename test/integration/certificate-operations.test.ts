/** CreateKeysAndCertificate, RegisterCertificateWithoutCA, DescribeCertificate and UpdateCertificate, via the AWS SDK. */
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  CreateKeysAndCertificateCommand,
  DescribeCertificateCommand,
  RegisterCertificateWithoutCACommand,
  TransferCertificateCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { generateCertificateAuthority, createKeysAndCertificate } from '../../src/certificates/certificate-authority.ts';
import { loadPeculiarX509 } from '../../src/certificates/peculiar-x509.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

describe('certificate operations', () => {
  const t = useTestService();

  test('CreateKeysAndCertificate returns a real key pair and certificate whose id is the SHA-256 of its DER', async () => {
    const created = await t.one.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const x509 = new X509Certificate(created.certificatePem!);
    assert.equal(created.certificateId, createHash('sha256').update(x509.raw).digest('hex'));
    assert.equal(created.certificateArn, `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:cert/${created.certificateId}`);
    assert.ok(x509.checkPrivateKey(createPrivateKey(created.keyPair!.PrivateKey!)));
    assert.match(created.keyPair!.PublicKey!, /BEGIN PUBLIC KEY/);
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: created.certificateId }));
    assert.equal(d?.status, 'ACTIVE');
  });

  test('the private key is never stored in the audit trail', async () => {
    const created = await t.one.send(new CreateKeysAndCertificateCommand({}));
    const rows = await t.svc.db.selectFrom('audit_events').selectAll().where('certificate_id', '=', created.certificateId!).execute();
    assert.equal(rows.length, 1);
    assert.doesNotMatch(JSON.stringify(rows), /PRIVATE KEY/);
  });

  test('DescribeCertificate sends timestamps as epoch-second numbers on the wire', async () => {
    const cert = await createCertificate(t.one);
    const r = await t.svc.send({ method: 'GET', path: `/certificates/${cert.certificateId}`, credential: demoOperatorOne });
    const d = (r.json as { certificateDescription: Record<string, unknown> }).certificateDescription;
    for (const field of ['creationDate', 'lastModifiedDate']) assert.equal(typeof d[field], 'number', field);
    const validity = d.validity as Record<string, unknown>;
    assert.equal(typeof validity.notBefore, 'number');
    assert.equal(d.ownedBy, demoOperatorOne.accountId);
    assert.equal(d.certificatePem, cert.certificatePem);
  });

  test("RegisterCertificateWithoutCA registers a PEM under the caller's account with the given status", async () => {
    const ca = await generateCertificateAuthority('Some external CA');
    const issued = await createKeysAndCertificate(ca);
    const registered = await t.two.send(new RegisterCertificateWithoutCACommand({ certificatePem: issued.certificatePem, status: 'ACTIVE' }));
    assert.equal(registered.certificateId, issued.certificateId);
    const { certificateDescription: d } = await t.two.send(new DescribeCertificateCommand({ certificateId: issued.certificateId }));
    assert.equal(d?.ownedBy, demoOperatorTwo.accountId);
    assert.equal(d?.status, 'ACTIVE');
    const audit = await t.svc.db.selectFrom('audit_events').selectAll().where('certificate_id', '=', issued.certificateId).executeTakeFirstOrThrow();
    const params = audit.request_parameters as { certificatePem: { masked: boolean; sha256: string } };
    assert.equal(params.certificatePem.masked, true, 'the PEM is masked in the audit row');

    await rejectsWithAws(t.two.send(new RegisterCertificateWithoutCACommand({ certificatePem: issued.certificatePem })), 'ResourceAlreadyExistsException', 409);
  });

  test('RegisterCertificateWithoutCA rejects an invalid or expired PEM with CertificateValidationException (400)', async () => {
    const x509 = await loadPeculiarX509();
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
    const expired = await x509.X509CertificateGenerator.createSelfSigned(
      {
        name: 'CN=expired',
        keys,
        notBefore: new Date('2000-01-01T00:00:00Z'),
        notAfter: new Date('2001-01-01T00:00:00Z'),
        signingAlgorithm: algorithm,
      },
      webcrypto as unknown as Crypto,
    );
    const bad = ['not a certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', expired.toString('pem')];
    for (const certificatePem of bad) {
      await rejectsWithAws(t.one.send(new RegisterCertificateWithoutCACommand({ certificatePem })), 'CertificateValidationException', 400);
    }
  });

  test('UpdateCertificate changes the status and is idempotent', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' }));
    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' }));
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.status, 'ACTIVE');
  });

  test('UpdateCertificate refuses caller-set PENDING_TRANSFER, reactivating a REVOKED certificate, and unknown statuses', async () => {
    const cert = await createCertificate(t.one);
    await rejectsWithAws(
      t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'PENDING_TRANSFER' })),
      'InvalidRequestException',
      400,
    );
    await rejectsWithAws(
      t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'BOGUS' as 'ACTIVE' })),
      'InvalidRequestException',
      400,
    );
    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'REVOKED' }));
    await rejectsWithAws(
      t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' })),
      'CertificateStateException',
      406,
    );
  });

  test('a pending transfer blocks status changes', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
    await rejectsWithAws(
      t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' })),
      'CertificateStateException',
      406,
    );
  });

  test('another account cannot describe or update a certificate: ResourceNotFoundException (404)', async () => {
    const cert = await createCertificate(t.one);
    await rejectsWithAws(t.two.send(new DescribeCertificateCommand({ certificateId: cert.certificateId })), 'ResourceNotFoundException', 404);
    await rejectsWithAws(
      t.two.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' })),
      'ResourceNotFoundException',
      404,
    );
  });

  test("an auditor reads every account's certificates but changes nothing (UnauthorizedException, audited)", async () => {
    const cert = await createCertificate(t.one);
    const { certificateDescription: d } = await t.auditor.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.ownedBy, demoOperatorOne.accountId);
    await rejectsWithAws(
      t.auditor.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' })),
      'UnauthorizedException',
      401,
    );
    await rejectsWithAws(t.auditor.send(new CreateKeysAndCertificateCommand({})), 'UnauthorizedException', 401);
    const denied = await t.svc.db
      .selectFrom('audit_events')
      .selectAll()
      .where('caller_access_key_id', '=', demoAuditor.accessKeyId)
      .where('operation', '=', 'UpdateCertificate')
      .executeTakeFirstOrThrow();
    assert.equal(denied.decision, 'DENY');
    assert.equal(denied.failing_rule_id, 'certguard.caller-may-write');
    const { certificateDescription: after } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(after?.status, 'INACTIVE');
  });
});
