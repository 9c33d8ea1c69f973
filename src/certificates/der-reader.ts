/**
 * Reads the raw bytes of a few fields out of DER that node:crypto or @peculiar/x509 has already accepted: the
 * subject Name of the CA certificate (a certificate's issuer must be byte-identical to its CA's subject) and of a
 * CSR (kept exactly as the device wrote it). Not a general parser: it walks elements and refuses anything that is
 * not definite-length DER inside the buffer.
 */

export interface DerElement {
  tag: number;
  /** Offsets into the buffer: the element [start, end), its contents [contentStart, end). */
  start: number;
  contentStart: number;
  end: number;
}

export class DerReadError extends Error {}

/** The element starting at `offset`. */
export function readElement(der: Uint8Array, offset: number): DerElement {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) throw new DerReadError(`no DER element at offset ${offset}`);
  if ((tag & 0x1f) === 0x1f) throw new DerReadError('multi-byte tags are not used in certificates');
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new DerReadError('indefinite or oversized DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[contentStart + i] ?? Number.NaN);
    contentStart += count;
  }
  const end = contentStart + length;
  if (!Number.isFinite(end) || end > der.length) throw new DerReadError('DER element runs past the end of its input');
  return { tag, start: offset, contentStart, end };
}

/** The elements directly inside a constructed element. */
export function childrenOf(der: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readElement(der, offset);
    if (child.end > parent.end) throw new DerReadError('DER element runs past its parent');
    children.push(child);
    offset = child.end;
  }
  return children;
}

const SEQUENCE = 0x30;
const VERSION_TAG = 0xa0;

function child(der: Uint8Array, parent: DerElement, index: number, tag: number, what: string): DerElement {
  const found = childrenOf(der, parent)[index];
  if (found?.tag !== tag) throw new DerReadError(`${what} not found where expected`);
  return found;
}

const bytesOf = (der: Uint8Array, element: DerElement): Buffer => Buffer.from(der.subarray(element.start, element.end));

/** Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version, serial, signature, issuer, validity, subject, ... } } */
export function certificateSubjectDer(certificateDer: Uint8Array): Buffer {
  const tbs = child(certificateDer, readElement(certificateDer, 0), 0, SEQUENCE, 'tbsCertificate');
  const fields = childrenOf(certificateDer, tbs);
  const afterVersion = fields[0]?.tag === VERSION_TAG ? 1 : 0;
  const subject = fields[afterVersion + 4];
  if (subject?.tag !== SEQUENCE) throw new DerReadError('certificate subject not found where expected');
  return bytesOf(certificateDer, subject);
}

/** CertificationRequest ::= SEQUENCE { certificationRequestInfo SEQUENCE { version, subject, subjectPKInfo, ... }, ... } */
export function csrSubjectAndPublicKeyDer(csrDer: Uint8Array): { subject: Buffer; subjectPublicKeyInfo: Buffer } {
  const info = child(csrDer, readElement(csrDer, 0), 0, SEQUENCE, 'certificationRequestInfo');
  return {
    subject: bytesOf(csrDer, child(csrDer, info, 1, SEQUENCE, 'CSR subject')),
    subjectPublicKeyInfo: bytesOf(csrDer, child(csrDer, info, 2, SEQUENCE, 'CSR subjectPKInfo')),
  };
}

/** SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }: the key bits, without the unused-bits byte. */
export function subjectPublicKeyBits(spkiDer: Uint8Array): Buffer {
  const key = child(spkiDer, readElement(spkiDer, 0), 1, 0x03, 'subjectPublicKey');
  return Buffer.from(spkiDer.subarray(key.contentStart + 1, key.end));
}
