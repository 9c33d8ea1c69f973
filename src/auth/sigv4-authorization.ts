/**
 * Parses the SigV4 Authorization header:
 * `AWS4-HMAC-SHA256 Credential=<AKID>/<yyyymmdd>/<region>/<service>/aws4_request, SignedHeaders=<h1;h2>, Signature=<hex>`.
 * Strict on purpose: anything a real client would not send is rejected before any crypto runs.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface ParsedAuthorization {
  accessKeyId: string;
  /** yyyymmdd */
  date: string;
  region: string;
  service: string;
  /** `<date>/<region>/<service>/aws4_request`, as it goes into the string to sign. */
  scope: string;
  /** The SignedHeaders value as sent; validated to be lowercase, sorted and free of duplicates. */
  signedHeaders: string;
  signedHeaderNames: string[];
  /** 64 lowercase hex characters. */
  signature: string;
}

const CREDENTIAL = /^([A-Za-z0-9]{1,128})\/((\d{8})\/([a-z0-9-]{1,64})\/([a-z0-9-]{1,64})\/aws4_request)$/;
// RFC 9110 token characters, lowercase only: signers lowercase every name.
const SIGNED_HEADERS = /^[a-z0-9!#$%&'*+.^_`|~-]+(?:;[a-z0-9!#$%&'*+.^_`|~-]+)*$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const PARAMETERS = ['Credential', 'SignedHeaders', 'Signature'] as const;
type Parameter = (typeof PARAMETERS)[number];

const MALFORMED = "Authorization header is malformed: expected 'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...'.";

function isParameter(name: string): name is Parameter {
  return (PARAMETERS as readonly string[]).includes(name);
}

/** Splits `k=v, k=v` into the three known parameters; a string is the client-facing reason it is malformed. */
function splitParameters(rest: string): Partial<Record<Parameter, string>> | string {
  const found: Partial<Record<Parameter, string>> = {};
  for (const piece of rest.split(',')) {
    const item = piece.trim();
    const eq = item.indexOf('=');
    const name = item.slice(0, eq);
    if (eq <= 0 || !isParameter(name) || found[name] !== undefined) return MALFORMED;
    found[name] = item.slice(eq + 1);
  }
  const missing = PARAMETERS.filter((name) => found[name] === undefined);
  if (missing.length > 0) {
    return missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ');
  }
  return found;
}

function isStrictlyAscending(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) {
    if ((names[i - 1] as string) >= (names[i] as string)) return false;
  }
  return true;
}

/** Returns the parsed header, or the client-facing reason it is unusable. */
export function parseAuthorization(header: string): ParsedAuthorization | string {
  if (!header.startsWith(`${ALGORITHM} `)) {
    return `Authorization header requires the '${ALGORITHM}' algorithm.`;
  }
  const parameters = splitParameters(header.slice(ALGORITHM.length + 1));
  if (typeof parameters === 'string') return parameters;
  const { Credential = '', SignedHeaders = '', Signature = '' } = parameters;

  const credential = CREDENTIAL.exec(Credential);
  if (credential === null) {
    return 'Authorization header is malformed: Credential must be "<ACCESS-KEY-ID>/YYYYMMDD/REGION/SERVICE/aws4_request".';
  }
  if (!SIGNED_HEADERS.test(SignedHeaders)) {
    return 'Authorization header is malformed: SignedHeaders must be lowercase header names separated by semicolons.';
  }
  const signedHeaderNames = SignedHeaders.split(';');
  if (!isStrictlyAscending(signedHeaderNames)) {
    return 'Authorization header is malformed: SignedHeaders must be sorted and must not repeat a name.';
  }
  if (!SIGNATURE.test(Signature)) {
    return 'Authorization header is malformed: Signature must be 64 lowercase hexadecimal characters.';
  }
  const [, accessKeyId = '', scope = '', date = '', region = '', service = ''] = credential;
  return { accessKeyId, date, region, service, scope, signedHeaders: SignedHeaders, signedHeaderNames, signature: Signature };
}
