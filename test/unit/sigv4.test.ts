import { createHash, createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REASONS, verifySigV4, type SignedRequest, type VerifyResult } from '../../src/auth/sigv4.ts';
import { CAPTURED_REQUESTS, EXAMPLE_CREDENTIAL, EXAMPLE_REGION, findCaptured, toSignedRequest } from '../support/captured-requests.ts';

const lookupExample = (id: string) => (id === EXAMPLE_CREDENTIAL.accessKeyId ? EXAMPLE_CREDENTIAL.secretAccessKey : undefined);

function verifyAt(req: SignedRequest, now: string | Date, options: { region?: string; skew?: number } = {}): VerifyResult {
  return verifySigV4(req, lookupExample, {
    now: new Date(now),
    maxClockSkewSeconds: options.skew ?? 900,
    region: options.region ?? EXAMPLE_REGION,
  });
}

function assertRejected(result: VerifyResult, reason: string | RegExp): void {
  assert.equal(result.ok, false, 'expected the request to be rejected');
  if (result.ok) return;
  if (typeof reason === 'string') assert.equal(result.reason, reason);
  else assert.match(result.reason, reason);
  assert.ok(!result.reason.includes(EXAMPLE_CREDENTIAL.secretAccessKey), 'a reason must never contain the secret');
}

const CLI_TRANSFER = findCaptured('§6.1 aws-cli 2.9.19: transfer-certificate');
const CLI_DETACH = findCaptured('§6.1 aws-cli 2.9.19: detach-principal-policy');
const JS_TRANSFER = findCaptured('§6.3 JS SDK v3: transfer-certificate');
const JS_ATTACHED_POLICIES = findCaptured('§6.3 JS SDK v3: list-attached-policies');

function withHeaders(req: SignedRequest, changes: Record<string, string | undefined>): SignedRequest {
  return { ...req, headers: { ...req.headers, ...changes } };
}

function withAuthorization(req: SignedRequest, edit: (value: string) => string): SignedRequest {
  return withHeaders(req, { authorization: edit(req.headers.authorization as string) });
}

describe('SigV4 verification of requests captured from real AWS clients', () => {
  test('the vector set covers every client and the double-encoded path', () => {
    assert.equal(CAPTURED_REQUESTS.length, 26);
    assert.ok(CAPTURED_REQUESTS.some((c) => c.target.includes('%3A')));
    assert.ok(CAPTURED_REQUESTS.some((c) => c.rawHeaders.some((h) => h.toLowerCase().startsWith('x-amz-security-token'))));
  });

  for (const captured of CAPTURED_REQUESTS) {
    test(`accepts ${captured.source} (${captured.method} ${captured.target.slice(0, 60)})`, () => {
      const result = verifyAt(toSignedRequest(captured), captured.date);
      assert.deepEqual(result, {
        ok: true,
        accessKeyId: EXAMPLE_CREDENTIAL.accessKeyId,
        region: EXAMPLE_REGION,
        service: captured.source.includes('aws-cli') ? 'execute-api' : 'iot',
      });
    });
  }
});

describe('SigV4 verification rejects altered requests', () => {
  const mismatch = REASONS.mismatch;

  test('a changed body is rejected when the client sent no x-amz-content-sha256 (CLI)', () => {
    const req = { ...toSignedRequest(CLI_TRANSFER), body: Buffer.from('{"transferMessage": "ho"}') };
    assertRejected(verifyAt(req, CLI_TRANSFER.date), mismatch);
  });

  test('a changed body is rejected when it no longer matches x-amz-content-sha256 (JS SDK)', () => {
    const req = { ...toSignedRequest(JS_TRANSFER), body: Buffer.from('{"transferMessage":"ho"}') };
    assertRejected(verifyAt(req, JS_TRANSFER.date), REASONS.payloadHashMismatch);
  });

  test('an x-amz-content-sha256 that differs from the body hash is rejected', () => {
    const otherHash = createHash('sha256').update('something else').digest('hex');
    const req = withHeaders(toSignedRequest(JS_TRANSFER), { 'x-amz-content-sha256': otherHash });
    assertRejected(verifyAt(req, JS_TRANSFER.date), REASONS.payloadHashMismatch);
  });

  test('UNSIGNED-PAYLOAD is refused, so the body is always authenticated', () => {
    const req = withHeaders(toSignedRequest(JS_TRANSFER), { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    assertRejected(verifyAt(req, JS_TRANSFER.date), REASONS.unsignedPayload);
  });

  test('a changed query parameter is rejected', () => {
    const req = { ...toSignedRequest(CLI_TRANSFER), rawQuery: 'targetAwsAccount=999999999999' };
    assertRejected(verifyAt(req, CLI_TRANSFER.date), mismatch);
  });

  test('an added query parameter is rejected', () => {
    const req = toSignedRequest(CLI_TRANSFER);
    assertRejected(verifyAt({ ...req, rawQuery: `${req.rawQuery}&extra=1` }, CLI_TRANSFER.date), mismatch);
  });

  test('a changed path is rejected', () => {
    const req = { ...toSignedRequest(CLI_TRANSFER), rawPath: `/transfer-certificate/${'cd'.repeat(32)}` };
    assertRejected(verifyAt(req, CLI_TRANSFER.date), mismatch);
  });

  test('a changed method is rejected', () => {
    assertRejected(verifyAt({ ...toSignedRequest(CLI_TRANSFER), method: 'PUT' }, CLI_TRANSFER.date), mismatch);
  });

  test('a changed signed header is rejected', () => {
    const principal = `arn:aws:iot:us-east-1:123456789012:cert/${'cd'.repeat(32)}`;
    const req = withHeaders(toSignedRequest(CLI_DETACH), { 'x-amzn-iot-principal': principal });
    assertRejected(verifyAt(req, CLI_DETACH.date), mismatch);
  });

  test('a changed unsigned header does not matter', () => {
    const req = withHeaders(toSignedRequest(CLI_TRANSFER), { 'user-agent': 'something-else/1.0' });
    assert.equal(verifyAt(req, CLI_TRANSFER.date).ok, true);
  });

  test('the right key id with a wrong secret is rejected', () => {
    const result = verifySigV4(toSignedRequest(CLI_TRANSFER), () => 'a-completely-different-secret-key', {
      now: new Date(CLI_TRANSFER.date),
      maxClockSkewSeconds: 900,
      region: EXAMPLE_REGION,
    });
    assertRejected(result, mismatch);
  });

  test('an unknown access key id is rejected as an invalid security token', () => {
    const result = verifySigV4(toSignedRequest(CLI_TRANSFER), () => undefined, {
      now: new Date(CLI_TRANSFER.date),
      maxClockSkewSeconds: 900,
      region: EXAMPLE_REGION,
    });
    assertRejected(result, REASONS.unknownKey);
  });
});

describe('SigV4 verification checks time, scope and region', () => {
  const signedAt = Date.parse(CLI_TRANSFER.date);
  const req = toSignedRequest(CLI_TRANSFER);

  test('a request exactly at the clock-skew limit, late or early, is accepted', () => {
    assert.equal(verifyAt(req, new Date(signedAt + 900_000)).ok, true);
    assert.equal(verifyAt(req, new Date(signedAt - 900_000)).ok, true);
  });

  test('a request older than the clock-skew limit is rejected as expired', () => {
    assertRejected(
      verifyAt(req, new Date(signedAt + 901_000)),
      'Signature expired: 20261126T124225Z is now earlier than 20261126T124226Z (20261126T125726Z - 15 min.)',
    );
  });

  test('a request from further in the future than the limit is rejected', () => {
    assertRejected(verifyAt(req, new Date(signedAt - 901_000)), /^Signature not yet current: 20261126T124225Z is still later than/);
  });

  test('the clock-skew limit is configurable', () => {
    assertRejected(verifyAt(req, new Date(signedAt + 61_000), { skew: 60 }), /^Signature expired: .*- 1 min\.\)$/);
    assert.equal(verifyAt(req, new Date(signedAt + 59_000), { skew: 60 }).ok, true);
  });

  test('a credential scope date that differs from X-Amz-Date is rejected', () => {
    const edited = withAuthorization(req, (a) => a.replace('/20261126/', '/20261125/'));
    assertRejected(verifyAt(edited, CLI_TRANSFER.date), /^Date in Credential scope does not match .*'20261125' != '20261126'/);
  });

  test('a request scoped to another region than the configured one is rejected', () => {
    assertRejected(verifyAt(req, CLI_TRANSFER.date, { region: 'eu-west-1' }), "Credential should be scoped to a valid region, not 'us-east-1'.");
  });

  test('a credential scoped to a service other than iot or execute-api is rejected', () => {
    const edited = withAuthorization(req, (a) => a.replace('/execute-api/', '/s3/'));
    assertRejected(verifyAt(edited, CLI_TRANSFER.date), "Credential should be scoped to correct service: 'iot'.");
  });

  test('a missing, malformed or impossible X-Amz-Date is rejected', () => {
    for (const value of [undefined, '2026-11-26T12:42:25Z', '20261126T124225', '20260231T124225Z']) {
      assertRejected(verifyAt(withHeaders(req, { 'x-amz-date': value }), CLI_TRANSFER.date), REASONS.missingDate);
    }
  });
});

describe('SigV4 verification rejects missing or malformed Authorization headers', () => {
  const req = toSignedRequest(CLI_TRANSFER);
  const reject = (authorization: string | undefined, reason: string | RegExp) =>
    assertRejected(verifyAt(withHeaders(req, { authorization }), CLI_TRANSFER.date), reason);

  test('a request without Authorization gets Missing Authentication Token', () => {
    reject(undefined, 'Missing Authentication Token');
    reject('', 'Missing Authentication Token');
  });

  test('another algorithm is rejected', () => {
    reject('Bearer abc', "Authorization header requires the 'AWS4-HMAC-SHA256' algorithm.");
  });

  test('missing parameters are each named', () => {
    reject(
      'AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.",
    );
  });

  test('a malformed credential, signed-header list or signature is rejected', () => {
    const auth = req.headers.authorization as string;
    reject(auth.replace('/aws4_request', '/aws5_request'), /Credential must be/);
    reject(auth.replace('AKIDEXAMPLE/20261126', 'AKIDEXAMPLE/2026112'), /Credential must be/);
    reject(auth.replace('content-type;host;x-amz-date', 'host;content-type;x-amz-date'), /must be sorted/);
    reject(auth.replace('content-type;host;x-amz-date', 'content-type;host;host;x-amz-date'), /must be sorted/);
    reject(auth.replace('content-type;host;x-amz-date', 'Content-Type;host;x-amz-date'), /lowercase header names/);
    reject(auth.replace(/Signature=[0-9a-f]{64}/, 'Signature=abc'), /64 lowercase hexadecimal/);
    reject(auth.replace('Signature=', 'Signature=Signature='), /64 lowercase hexadecimal/);
    reject(`${auth}, Extra=1`, /Authorization header is malformed/);
    reject(auth.replace(', Signature=', ', Signature=0, Signature='), /Authorization header is malformed/);
  });

  test('a signature that does not sign the host header is rejected', () => {
    const auth = (req.headers.authorization as string).replace('content-type;host;x-amz-date', 'content-type;x-amz-date');
    reject(auth, REASONS.hostNotSigned);
  });

  test('a signature that does not sign x-amz-date is rejected, whatever the signature', () => {
    const auth = (req.headers.authorization as string).replace('content-type;host;x-amz-date', 'content-type;host');
    reject(auth, REASONS.dateNotSigned);
  });

  test('malformed percent-encoding in the query is rejected', () => {
    assertRejected(verifyAt({ ...req, rawQuery: 'targetAwsAccount=%zz' }, CLI_TRANSFER.date), REASONS.malformedUrl);
  });
});

describe('SigV4 canonical URI is the raw path encoded once more', () => {
  const captured = JS_ATTACHED_POLICIES;
  const req = toSignedRequest(captured);

  /** An independent SigV4 signature for the captured request, with the canonical URI chosen by the caller. */
  function signatureWithCanonicalUri(canonicalUri: string): string {
    const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
    const headerNames = ['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-user-agent'];
    const canonicalRequest = [
      req.method,
      canonicalUri,
      'pageSize=3&recursive=true',
      ...headerNames.map((name) => `${name}:${req.headers[name] as string}`),
      '',
      headerNames.join(';'),
      createHash('sha256').update(req.body).digest('hex'),
    ].join('\n');
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      req.headers['x-amz-date'],
      '20261126/us-east-1/iot/aws4_request',
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${EXAMPLE_CREDENTIAL.secretAccessKey}`, '20261126'), 'us-east-1'), 'iot'), 'aws4_request');
    return createHmac('sha256', key).update(stringToSign).digest('hex');
  }

  const doubleEncoded = req.rawPath.replaceAll('%', '%25'); // %3A -> %253A
  const capturedSignature = /Signature=([0-9a-f]{64})/.exec(req.headers.authorization as string)?.[1];

  test('the JS SDK signed /attached-policies/arn%3A... with the double-encoded path, not the path as sent', () => {
    assert.ok(doubleEncoded.includes('%253A'));
    assert.equal(signatureWithCanonicalUri(doubleEncoded), capturedSignature);
    assert.notEqual(signatureWithCanonicalUri(req.rawPath), capturedSignature);
  });

  test('a signature computed over the single-encoded path is rejected', () => {
    const singleEncodedSignature = signatureWithCanonicalUri(req.rawPath);
    const forged = withAuthorization(req, (a) => a.replace(/Signature=[0-9a-f]{64}/, `Signature=${singleEncodedSignature}`));
    assertRejected(verifyAt(forged, captured.date), REASONS.mismatch);
    assert.equal(verifyAt(req, captured.date).ok, true);
  });
});
