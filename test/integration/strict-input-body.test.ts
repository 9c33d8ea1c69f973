/**
 * Bad request bodies and numbers, table-driven: every body member of every operation given each wrong JSON type,
 * malformed tags, non-finite and out-of-range numbers (query and body), foreign charsets, invalid UTF-8, U+0000
 * and lone surrogates. Every answer is an AWS-format 4xx, and the account's state (certificates, policies,
 * attachments, ALLOW audit rows) is exactly as before.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CancelCertificateTransferCommand, TransferCertificateCommand } from '@aws-sdk/client-iot';
import { createKeysAndCertificate, generateCertificateAuthority } from '../../src/certificates/certificate-authority.ts';
import { ALLOW_ALL_DOCUMENT, createCertificate, createPolicy } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorOne, demoOperatorTwo, type TestCredential } from '../support/sign-request.ts';
import { accountState, assertAwsError } from '../support/strict-input.ts';
import { useTestService } from '../support/test-service.ts';

const NOT_A_STRING = [0, -1, 1.5, true, false, [], ['x'], {}, { a: 'b' }, null];
const NOT_AN_INTEGER = ['5', '1e2', 1.5, true, [], [5], {}, null];
const NOT_AN_ARRAY = ['k=v', { Key: 'k', Value: 'v' }, 5, true, null];
const BAD_TAG_LISTS = [
  [{}],
  [{ Key: 5 }],
  [{ Key: true }],
  [{ Key: null }],
  [{ Key: 'k', Value: 5 }],
  [{ Key: 'k', Value: null }],
  [{ Key: 'k', Value: false }],
  [{ Key: '' }],
  [{ Key: 'k'.repeat(129) }],
  [{ Key: 'k', Value: 'v'.repeat(257) }],
  [{ Key: 'k', Extra: 'x' }],
  [{ Value: 'v' }],
  [{ Key: 'has#hash' }],
  ['k'],
  [null],
  [['k', 'v']],
];

interface BodyCase {
  operation: string;
  method: string;
  path: () => string;
  query?: () => Record<string, string>;
  credential: TestCredential;
  /** A body as valid as the test can make it; each case replaces one member of it. */
  valid: () => Record<string, unknown>;
  members: Record<string, readonly unknown[]>;
}

describe('strict input: bodies and numbers', () => {
  const t = useTestService();
  let inactive: string;
  let pending: string;
  let policyName: string;
  let external: { certificatePem: string };
  let certificateArn: string;

  before(async () => {
    const created = await createCertificate(t.one);
    inactive = created.certificateId;
    certificateArn = created.certificateArn;
    pending = (await createCertificate(t.one)).certificateId;
    await t.one.send(new TransferCertificateCommand({ certificateId: pending, targetAwsAccount: demoOperatorTwo.accountId }));
    policyName = await createPolicy(t.one);
    external = await createKeysAndCertificate(await generateCertificateAuthority('External CA'));
  });

  const CASES: BodyCase[] = [
    {
      operation: 'TransferCertificate',
      method: 'PATCH',
      path: () => `/transfer-certificate/${inactive}`,
      query: () => ({ targetAwsAccount: demoOperatorTwo.accountId }),
      credential: demoOperatorOne,
      valid: () => ({ transferMessage: 'hello' }),
      members: { transferMessage: NOT_A_STRING },
    },
    {
      operation: 'RejectCertificateTransfer',
      method: 'PATCH',
      path: () => `/reject-certificate-transfer/${pending}`,
      credential: demoOperatorTwo,
      valid: () => ({ rejectReason: 'no' }),
      members: { rejectReason: NOT_A_STRING },
    },
    {
      operation: 'CreateCertificateFromCsr',
      method: 'POST',
      path: () => '/certificates',
      credential: demoOperatorOne,
      valid: () => ({ certificateSigningRequest: 'x'.repeat(10) }),
      members: { certificateSigningRequest: NOT_A_STRING },
    },
    {
      operation: 'RegisterCertificate',
      method: 'POST',
      path: () => '/certificate/register',
      credential: demoOperatorOne,
      valid: () => ({ certificatePem: external.certificatePem }),
      members: { certificatePem: NOT_A_STRING, caCertificatePem: NOT_A_STRING, status: NOT_A_STRING },
    },
    {
      operation: 'RegisterCertificateWithoutCA',
      method: 'POST',
      path: () => '/certificate/register-no-ca',
      credential: demoOperatorOne,
      valid: () => ({ certificatePem: external.certificatePem, status: 'INACTIVE' }),
      members: { certificatePem: NOT_A_STRING, status: NOT_A_STRING },
    },
    {
      operation: 'CreatePolicy',
      method: 'POST',
      path: () => `/policies/strict-${Math.random().toString(36).slice(2, 10)}`,
      credential: demoOperatorOne,
      valid: () => ({ policyDocument: ALLOW_ALL_DOCUMENT, tags: [{ Key: 'team', Value: 'a' }] }),
      members: { policyDocument: NOT_A_STRING, tags: [...NOT_AN_ARRAY, ...BAD_TAG_LISTS] },
    },
    {
      operation: 'AttachPolicy',
      method: 'PUT',
      path: () => `/target-policies/${policyName}`,
      credential: demoOperatorOne,
      valid: () => ({ target: certificateArn }),
      members: { target: NOT_A_STRING },
    },
    {
      operation: 'DetachPolicy',
      method: 'POST',
      path: () => `/target-policies/${policyName}`,
      credential: demoOperatorOne,
      valid: () => ({ target: certificateArn }),
      members: { target: NOT_A_STRING },
    },
    {
      operation: 'EvaluatePolicy',
      method: 'POST',
      path: () => '/v1/policy/evaluate',
      credential: demoAuditor,
      valid: () => ({ operation: 'TransferCertificate' }),
      members: { operation: NOT_A_STRING },
    },
    {
      operation: 'SimulatePolicy',
      method: 'POST',
      path: () => '/v1/policy/simulate',
      credential: demoAuditor,
      valid: () => ({ bundle: {}, limit: 5 }),
      members: { limit: [...NOT_AN_INTEGER, 0, -1, 10_001, 2 ** 53] },
    },
  ];

  for (const c of CASES) {
    test(`${c.operation}: every body member of a wrong JSON type or shape is InvalidRequestException, nothing changes`, async () => {
      const before = await accountState(t.svc);
      for (const [member, values] of Object.entries(c.members)) {
        for (const value of values) {
          const body = JSON.stringify({ ...c.valid(), [member]: value });
          const r = await t.svc.send({
            method: c.method,
            path: c.path(),
            query: c.query?.() ?? {},
            body,
            headers: { 'content-type': 'application/json' },
            credential: c.credential,
          });
          assertAwsError(r, 400, 'InvalidRequestException', `${c.operation} ${body.slice(0, 120)}`);
        }
      }
      assert.equal(await accountState(t.svc), before);
    });
  }

  test('JSON numbers that are not finite or not in range are refused (1e309 parses to Infinity)', async () => {
    const before = await accountState(t.svc);
    for (const limit of ['1e309', '-1e309', 'Infinity', 'NaN', '-1', '0', '10001', '1e400', '99999999999999999999']) {
      const r = await t.svc.send({
        method: 'POST',
        path: '/v1/policy/simulate',
        body: `{"bundle":{},"limit":${limit}}`,
        headers: { 'content-type': 'application/json' },
        credential: demoAuditor,
      });
      assertAwsError(r, 400, 'InvalidRequestException', `limit ${limit}`);
    }
    assert.equal(await accountState(t.svc), before);
  });

  const LISTS: Array<{ path: () => string; method: string; headers: () => Record<string, string> }> = [
    { path: () => '/certificates', method: 'GET', headers: () => ({}) },
    { path: () => '/policies', method: 'GET', headers: () => ({}) },
    { path: () => '/principal-policies', method: 'GET', headers: () => ({ 'x-amzn-iot-principal': certificateArn }) },
    { path: () => `/attached-policies/${encodeURIComponent(certificateArn)}`, method: 'POST', headers: () => ({}) },
    { path: () => `/policy-targets/${policyName}`, method: 'POST', headers: () => ({}) },
  ];
  const BAD_PAGE_SIZES = ['Infinity', '-Infinity', 'NaN', '1e309', '1e2', '0x10', ' 5', '5.0', '+5', '-1', '0', '251', '99999999999999999999', '', 'ten'];

  test('pageSize on the five list operations: non-finite, non-decimal or out of range is InvalidRequestException', async () => {
    const before = await accountState(t.svc);
    for (const list of LISTS) {
      const ok = await t.svc.send({ method: list.method, path: list.path(), query: { pageSize: '250' }, headers: list.headers(), credential: demoOperatorOne });
      assert.equal(ok.status, 200, `${list.path()} pageSize=250: ${ok.text}`);
      for (const pageSize of BAD_PAGE_SIZES) {
        const r = await t.svc.send({ method: list.method, path: list.path(), query: { pageSize }, headers: list.headers(), credential: demoOperatorOne });
        assertAwsError(r, 400, 'InvalidRequestException', `${list.path()} pageSize=${JSON.stringify(pageSize)}`);
      }
    }
    for (const limit of ['Infinity', '1e309', '0', '1001', '1e3', '-1']) {
      const r = await t.svc.send({ method: 'GET', path: '/v1/audit/events', query: { limit }, credential: demoAuditor });
      assertAwsError(r, 400, 'InvalidRequestException', `audit events limit=${limit}`);
    }
    for (const query of [
      { fromChainSeq: '0' } as Record<string, string>,
      { fromChainSeq: '-1' },
      { toChainSeq: 'Infinity' },
      { fromChainSeq: '99999999999999999999' },
      { from: '0000-01-01T00:00:00Z' },
    ]) {
      const r = await t.svc.send({ method: 'GET', path: '/v1/audit/export', query, credential: demoAuditor });
      assertAwsError(r, 400, 'InvalidRequestException', `export ${JSON.stringify(query)}`);
    }
    assert.equal(await accountState(t.svc), before);
  });

  const transfer = (body: Buffer | string, contentType: string) =>
    t.svc.send({
      method: 'PATCH',
      path: `/transfer-certificate/${inactive}`,
      query: { targetAwsAccount: demoOperatorTwo.accountId },
      body: body as string,
      headers: { 'content-type': contentType },
      credential: demoOperatorOne,
    });

  test('a body in a charset other than UTF-8 is UnsupportedMediaTypeException (415); utf-8 in any case is read', async () => {
    const before = await accountState(t.svc);
    for (const charset of ['utf-16', 'UTF-16LE', 'iso-8859-1', '"latin1"', 'us-ascii', 'utf8', '']) {
      const r = await transfer('{"transferMessage":"x"}', `application/json; charset=${charset}`);
      assertAwsError(r, 415, 'UnsupportedMediaTypeException', `charset=${charset}`);
    }
    const utf16 = Buffer.from('{"transferMessage":"x"}', 'utf16le');
    assertAwsError(await transfer(utf16, 'application/json; charset=utf-16le'), 415, 'UnsupportedMediaTypeException', 'a UTF-16 body');
    assert.equal(await accountState(t.svc), before);
    for (const charset of ['UTF-8', 'utf-8', '"Utf-8"']) {
      const r = await transfer('{"transferMessage":"caf\u00e9"}', `application/json; charset=${charset}`);
      assert.equal(r.status, 200, `charset=${charset}: ${r.text}`);
      await t.one.send(new CancelCertificateTransferCommand({ certificateId: inactive }));
    }
  });

  test('invalid UTF-8, U+0000 and lone surrogate escapes in a body are InvalidRequestException, nothing stored', async () => {
    const before = await accountState(t.svc);
    const bodies: Array<[string, Buffer]> = [
      ['a raw 0xff byte', Buffer.concat([Buffer.from('{"transferMessage":"a'), Buffer.from([0xff]), Buffer.from('"}')])],
      ['an overlong "/" (C0 AF)', Buffer.concat([Buffer.from('{"transferMessage":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
      ['an encoded surrogate (ED A0 80)', Buffer.concat([Buffer.from('{"transferMessage":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
      ['a truncated sequence', Buffer.concat([Buffer.from('{"transferMessage":"a'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')])],
      ['a lone high surrogate escape', Buffer.from('{"transferMessage":"a\\ud800b"}')],
      ['a lone low surrogate escape', Buffer.from('{"transferMessage":"\\udc00"}')],
      ['a lone surrogate in a key', Buffer.from('{"\\ud800":"x"}')],
      ['U+0000', Buffer.from('{"transferMessage":"a\\u0000b"}')],
      ['a UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"transferMessage":"x"}')])],
    ];
    for (const [what, body] of bodies) assertAwsError(await transfer(body, 'application/json'), 400, 'InvalidRequestException', what);
    assert.equal(await accountState(t.svc), before);
  });
});
