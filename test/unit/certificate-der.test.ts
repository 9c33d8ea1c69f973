import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, sign, webcrypto, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  type CertificateAuthorityMaterial,
  createKeysAndCertificate,
  generateCertificateAuthority,
  issueCertificateFromCsr,
} from '../../src/certificates/certificate-authority.ts';
import { parseCertificatePem } from '../../src/certificates/certificate-crypto.ts';
import { type CertificateFields, commonNameDer, keyIdentifierOf, signedCertificateDer, tbsCertificateDer } from '../../src/certificates/certificate-der.ts';
import { certificateSubjectDer, csrSubjectAndPublicKeyDer, DerReadError } from '../../src/certificates/der-reader.ts';
import { objectIdentifier, octetString, time, unsignedInteger } from '../../src/certificates/der.ts';
import { loadPeculiarX509 } from '../../src/certificates/peculiar-x509.ts';

const x509 = await loadPeculiarX509();
const webCrypto = webcrypto as unknown as Crypto;
const run = promisify(execFile);
const SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

let ca: CertificateAuthorityMaterial;
before(async () => {
  ca = await generateCertificateAuthority('certguard DER-test CA');
});

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('DER primitives', () => {
  test('times are UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 4.1.2.5), whole seconds', () => {
    assert.equal(hex(time(new Date('2049-12-31T23:59:59.999Z'))), `170d${Buffer.from('491231235959Z').toString('hex')}`);
    assert.equal(hex(time(new Date('2050-01-01T00:00:00Z'))), `180f${Buffer.from('20500101000000Z').toString('hex')}`);
    assert.equal(hex(time(new Date('1999-02-03T04:05:06Z'))), `170d${Buffer.from('990203040506Z').toString('hex')}`);
    assert.throws(() => time(new Date('1949-12-31T23:59:59Z')), RangeError);
  });

  test('lengths use the short form below 128 and the long form from 128', () => {
    assert.equal(hex(octetString(Buffer.alloc(127))).slice(0, 4), '047f');
    assert.equal(hex(octetString(Buffer.alloc(128))).slice(0, 6), '048180');
    assert.equal(hex(octetString(Buffer.alloc(300))).slice(0, 8), '0482012c');
  });

  test('non-negative integers are minimal, with a leading zero byte only when the top bit is set', () => {
    assert.equal(hex(unsignedInteger(Buffer.of(0x00, 0x00, 0x7f))), '02017f');
    assert.equal(hex(unsignedInteger(Buffer.of(0x80))), '02020080');
    assert.equal(hex(unsignedInteger(Buffer.of(0x00))), '020100');
  });

  test('object identifiers encode the first two arcs together and large arcs in base 128', () => {
    assert.equal(hex(objectIdentifier('1.2.840.113549.1.1.11')), '06092a864886f70d01010b');
    assert.equal(hex(objectIdentifier('2.5.29.35')), '0603551d23');
  });
});

describe('DER reader', () => {
  test('reads the subject Name of a certificate and refuses a truncated one', () => {
    const raw = new X509Certificate(ca.certificatePem).raw;
    assert.deepEqual(certificateSubjectDer(raw), commonNameDer('certguard DER-test CA'));
    assert.throws(() => certificateSubjectDer(raw.subarray(0, 100)), DerReadError);
  });
});

/** The certificate @peculiar/x509 built before this module existed, with the same inputs: the reference. */
async function peculiarCertificate(fields: CertificateFields, caPrivateKeyPem: string, subject: string, issuer: string): Promise<Buffer> {
  const pkcs8 = createPrivateKey(caPrivateKeyPem).export({ type: 'pkcs8', format: 'der' });
  const signingKey = await webCrypto.subtle.importKey('pkcs8', pkcs8, SIGNING, false, ['sign']);
  const caPublicKey = new Uint8Array(new X509Certificate(ca.certificatePem).publicKey.export({ type: 'spki', format: 'der' }));
  const usages = fields.isCA ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature;
  const publicKey = new Uint8Array(fields.subjectPublicKeyInfoDer);
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: hex(fields.serialNumber),
      subject,
      issuer,
      notBefore: fields.notBefore,
      notAfter: fields.notAfter,
      publicKey,
      signingKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(fields.isCA, undefined, true),
        new x509.KeyUsagesExtension(usages, true),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, webCrypto),
        await x509.AuthorityKeyIdentifierExtension.create(caPublicKey, false, webCrypto),
      ],
    },
    webCrypto,
  );
  return Buffer.from(certificate.rawData);
}

describe('certificate template', () => {
  const deviceKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' });
  const fieldsFor = (commonName: string, notAfter: string, isCA: boolean): CertificateFields => {
    const caCertificate = new X509Certificate(ca.certificatePem);
    return {
      serialNumber: Buffer.from('5a1f00c0ffee0123456789abcdef0102', 'hex'),
      issuerNameDer: certificateSubjectDer(caCertificate.raw),
      authorityKeyIdentifier: keyIdentifierOf(caCertificate.publicKey.export({ type: 'spki', format: 'der' })),
      notBefore: new Date('2024-05-06T07:08:09Z'),
      notAfter: new Date(notAfter),
      subjectNameDer: commonNameDer(commonName),
      subjectPublicKeyInfoDer: deviceKey,
      isCA,
    };
  };
  const cases = [
    { label: 'a device certificate expiring before 2050 (UTCTime)', commonName: 'certguard IoT Certificate', notAfter: '2034-05-04T07:08:09Z', isCA: false },
    { label: 'a device certificate expiring from 2050 (GeneralizedTime)', commonName: 'thing-7, floor 2', notAfter: '2050-06-01T00:00:00Z', isCA: false },
    { label: 'a non-ASCII common name (UTF8String)', commonName: 'capteur-é_1', notAfter: '2030-01-01T00:00:00Z', isCA: false },
    { label: 'a CA certificate', commonName: 'certguard DER-test CA', notAfter: '2034-05-04T07:08:09Z', isCA: true },
  ];
  for (const c of cases) {
    test(`is byte for byte the certificate @peculiar/x509 built before: ${c.label}`, async () => {
      const fields = fieldsFor(c.commonName, c.notAfter, c.isCA);
      const tbs = tbsCertificateDer(fields);
      // RSASSA-PKCS1-v1_5 signatures are deterministic: the same TBS signed by the same key gives the same bytes.
      const ours = signedCertificateDer(tbs, sign('sha256', tbs, createPrivateKey(ca.privateKeyPem)));
      const reference = await peculiarCertificate(fields, ca.privateKeyPem, `CN=${c.commonName.replace(',', '\\,')}`, 'CN=certguard DER-test CA');
      assert.equal(hex(ours), hex(reference));
      assert.equal(new X509Certificate(ours).verify(new X509Certificate(ca.certificatePem).publicKey), true);
    });
  }
});

describe('issued certificates read by OpenSSL', () => {
  test('openssl x509 -text shows the fields, and openssl verify accepts the chain to the CA', async () => {
    const issued = await createKeysAndCertificate(ca);
    const dir = await mkdtemp(path.join(tmpdir(), 'certguard-der-'));
    try {
      await writeFile(path.join(dir, 'ca.pem'), ca.certificatePem);
      await writeFile(path.join(dir, 'device.pem'), issued.certificatePem);
      const { stdout: text } = await run('openssl', ['x509', '-in', path.join(dir, 'device.pem'), '-noout', '-text']);
      assert.match(text, /Version: 3 \(0x2\)/);
      assert.match(text, /Issuer: CN ?= ?certguard DER-test CA/);
      assert.match(text, /Subject: CN ?= ?certguard IoT Certificate/);
      assert.match(text, /Basic Constraints: critical\s+CA:FALSE/);
      assert.match(text, /Key Usage: critical\s+Digital Signature\n/);
      assert.match(text, /Subject Key Identifier/);
      assert.match(text, /Authority Key Identifier/);
      const { stdout: verified } = await run('openssl', ['verify', '-CAfile', path.join(dir, 'ca.pem'), path.join(dir, 'device.pem')]);
      assert.match(verified, /device\.pem: OK/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('node reads back the id, dates, names and key that issuing reported, and the CA key identifier chains', async () => {
    const issued = await createKeysAndCertificate(ca);
    const certificate = new X509Certificate(issued.certificatePem);
    const parsed = parseCertificatePem(issued.certificatePem);
    assert.equal(issued.certificateId, createHash('sha256').update(certificate.raw).digest('hex'));
    assert.equal(parsed.pem, issued.certificatePem);
    assert.deepEqual([parsed.notBefore, parsed.notAfter], [issued.notBefore, issued.notAfter]);
    assert.equal(parsed.issuer, 'CN=certguard DER-test CA');
    assert.equal(certificate.checkIssued(new X509Certificate(ca.certificatePem)), true);
    assert.equal(certificate.checkPrivateKey(createPrivateKey(issued.privateKeyPem)), true);
  });

  test('a CSR subject of several attributes and string types is copied byte for byte', async () => {
    const keys = (await webCrypto.subtle.generateKey({ ...SIGNING, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const name: Array<Record<string, string[]>> = [{ C: ['DE'] }, { O: ['Bäckerei Müller GmbH'] }, { CN: ['oven-3'] }, { E: ['ops@example.com'] }];
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: SIGNING }, webCrypto);
    const issued = await issueCertificateFromCsr(ca, csr.toString('pem'));
    const certificate = new X509Certificate(issued.certificatePem);
    assert.deepEqual(certificateSubjectDer(certificate.raw), csrSubjectAndPublicKeyDer(Buffer.from(csr.rawData)).subject);
    assert.match(parseCertificatePem(issued.certificatePem).subject, /C=DE, O=Bäckerei Müller GmbH, CN=oven-3/);
    assert.equal(certificate.verify(new X509Certificate(ca.certificatePem).publicKey), true);
  });
});
