/**
 * operationInput (src/request/operation-input.ts) behind the app's own OpenAPI validator (src/http/openapi-validation.ts),
 * over real HTTP: query values come out with the contract's types (booleans and integers, not
 * strings), an absent optional body reads as {}, headers and path members are there, and a route that names an
 * operation other than the one the validator matched fails instead of reading an unvalidated shape.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { OPENAPI_SPEC_PATH } from '../../src/app.ts';
import { captureRawBody, parseJsonBody } from '../../src/http/body-parser.ts';
import { openApiValidation } from '../../src/http/openapi-validation.ts';
import { OperationMismatchError, operationInput } from '../../src/request/operation-input.ts';

const CERTIFICATE_ID = 'ab'.repeat(32);

function probeApp(): express.Express {
  const app = express();
  app.set('query parser', 'extended');
  app.use(captureRawBody, parseJsonBody);
  app.use(openApiValidation(OPENAPI_SPEC_PATH)); // the app's own validator
  app.get('/certificates', (req, res) => {
    const { query } = operationInput(req, 'ListCertificates');
    res.json({ query, types: { pageSize: typeof query.pageSize, isAscendingOrder: typeof query.isAscendingOrder } });
  });
  app.patch('/transfer-certificate/:certificateId', (req, res) => {
    const { path, query, body } = operationInput(req, 'TransferCertificate');
    res.json({ path, query, body });
  });
  app.delete('/certificates/:certificateId', (req, res) => {
    const { path, query } = operationInput(req, 'DeleteCertificate');
    res.json({ path, forceDelete: query.forceDelete ?? null });
  });
  app.put('/principal-policies/:policyName', (req, res) => {
    const { path, header } = operationInput(req, 'AttachPrincipalPolicy');
    res.json({ policyName: path.policyName, principal: header['x-amzn-iot-principal'] });
  });
  // Wrong on purpose: GET /certificates/{id} is DescribeCertificate.
  app.get('/certificates/:certificateId', (req, res) => {
    res.json(operationInput(req, 'DeleteCertificate').path);
  });
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status ?? 500).json({ name: error.constructor.name, message: error.message });
  });
  return app;
}

describe('operationInput: typed request members after the validator', () => {
  const app = probeApp();

  test('coerced query values have the contract types: integer and boolean, not strings', async () => {
    const res = await request(app).get('/certificates?pageSize=7&isAscendingOrder=false&marker=abc');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { query: { pageSize: 7, isAscendingOrder: false, marker: 'abc' }, types: { pageSize: 'number', isAscendingOrder: 'boolean' } });
  });

  test('absent query members stay absent', async () => {
    const res = await request(app).get('/certificates');
    assert.deepEqual(res.body, { query: {}, types: { pageSize: 'undefined', isAscendingOrder: 'undefined' } });
  });

  test('path, query and JSON body; an absent optional body reads as {}', async () => {
    const withBody = await request(app)
      .patch(`/transfer-certificate/${CERTIFICATE_ID}?targetAwsAccount=222222222222`)
      .set('content-type', 'application/json')
      .send({ transferMessage: 'to you' });
    assert.deepEqual(withBody.body, {
      path: { certificateId: CERTIFICATE_ID },
      query: { targetAwsAccount: '222222222222' },
      body: { transferMessage: 'to you' },
    });
    const without = await request(app).patch(`/transfer-certificate/${CERTIFICATE_ID}?targetAwsAccount=222222222222`);
    assert.deepEqual(without.body, { path: { certificateId: CERTIFICATE_ID }, query: { targetAwsAccount: '222222222222' }, body: {} });
  });

  test('a boolean query flag: true is the boolean true', async () => {
    const res = await request(app).delete(`/certificates/${CERTIFICATE_ID}?forceDelete=true`);
    assert.deepEqual(res.body, { path: { certificateId: CERTIFICATE_ID }, forceDelete: true });
  });

  test('a contract header is read by its lower-case name', async () => {
    const res = await request(app).put('/principal-policies/p1').set('x-amzn-iot-principal', 'us-east-1:abc-123');
    assert.deepEqual(res.body, { policyName: 'p1', principal: 'us-east-1:abc-123' });
  });

  test('a route naming another operation than the validated one fails loudly', async () => {
    const res = await request(app).get(`/certificates/${CERTIFICATE_ID}`);
    assert.equal(res.status, 500);
    assert.equal(res.body.name, OperationMismatchError.name);
    assert.match(res.body.message, /reads DeleteCertificate input, but the request was validated as DescribeCertificate/);
  });
});
