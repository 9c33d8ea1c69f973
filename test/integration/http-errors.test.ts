/**
 * Bad input of every kind gets an AWS-format error (status, x-amzn-ErrorType, JSON {"message"}) and changes
 * nothing; never HTML, never a stack trace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeCertificateCommand, IoTClient, TransferCertificateCommand } from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo, TEST_REGION } from '../support/sign-request.ts';
import { startTestService, type RawResponse, type TestService } from '../support/test-service.ts';

function assertAwsError(response: RawResponse, status: number, errorType: string, message?: RegExp): void {
  assert.equal(response.status, status, response.text);
  assert.equal(response.headers.get('x-amzn-errortype'), errorType);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.ok(response.json, `body is JSON: ${response.text}`);
  assert.equal(typeof response.json.message, 'string');
  assert.doesNotMatch(response.text, /<html|<!DOCTYPE|\n\s+at /i, 'no HTML, no stack trace');
  if (message) assert.match(String(response.json.message), message);
}

describe('HTTP errors in the AWS format', () => {
  let svc: TestService;
  let certificateId: string;
  const transferPath = () => `/transfer-certificate/${certificateId}`;
  const target = { targetAwsAccount: demoOperatorTwo.accountId };

  before(async () => {
    svc = await startTestService();
    certificateId = (await createCertificate(svc.iot(demoOperatorOne))).certificateId;
  });
  after(() => svc.close());

  test('malformed JSON is InvalidRequestException (400)', async () => {
    const r = await svc.send({
      method: 'PATCH',
      path: transferPath(),
      query: target,
      body: '{"transferMessage": ',
      headers: { 'content-type': 'application/json' },
      credential: demoOperatorOne,
    });
    assertAwsError(r, 400, 'InvalidRequestException', /not valid JSON/);
  });

  test('a JSON body that is not an object is InvalidRequestException (400)', async () => {
    const r = await svc.send({
      method: 'PATCH',
      path: transferPath(),
      query: target,
      body: '["x"]',
      headers: { 'content-type': 'application/json' },
      credential: demoOperatorOne,
    });
    assertAwsError(r, 400, 'InvalidRequestException');
  });

  test('a missing required query member is InvalidRequestException (400) naming it', async () => {
    const r = await svc.send({
      method: 'PATCH',
      path: transferPath(),
      body: '{}',
      headers: { 'content-type': 'application/json' },
      credential: demoOperatorOne,
    });
    assertAwsError(r, 400, 'InvalidRequestException', /targetAwsAccount/);
  });

  test('an unknown query member is InvalidRequestException (400)', async () => {
    const r = await svc.send({ method: 'PATCH', path: transferPath(), query: { ...target, sneaky: '1' }, credential: demoOperatorOne });
    assertAwsError(r, 400, 'InvalidRequestException', /sneaky/);
  });

  test("an unknown route is UnknownOperationException (404) in JSON, not Express's HTML page", async () => {
    const r = await svc.send({ method: 'GET', path: '/no-such-operation', credential: demoOperatorOne });
    assertAwsError(r, 404, 'UnknownOperationException');
  });

  test('a known path with the wrong method is MethodNotAllowedException (405) with an Allow header', async () => {
    const r = await svc.send({ method: 'DELETE', path: transferPath(), credential: demoOperatorOne });
    assertAwsError(r, 405, 'MethodNotAllowedException');
    assert.match(r.headers.get('allow') ?? '', /PATCH/);
  });

  test('a body that is not JSON is UnsupportedMediaTypeException (415)', async () => {
    const r = await svc.send({
      method: 'PATCH',
      path: transferPath(),
      query: target,
      body: 'transferMessage=hi',
      headers: { 'content-type': 'text/plain' },
      credential: demoOperatorOne,
    });
    assertAwsError(r, 415, 'UnsupportedMediaTypeException');
  });

  test('a body over 1 MiB is PayloadTooLargeException (413)', async () => {
    const body = JSON.stringify({ transferMessage: 'x'.repeat(1024 * 1024 + 10) });
    const r = await svc.send({
      method: 'PATCH',
      path: transferPath(),
      query: target,
      body,
      headers: { 'content-type': 'application/json' },
      credential: demoOperatorOne,
    });
    assertAwsError(r, 413, 'PayloadTooLargeException');
  });

  test('no Authorization header is UnauthorizedException (401)', async () => {
    const r = await svc.send({ method: 'PATCH', path: transferPath(), query: target, credential: null });
    assertAwsError(r, 401, 'UnauthorizedException', /Missing Authentication Token/);
  });

  test('a wrong secret is UnauthorizedException (401) for the AWS SDK too, and changes nothing', async () => {
    const intruder = new IoTClient({
      region: TEST_REGION,
      endpoint: svc.baseUrl,
      maxAttempts: 1,
      credentials: { accessKeyId: demoOperatorOne.accessKeyId, secretAccessKey: 'not-the-right-secret-at-all' },
    });
    try {
      await rejectsWithAws(
        intruder.send(new TransferCertificateCommand({ certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
        'UnauthorizedException',
        401,
        /signature/,
      );
    } finally {
      intruder.destroy();
    }
    const d = await svc.iot(demoOperatorOne).send(new DescribeCertificateCommand({ certificateId }));
    assert.equal(d.certificateDescription?.status, 'INACTIVE');
  });

  test('a tampered body (signed for another message) is UnauthorizedException (401)', async () => {
    const r = await svc.send({
      method: 'PATCH',
      path: transferPath(),
      query: target,
      body: '{"transferMessage":"a"}',
      headers: { 'content-type': 'application/json' },
      credential: demoOperatorOne,
    });
    assert.notEqual(r.status, 401, 'the untampered request authenticates');
    const { signedHeaders } = await import('../support/sign-request.ts');
    const headers = await signedHeaders({
      method: 'PATCH',
      path: transferPath(),
      query: target,
      body: '{"transferMessage":"a"}',
      headers: { 'content-type': 'application/json' },
      host: svc.host,
      credential: demoOperatorOne,
      contentSha256Header: false,
    });
    const tampered = await fetch(`${svc.baseUrl}${transferPath()}?targetAwsAccount=${demoOperatorTwo.accountId}`, {
      method: 'PATCH',
      headers,
      body: '{"transferMessage":"b"}',
    });
    assert.equal(tampered.status, 401);
    assert.equal(tampered.headers.get('x-amzn-errortype'), 'UnauthorizedException');
  });

  test('every response carries x-amzn-RequestId', async () => {
    const r = await svc.send({ method: 'GET', path: `/certificates/${certificateId}`, credential: demoOperatorOne });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('running on the demo credentials is announced by a warning at start-up', () => {
    const warning = svc.logs.find((l) => l.level === 'warn' && /DEMO credentials/.test(String(l.message)));
    assert.ok(warning, 'a warning names the demo credentials');
    assert.doesNotMatch(JSON.stringify(svc.logs), /DO-NOT-USE-IN-PRODUCTION/, 'no secret in any log line');
  });

  test('health, readiness and the OpenAPI document are served without authentication', async () => {
    const health = await fetch(`${svc.baseUrl}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${svc.baseUrl}/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: true, migrations: true, bundle: true, sealer: true } });
    const spec = (await (await fetch(`${svc.baseUrl}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.match(spec.openapi, /^3\./);
    assert.ok(spec.paths['/transfer-certificate/{certificateId}']);
  });
});
