/**
 * The canonical-request pieces of AWS Signature V4, as the IoT clients build them
 * (../shared/reference/aws-iot-wire-contract.md §5). Pure string functions, no I/O.
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
const RESERVED_BY_RFC3986 = /[!'()*]/g;

/** RFC 3986 percent-encoding: everything but unreserved characters, hex in upper case. */
export function uriEncode(value: string): string {
  if (UNRESERVED.test(value)) return value; // the common case: ids, names, numbers
  return encodeURIComponent(value).replace(RESERVED_BY_RFC3986, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The path exactly as sent, each segment encoded once more (`%3A` -> `%253A`): the non-S3 rule,
 * which the clients follow. No dot-segment or double-slash normalisation on purpose: the signature
 * must cover the path that the router will see, and no real client sends such paths.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  if (UNRESERVED_PATH.test(rawPath)) return rawPath; // nothing to encode: skip the split
  return rawPath.split('/').map(uriEncode).join('/');
}

/** Decodes one query component. `+` means space, as in the query parser the routes use. Throws URIError. */
function decodeQueryComponent(value: string): string {
  return decodeURIComponent(value.includes('+') ? value.replaceAll('+', ' ') : value);
}

/**
 * Decoded parameters, each name and value RFC 3986-encoded again, sorted by name then value.
 * Throws URIError on malformed percent-encoding.
 */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: string[][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([uriEncode(decodeQueryComponent(name)), uriEncode(decodeQueryComponent(value))]);
  }
  pairs.sort(comparePairs);
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function comparePairs(a: string[], b: string[]): number {
  const [nameA = '', valueA = ''] = a;
  const [nameB = '', valueB = ''] = b;
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  if (valueA === valueB) return 0;
  return valueA < valueB ? -1 : 1;
}

type Headers = Record<string, string | string[] | undefined>;

function headerValue(headers: Headers, name: string): string {
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(',') : '';
}

/** `name:value\n` for exactly the signed headers (already lowercase and sorted), values trimmed and squashed. */
export function canonicalHeaders(headers: Headers, signedHeaderNames: readonly string[]): string {
  let block = '';
  for (const name of signedHeaderNames) {
    block += `${name}:${headerValue(headers, name).trim().replace(/\s+/g, ' ')}\n`;
  }
  return block;
}
