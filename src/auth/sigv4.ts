/**
 * AWS Signature V4 verification (header auth only), following what the AWS CLI, boto3 and the JS SDK send
 * (../shared/reference/aws-iot-wire-contract.md §5). Pure: no express, no clock, no store.
 * Every `reason` is safe to show to the client: it never contains a secret or the expected signature.
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { ALGORITHM, parseAuthorization, type ParsedAuthorization } from './sigv4-authorization.ts';
import { canonicalHeaders, canonicalQuery, canonicalUri } from './sigv4-canonical.ts';

export interface SignedRequest {
  method: string;
  /** The path exactly as sent, without the query. */
  rawPath: string;
  /** What follows the first '?', as sent; '' if none. */
  rawQuery: string;
  /** Node's lowercased headers. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type VerifyResult = { ok: true; accessKeyId: string; region: string; service: string } | { ok: false; reason: string };

export interface VerifyOptions {
  now: Date;
  maxClockSkewSeconds: number;
  region: string;
}

/** aws-cli 2.9 and older botocore sign as `execute-api`; the JS SDK and newer boto3 as `iot`. */
const ACCEPTED_SERVICES: ReadonlySet<string> = new Set(['iot', 'execute-api']);
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export const REASONS = {
  missingToken: 'Missing Authentication Token',
  unknownKey: 'The security token included in the request is invalid.',
  mismatch:
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  hostNotSigned: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  dateNotSigned: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
  missingDate: "Authorization requires an 'X-Amz-Date' header in the basic format YYYYMMDD'T'HHMMSS'Z'.",
  payloadHashMismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  unsignedPayload: "'x-amz-content-sha256' must be the SHA-256 of the body: unsigned payloads are not accepted.",
  malformedUrl: 'The request URL contains malformed percent-encoding.',
} as const;

const fail = (reason: string): VerifyResult => ({ ok: false, reason });

export function verifySigV4(req: SignedRequest, lookupSecret: (accessKeyId: string) => string | undefined, options: VerifyOptions): VerifyResult {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || header === '') return fail(REASONS.missingToken);
  const auth = parseAuthorization(header);
  if (typeof auth === 'string') return fail(auth);
  if (!auth.signedHeaderNames.includes('host')) return fail(REASONS.hostNotSigned);
  // Unsigned, the date could be replaced to replay a captured request outside its clock-skew window.
  if (!auth.signedHeaderNames.includes('x-amz-date')) return fail(REASONS.dateNotSigned);

  const amzDate = req.headers['x-amz-date'];
  const requestTime = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined;
  if (typeof amzDate !== 'string' || requestTime === undefined) return fail(REASONS.missingDate);
  const scopeProblem = checkScope(auth, amzDate, options.region);
  if (scopeProblem !== undefined) return fail(scopeProblem);
  const clockProblem = checkClock(requestTime, options);
  if (clockProblem !== undefined) return fail(clockProblem);

  const secret = lookupSecret(auth.accessKeyId);
  if (secret === undefined) return fail(REASONS.unknownKey);
  const payloadHash = checkedPayloadHash(req);
  if (payloadHash.reason !== undefined) return fail(payloadHash.reason);

  let canonicalRequest: string;
  try {
    canonicalRequest = buildCanonicalRequest(req, auth, payloadHash.hash);
  } catch {
    return fail(REASONS.malformedUrl); // URIError from decoding the query
  }
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${auth.scope}\n${sha256Hex(canonicalRequest)}`;
  const key = signingKey(secret, auth.date, auth.region, auth.service);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) return fail(REASONS.mismatch);
  return { ok: true, accessKeyId: auth.accessKeyId, region: auth.region, service: auth.service };
}

function buildCanonicalRequest(req: SignedRequest, auth: ParsedAuthorization, payloadHash: string): string {
  return (
    `${req.method}\n${canonicalUri(req.rawPath)}\n${canonicalQuery(req.rawQuery)}\n` +
    `${canonicalHeaders(req.headers, auth.signedHeaderNames)}\n${auth.signedHeaders}\n${payloadHash}`
  );
}

function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex'); // one-shot: cheaper than createHash for a single buffer
}

/** CLI/botocore send no x-amz-content-sha256, so the body is always hashed here; a sent value must agree. */
function checkedPayloadHash(req: SignedRequest): { hash: string; reason?: string } {
  const bodyHash = sha256Hex(req.body);
  const sent = req.headers['x-amz-content-sha256'];
  if (sent === undefined || sent === bodyHash) return { hash: bodyHash };
  // UNSIGNED-PAYLOAD (and streaming modes) would leave the body unauthenticated: no IoT client needs them.
  if (sent === 'UNSIGNED-PAYLOAD' || (typeof sent === 'string' && sent.startsWith('STREAMING-'))) {
    return { hash: bodyHash, reason: REASONS.unsignedPayload };
  }
  return { hash: bodyHash, reason: REASONS.payloadHashMismatch };
}

/** Milliseconds since the epoch for a real calendar instant in basic ISO-8601 format, else undefined. */
function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  const ms = Date.UTC(y, mo, d, h, mi, s);
  // Date.UTC rolls 2026-02-31 over to March 3rd: reading the fields back catches impossible dates.
  const t = new Date(ms);
  const real =
    t.getUTCFullYear() === y && t.getUTCMonth() === mo && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === s;
  return real ? ms : undefined;
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function checkScope(auth: ParsedAuthorization, amzDate: string, region: string): string | undefined {
  if (auth.date !== amzDate.slice(0, 8)) {
    return (
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
      `'${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`
    );
  }
  if (auth.region !== region) return `Credential should be scoped to a valid region, not '${auth.region}'.`;
  if (!ACCEPTED_SERVICES.has(auth.service)) return "Credential should be scoped to correct service: 'iot'.";
  return undefined;
}

function checkClock(requestTime: number, { now, maxClockSkewSeconds }: VerifyOptions): string | undefined {
  const nowMs = now.getTime();
  const skewMs = maxClockSkewSeconds * 1000;
  if (Math.abs(requestTime - nowMs) <= skewMs) return undefined;
  const limit = maxClockSkewSeconds % 60 === 0 ? `${maxClockSkewSeconds / 60} min.` : `${maxClockSkewSeconds} sec.`;
  const [sent, current] = [formatAmzDate(requestTime), formatAmzDate(nowMs)];
  return requestTime < nowMs
    ? `Signature expired: ${sent} is now earlier than ${formatAmzDate(nowMs - skewMs)} (${current} - ${limit})`
    : `Signature not yet current: ${sent} is still later than ${formatAmzDate(nowMs + skewMs)} (${current} + ${limit})`;
}

// Deriving the key costs four HMACs; it only changes per key, day, region and service. The secret is
// part of the cache key so that a rotated secret never reuses a stale key. Bounded: oldest entry leaves first.
const MAX_CACHED_SIGNING_KEYS = 512;
const signingKeys = new Map<string, Buffer>();

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${date}/${region}/${service}/${secret}`; // date, region, service never contain '/'
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    if (signingKeys.size >= MAX_CACHED_SIGNING_KEYS) {
      const oldest = signingKeys.keys().next();
      if (oldest.done !== true) signingKeys.delete(oldest.value);
    }
    signingKeys.set(cacheKey, key);
  }
  return key;
}
