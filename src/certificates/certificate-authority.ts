/**
 * certguard's own certificate authority: what AWS IoT does for CreateKeysAndCertificate and
 * CreateCertificateFromCsr. Pure functions: the CA material is passed in, nothing is stored here.
 * Key generation uses the async node:crypto API (RSA 2048 takes 100+ ms, off the event loop); the certificates
 * themselves are DER templates signed with node:crypto (certificate-issuer.ts, certificate-der.ts).
 */
import { createPublicKey, generateKeyPair, type KeyObject, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import type * as X509 from '@peculiar/x509';
import { InvalidRequestError } from '../errors.ts';
import { readPemBlocks } from './certificate-crypto.ts';
import { commonNameDer } from './certificate-der.ts';
import { type CertificateAuthorityMaterial, type IssuedCertificate, issuerFor, issuerOf, publicKeyDerOf, signCertificate } from './certificate-issuer.ts';
import { csrSubjectAndPublicKeyDer } from './der-reader.ts';
import { type KeyPairSource, onDemandKeyPairs } from './key-pair-pool.ts';
import { loadPeculiarX509 } from './peculiar-x509.ts';

export type { CertificateAuthorityMaterial, IssuedCertificate } from './certificate-issuer.ts';
export interface KeysAndCertificate extends IssuedCertificate {
  publicKeyPem: string;
  privateKeyPem: string;
}

const TEN_YEARS_DAYS = 3650;
const DEFAULT_COMMON_NAME = 'certguard IoT Certificate';
// The curves AWS IoT accepts for device keys; RSA must be at least 2048 bits.
const ACCEPTED_CURVES = ['prime256v1', 'secp384r1', 'secp521r1'];
const webCrypto = webcrypto as unknown as Crypto;
const generateKeyPairAsync = promisify(generateKeyPair);

/** A self-signed RSA-2048 CA certificate (keyCertSign, cRLSign), valid ten years; the private key as PKCS#8. */
export async function generateCertificateAuthority(commonName: string): Promise<CertificateAuthorityMaterial> {
  const keys = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const name = commonNameDer(commonName);
  const self = issuerOf(keys.privateKey, name, keys.publicKey);
  const issued = signCertificate(self, { subjectNameDer: name, subjectPublicKeyInfoDer: keys.publicKey, validityDays: TEN_YEARS_DAYS, isCA: true });
  return { certificatePem: issued.certificatePem, privateKeyPem: keys.privateKey };
}

interface DeviceCertificateOptions {
  commonName?: string;
  validityDays?: number;
}

function issueDeviceCertificate(ca: CertificateAuthorityMaterial, subjectPublicKeyInfoDer: Buffer, options: DeviceCertificateOptions): IssuedCertificate {
  return signCertificate(issuerFor(ca), {
    subjectNameDer: commonNameDer(options.commonName ?? DEFAULT_COMMON_NAME),
    subjectPublicKeyInfoDer,
    validityDays: options.validityDays ?? TEN_YEARS_DAYS,
    isCA: false,
  });
}

/** A certificate for any PEM public key: OpenSSL reads and re-encodes it first, so a malformed key is refused. */
export async function issueCertificate(
  ca: CertificateAuthorityMaterial,
  subjectPublicKeyPem: string,
  options: DeviceCertificateOptions = {},
): Promise<IssuedCertificate> {
  let subjectPublicKeyInfoDer: Buffer;
  try {
    subjectPublicKeyInfoDer = publicKeyDerOf(subjectPublicKeyPem);
  } catch {
    throw new InvalidRequestError('The subject public key is not a valid PEM public key.');
  }
  return issueDeviceCertificate(ca, subjectPublicKeyInfoDer, options);
}

/** Like AWS: the private key is PKCS#1 ("BEGIN RSA PRIVATE KEY"), the public key SPKI ("BEGIN PUBLIC KEY"). */
export async function createKeysAndCertificate(ca: CertificateAuthorityMaterial, keyPairs: KeyPairSource = onDemandKeyPairs): Promise<KeysAndCertificate> {
  const keys = await keyPairs.take();
  const issued = issueDeviceCertificate(ca, ownPublicKeyDer(keys.publicKey), {});
  return { ...issued, publicKeyPem: keys.publicKey, privateKeyPem: keys.privateKey };
}

/**
 * The DER inside a public key PEM that node:crypto itself just wrote (the key pair pool): its base64 body, without
 * the ~0.4 ms of parsing the key again through OpenSSL that an untrusted PEM needs (issueCertificate).
 */
function ownPublicKeyDer(publicKeyPem: string): Buffer {
  const block = readPemBlocks(publicKeyPem)?.[0];
  if (!block?.der || block.label !== 'PUBLIC KEY') throw new Error('a generated key pair has no SPKI public key PEM');
  return block.der;
}

/**
 * Issues a certificate for the CSR's key, keeping the CSR's subject byte for byte; the CSR must prove possession
 * of the key. @peculiar/x509 decodes and verifies the CSR (not on the CreateKeysAndCertificate path).
 */
export async function issueCertificateFromCsr(ca: CertificateAuthorityMaterial, csrPem: string): Promise<IssuedCertificate> {
  const { csr, subject, subjectPublicKeyInfo } = await decodeCertificateSigningRequest(csrPem);
  const signatureValid = await csr.verify(webCrypto).catch(() => false);
  if (!signatureValid) {
    throw new InvalidRequestError(
      'The certificate signing request signature does not verify: it was altered, signed with another key or with an unsupported algorithm.',
    );
  }
  assertAcceptedDeviceKey(subjectPublicKeyInfo);
  return signCertificate(issuerFor(ca), { subjectNameDer: subject, subjectPublicKeyInfoDer: subjectPublicKeyInfo, validityDays: TEN_YEARS_DAYS, isCA: false });
}

interface DecodedCsr {
  csr: X509.Pkcs10CertificateRequest;
  /** The raw DER of the subject Name and SubjectPublicKeyInfo, as signed by the device. */
  subject: Buffer;
  subjectPublicKeyInfo: Buffer;
}

async function decodeCertificateSigningRequest(csrPem: string): Promise<DecodedCsr> {
  const blocks = readPemBlocks(csrPem);
  const block = blocks?.length === 1 ? blocks[0] : undefined;
  if (!block?.der || !/^(NEW )?CERTIFICATE REQUEST$/.test(block.label)) {
    throw new InvalidRequestError(
      'The certificate signing request must be exactly one PEM block -----BEGIN CERTIFICATE REQUEST----- with a valid base64 body.',
    );
  }
  const x509 = await loadPeculiarX509();
  try {
    return { csr: new x509.Pkcs10CertificateRequest(new Uint8Array(block.der)), ...csrSubjectAndPublicKeyDer(block.der) };
  } catch {
    throw new InvalidRequestError('The certificate signing request could not be decoded as PKCS#10.');
  }
}

function assertAcceptedDeviceKey(spkiDer: Buffer): void {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  } catch {
    throw new InvalidRequestError('The public key in the certificate signing request could not be read.');
  }
  const details = key.asymmetricKeyDetails ?? {};
  const acceptedRsa = key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048;
  const acceptedEc = key.asymmetricKeyType === 'ec' && ACCEPTED_CURVES.includes(details.namedCurve ?? '');
  if (!acceptedRsa && !acceptedEc) {
    throw new InvalidRequestError('The certificate signing request key must be RSA of at least 2048 bits or EC on P-256, P-384 or P-521.');
  }
}
