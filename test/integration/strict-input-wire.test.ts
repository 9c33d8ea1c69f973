/**
 * Bad input on the wire, table-driven: raw non-ASCII bytes in the request target (sent on a raw socket: fetch and
 * supertest would percent-encode them), malformed percent-encodings in path and query, and SigV4 signatures that
 * leave `host` or `x-amz-date` unsigned. Every answer is an AWS-format 4xx and the account's state is unchanged.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo, TEST_REGION } from '../support/sign-request.ts';
import { accountState, assertAwsError, rawExchange } from '../support/strict-input.ts';
import { useTestService } from '../support/test-service.ts';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * A hand-written SigV4 signature (independent of both certguard and the SDK signer) over exactly `signed`, so a
 * test can leave a header out of SignedHeaders while signing everything else correctly.
 */
function signOnly(method: string, path: string, query: string, headers: Record<string, string>, signed: string[]): string {
  const amzDate = headers['x-amz-date']!;
  const scope = `${amzDate.slice(0, 8)}/${TEST_REGION}/iot/aws4_request`;
  const names = [...signed].sort();
  const canonical = [method, path, query, ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), sha256('')].join('\n');
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${demoOperatorOne.secretAccessKey}`, amzDate.slice(0, 8)), TEST_REGION), 'iot'), 'aws4_request');
  return `AWS4-HMAC-SHA256 Credential=${demoOperatorOne.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${hmac(key, toSign).toString('hex')}`;
}

describe('strict input: the wire', () => {
  const t = useTestService();
  let inactive: string;

  before(async () => {
    inactive = (await createCertificate(t.one)).certificateId;
  });

  const target = () => `targetAwsAccount=${demoOperatorTwo.accountId}`;

  test('a raw non-ASCII or control byte in the request target is InvalidRequestException in JSON, not a bare 400', async () => {
    const before = await accountState(t.svc);
    const targets: Array<[string, Buffer]> = [
      ['é in a path segment', Buffer.from(`/certificates/${inactive}\u00e9`, 'utf8')],
      ['0xff in the transfer path', Buffer.concat([Buffer.from(`/transfer-certificate/${inactive}`), Buffer.from([0xff]), Buffer.from(`?${target()}`)])],
      ['0xc3 0xa9 in the query', Buffer.concat([Buffer.from(`/transfer-certificate/${inactive}?${target()}&x=`), Buffer.from([0xc3, 0xa9])])],
      ['a control byte', Buffer.from(`/certificates/\u0001`)],
      ['a DEL byte', Buffer.from(`/policies/\u007f`)],
    ];
    for (const [what, path] of targets) {
      const method = path.includes(Buffer.from('transfer')) ? 'PATCH' : 'GET';
      const r = await rawExchange(t.svc, Buffer.concat([Buffer.from(`${method} `), path, Buffer.from(` HTTP/1.1\r\nHost: ${t.svc.host}\r\n\r\n`)]));
      assert.equal(r.status, 400, `${what}: ${r.status} ${r.body}`);
      assert.equal(r.headers['x-amzn-errortype'], 'InvalidRequestException', what);
      assert.match(r.headers['content-type'] ?? '', /^application\/json/, what);
      assert.match(r.headers['x-amzn-requestid'] ?? '', /^[0-9a-f-]{36}$/, what);
      assert.equal(typeof (JSON.parse(r.body) as { message?: unknown }).message, 'string', what);
    }
    assert.equal(await accountState(t.svc), before);
  });

  test('malformed percent-encoding in a path parameter is InvalidRequestException for every operation with one', async () => {
    const before = await accountState(t.svc);
    const bad = ['%zz', '%C0%AF', '%ED%A0%80', '%E2%82', '%FF', '%', '%0'];
    const routes: Array<[string, (segment: string) => string, Record<string, string>]> = [
      ['GET', (s) => `/certificates/${s}`, {}],
      ['PATCH', (s) => `/transfer-certificate/${s}`, { targetAwsAccount: demoOperatorTwo.accountId }],
      ['PATCH', (s) => `/accept-certificate-transfer/${s}`, {}],
      ['DELETE', (s) => `/certificates/${s}`, {}],
      ['GET', (s) => `/policies/${s}`, {}],
      ['POST', (s) => `/attached-policies/${s}`, {}],
      ['POST', (s) => `/policy-targets/${s}`, {}],
    ];
    for (const [method, path, query] of routes) {
      for (const segment of bad) {
        const r = await t.svc.send({ method, path: path(segment), query, credential: demoOperatorOne });
        assertAwsError(r, 400, 'InvalidRequestException', `${method} ${path(segment)}`);
      }
    }
    assert.equal(await accountState(t.svc), before);
  });

  test('malformed percent-encoding in the query cannot be signed over: UnauthorizedException, never a 5xx', async () => {
    const before = await accountState(t.svc);
    for (const value of ['%zz', '%C0%AF', '%ED%A0%80', '%E2%82', '%']) {
      const r = await t.svc.send({ method: 'PATCH', path: `/transfer-certificate/${inactive}?targetAwsAccount=${value}`, credential: demoOperatorOne });
      assertAwsError(r, 401, 'UnauthorizedException', `query ${value}`);
      assert.match(String(r.json?.message), /malformed percent-encoding/);
    }
    // Well-formed encodings of values the contract refuses: the validator's 400.
    for (const marker of ['\u0000', '\u00e9', '\u{1F510}', 'a\r\nb']) {
      const r = await t.svc.send({ method: 'GET', path: '/certificates', query: { marker }, credential: demoOperatorOne });
      assertAwsError(r, 400, 'InvalidRequestException', `marker ${marker}`);
    }
    assert.equal(await accountState(t.svc), before);
  });

  test('host and x-amz-date must both be signed; the same hand signer signing both is accepted', async () => {
    const before = await accountState(t.svc);
    const path = `/transfer-certificate/${inactive}`;
    const headers = { host: t.svc.host, 'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, '') };
    const send = (signed: string[]) =>
      fetch(`${t.svc.baseUrl}${path}?${target()}`, {
        method: 'PATCH',
        headers: { ...headers, authorization: signOnly('PATCH', path, target(), headers, signed) },
      }).then(async (response) => {
        const text = await response.text();
        return { status: response.status, headers: response.headers, text, json: JSON.parse(text) as Record<string, unknown> };
      });
    const cases: Array<[string[], RegExp]> = [
      [['host'], /'X-Amz-Date' must be a 'SignedHeader'/],
      [['x-amz-date'], /'Host' or ':authority' must be a 'SignedHeader'/],
    ];
    for (const [signed, message] of cases) {
      const r = await send(signed);
      assertAwsError(r, 401, 'UnauthorizedException', `SignedHeaders=${signed.join(';')}`);
      assert.match(String(r.json.message), message);
    }
    assert.equal(await accountState(t.svc), before);
    const accepted = await send(['host', 'x-amz-date']);
    assert.equal(accepted.status, 200, `the control request is signed right: ${accepted.text}`);
  });
});
