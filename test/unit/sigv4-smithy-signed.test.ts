import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifySigV4, REASONS, type SignedRequest } from '../../src/auth/sigv4.ts';
import {
  demoAuditor,
  demoCredentials,
  demoOperatorOne,
  demoOperatorTwo,
  demoStore,
  pathWithQuery,
  signedHeaders,
  TEST_REGION,
  type SignInput,
} from '../support/sign-request.ts';

const SIGNED_AT = new Date('2026-01-15T10:00:00Z');
const lookupDemo = (id: string) => demoStore.lookup(id)?.secretAccessKey;
const verifyOptions = { now: SIGNED_AT, maxClockSkewSeconds: 900, region: TEST_REGION };

/** What the server receives for a request signed by the helper: the target that `pathWithQuery` builds. */
async function signedRequest(input: Omit<SignInput, 'host' | 'date'>): Promise<SignedRequest> {
  const headers = await signedHeaders({ ...input, host: 'certguard.test:8443', date: SIGNED_AT });
  const target = pathWithQuery(input.path, input.query);
  const queryStart = target.indexOf('?');
  const lowercased = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: input.method,
    rawPath: queryStart === -1 ? target : target.slice(0, queryStart),
    rawQuery: queryStart === -1 ? '' : target.slice(queryStart + 1),
    headers: lowercased,
    body: Buffer.from(input.body ?? '', 'utf8'),
  };
}

const ATTACHED_POLICIES = {
  method: 'POST',
  path: '/attached-policies/arn%3Aaws%3Aiot%3Aus-east-1%3A111111111111%3Acert%2Fabab',
  query: { pageSize: '3', marker: "a b/c=d+e~!'ü", recursive: 'true' },
  headers: { 'content-type': 'application/json', 'x-amz-meta-note': '  spaced   out  ' },
  body: '{"note":"ü and more"}',
  credential: demoOperatorOne,
};

describe('requests signed by the AWS JS SDK signer (@smithy/signature-v4) verify', () => {
  for (const service of ['iot', 'execute-api'] as const) {
    test(`a request scoped to service ${service} verifies, with %XX in the path and reserved characters in the query`, async () => {
      const req = await signedRequest({ ...ATTACHED_POLICIES, service });
      assert.deepEqual(verifySigV4(req, lookupDemo, verifyOptions), {
        ok: true,
        accessKeyId: demoOperatorOne.accessKeyId,
        region: TEST_REGION,
        service,
      });
    });
  }

  test('a request signed CLI-style without x-amz-content-sha256 verifies by hashing the body', async () => {
    const req = await signedRequest({ ...ATTACHED_POLICIES, contentSha256Header: false, service: 'execute-api' });
    assert.equal(req.headers['x-amz-content-sha256'], undefined);
    assert.equal(verifySigV4(req, lookupDemo, verifyOptions).ok, true);
  });

  test('a bodiless GET with no query verifies for every demo credential', async () => {
    for (const credential of demoCredentials) {
      const req = await signedRequest({ method: 'GET', path: '/certificates/abab', credential });
      const result = verifySigV4(req, lookupDemo, verifyOptions);
      assert.equal(result.ok && result.accessKeyId, credential.accessKeyId);
    }
  });

  test("a request signed with one account's secret under another account's key id is rejected", async () => {
    const credential = { accessKeyId: demoOperatorTwo.accessKeyId, secretAccessKey: demoOperatorOne.secretAccessKey };
    const req = await signedRequest({ ...ATTACHED_POLICIES, credential });
    assert.deepEqual(verifySigV4(req, lookupDemo, verifyOptions), { ok: false, reason: REASONS.mismatch });
  });

  test('a rotated secret takes effect at once: the cached signing key is tied to the secret', async () => {
    const req = await signedRequest({ ...ATTACHED_POLICIES, credential: demoAuditor });
    assert.equal(verifySigV4(req, lookupDemo, verifyOptions).ok, true);
    const rotated = () => 'a-brand-new-secret-after-rotation';
    assert.deepEqual(verifySigV4(req, rotated, verifyOptions), { ok: false, reason: REASONS.mismatch });
  });
});
