/**
 * certguard's own certificate authority: what AWS IoT does for CreateKeysAndCertificate and
 * CreateCertificateFromCsr. Pure functions: the CA material is passed in, nothing is stored here.
 * Key generation uses the async node:crypto API (RSA 2048 takes tens of ms, off the event loop).
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import type * as X509 from '@peculiar/x509';
import { InvalidRequestError } from '../errors.ts';
import { parseCertificatePem, readPemBlocks } from './certificate-crypto.ts';
import { type KeyPairSource, onDemandKeyPairs } from './key-pair-pool.ts';
import { loadPeculiarX509 } from './peculiar-x509.ts';

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
export interface KeysAndCertificate extends IssuedCertificate {
  publicKeyPem: string;
  privateKeyPem: string;
}

const DAY_MS = 86_400_000;
const TEN_YEARS_DAYS = 3650;
const DEFAULT_COMMON_NAME = 'certguard IoT Certificate';
const SIGNING_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
// The curves AWS IoT accepts for device keys; RSA must be at least 2048 bits.
const ACCEPTED_CURVES = ['prime256v1', 'secp384r1', 'secp521r1'];
const webCrypto = webcrypto as unknown as Crypto;
const generateKeyPairAsync = promisify(generateKeyPair);

/** DER bytes in the form the WebCrypto-typed @peculiar/x509 API accepts (a Buffer may sit on a shared pool). */
type Der = Uint8Array<ArrayBuffer>;
interface Signer {
  name: X509.Name;
  privateKey: CryptoKey;
  publicKeyDer: Der;
}
interface CertificateSpec {
  name: X509.Name | X509.JsonName;
  publicKeyDer: Der;
  validityDays: number;
  isCA: boolean;
}

export async function generateCertificateAuthority(commonName: string): Promise<CertificateAuthorityMaterial> {
  const x509 = await loadPeculiarX509();
  const keys = await generateRsaKeyPair('pkcs8');
  const name = new x509.Name([{ CN: [commonName] }]);
  const publicKeyDer = publicKeyToDer(keys.publicKey);
  const self: Signer = { name, privateKey: await importSigningKey(keys.privateKey), publicKeyDer };
  const issued = await signCertificate(self, { name, publicKeyDer, validityDays: TEN_YEARS_DAYS, isCA: true });
  return { certificatePem: issued.certificatePem, privateKeyPem: keys.privateKey };
}

export async function issueCertificate(
  ca: CertificateAuthorityMaterial,
  subjectPublicKeyPem: string,
  options: { commonName?: string; validityDays?: number } = {},
): Promise<IssuedCertificate> {
  const publicKeyDer = publicKeyToDer(subjectPublicKeyPem);
  const name = [{ CN: [options.commonName ?? DEFAULT_COMMON_NAME] }];
  const validityDays = options.validityDays ?? TEN_YEARS_DAYS;
  return signCertificate(await signerFor(ca), { name, publicKeyDer, validityDays, isCA: false });
}

/** Like AWS: the private key is PKCS#1 ("BEGIN RSA PRIVATE KEY"), the public key SPKI ("BEGIN PUBLIC KEY"). */
export async function createKeysAndCertificate(ca: CertificateAuthorityMaterial, keyPairs: KeyPairSource = onDemandKeyPairs): Promise<KeysAndCertificate> {
  const keys = await keyPairs.take();
  const issued = await issueCertificate(ca, keys.publicKey);
  return { ...issued, publicKeyPem: keys.publicKey, privateKeyPem: keys.privateKey };
}

/** Issues a certificate for the CSR's key, keeping the CSR's subject; the CSR must prove possession of the key. */
export async function issueCertificateFromCsr(ca: CertificateAuthorityMaterial, csrPem: string): Promise<IssuedCertificate> {
  const csr = await decodeCertificateSigningRequest(csrPem);
  const signatureValid = await csr.verify(webCrypto).catch(() => false);
  if (!signatureValid) {
    throw new InvalidRequestError(
      'The certificate signing request signature does not verify: it was altered, signed with another key or with an unsupported algorithm.',
    );
  }
  const publicKeyDer: Der = new Uint8Array(csr.publicKey.rawData);
  assertAcceptedDeviceKey(Buffer.from(publicKeyDer));
  return signCertificate(await signerFor(ca), { name: csr.subjectName, publicKeyDer, validityDays: TEN_YEARS_DAYS, isCA: false });
}

async function decodeCertificateSigningRequest(csrPem: string): Promise<X509.Pkcs10CertificateRequest> {
  const blocks = readPemBlocks(csrPem);
  const block = blocks?.length === 1 ? blocks[0] : undefined;
  if (!block?.der || !/^(NEW )?CERTIFICATE REQUEST$/.test(block.label)) {
    throw new InvalidRequestError(
      'The certificate signing request must be exactly one PEM block -----BEGIN CERTIFICATE REQUEST----- with a valid base64 body.',
    );
  }
  const x509 = await loadPeculiarX509();
  try {
    return new x509.Pkcs10CertificateRequest(new Uint8Array(block.der));
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

async function signCertificate(signer: Signer, spec: CertificateSpec): Promise<IssuedCertificate> {
  const x509 = await loadPeculiarX509();
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000); // X.509 times have whole seconds
  const keyUsage = spec.isCA ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature;
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject: spec.name,
      issuer: signer.name,
      notBefore,
      notAfter: new Date(notBefore.getTime() + spec.validityDays * DAY_MS),
      publicKey: spec.publicKeyDer,
      signingKey: signer.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(spec.isCA, undefined, true),
        new x509.KeyUsagesExtension(keyUsage, true),
        await x509.SubjectKeyIdentifierExtension.create(spec.publicKeyDer, false, webCrypto),
        await x509.AuthorityKeyIdentifierExtension.create(signer.publicKeyDer, false, webCrypto),
      ],
    },
    webCrypto,
  );
  const parsed = parseCertificatePem(certificate.toString('pem'), notBefore);
  return { certificatePem: parsed.pem, certificateId: parsed.certificateId, notBefore: parsed.notBefore, notAfter: parsed.notAfter };
}

/** 16 random bytes; the top bit is cleared so the DER INTEGER stays positive, and the first byte is non-zero. */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return bytes.toString('hex');
}

// The CA key is imported once per material object: callers keep one for the life of the process.
const signers = new WeakMap<CertificateAuthorityMaterial, Promise<Signer>>();

function signerFor(ca: CertificateAuthorityMaterial): Promise<Signer> {
  let signer = signers.get(ca);
  if (!signer) {
    signer = loadPeculiarX509().then(async (x509) => ({
      name: new x509.X509Certificate(ca.certificatePem).subjectName,
      privateKey: await importSigningKey(ca.privateKeyPem),
      publicKeyDer: new Uint8Array(new X509Certificate(ca.certificatePem).publicKey.export({ type: 'spki', format: 'der' })),
    }));
    signers.set(ca, signer);
  }
  return signer;
}

async function importSigningKey(privateKeyPem: string): Promise<CryptoKey> {
  // WebCrypto only imports PKCS#8; createPrivateKey also reads PKCS#1, so either form works as CA material.
  const pkcs8 = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  return webCrypto.subtle.importKey('pkcs8', pkcs8, SIGNING_ALGORITHM, false, ['sign']);
}

function publicKeyToDer(publicKeyPem: string): Der {
  try {
    return new Uint8Array(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }));
  } catch {
    throw new InvalidRequestError('The subject public key is not a valid PEM public key.');
  }
}

function generateRsaKeyPair(privateKeyType: 'pkcs1' | 'pkcs8'): Promise<{ publicKey: string; privateKey: string }> {
  return generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: privateKeyType, format: 'pem' },
  });
}
