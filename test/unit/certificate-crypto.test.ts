import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import {
  type CertificateAuthorityMaterial,
  type KeysAndCertificate,
  createKeysAndCertificate,
  generateCertificateAuthority,
  issueCertificate,
  issueCertificateFromCsr,
} from '../../src/certificates/certificate-authority.ts';
import { loadPeculiarX509 } from '../../src/certificates/peculiar-x509.ts';
import { parseCertificatePem, verifyIssuedBy } from '../../src/certificates/certificate-crypto.ts';
import { ServiceError, type ErrorType } from '../../src/errors.ts';

const x509 = await loadPeculiarX509();
const webCrypto = webcrypto as unknown as Crypto;
const RSA_2048 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

let ca: CertificateAuthorityMaterial;
let issued: KeysAndCertificate;
before(async () => {
  ca = await generateCertificateAuthority('certguard unit-test CA');
  issued = await createKeysAndCertificate(ca);
});

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function base64Body(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

function assertServiceError(error: unknown, errorType: ErrorType, message: RegExp): true {
  assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
  assert.equal(error.errorType, errorType);
  assert.match(error.message, message);
  return true;
}

/** Rejected with CertificateValidationException, and the message does not quote the input back. */
function assertRejectedCertificate(pem: string, message: RegExp, now?: Date): void {
  assert.throws(
    () => parseCertificatePem(pem, now),
    (error: unknown) => {
      assertServiceError(error, 'CertificateValidationException', message);
      const sample = base64Body(pem).slice(10, 40) || pem.slice(0, 20);
      assert.ok(!(error as Error).message.includes(sample), 'the message must not echo the input');
      return true;
    },
  );
}

async function selfSignedEcCertificate(notBefore: Date, notAfter: Date): Promise<string> {
  const keys = (await webCrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=dated', keys, notBefore, notAfter, signingAlgorithm: EC_P256 }, webCrypto);
  return cert.toString('pem');
}

async function csrPem(name: string, algorithm: RsaHashedKeyGenParams | EcKeyGenParams): Promise<{ pem: string; publicKeyDer: Buffer }> {
  const keys = (await webCrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const signingAlgorithm = algorithm.name === 'ECDSA' ? EC_P256 : RSA_2048;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm }, webCrypto);
  return { pem: csr.toString('pem'), publicKeyDer: Buffer.from(await webCrypto.subtle.exportKey('spki', keys.publicKey)) };
}

describe('parseCertificatePem', () => {
  test('the certificate id is the lowercase hex SHA-256 of the DER encoding', () => {
    const parsed = parseCertificatePem(issued.certificatePem);
    assert.equal(parsed.certificateId, sha256Hex(new X509Certificate(issued.certificatePem).raw));
    assert.match(parsed.certificateId, /^[0-9a-f]{64}$/);
  });

  test('CRLF line endings, other line widths and text around the block are normalised to one canonical PEM block', () => {
    const body = base64Body(issued.certificatePem)
      .match(/.{1,76}/g)!
      .join('\r\n');
    const messy = `subject=CN=whatever\r\n-----BEGIN CERTIFICATE-----\r\n${body}\r\n-----END CERTIFICATE-----`;
    const parsed = parseCertificatePem(messy);
    assert.equal(parsed.pem, issued.certificatePem);
    assert.match(parsed.pem, /^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/);
  });

  test('reads subject, issuer, serial number, validity and whether the certificate is a self-signed CA', () => {
    const leaf = parseCertificatePem(issued.certificatePem);
    assert.deepEqual(
      { subject: leaf.subject, issuer: leaf.issuer, isCA: leaf.isCA, selfSigned: leaf.selfSigned },
      { subject: 'CN=certguard IoT Certificate', issuer: 'CN=certguard unit-test CA', isCA: false, selfSigned: false },
    );
    assert.equal(leaf.serialNumber, new X509Certificate(issued.certificatePem).serialNumber);
    assert.deepEqual([leaf.notBefore, leaf.notAfter], [issued.notBefore, issued.notAfter]);
    const root = parseCertificatePem(ca.certificatePem);
    assert.deepEqual({ isCA: root.isCA, selfSigned: root.selfSigned }, { isCA: true, selfSigned: true });
  });

  test('text that is not PEM is rejected', () => {
    assertRejectedCertificate('hello, this is not a certificate', /not PEM-encoded/);
  });

  test('a body with cut-off base64 is rejected', () => {
    const body = base64Body(issued.certificatePem);
    const truncated = `-----BEGIN CERTIFICATE-----\n${body.slice(0, 301)}\n-----END CERTIFICATE-----\n`;
    assertRejectedCertificate(truncated, /not valid base64/);
  });

  test('a PEM whose END line is missing is rejected', () => {
    assertRejectedCertificate(issued.certificatePem.replace('-----END CERTIFICATE-----', ''), /truncated/);
  });

  test('valid base64 that is not an X.509 structure is rejected', () => {
    const cutDer = new X509Certificate(issued.certificatePem).raw.subarray(0, 600).toString('base64');
    assertRejectedCertificate(`-----BEGIN CERTIFICATE-----\n${cutDer}\n-----END CERTIFICATE-----\n`, /could not be decoded/);
  });

  test('bytes after the certificate DER are rejected, since OpenSSL alone would ignore them and the id would differ', () => {
    const padded = Buffer.concat([new X509Certificate(issued.certificatePem).raw, Buffer.alloc(3)]).toString('base64');
    assertRejectedCertificate(`-----BEGIN CERTIFICATE-----\n${padded}\n-----END CERTIFICATE-----\n`, /unexpected data after/);
  });

  test('two certificates in one PEM are rejected', () => {
    assertRejectedCertificate(issued.certificatePem + ca.certificatePem, /contains 2 certificates/);
  });

  test('a PEM that includes a private key is rejected', () => {
    assertRejectedCertificate(issued.certificatePem + issued.privateKeyPem, /RSA PRIVATE KEY block; never send private keys/);
  });

  test('an expired certificate is rejected', async () => {
    const expired = await selfSignedEcCertificate(new Date('2000-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
    assertRejectedCertificate(expired, /expired \(notAfter 2001-01-01T00:00:00.000Z\)/);
  });

  test('a certificate that is not valid yet is rejected', () => {
    const beforeIssue = new Date(issued.notBefore.getTime() - 60_000);
    assertRejectedCertificate(issued.certificatePem, /not yet valid/, beforeIssue);
  });
});

describe('verifyIssuedBy', () => {
  test('a certificate issued by the CA verifies against it', () => {
    assert.equal(verifyIssuedBy(issued.certificatePem, ca.certificatePem), true);
  });

  test('a certificate whose signature was altered does not verify, though its names still match', () => {
    const der = Buffer.from(new X509Certificate(issued.certificatePem).raw);
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01; // the last byte belongs to the signature value
    const altered = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
    assert.equal(new X509Certificate(altered).checkIssued(new X509Certificate(ca.certificatePem)), true);
    assert.equal(verifyIssuedBy(altered, ca.certificatePem), false);
  });

  test('another CA with the same name is not accepted as the issuer', async () => {
    const impostor = await generateCertificateAuthority('certguard unit-test CA');
    assert.equal(verifyIssuedBy(issued.certificatePem, impostor.certificatePem), false);
    assert.equal(verifyIssuedBy(ca.certificatePem, issued.certificatePem), false);
  });
});

describe('generateCertificateAuthority', () => {
  test('creates a self-signed RSA 2048 CA allowed to sign certificates, valid for ten years', () => {
    const cert = new X509Certificate(ca.certificatePem);
    assert.equal(cert.ca, true);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(cert.verify(cert.publicKey), true);
    assert.equal(cert.checkPrivateKey(createPrivateKey(ca.privateKeyPem)), true);
    const keyUsage = new x509.X509Certificate(ca.certificatePem).getExtension(x509.KeyUsagesExtension);
    assert.ok(keyUsage && keyUsage.usages & x509.KeyUsageFlags.keyCertSign, 'keyCertSign must be set');
    const { notBefore, notAfter } = parseCertificatePem(ca.certificatePem);
    assert.equal((notAfter.getTime() - notBefore.getTime()) / 86_400_000, 3650);
  });
});

describe('createKeysAndCertificate', () => {
  test('returns a certificate signed by the CA for the returned key pair, in the PEM forms AWS uses', () => {
    const cert = new X509Certificate(issued.certificatePem);
    assert.equal(cert.verify(new X509Certificate(ca.certificatePem).publicKey), true);
    assert.equal(cert.checkPrivateKey(createPrivateKey(issued.privateKeyPem)), true);
    assert.equal(cert.ca, false);
    assert.equal(issued.certificateId, sha256Hex(cert.raw));
    assert.match(issued.privateKeyPem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.match(issued.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
    const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });
    assert.deepEqual(spki(issued.publicKeyPem), cert.publicKey.export({ type: 'spki', format: 'der' }));
    assert.equal(cert.serialNumber.length, 32);
  });

  test('each call creates a new key pair, serial number and certificate id', async () => {
    const other = await createKeysAndCertificate(ca);
    assert.notEqual(other.privateKeyPem, issued.privateKeyPem);
    assert.notEqual(other.certificateId, issued.certificateId);
    assert.notEqual(new X509Certificate(other.certificatePem).serialNumber, new X509Certificate(issued.certificatePem).serialNumber);
  });
});

describe('issueCertificate', () => {
  test('uses the requested common name and validity', async () => {
    const result = await issueCertificate(ca, issued.publicKeyPem, { commonName: 'thing-7, floor 2', validityDays: 30 });
    const parsed = parseCertificatePem(result.certificatePem);
    assert.equal(parsed.subject, 'CN=thing-7\\, floor 2');
    assert.equal((result.notAfter.getTime() - result.notBefore.getTime()) / 86_400_000, 30);
  });

  test('a public key that is not PEM is refused with InvalidRequestException', async () => {
    await assert.rejects(issueCertificate(ca, 'not a key'), (error) => assertServiceError(error, 'InvalidRequestException', /not a valid PEM public key/));
  });
});

describe('issueCertificateFromCsr', () => {
  test('issues a CA-signed certificate for the CSR key and keeps the CSR subject', async () => {
    const csr = await csrPem('CN=device-42, O=Example Corp', RSA_2048);
    const result = await issueCertificateFromCsr(ca, csr.pem);
    const cert = new X509Certificate(result.certificatePem);
    assert.equal(parseCertificatePem(result.certificatePem).subject, 'CN=device-42, O=Example Corp');
    assert.deepEqual(cert.publicKey.export({ type: 'spki', format: 'der' }), csr.publicKeyDer);
    assert.equal(verifyIssuedBy(result.certificatePem, ca.certificatePem), true);
    assert.equal(result.certificateId, sha256Hex(cert.raw));
  });

  test('accepts an EC P-256 CSR', async () => {
    const csr = await csrPem('CN=ec-device', EC_P256);
    const result = await issueCertificateFromCsr(ca, csr.pem);
    assert.equal(new X509Certificate(result.certificatePem).publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  });

  test('a tampered CSR is refused with InvalidRequestException', async () => {
    const csr = await csrPem('CN=device-42', EC_P256);
    const der = Buffer.from(base64Body(csr.pem), 'base64');
    const at = der.indexOf('device-42');
    assert.ok(at > 0);
    der[at + 8] = '3'.charCodeAt(0); // device-42 -> device-43: still parses, signature no longer matches
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await assert.rejects(issueCertificateFromCsr(ca, tampered), (error) => assertServiceError(error, 'InvalidRequestException', /signature does not verify/));
  });

  test('text that is not a CSR, or a certificate instead of a CSR, is refused with InvalidRequestException', async () => {
    for (const input of ['garbage', issued.certificatePem]) {
      await assert.rejects(issueCertificateFromCsr(ca, input), (error) => assertServiceError(error, 'InvalidRequestException', /CERTIFICATE REQUEST/));
    }
  });

  test('a CSR for an RSA key shorter than 2048 bits is refused', async () => {
    const csr = await csrPem('CN=weak', { ...RSA_2048, modulusLength: 1024 });
    await assert.rejects(issueCertificateFromCsr(ca, csr.pem), (error) => assertServiceError(error, 'InvalidRequestException', /at least 2048 bits/));
  });
});
