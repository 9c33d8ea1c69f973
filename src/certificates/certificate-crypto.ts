/**
 * Reading and checking X.509 certificates sent by clients (RegisterCertificate, RegisterCertificateWithoutCA).
 * Pure functions on top of node:crypto (OpenSSL), so decoding is as strict as what a TLS stack would accept.
 * Error messages never quote the input back: it may be large, and a careless client may have pasted a key.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { CertificateValidationError } from '../errors.ts';

export interface ParsedCertificate {
  /** Lowercase hex SHA-256 of the DER encoding: the AWS IoT certificate id. */
  certificateId: string;
  /** Normalised: exactly one PEM block, '\n' line endings, 64-character lines, trailing newline. */
  pem: string;
  notBefore: Date;
  notAfter: Date;
  /** One line, RFC 2253 escaping, attributes in certificate order, e.g. "C=US, O=Example, CN=device-1". */
  subject: string;
  issuer: string;
  /** Uppercase hex, as OpenSSL prints it. */
  serialNumber: string;
  isCA: boolean;
  selfSigned: boolean;
}

export interface PemBlock {
  label: string;
  /** null when the body is not valid base64 (e.g. truncated or with encapsulated headers). */
  der: Buffer | null;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

/** Every PEM block in `text`, or null when a BEGIN line has no matching END line (a truncated paste). */
export function readPemBlocks(text: string): PemBlock[] | null {
  const blocks = [...text.matchAll(PEM_BLOCK)].map((match) => ({
    label: match[1] ?? '',
    der: decodeBase64Strictly(match[2] ?? ''),
  }));
  const beginLines = text.match(/-----BEGIN /g)?.length ?? 0;
  return beginLines === blocks.length ? blocks : null;
}

function decodeBase64Strictly(body: string): Buffer | null {
  const compact = body.replace(/\s+/g, '');
  // Buffer.from(..., 'base64') silently skips bad characters and missing padding; a cut-off body must fail here.
  if (!BASE64_BODY.test(compact) || compact.length % 4 !== 0) return null;
  return Buffer.from(compact, 'base64');
}

export function parseCertificatePem(pem: string, now: Date = new Date()): ParsedCertificate {
  const certificate = decodeSingleCertificate(pem);
  const notBefore = parseOpenSslTime(certificate.validFrom);
  const notAfter = parseOpenSslTime(certificate.validTo);
  if (notAfter.getTime() < now.getTime()) {
    throw new CertificateValidationError(`The certificate has expired (notAfter ${notAfter.toISOString()}).`);
  }
  if (notBefore.getTime() > now.getTime()) {
    throw new CertificateValidationError(`The certificate is not yet valid (notBefore ${notBefore.toISOString()}).`);
  }
  return {
    certificateId: createHash('sha256').update(certificate.raw).digest('hex'),
    pem: toPem(certificate.raw),
    notBefore,
    notAfter,
    subject: oneLineName(certificate.subject),
    issuer: oneLineName(certificate.issuer),
    serialNumber: certificate.serialNumber,
    isCA: certificate.ca,
    selfSigned: isIssuedBy(certificate, certificate),
  };
}

/** True when `caPem` signed `certPem` and the names chain. Validity dates are not checked here. */
export function verifyIssuedBy(certPem: string, caPem: string): boolean {
  return isIssuedBy(decodeSingleCertificate(certPem), decodeSingleCertificate(caPem));
}

function isIssuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  // checkIssued compares issuer/subject names (and key identifiers, key usage); verify checks the signature.
  if (!certificate.checkIssued(issuer)) return false;
  try {
    return certificate.verify(issuer.publicKey);
  } catch {
    return false; // e.g. a key type OpenSSL cannot verify with
  }
}

function decodeSingleCertificate(pem: string): X509Certificate {
  const der = singleCertificateDer(pem);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    throw new CertificateValidationError('The certificate could not be decoded: its content is not a valid X.509 DER structure.');
  }
  // OpenSSL ignores bytes after the certificate; the id is a hash of the DER, so there must be none.
  if (!certificate.raw.equals(der)) {
    throw new CertificateValidationError('The certificate could not be decoded: unexpected data after the X.509 structure.');
  }
  return certificate;
}

function singleCertificateDer(pem: string): Buffer {
  const blocks = readPemBlocks(pem);
  if (blocks === null) {
    throw new CertificateValidationError('The certificate PEM is truncated: a BEGIN line has no matching END line.');
  }
  if (blocks.length === 0) {
    throw new CertificateValidationError('The certificate is not PEM-encoded: expected one -----BEGIN CERTIFICATE----- block.');
  }
  const other = blocks.find((block) => block.label !== 'CERTIFICATE');
  if (other?.label.includes('PRIVATE KEY')) {
    throw new CertificateValidationError(`The PEM must contain only the certificate, but it includes a ${other.label} block; never send private keys.`);
  }
  if (other) {
    throw new CertificateValidationError(`The PEM must contain only the certificate, but it includes a ${other.label} block.`);
  }
  if (blocks.length > 1) {
    throw new CertificateValidationError(`The PEM contains ${blocks.length} certificates; send exactly one (a CA certificate goes in its own field).`);
  }
  const der = blocks[0]?.der;
  if (!der) {
    throw new CertificateValidationError('The certificate PEM body is not valid base64 (truncated or corrupted).');
  }
  return der;
}

/** The normalised PEM form of a certificate's DER (the form `pem` above has). */
export function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** node prints names one attribute per line, already RFC 2253-escaped (a ',' in a value is '\,'). */
function oneLineName(multiline: string): string {
  return multiline.split('\n').filter(Boolean).join(', ');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const OPENSSL_TIME = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4}) GMT$/;

/** Parses OpenSSL's ASN1_TIME_print form ("Jan  2 03:04:05 2030 GMT"); Node 20 has no validFromDate. */
function parseOpenSslTime(text: string): Date {
  const match = OPENSSL_TIME.exec(text);
  const month = match ? MONTHS.indexOf(match[1] ?? '') : -1;
  if (!match || month < 0) {
    throw new CertificateValidationError('The certificate validity dates could not be read.');
  }
  const part = (index: number) => Number(match[index]);
  return new Date(Date.UTC(part(6), month, part(2), part(3), part(4), part(5)));
}
