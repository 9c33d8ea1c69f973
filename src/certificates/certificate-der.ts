/**
 * The X.509 v3 certificates certguard's CA issues (RFC 5280), as DER: the same fields and extensions
 * @peculiar/x509 produced for us before, built directly (der.ts) so that issuing costs a signature and a few
 * concatenations instead of an asn1js object tree (docs/operations.md#key-pair-pool).
 *
 *   TBSCertificate: version v3, serial, sha256WithRSAEncryption, issuer, validity, subject, SPKI, extensions
 *     basicConstraints (critical), keyUsage (critical), subjectKeyIdentifier, authorityKeyIdentifier
 */
import { createHash } from 'node:crypto';
import {
  bitString,
  booleanTrue,
  directoryString,
  explicit,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
} from './der.ts';
import { subjectPublicKeyBits } from './der-reader.ts';

const OID = {
  commonName: objectIdentifier('2.5.4.3'),
  sha256WithRsaEncryption: objectIdentifier('1.2.840.113549.1.1.11'),
  subjectKeyIdentifier: objectIdentifier('2.5.29.14'),
  keyUsage: objectIdentifier('2.5.29.15'),
  basicConstraints: objectIdentifier('2.5.29.19'),
  authorityKeyIdentifier: objectIdentifier('2.5.29.35'),
};
const NULL = Buffer.of(0x05, 0x00);
const SHA256_WITH_RSA = sequence(OID.sha256WithRsaEncryption, NULL);
const VERSION_3 = explicit(0, smallInteger(2));
// KeyUsage BIT STRINGs, named bits in DER form (trailing zero bits dropped, their count in the first byte):
// digitalSignature is bit 0 -> 0x80 with 7 unused bits; keyCertSign (5) + cRLSign (6) -> 0x06 with 1 unused bit.
const KEY_USAGE_DEVICE = Buffer.of(0x03, 0x02, 0x07, 0x80);
const KEY_USAGE_CA = Buffer.of(0x03, 0x02, 0x01, 0x06);
// BasicConstraints: cA TRUE without pathLenConstraint; for a device the empty SEQUENCE (cA defaults to FALSE).
const BASIC_CONSTRAINTS_CA = sequence(booleanTrue());
const BASIC_CONSTRAINTS_DEVICE = sequence();

export interface CertificateFields {
  /** Positive, at most 20 bytes (RFC 5280 4.1.2.2). */
  serialNumber: Uint8Array;
  /** The issuing CA's subject Name, as DER: copied, so the names match byte for byte. */
  issuerNameDer: Uint8Array;
  /** The SHA-1 key identifier of the issuing CA's public key (keyIdentifierOf). */
  authorityKeyIdentifier: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  subjectNameDer: Uint8Array;
  subjectPublicKeyInfoDer: Uint8Array;
  isCA: boolean;
}

/** A Name of one RDN with one commonName: SEQUENCE { SET { SEQUENCE { id-at-commonName, DirectoryString } } }. */
export function commonNameDer(commonName: string): Buffer {
  return sequence(set(sequence(OID.commonName, directoryString(commonName))));
}

/**
 * RFC 5280 4.2.1.2 method (1), as @peculiar/x509 computed it for the certificates issued so far: SHA-1 of the
 * subjectPublicKey BIT STRING's bits. A CA created earlier has its subjectKeyIdentifier computed this way, so the
 * authorityKeyIdentifier of what it issues now still matches it.
 */
export function keyIdentifierOf(subjectPublicKeyInfoDer: Uint8Array): Buffer {
  return createHash('sha1').update(subjectPublicKeyBits(subjectPublicKeyInfoDer)).digest();
}

function extension(oid: Buffer, critical: boolean, valueDer: Uint8Array): Buffer {
  return critical ? sequence(oid, booleanTrue(), octetString(valueDer)) : sequence(oid, octetString(valueDer));
}

export function tbsCertificateDer(fields: CertificateFields): Buffer {
  const extensions = sequence(
    extension(OID.basicConstraints, true, fields.isCA ? BASIC_CONSTRAINTS_CA : BASIC_CONSTRAINTS_DEVICE),
    extension(OID.keyUsage, true, fields.isCA ? KEY_USAGE_CA : KEY_USAGE_DEVICE),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifierOf(fields.subjectPublicKeyInfoDer))),
    // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING }
    extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, fields.authorityKeyIdentifier))),
  );
  return sequence(
    VERSION_3,
    unsignedInteger(fields.serialNumber),
    SHA256_WITH_RSA,
    fields.issuerNameDer,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    fields.subjectNameDer,
    fields.subjectPublicKeyInfoDer,
    explicit(3, extensions),
  );
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } */
export function signedCertificateDer(tbsCertificate: Uint8Array, signature: Uint8Array): Buffer {
  return sequence(tbsCertificate, SHA256_WITH_RSA, bitString(signature));
}
