/**
 * µs per verifySigV4 of a TransferCertificate request signed as the AWS JS SDK signs it (same headers, body hash
 * header, the SDK's own signer), against the floor of any verifier: one HMAC-SHA256 over the canonical request
 * bytes. The ratio is what parsing, canonicalisation, the body hash and the string to sign cost on top.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { parseAuthorization } from '../src/auth/sigv4-authorization.ts';
import { canonicalHeaders, canonicalQuery, canonicalUri } from '../src/auth/sigv4-canonical.ts';
import { type SignedRequest, verifySigV4 } from '../src/auth/sigv4.ts';
import { demoOperatorOne, signedHeaders, TEST_REGION } from '../test/support/sign-request.ts';
import type { BenchOptions, BenchResult } from './support/bench-module.ts';
import { compareLoops, comparisonResult, type MicroPlan } from './support/micro-timer.ts';

export const name = 'sigv4';

const HOST = '127.0.0.1:3000';
const PATH = `/transfer-certificate/${'ab'.repeat(32)}`;
const QUERY = 'targetAwsAccount=222222222222';
const BODY = '{"transferMessage":"to the Lyon plant"}';

/** The request as Node hands it to the verifier (lowercased header names), signed at `date`. */
async function jsSdkRequest(date: Date): Promise<SignedRequest> {
  const headers = await signedHeaders({
    method: 'PATCH',
    path: PATH,
    query: { targetAwsAccount: '222222222222' },
    body: BODY,
    host: HOST,
    credential: demoOperatorOne,
    date,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(BODY)),
      'x-amz-user-agent': 'aws-sdk-js/3.1169.0',
      'user-agent': 'aws-sdk-js/3.1169.0 ua/2.1 lang/js md/nodejs api/iot#3.1169.0',
    },
  });
  const lowercased = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
  return { method: 'PATCH', rawPath: PATH, rawQuery: QUERY, headers: { ...lowercased, connection: 'keep-alive' }, body: Buffer.from(BODY) };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** The canonical request the verifier hashes, and the signing key it derives (and caches) for it. */
function canonicalBytesAndKey(request: SignedRequest): { bytes: Buffer; key: Buffer } {
  const auth = parseAuthorization(request.headers.authorization as string);
  assert.ok(typeof auth !== 'string', auth as string);
  const canonical = [
    request.method,
    canonicalUri(request.rawPath),
    canonicalQuery(request.rawQuery),
    canonicalHeaders(request.headers, auth.signedHeaderNames),
    auth.signedHeaders,
    request.headers['x-amz-content-sha256'] as string,
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${demoOperatorOne.secretAccessKey}`, auth.date), auth.region), auth.service), 'aws4_request');
  return { bytes: Buffer.from(canonical, 'utf8'), key };
}

function plan(quick: boolean): MicroPlan {
  return quick
    ? { warmupMs: 200, roundMs: 20, rounds: 10, maxIterationsPerRound: 200_000 }
    : { warmupMs: 1_000, roundMs: 100, rounds: 30, maxIterationsPerRound: 2_000_000 };
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const signedAt = new Date();
  const request = await jsSdkRequest(signedAt);
  const lookupSecret = (accessKeyId: string) => (accessKeyId === demoOperatorOne.accessKeyId ? demoOperatorOne.secretAccessKey : undefined);
  // `now` is the signing instant, so the request stays inside the clock-skew window however long the run takes.
  const verifyOptions = { now: signedAt, maxClockSkewSeconds: 900, region: TEST_REGION };
  const verdict = verifySigV4(request, lookupSecret, verifyOptions);
  assert.ok(verdict.ok, `the benchmark request must verify: ${JSON.stringify(verdict)}`);
  const { bytes, key } = canonicalBytesAndKey(request);

  const { rounds, roundMs } = plan(options.quick);
  options.log(`sigv4: ${rounds} rounds of ${roundMs} ms each side`);
  const timings = await compareLoops(
    () => verifySigV4(request, lookupSecret, verifyOptions),
    () => createHmac('sha256', key).update(bytes).digest(),
    plan(options.quick),
  );
  return [
    comparisonResult(timings, {
      name: 'verifySigV4, JS-SDK-signed TransferCertificate',
      unit: 'µs/request',
      baselineName: `one HMAC-SHA256 of the ${bytes.length}-byte canonical request`,
    }),
  ];
}
