/** CreateCertificateFromCsr and RegisterCertificate via the AWS SDK, with CSRs and CAs made in the test. */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, webcrypto, X509Certificate } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { CreateCertificateFromCsrCommand, DeleteCertificateCommand, DescribeCertificateCommand, RegisterCertificateCommand } from '@aws-sdk/client-iot';
import { type CertificateAuthorityMaterial, generateCertificateAuthority, issueCertificate } from '../../src/certificates/certificate-authority.ts';
import { verifyIssuedBy } from '../../src/certificates/certificate-crypto.ts';
import { loadPeculiarX509 } from '../../src/certificates/peculiar-x509.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

const webCrypto = webcrypto as unknown as Crypto;
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

async function csrPem(name: string): Promise<{ pem: string; publicKeyDer: Buffer }> {
  const x509 = await loadPeculiarX509();
  const keys = (await webCrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: EC_P256 }, webCrypto);
  return { pem: csr.toString('pem'), publicKeyDer: Buffer.from(await webCrypto.subtle.exportKey('spki', keys.publicKey)) };
}

function devicePublicKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

const idOfPem = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');

describe('CreateCertificateFromCsr', () => {
  const t = useTestService();
  const auditRowsOf = (operation: string) => t.svc.db.selectFrom('audit_events').selectAll().where('operation', '=', operation).orderBy('sequence').execute();

  test("issues a certificate for the CSR key and subject, signed by certguard's CA, INACTIVE by default", async () => {
    const csr = await csrPem('CN=device-7, O=Example Corp');
    const created = await t.one.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr.pem }));
    const pem = created.certificatePem!;
    const cert = new X509Certificate(pem);
    assert.equal(created.certificateId, idOfPem(pem));
    assert.equal(created.certificateArn, `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:cert/${created.certificateId}`);
    assert.deepEqual(cert.publicKey.export({ type: 'spki', format: 'der' }), csr.publicKeyDer);
    assert.match(cert.subject, /CN=device-7/);
    assert.ok(verifyIssuedBy(pem, t.svc.service.context.certificateAuthority.certificatePem));
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: created.certificateId }));
    assert.equal(d?.status, 'INACTIVE');
    assert.equal(d?.certificatePem, pem);
    assert.equal(d?.ownedBy, demoOperatorOne.accountId);
  });

  test('setAsActive=true makes it ACTIVE; the same CSR twice gives two distinct certificates', async () => {
    const csr = await csrPem('CN=device-8');
    const first = await t.one.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr.pem, setAsActive: true }));
    const second = await t.one.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr.pem }));
    assert.notEqual(first.certificateId, second.certificateId);
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: first.certificateId }));
    assert.equal(d?.status, 'ACTIVE');
  });

  test('the audit row masks the CSR', async () => {
    const csr = await csrPem('CN=device-9');
    const created = await t.one.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr.pem }));
    const row = await t.svc.db.selectFrom('audit_events').selectAll().where('certificate_id', '=', created.certificateId!).executeTakeFirstOrThrow();
    assert.equal(row.operation, 'CreateCertificateFromCsr');
    assert.equal(row.decision, 'ALLOW');
    const params = row.request_parameters as { certificateSigningRequest: { masked: boolean; sha256: string }; setAsActive: boolean };
    assert.equal(params.certificateSigningRequest.masked, true);
    assert.equal(params.certificateSigningRequest.sha256, createHash('sha256').update(csr.pem).digest('hex'));
    assert.equal(params.setAsActive, false);
    assert.doesNotMatch(JSON.stringify(row), /CERTIFICATE REQUEST/);
  });

  test('an invalid CSR is InvalidRequestException (400), and the denial is audited', async () => {
    const issued = await createCertificate(t.one);
    for (const certificateSigningRequest of ['not a csr', issued.certificatePem]) {
      await rejectsWithAws(
        t.one.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest })),
        'InvalidRequestException',
        400,
        /certificate signing request/,
      );
    }
    const denied = (await auditRowsOf('CreateCertificateFromCsr')).filter((r) => r.decision === 'DENY');
    assert.ok(denied.length >= 2);
    assert.equal(denied.at(-1)?.failing_rule_id, 'certguard.precondition');
    assert.equal(denied.at(-1)?.error_type, 'InvalidRequestException');
  });

  test('a missing or oversized CSR is InvalidRequestException (400)', async () => {
    const missing = await t.svc.send({
      method: 'POST',
      path: '/certificates',
      body: '{}',
      headers: { 'content-type': 'application/json' },
      credential: demoOperatorOne,
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get('x-amzn-errortype'), 'InvalidRequestException');
    await rejectsWithAws(t.one.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: 'x'.repeat(4097) })), 'InvalidRequestException', 400);
  });

  test('an auditor cannot create certificates: UnauthorizedException (401)', async () => {
    const csr = await csrPem('CN=device-10');
    await rejectsWithAws(t.auditor.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr.pem })), 'UnauthorizedException', 401);
  });
});

describe('RegisterCertificate', () => {
  const t = useTestService();
  let externalCa: CertificateAuthorityMaterial;
  let otherCa: CertificateAuthorityMaterial;
  before(async () => {
    externalCa = await generateCertificateAuthority('External device CA');
    otherCa = await generateCertificateAuthority('Some other CA');
  });

  const issueByExternalCa = async () => (await issueCertificate(externalCa, devicePublicKeyPem(), { commonName: 'device' })).certificatePem;

  test("a certificate signed by the given CA is registered INACTIVE, with the CA's id as caCertificateId", async () => {
    const certificatePem = await issueByExternalCa();
    const registered = await t.one.send(new RegisterCertificateCommand({ certificatePem, caCertificatePem: externalCa.certificatePem }));
    assert.equal(registered.certificateId, idOfPem(certificatePem));
    assert.equal(registered.certificateArn, `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:cert/${registered.certificateId}`);
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: registered.certificateId }));
    assert.equal(d?.status, 'INACTIVE');
    assert.equal(d?.caCertificateId, idOfPem(externalCa.certificatePem));
    assert.equal(d?.ownedBy, demoOperatorOne.accountId);
  });

  test('status wins over the deprecated setAsActive, which alone makes the certificate ACTIVE', async () => {
    const cases = [
      { input: { setAsActive: true }, expected: 'ACTIVE' },
      { input: { status: 'REVOKED' as const }, expected: 'REVOKED' },
      { input: { setAsActive: true, status: 'INACTIVE' as const }, expected: 'INACTIVE' },
    ];
    for (const { input, expected } of cases) {
      const certificatePem = await issueByExternalCa();
      const { certificateId } = await t.one.send(new RegisterCertificateCommand({ certificatePem, caCertificatePem: externalCa.certificatePem, ...input }));
      const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId }));
      assert.equal(d?.status, expected, JSON.stringify(input));
    }
  });

  test('a certificate not signed by the given CA is CertificateValidationException (400)', async () => {
    const certificatePem = await issueByExternalCa();
    await rejectsWithAws(
      t.one.send(new RegisterCertificateCommand({ certificatePem, caCertificatePem: otherCa.certificatePem })),
      'CertificateValidationException',
      400,
      /not issued by the CA certificate in caCertificatePem/,
    );
  });

  test('a CA PEM that does not parse, or is not a CA, is CertificateValidationException (400)', async () => {
    const certificatePem = await issueByExternalCa();
    await rejectsWithAws(
      t.one.send(new RegisterCertificateCommand({ certificatePem, caCertificatePem: 'not a certificate' })),
      'CertificateValidationException',
      400,
      /caCertificatePem is not a usable CA certificate/,
    );
    const leaf = await issueByExternalCa();
    await rejectsWithAws(
      t.one.send(new RegisterCertificateCommand({ certificatePem, caCertificatePem: leaf })),
      'CertificateValidationException',
      400,
      /not a CA certificate/,
    );
  });

  test("without caCertificatePem, a certificate issued by certguard's own CA is registered", async () => {
    const ownCa = t.svc.service.context.certificateAuthority;
    const { certificatePem } = await issueCertificate(ownCa, devicePublicKeyPem());
    const { certificateId } = await t.two.send(new RegisterCertificateCommand({ certificatePem, status: 'ACTIVE' }));
    const { certificateDescription: d } = await t.two.send(new DescribeCertificateCommand({ certificateId }));
    assert.equal(d?.status, 'ACTIVE');
    assert.equal(d?.caCertificateId, idOfPem(ownCa.certificatePem));
  });

  test('a deleted certificate can be registered again', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new DeleteCertificateCommand({ certificateId: cert.certificateId }));
    const again = await t.one.send(new RegisterCertificateCommand({ certificatePem: cert.certificatePem }));
    assert.equal(again.certificateId, cert.certificateId);
  });

  test('without caCertificatePem, a certificate from another CA is CertificateValidationException pointing to the alternatives', async () => {
    const certificatePem = await issueByExternalCa();
    await rejectsWithAws(
      t.one.send(new RegisterCertificateCommand({ certificatePem })),
      'CertificateValidationException',
      400,
      /caCertificatePem.*RegisterCertificateWithoutCA/,
    );
  });

  test('an invalid certificate PEM is CertificateValidationException (400)', async () => {
    for (const certificatePem of ['not a certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n']) {
      await rejectsWithAws(
        t.one.send(new RegisterCertificateCommand({ certificatePem, caCertificatePem: externalCa.certificatePem })),
        'CertificateValidationException',
        400,
      );
    }
  });

  test('a status other than ACTIVE, INACTIVE or REVOKED is InvalidRequestException (400)', async () => {
    const certificatePem = await issueByExternalCa();
    for (const status of ['PENDING_TRANSFER', 'PENDING_ACTIVATION', 'BOGUS'] as const) {
      await rejectsWithAws(
        t.one.send(new RegisterCertificateCommand({ certificatePem, caCertificatePem: externalCa.certificatePem, status: status as 'ACTIVE' })),
        'InvalidRequestException',
        400,
      );
    }
  });

  test('a certificate already registered is ResourceAlreadyExistsException (409); the ARN only for its owner', async () => {
    const certificatePem = await issueByExternalCa();
    const input = { certificatePem, caCertificatePem: externalCa.certificatePem };
    const { certificateId, certificateArn } = await t.one.send(new RegisterCertificateCommand(input));
    const own = await rejectsWithAws(t.one.send(new RegisterCertificateCommand(input)), 'ResourceAlreadyExistsException', 409);
    assert.deepEqual(
      [(own as unknown as Record<string, unknown>).resourceId, (own as unknown as Record<string, unknown>).resourceArn],
      [certificateId, certificateArn],
    );
    const other = await rejectsWithAws(t.two.send(new RegisterCertificateCommand(input)), 'ResourceAlreadyExistsException', 409);
    assert.equal((other as unknown as Record<string, unknown>).resourceArn, undefined);
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId }));
    assert.equal(d?.ownedBy, demoOperatorOne.accountId);
  });

  test('the audit row masks both PEMs and records the CA id; denials are audited too', async () => {
    const certificatePem = await issueByExternalCa();
    const { certificateId } = await t.one.send(new RegisterCertificateCommand({ certificatePem, caCertificatePem: externalCa.certificatePem }));
    const row = await t.svc.db.selectFrom('audit_events').selectAll().where('certificate_id', '=', certificateId!).executeTakeFirstOrThrow();
    assert.equal(row.operation, 'RegisterCertificate');
    const params = row.request_parameters as Record<string, unknown>;
    assert.equal((params.certificatePem as { masked: boolean }).masked, true);
    assert.equal((params.caCertificatePem as { masked: boolean }).masked, true);
    assert.equal(params.caCertificateId, idOfPem(externalCa.certificatePem));
    assert.doesNotMatch(JSON.stringify(row), /BEGIN CERTIFICATE/);

    await rejectsWithAws(
      t.two.send(new RegisterCertificateCommand({ certificatePem: await issueByExternalCa(), caCertificatePem: otherCa.certificatePem })),
      'CertificateValidationException',
      400,
    );
    const denied = await t.svc.db
      .selectFrom('audit_events')
      .selectAll()
      .where('operation', '=', 'RegisterCertificate')
      .where('caller_account_id', '=', demoOperatorTwo.accountId)
      .orderBy('sequence', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(denied.decision, 'DENY');
    assert.equal(denied.error_type, 'CertificateValidationException');
  });

  test('an auditor cannot register certificates: UnauthorizedException (401)', async () => {
    const certificatePem = await issueByExternalCa();
    await rejectsWithAws(
      t.auditor.send(new RegisterCertificateCommand({ certificatePem, caCertificatePem: externalCa.certificatePem })),
      'UnauthorizedException',
      401,
    );
  });
});
