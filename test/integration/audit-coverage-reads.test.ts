/**
 * Who read the audit trail, and who ran policy dry runs, is on the audit trail (docs/security.md "What is
 * audited"): AuditTrailRead and PolicyEvaluation rows with the caller and the parameters, written before the
 * answer — a read whose row cannot be written is refused (503), never served unrecorded. Also: refused policy
 * reloads (PolicyReloadRefused) and the optional certificate data events (DataRead).
 */
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-iot';
import { sql } from 'kysely';
import { PROJECT_ROOT } from '../../src/config.ts';
import { bundleHash } from '../../src/rules/engine/bundle-hash.ts';
import { loadPolicyBundle } from '../../src/rules/engine/policy-bundle.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorOne } from '../support/sign-request.ts';
import { type RawResponse, startTestService, type TestService, useTestService } from '../support/test-service.ts';

interface Row {
  sequence: string;
  event_type: string;
  operation: string;
  request_id: string | null;
  caller_account_id: string | null;
  caller_access_key_id: string | null;
  caller_roles: string[] | null;
  decision: string;
  error_type: string | null;
  error_message: string | null;
  policy_hash: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: stored JSON read member by member by the assertions; a missing member fails them
  request_parameters: Record<string, any> | null;
}

async function rowsOf(svc: TestService, eventType: string): Promise<Row[]> {
  const rows = await svc.db
    .selectFrom('audit_events')
    .select([
      'sequence',
      'event_type',
      'operation',
      'request_id',
      'caller_account_id',
      'caller_access_key_id',
      'caller_roles',
      'decision',
      'error_type',
      'error_message',
      'policy_hash',
      'request_parameters',
    ])
    .where('event_type', '=', eventType)
    .orderBy('sequence')
    .execute();
  return rows.map((row) => ({
    ...row,
    sequence: String(row.sequence),
    caller_account_id: row.caller_account_id?.trimEnd() ?? null,
    request_parameters: (typeof row.request_parameters === 'string' ? JSON.parse(row.request_parameters) : row.request_parameters) as Row['request_parameters'],
  }));
}

const last = async (svc: TestService, eventType: string) => (await rowsOf(svc, eventType)).at(-1);

function assertByAuditor(row: Row | undefined, response: RawResponse, operation: string): asserts row is Row {
  assert.ok(row, `a row for ${operation}`);
  assert.equal(row.operation, operation);
  assert.deepEqual([row.caller_account_id, row.caller_access_key_id, row.caller_roles], [demoAuditor.accountId, demoAuditor.accessKeyId, ['auditor']]);
  assert.equal(row.request_id, response.headers.get('x-amzn-requestid'));
}

describe('reads of the audit trail and policy dry runs are audited', () => {
  const t = useTestService({ auditSealIntervalMs: 0 });
  const get = (route: string, query?: Record<string, string>) =>
    t.svc.send({ method: 'GET', path: route, ...(query ? { query } : {}), credential: demoAuditor });
  const post = (route: string, body: unknown) =>
    t.svc.send({
      method: 'POST',
      path: route,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      credential: demoAuditor,
    });

  let certificateId: string;
  before(async () => {
    ({ certificateId } = await createCertificate(t.one));
  });

  test('a query records who searched and with which filters; a single event read records its id', async () => {
    const response = await get('/v1/audit/events', { operation: 'CreateKeysAndCertificate', decision: 'ALLOW', limit: '5' });
    assert.equal(response.status, 200);
    const row = await last(t.svc, 'AuditTrailRead');
    assertByAuditor(row, response, 'ListAuditEvents');
    assert.equal(row.decision, 'ALLOW');
    assert.deepEqual(row.request_parameters, { operation: 'CreateKeysAndCertificate', decision: 'ALLOW', limit: 5 });

    const [event] = (response.json as { events: Array<{ eventId: string }> }).events;
    const one = await get(`/v1/audit/events/${event!.eventId}`);
    assert.equal(one.status, 200);
    const read = await last(t.svc, 'AuditTrailRead');
    assertByAuditor(read, one, 'GetAuditEvent');
    assert.deepEqual(read.request_parameters, { eventId: event!.eventId });
  });

  test('an export is recorded before it starts, with format and filters, and the export holds its own row', async () => {
    const response = await get('/v1/audit/export', { format: 'csv', eventType: 'AuditTrailRead' });
    assert.equal(response.status, 200);
    const row = await last(t.svc, 'AuditTrailRead');
    assertByAuditor(row, response, 'ExportAuditEvents');
    assert.deepEqual(row.request_parameters, { format: 'csv', eventType: 'AuditTrailRead' });
    const lines = response.text.trimEnd().split('\r\n');
    assert.equal(lines.at(-1)!.split(',')[1], row.sequence, "the last exported row is the export's own AuditTrailRead row");
  });

  test('a verify run is recorded with its verdict; the checkpoint list read is recorded', async () => {
    await t.svc.service.auditSealer.sealPending();
    const response = await get('/v1/audit/verify');
    assert.equal(response.json?.ok, true, response.text);
    const row = await last(t.svc, 'AuditTrailRead');
    assertByAuditor(row, response, 'VerifyAuditChain');
    assert.deepEqual(row.request_parameters?.result, {
      ok: true,
      checkedEntries: response.json?.checkedEntries,
      unsealedRows: response.json?.unsealedRows,
      checkpointsVerified: response.json?.checkpointsVerified,
      headChainSeq: response.json?.headChainSeq,
      reason: null,
      firstBrokenChainSeq: null,
    });
    const refused = await get('/v1/audit/verify', { fromCheckpoint: '999999' });
    assert.equal(refused.status, 400);
    const denied = await last(t.svc, 'AuditTrailRead');
    assertByAuditor(denied, refused, 'VerifyAuditChain');
    assert.deepEqual([denied.decision, denied.error_type], ['DENY', 'InvalidRequestException']);

    const checkpoints = await get('/v1/audit/checkpoints');
    assert.equal(checkpoints.status, 200);
    assertByAuditor(await last(t.svc, 'AuditTrailRead'), checkpoints, 'ListAuditCheckpoints');
  });

  test('evaluate and simulate are PolicyEvaluation rows: the question, a candidate bundle by hash (not its text), the answer', async () => {
    const question = {
      operation: 'TransferCertificate',
      certificateId,
      request: { targetAwsAccount: '222222222222', certificatePem: '-----BEGIN CERTIFICATE-----x' },
    };
    const evaluated = await post('/v1/policy/evaluate', question);
    assert.equal(evaluated.status, 200, evaluated.text);
    const row = await last(t.svc, 'PolicyEvaluation');
    assertByAuditor(row, evaluated, 'EvaluatePolicy');
    assert.equal(row.policy_hash, t.svc.service.activePolicy.current.hash);
    assert.equal(row.request_parameters?.operation, 'TransferCertificate');
    assert.equal(row.request_parameters?.request.certificatePem.masked, true, 'a PEM in the question is masked');
    assert.deepEqual(row.request_parameters?.result, {
      allowed: evaluated.json?.allowed,
      failingRuleId: evaluated.json?.failingRuleId ?? null,
      policyHash: t.svc.service.activePolicy.current.hash,
    });

    const dir = t.svc.service.context.config.policiesDir;
    const files: Record<string, string> = {};
    for (const name of (await readdir(dir)).filter((file) => file.endsWith('.yaml'))) files[name] = await readFile(path.join(dir, name), 'utf8');
    const simulated = await post('/v1/policy/simulate', { bundle: { files }, limit: 5 });
    assert.equal(simulated.status, 200, simulated.text);
    const simulation = await last(t.svc, 'PolicyEvaluation');
    assertByAuditor(simulation, simulated, 'SimulatePolicy');
    assert.deepEqual(simulation.request_parameters?.candidateBundle, { hash: bundleHash(new Map(Object.entries(files))), files: Object.keys(files).sort() });
    assert.equal(simulation.request_parameters?.limit, 5);
    assert.deepEqual(simulation.request_parameters?.result, {
      candidateHash: (simulated.json?.candidate as { hash: string } | undefined)?.hash,
      evaluated: simulated.json?.evaluated,
      changed: simulated.json?.changed,
      unchanged: simulated.json?.unchanged,
      skipped: simulated.json?.skipped,
    });
    assert.ok(!JSON.stringify(simulation.request_parameters).includes('expression:'), 'no rule text on the trail');

    const refused = await post('/v1/policy/evaluate', { operation: 'LaunchRocket' });
    assert.equal(refused.status, 400);
    const denied = await last(t.svc, 'PolicyEvaluation');
    assertByAuditor(denied, refused, 'EvaluatePolicy');
    assert.deepEqual([denied.decision, denied.error_type], ['DENY', 'InvalidRequestException']);
  });

  test('a caller without the auditor role who tries is recorded too (DENY, UnauthorizedException)', async () => {
    const tries = [
      ['GET', '/v1/audit/export', 'AuditTrailRead', 'ExportAuditEvents'],
      ['GET', '/v1/audit/verify', 'AuditTrailRead', 'VerifyAuditChain'],
      ['POST', '/v1/policy/evaluate', 'PolicyEvaluation', 'EvaluatePolicy'],
    ] as const;
    for (const [method, route, eventType, operation] of tries) {
      const response = await t.svc.send({
        method,
        path: route,
        credential: demoOperatorOne,
        ...(method === 'POST'
          ? { body: JSON.stringify({ operation: 'TransferCertificate', certificateId }), headers: { 'content-type': 'application/json' } }
          : {}),
      });
      assert.equal(response.status, 401, route);
      const row = await last(t.svc, eventType);
      assert.deepEqual(
        [row?.operation, row?.decision, row?.error_type, row?.caller_access_key_id, row?.caller_roles],
        [operation, 'DENY', 'UnauthorizedException', demoOperatorOne.accessKeyId, ['operator']],
        route,
      );
      assert.equal(row?.request_id, response.headers.get('x-amzn-requestid'));
    }
  });

  test('a read whose audit row cannot be written is refused with 503, not served unrecorded', async () => {
    await sql`CREATE FUNCTION refuse_trail_reads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.event_type IN ('AuditTrailRead', 'PolicyEvaluation') THEN RAISE EXCEPTION 'audit write failed (test)'; END IF; RETURN NEW; END $$`.execute(
      t.svc.db,
    );
    await sql`CREATE TRIGGER refuse_trail_reads BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_trail_reads()`.execute(t.svc.db);
    try {
      const before = (await rowsOf(t.svc, 'AuditTrailRead')).length;
      for (const [route, query] of [
        ['/v1/audit/events', {}],
        ['/v1/audit/export', { format: 'ndjson' }],
        ['/v1/audit/verify', {}],
        ['/v1/audit/checkpoints', {}],
      ] as const) {
        const response = await get(route, query);
        assert.equal(response.status, 503, `${route}: ${response.text}`);
        assert.equal(response.headers.get('x-amzn-errortype'), 'ServiceUnavailableException');
        assert.deepEqual(Object.keys(response.json ?? {}), ['message']);
        assert.ok(!response.text.includes('eventId'), 'nothing of the trail was served');
      }
      const evaluated = await post('/v1/policy/evaluate', { operation: 'TransferCertificate', certificateId, request: { targetAwsAccount: '222222222222' } });
      assert.equal(evaluated.status, 503);
      assert.equal((await rowsOf(t.svc, 'AuditTrailRead')).length, before);
    } finally {
      await sql`DROP TRIGGER refuse_trail_reads ON audit_events`.execute(t.svc.db);
      await sql`DROP FUNCTION refuse_trail_reads()`.execute(t.svc.db);
    }
    assert.equal((await get('/v1/audit/events', { limit: '1' })).status, 200, 'served again once the row can be written');
  });

  test('data events are off by default: certificate reads write no DataRead row', async () => {
    await t.one.send(new ListCertificatesCommand({}));
    assert.deepEqual(await rowsOf(t.svc, 'DataRead'), []);
  });
});

describe('CERTGUARD_AUDIT_DATA_EVENTS=true: certificate and policy reads are DataRead rows', () => {
  const t = useTestService({ auditDataEvents: true });

  test('DescribeCertificate and ListCertificates are recorded with caller, parameters and outcome', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    await t.one.send(new ListCertificatesCommand({ pageSize: 2 }));
    await t.two.send(new DescribeCertificateCommand({ certificateId: cert.certificateId })).catch(() => undefined); // not theirs
    let rows: Row[] = [];
    for (let waited = 0; waited < 3000 && rows.length < 3; waited += 50) {
      rows = await rowsOf(t.svc, 'DataRead');
      if (rows.length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(
      rows.map((row) => [row.operation, row.decision]),
      [
        ['DescribeCertificate', 'ALLOW'],
        ['ListCertificates', 'ALLOW'],
        ['DescribeCertificate', 'DENY'],
      ],
    );
    const [describe_, list, foreign] = rows as [Row, Row, Row];
    assert.deepEqual([describe_.caller_account_id, describe_.caller_access_key_id], [demoOperatorOne.accountId, demoOperatorOne.accessKeyId]);
    assert.deepEqual(describe_.request_parameters, { httpMethod: 'GET', path: `/certificates/${cert.certificateId}`, query: {}, status: 200 });
    assert.deepEqual(list.request_parameters?.query, { pageSize: '2' });
    assert.equal(foreign.error_type, 'ResourceNotFoundException');

    const smuggled = 'ab'.repeat(32);
    const refused = await t.svc.send({
      method: 'GET',
      path: '/certificates',
      query: { 'X-Amz-Date-Signature': smuggled, pageSize: '1' },
      credential: demoOperatorOne,
    });
    assert.equal(refused.status, 400);
    for (let waited = 0; waited < 3000 && rows.length < 4; waited += 50) {
      rows = await rowsOf(t.svc, 'DataRead');
      if (rows.length < 4) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual([rows[3]?.decision, rows[3]?.error_type, rows[3]?.request_parameters?.query], ['DENY', 'InvalidRequestException', { pageSize: '1' }]);
    assert.ok(!JSON.stringify(rows[3]).includes(smuggled), 'no X-Amz-* query member stored');
  });
});

describe('a refused policy reload is audited', () => {
  let dir: string;
  let svc: TestService;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'certguard-refused-'));
    await cp(path.join(PROJECT_ROOT, 'policies'), dir, { recursive: true });
    svc = await startTestService({ policiesDir: dir });
  });
  after(async () => {
    await svc?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a bundle failing its own tests: PolicyReloadRefused with trigger, reason, the rejected and the running hash', async () => {
    const running = svc.service.activePolicy.current;
    await appendFile(
      path.join(dir, 'transfer-certificate.yaml'),
      `
  - id: never-on-fridays
    expression: 'false'
    message: Refuses everything.
    errorType: InvalidRequestException
`,
    );
    const rejectedHash = (await loadPolicyBundle(dir)).hash; // it loads; its tests fail
    const result = await svc.service.policyReloader.reload('SIGHUP');
    assert.equal(result.activated, false);
    const row = await last(svc, 'PolicyReloadRefused');
    assert.ok(row);
    assert.deepEqual([row.operation, row.decision, row.policy_hash], ['PolicyReloadRefused', 'DENY', running.hash]);
    assert.equal(row.error_message, result.error);
    assert.deepEqual(row.request_parameters, { trigger: 'SIGHUP', rejectedHash, runningHash: running.hash });
    assert.notEqual(rejectedHash, running.hash);
  });

  test('a bundle that does not load: the rejected files are still named by their hash', async () => {
    await writeFile(path.join(dir, 'transfer-certificate.yaml'), 'operation: TransferCertificate\nrules: [ {');
    const result = await svc.service.policyReloader.reload('file change');
    assert.equal(result.activated, false);
    const row = await last(svc, 'PolicyReloadRefused');
    assert.equal(row?.request_parameters?.trigger, 'file change');
    assert.match(String(row?.request_parameters?.rejectedHash), /^[0-9a-f]{64}$/);
    assert.notEqual(row?.request_parameters?.rejectedHash, svc.service.activePolicy.current.hash);
    assert.match(row?.error_message ?? '', /transfer-certificate\.yaml/);
  });
});
