/**
 * The JSON body is UTF-8, as the AWS protocols require. A declared charset other than utf-8 (any case, quoted
 * or not) is refused with 415 rather than silently read as UTF-8; bytes that are not valid UTF-8 are refused with
 * 400 rather than replaced by U+FFFD (which would store and audit text the caller never sent). A BOM is kept, so
 * JSON.parse refuses it as before.
 */
import { InvalidRequestError, UnsupportedMediaTypeError } from '../errors.ts';

// RFC 9110 parameter: `; charset=value` or `; charset="value"`, parameter names case-insensitive.
const CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The charset a Content-Type declares, lowercased; undefined when none is declared. */
export function declaredCharset(contentType: string): string | undefined {
  const m = CHARSET.exec(contentType);
  return m === null ? undefined : (m[1] ?? m[2] ?? '').toLowerCase();
}

/** The body as text, or throws the AWS-format error for a foreign charset or invalid UTF-8. */
export function decodeJsonText(raw: Buffer, contentType: string): string {
  const charset = declaredCharset(contentType);
  if (charset !== undefined && charset !== 'utf-8') {
    throw new UnsupportedMediaTypeError(`Unsupported charset "${charset.slice(0, 40)}": the body must be UTF-8`);
  }
  try {
    return strictUtf8.decode(raw);
  } catch {
    throw new InvalidRequestError('The request body is not valid UTF-8');
  }
}

// With the u flag a surrogate pair is one code point: \p{Cs} matches only a lone (unpaired) surrogate.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is matched on purpose, Postgres text cannot store it
const UNSTORABLE = /[\p{Cs}\u0000]/u;

/**
 * JSON.parse reviver refusing, in any key or string, a lone surrogate (`"\ud800"`: valid JSON but not Unicode
 * text; the database driver would store U+FFFD, a value the caller never sent) and U+0000 (a Postgres text
 * value cannot hold it: the insert failed with 500).
 */
export function wellFormedStrings(key: string, value: unknown): unknown {
  if (UNSTORABLE.test(key) || (typeof value === 'string' && UNSTORABLE.test(value))) {
    throw new InvalidRequestError('The request body contains U+0000 or an unpaired UTF-16 surrogate escape');
  }
  return value;
}
