/**
 * The few DER (X.690) encodings certguard needs to write its own certificates (certificate-der.ts). Hand-written
 * because building a certificate through asn1js (@peculiar/x509) cost ~4-6 ms of CPU per certificate, more than
 * the RSA signature; these are a handful of Buffer concatenations. Only definite, minimal lengths: DER.
 */

const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  utf8String: 0x0c,
  printableString: 0x13,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** A DER length: short form below 128, else 0x80 | byte count followed by the big-endian length. */
function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One element: tag, length, contents. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.of(tag), lengthBytes(body.length), body]);
}

export const sequence = (...elements: readonly Uint8Array[]): Buffer => tlv(TAG.sequence, ...elements);
export const set = (...elements: readonly Uint8Array[]): Buffer => tlv(TAG.set, ...elements);
export const octetString = (bytes: Uint8Array): Buffer => tlv(TAG.octetString, bytes);
export const booleanTrue = (): Buffer => tlv(TAG.boolean, Buffer.of(0xff));

/** A BIT STRING of whole bytes (signatures, key identifiers): no unused bits. */
export const bitString = (bytes: Uint8Array): Buffer => tlv(TAG.bitString, Buffer.of(0), bytes);

/** [n] EXPLICIT: a constructed context-specific tag around one element. */
export const explicit = (n: number, element: Uint8Array): Buffer => tlv(0xa0 | n, element);

/** [n] IMPLICIT for a primitive type: the contents under a context-specific tag. */
export const implicitPrimitive = (n: number, contents: Uint8Array): Buffer => tlv(0x80 | n, contents);

/** A non-negative INTEGER from its big-endian magnitude: leading zeros dropped, one 0x00 added if the top bit is set. */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const minimal = Buffer.from(magnitude.subarray(start));
  return tlv(TAG.integer, (minimal[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), minimal]) : minimal);
}

export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.of(value));

/** PrintableString's alphabet (X.680 41.4); any other text is a UTF8String. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** A directory string the way @peculiar/x509 chose it before: PrintableString when the text fits, else UTF8String. */
export function directoryString(text: string): Buffer {
  return PRINTABLE.test(text) ? tlv(TAG.printableString, Buffer.from(text, 'latin1')) : tlv(TAG.utf8String, Buffer.from(text, 'utf8'));
}

const two = (value: number) => String(value).padStart(2, '0');

/**
 * RFC 5280 4.1.2.5: UTCTime (YYMMDDHHMMSSZ) for dates through 2049, GeneralizedTime (YYYYMMDDHHMMSSZ) from 2050,
 * always in UTC with whole seconds (the fraction is dropped).
 */
export function time(date: Date): Buffer {
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new RangeError(`a certificate time must be within 1950-9999, got ${date.toISOString()}`);
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return year < 2050 ? tlv(TAG.utcTime, Buffer.from(`${two(year % 100)}${rest}`, 'latin1')) : tlv(TAG.generalizedTime, Buffer.from(`${year}${rest}`, 'latin1'));
}

/** An OBJECT IDENTIFIER from its dotted form (encoded once, at module load, by the callers' constants). */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const base128 = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) base128.unshift(0x80 | (value & 0x7f));
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}
