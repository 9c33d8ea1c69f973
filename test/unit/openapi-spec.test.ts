import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import request from 'supertest';
import { parse } from 'yaml';
import { openApiValidation } from '../../src/http/openapi-validation.ts';

const specPath = fileURLToPath(new URL('../../openapi/certguard.yaml', import.meta.url));
const CERT_ID = 'ab'.repeat(32);
const ACCOUNT = '123456789012';
const CERT_ARN = `arn:aws:iot:us-east-1:${ACCOUNT}:cert/${CERT_ID}`;

type ValidatorError = {
  status?: number;
  message: string;
  errors?: { path: string; message: string }[];
  headers?: { Allow?: string };
};

/** The smallest app that runs the contract: the echo shows what the validator hands to a handler. */
function buildApp() {
  const app = express();
  app.set('query parser', 'extended');
  app.use(express.json());
  app.use(openApiValidation(specPath)); // the app's own validator
  app.use((req: Request, res: Response) => {
    const openapi = (req as Request & { openapi?: { pathParams: object } }).openapi;
    res.status(200).json({ query: req.query, pathParams: openapi?.pathParams, body: req.body ?? null });
  });
  app.use((err: ValidatorError, _req: Request, res: Response, _next: NextFunction) => {
    // The validator puts Allow on err.headers (405); it is the error handler's job to send it.
    if (err.headers?.Allow) res.set('Allow', err.headers.Allow);
    res.status(err.status ?? 500).json({ status: err.status, message: err.message, errors: err.errors });
  });
  return app;
}

const app = buildApp();
const transfer = (id: string, query: string) => request(app).patch(`/transfer-certificate/${id}${query}`);

describe('openapi/certguard.yaml', () => {
  test("declares all 23 AWS IoT operations and certguard's own endpoints, each with a unique operationId", () => {
    const spec = parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, Record<string, { operationId?: string }>> };
    const ids = Object.values(spec.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op && typeof op === 'object' && 'operationId' in op ? [op.operationId] : [])),
    );
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    const aws = [
      'TransferCertificate',
      'AcceptCertificateTransfer',
      'RejectCertificateTransfer',
      'CancelCertificateTransfer',
      'UpdateCertificate',
      'DescribeCertificate',
      'ListCertificates',
      'DeleteCertificate',
      'CreateKeysAndCertificate',
      'CreateCertificateFromCsr',
      'RegisterCertificate',
      'RegisterCertificateWithoutCA',
      'CreatePolicy',
      'GetPolicy',
      'DeletePolicy',
      'ListPolicies',
      'AttachPolicy',
      'DetachPolicy',
      'AttachPrincipalPolicy',
      'DetachPrincipalPolicy',
      'ListAttachedPolicies',
      'ListPrincipalPolicies',
      'ListTargetsForPolicy',
    ];
    for (const id of aws) assert.ok(ids.includes(id), id);
    // Everything that is not an AWS operation lives under /v1/ or is a system endpoint.
    for (const [path, item] of Object.entries(spec.paths)) {
      const isAws = Object.values(item).some((op) => aws.includes(String(op?.operationId)));
      if (!isAws) assert.match(path, /^(\/v1\/|\/health$|\/ready$|\/openapi\.json$|\/metrics$)/, path);
    }
    for (const id of ['TransferCertificate', 'AttachPolicy', 'DetachPolicy', 'ListAttachedPolicies', 'GetHealth']) {
      assert.ok(ids.includes(id), id);
    }
  });
});

describe('request validation against the contract', () => {
  test('a valid TransferCertificate passes with its body', async () => {
    const res = await transfer(CERT_ID, `?targetAwsAccount=${ACCOUNT}`).send({ transferMessage: 'hi' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.body, { transferMessage: 'hi' });
    assert.equal(res.body.pathParams.certificateId, CERT_ID);
  });

  test('TransferCertificate without any body or Content-Type passes (its body is optional)', async () => {
    const res = await transfer(CERT_ID.toUpperCase(), `?targetAwsAccount=${ACCOUNT}`);
    assert.equal(res.status, 200);
  });

  test('a 63-character certificate id is refused with 400 naming the path parameter', async () => {
    const res = await transfer(CERT_ID.slice(1), `?targetAwsAccount=${ACCOUNT}`).send({});
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].path, '/params/certificateId');
  });

  test('a 64-character certificate id that is not hex is refused with 400', async () => {
    const res = await transfer(`zz${CERT_ID.slice(2)}`, `?targetAwsAccount=${ACCOUNT}`).send({});
    assert.equal(res.status, 400);
    assert.match(res.body.errors[0].message, /pattern/);
  });

  test('an 11-digit target account is refused with 400', async () => {
    const res = await transfer(CERT_ID, '?targetAwsAccount=12345678901').send({});
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].path, '/query/targetAwsAccount');
  });

  test('a missing targetAwsAccount is refused with 400', async () => {
    const res = await transfer(CERT_ID, '').send({});
    assert.equal(res.status, 400);
    assert.match(res.body.message, /targetAwsAccount/);
  });

  test('a 129-character transferMessage is refused with 400 and 128 characters pass', async () => {
    const tooLong = await transfer(CERT_ID, `?targetAwsAccount=${ACCOUNT}`).send({ transferMessage: 'x'.repeat(129) });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.errors[0].path, '/body/transferMessage');
    const limit = await transfer(CERT_ID, `?targetAwsAccount=${ACCOUNT}`).send({ transferMessage: 'x'.repeat(128) });
    assert.equal(limit.status, 200);
  });

  test('unknown body members are ignored, as AWS does', async () => {
    const res = await transfer(CERT_ID, `?targetAwsAccount=${ACCOUNT}`).send({ somethingNew: 1 });
    assert.equal(res.status, 200);
  });

  test('an unknown query parameter is refused with 400', async () => {
    const res = await transfer(CERT_ID, `?targetAwsAccount=${ACCOUNT}&bogus=1`).send({});
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].path, '/query/bogus');
  });

  test('UpdateCertificate with newStatus BOGUS is refused with 400 listing the allowed values', async () => {
    const res = await request(app).put(`/certificates/${CERT_ID}?newStatus=BOGUS`);
    assert.equal(res.status, 400);
    assert.match(res.body.message, /ACTIVE, INACTIVE, REVOKED/);
  });

  for (const pageSize of ['0', '251', 'abc', '2.5']) {
    test(`ListCertificates with pageSize=${pageSize} is refused with 400`, async () => {
      const res = await request(app).get(`/certificates?pageSize=${pageSize}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.errors[0].path, '/query/pageSize');
    });
  }

  test('query integers and booleans reach the handler coerced to numbers and booleans', async () => {
    const res = await request(app).get('/certificates?pageSize=250&isAscendingOrder=false&marker=bWFya2VyMQ%3D%3D');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.query, { pageSize: 250, isAscendingOrder: false, marker: 'bWFya2VyMQ==' });
  });

  test('a boolean query value other than true/false is refused with 400', async () => {
    const res = await request(app).patch(`/accept-certificate-transfer/${CERT_ID}?setAsActive=yes`);
    assert.equal(res.status, 400);
  });

  test('a marker that is not base64 is refused with 400', async () => {
    const res = await request(app).get('/policies?marker=not%20base64!');
    assert.equal(res.status, 400);
  });

  test('a bodiless AcceptCertificateTransfer with no Content-Type passes', async () => {
    const res = await request(app).patch(`/accept-certificate-transfer/${CERT_ID}?setAsActive=true`);
    assert.equal(res.status, 200);
    assert.equal(res.body.query.setAsActive, true);
  });

  test('CreatePolicy with a policy name outside [\\w+=,.@-] is refused with 400', async () => {
    const res = await request(app).post('/policies/bad%20name').send({ policyDocument: '{}' });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].path, '/params/policyName');
  });

  test('CreatePolicy with a valid name, document and tags passes', async () => {
    const body = { policyDocument: '{"Version":"2012-10-17","Statement":[]}', tags: [{ Key: 'k', Value: 'v' }] };
    const res = await request(app).post('/policies/My.Policy_1').send(body);
    assert.equal(res.status, 200);
  });

  test('CreatePolicy with an unknown tag member or an empty document is refused with 400', async () => {
    const extraTagMember = await request(app)
      .post('/policies/p')
      .send({ policyDocument: '{}', tags: [{ Key: 'k', X: 1 }] });
    assert.equal(extraTagMember.status, 400);
    const emptyDocument = await request(app).post('/policies/p').send({ policyDocument: '' });
    assert.equal(emptyDocument.status, 400);
  });

  test('CreatePolicy with no body at all is refused with 415 (required body, no media type)', async () => {
    const res = await request(app).post('/policies/p');
    assert.equal(res.status, 415);
  });

  test('ListAttachedPolicies with a percent-encoded ARN path passes and the target arrives decoded', async () => {
    const res = await request(app).post(`/attached-policies/${encodeURIComponent(CERT_ARN)}?recursive=true&pageSize=3`);
    assert.equal(res.status, 200);
    assert.equal(res.body.pathParams.target, CERT_ARN);
    assert.deepEqual(res.body.query, { recursive: true, pageSize: 3 });
  });

  test('AttachPrincipalPolicy without x-amzn-iot-principal is refused with 400, and passes with it', async () => {
    const missing = await request(app).put('/principal-policies/MyPolicy');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].path, '/headers/x-amzn-iot-principal');
    const present = await request(app).put('/principal-policies/MyPolicy').set('x-amzn-iot-principal', CERT_ARN);
    assert.equal(present.status, 200);
  });

  test('an unknown route is answered 404 by the validator', async () => {
    const res = await request(app).get('/no-such-route');
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'not found');
  });

  test('a known path with a method it does not declare is answered 405 with an Allow header', async () => {
    const res = await request(app).patch('/certificates');
    assert.equal(res.status, 405);
    assert.deepEqual(String(res.headers.allow).split(', ').sort(), ['GET', 'POST']);
  });

  test('GET /health needs no parameters and passes', async () => {
    const res = await request(app).get('/health');
    assert.equal(res.status, 200);
  });
});

/** An app whose handler answers with a canned body, so the response schemas themselves are exercised. */
function respondingApp(status: number, body: unknown) {
  const responder = express();
  responder.use(express.json());
  responder.use(OpenApiValidator.middleware({ apiSpec: specPath, validateRequests: true, validateResponses: true, validateSecurity: false }));
  responder.use((_req: Request, res: Response) => {
    res.status(status).json(body);
  });
  responder.use((err: ValidatorError, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err.status ?? 500).json({ message: err.message });
  });
  return responder;
}

describe('response schemas (when response validation is switched on)', () => {
  const description = { certificateArn: 'arn', certificateId: CERT_ID, status: 'INACTIVE', creationDate: 1700000000.123 };

  test('a DescribeCertificate output with epoch-second timestamps conforms', async () => {
    const res = await request(respondingApp(200, { certificateDescription: description })).get(`/certificates/${CERT_ID}`);
    assert.equal(res.status, 200);
  });

  test('an ISO-8601 timestamp, which breaks the AWS JS SDK, is caught as a contract violation', async () => {
    const iso = { certificateDescription: { ...description, creationDate: '2023-11-14T22:13:20Z' } };
    const res = await request(respondingApp(200, iso)).get(`/certificates/${CERT_ID}`);
    assert.equal(res.status, 500);
    assert.match(res.body.message, /creationDate must be number/);
  });

  test('a void operation may answer only the empty object', async () => {
    const empty = await request(respondingApp(200, {})).patch(`/cancel-certificate-transfer/${CERT_ID}`);
    assert.equal(empty.status, 200);
    const extra = await request(respondingApp(200, { leaked: 1 })).patch(`/cancel-certificate-transfer/${CERT_ID}`);
    assert.equal(extra.status, 500);
  });

  test('an AWS error body may carry extra members beside message', async () => {
    const body = { message: 'exists', resourceId: 'p', resourceArn: 'arn' };
    const res = await request(respondingApp(409, body)).post('/policies/p').send({ policyDocument: '{}' });
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, body);
  });
});
