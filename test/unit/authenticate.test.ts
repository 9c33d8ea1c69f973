import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { authenticate } from '../../src/auth/authenticate.ts';
import { ServiceError } from '../../src/errors.ts';
import { demoAuditor, demoOperatorOne, demoStore, pathWithQuery, signedHeaders, TEST_REGION } from '../support/sign-request.ts';

const HOST = 'certguard.test';

/** A minimal app: capture the raw body, authenticate, echo the caller; errors rendered the AWS way. */
function testApp(now?: () => Date): express.Express {
  const app = express();
  app.use(express.raw({ type: () => true }), (req, _res, next) => {
    if (Buffer.isBuffer(req.body)) (req as { rawBody?: Buffer }).rawBody = req.body;
    next();
  });
  app.use(authenticate(demoStore, { maxClockSkewSeconds: 900, region: TEST_REGION, now }));
  app.all('/{*rest}', (req, res) => {
    res.json({ caller: res.locals.caller, path: req.path });
  });
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (!(error instanceof ServiceError)) throw error;
    res.status(error.status).set('x-amzn-ErrorType', error.errorType).json({ message: error.message });
  });
  return app;
}

const PATH = '/attached-policies/arn%3Aaws%3Aiot%3Aus-east-1%3A111111111111%3Acert%2Fabab';
const QUERY = { pageSize: '3', marker: 'a b/c=d' };

describe('authenticate middleware', () => {
  test('a signed request through supertest reaches the handler with the caller from the store', async () => {
    const body = '{"transferMessage":"hi"}';
    const headers = await signedHeaders({
      method: 'PATCH',
      path: PATH,
      query: QUERY,
      body,
      host: HOST,
      credential: demoOperatorOne,
      headers: { 'content-type': 'application/json' },
    });
    const response = await request(testApp()).patch(pathWithQuery(PATH, QUERY)).set(headers).send(body);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.caller, {
      accountId: demoOperatorOne.accountId,
      accessKeyId: demoOperatorOne.accessKeyId,
      roles: ['operator'],
    });
  });

  test('a CLI-style request (no x-amz-content-sha256, execute-api scope) is accepted for the auditor', async () => {
    const body = '{"rejectReason": "no thanks"}';
    const headers = await signedHeaders({
      method: 'PATCH',
      path: '/reject-certificate-transfer/abab',
      body,
      host: HOST,
      credential: demoAuditor,
      service: 'execute-api',
      contentSha256Header: false,
      headers: { 'content-type': 'application/json' },
    });
    const response = await request(testApp()).patch('/reject-certificate-transfer/abab').set(headers).send(body);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.caller.roles, ['auditor']);
  });

  test('a tampered body is refused with 401 UnauthorizedException', async () => {
    const headers = await signedHeaders({
      method: 'PATCH',
      path: '/reject-certificate-transfer/abab',
      body: '{"a":1}',
      host: HOST,
      credential: demoOperatorOne,
      contentSha256Header: false,
      headers: { 'content-type': 'application/json' },
    });
    const response = await request(testApp()).patch('/reject-certificate-transfer/abab').set(headers).send('{"a":2}');
    assert.equal(response.status, 401);
    assert.equal(response.headers['x-amzn-errortype'], 'UnauthorizedException');
    assert.match(response.body.message, /^The request signature we calculated does not match/);
  });

  test('a request without Authorization is refused with Missing Authentication Token', async () => {
    const response = await request(testApp()).get('/certificates');
    assert.equal(response.status, 401);
    assert.deepEqual(response.body, { message: 'Missing Authentication Token' });
  });

  test('the injected clock decides whether a signature has expired', async () => {
    const signedAt = new Date('2026-01-15T10:00:00Z');
    const headers = await signedHeaders({ method: 'GET', path: '/certificates', host: HOST, credential: demoOperatorOne, date: signedAt });
    const later = () => new Date(signedAt.getTime() + 16 * 60_000);
    const response = await request(testApp(later)).get('/certificates').set(headers);
    assert.equal(response.status, 401);
    assert.match(response.body.message, /^Signature expired: 20260115T100000Z is now earlier than/);
    const inTime = await request(testApp(() => signedAt))
      .get('/certificates')
      .set(headers);
    assert.equal(inTime.status, 200);
  });
});
