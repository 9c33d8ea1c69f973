/**
 * Issues certificates from certguard's CA material: the issuer's name, key identifier and private KeyObject are
 * derived once per material object (callers keep one for the life of the process), then each certificate is a
 * DER template (certificate-der.ts) and one RSA signature. The certificate id is the SHA-256 of the DER built
 * here, so nothing is parsed back on this path; test/unit/certificate-der.test.ts proves that OpenSSL reads the
 * output as the same certificate.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { type CertificateFields, keyIdentifierOf, signedCertificateDer, tbsCertificateDer } from './certificate-der.ts';
import { toPem } from './certificate-crypto.ts';
import { certificateSubjectDer } from './der-reader.ts';

export interface CertificateAuthorityMaterial {
  certificatePem: string;
  privateKeyPem: string;
}
export interface IssuedCertificate {
  certificatePem: string;
  certificateId: string;
  notBefore: Date;
  notAfter: Date;
}

/** What signing needs from the CA, derived once. */
export interface Issuer {
  nameDer: Buffer;
  keyIdentifier: Buffer;
  privateKey: KeyObject;
}

export interface CertificateSpec {
  subjectNameDer: Uint8Array;
  subjectPublicKeyInfoDer: Uint8Array;
  validityDays: number;
  isCA: boolean;
}

const DAY_MS = 86_400_000;

export function issuerOf(privateKeyPem: string, nameDer: Buffer, publicKeyDer: Buffer): Issuer {
  // createPrivateKey reads PKCS#1 and PKCS#8 alike, so either form works as CA material.
  const privateKey = createPrivateKey(privateKeyPem);
  // The template names sha256WithRSAEncryption: another key type would sign something its header does not say.
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`the CA key must be RSA, got ${privateKey.asymmetricKeyType}`);
  return { nameDer, keyIdentifier: keyIdentifierOf(publicKeyDer), privateKey };
}

const issuers = new WeakMap<CertificateAuthorityMaterial, Issuer>();

export function issuerFor(ca: CertificateAuthorityMaterial): Issuer {
  let issuer = issuers.get(ca);
  if (!issuer) {
    const certificate = new X509Certificate(ca.certificatePem);
    const publicKeyDer = certificate.publicKey.export({ type: 'spki', format: 'der' });
    issuer = issuerOf(ca.privateKeyPem, certificateSubjectDer(certificate.raw), publicKeyDer);
    issuers.set(ca, issuer);
  }
  return issuer;
}

export function signCertificate(issuer: Issuer, spec: CertificateSpec): IssuedCertificate {
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000); // X.509 times have whole seconds
  const notAfter = new Date(notBefore.getTime() + spec.validityDays * DAY_MS);
  const fields: CertificateFields = {
    serialNumber: randomSerialNumber(),
    issuerNameDer: issuer.nameDer,
    authorityKeyIdentifier: issuer.keyIdentifier,
    notBefore,
    notAfter,
    subjectNameDer: spec.subjectNameDer,
    subjectPublicKeyInfoDer: spec.subjectPublicKeyInfoDer,
    isCA: spec.isCA,
  };
  const tbs = tbsCertificateDer(fields);
  // Synchronous: an RSA-2048 signature with a ready KeyObject takes ~0.3 ms here; handing it to a libuv thread
  // (sign with a callback, or WebCrypto as before) cost ~0.1 ms more CPU than the wait it saves the event loop.
  const der = signedCertificateDer(tbs, sign('sha256', tbs, issuer.privateKey));
  return { certificatePem: toPem(der), certificateId: createHash('sha256').update(der).digest('hex'), notBefore, notAfter };
}

/** 16 random bytes; the top bit is cleared so the DER INTEGER stays positive, and the first byte is non-zero. */
function randomSerialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return bytes;
}

/** The SPKI DER of any PEM public key node reads (re-encoded by OpenSSL, so it is well-formed). */
export function publicKeyDerOf(publicKeyPem: string): Buffer {
  return createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
}
