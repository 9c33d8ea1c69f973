/**
 * Failed authentications are on the audit trail (docs/security.md "What is audited"): one AuthenticationFailed row
 * per refused request up to a bound per (source IP, access key id) and window, then one summary row; a global cap
 * bounds a flood that rotates key ids. Nothing secret is stored; the rows chain, export and verify like any other.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { verifyExport } from '../../src/audit/verification/verify-export.ts';
import type { CheckpointsDocument } from '../../src/audit/checkpoints/checkpoints-document.ts';
import { waitUntilSealed } from '../support/audit-chain-support.ts';
import { demoAuditor, demoOperatorOne, signedHeaders, type TestCredential } from '../support/sign-request.ts';
import { type TestService, useTestService } from '../support/test-service.ts';

// biome-ignore lint/suspicious/noExplicitAny: an OCSF line read field by field by the assertions; a missing field fails them
type OcsfLine = Record<string, any>;

const PER_SOURCE = 10;
const GLOBAL = 25;

interface StoredRow {
  event_type: string;
  operation: string;
  caller_account_id: string | null;
  caller_access_key_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  decision: string;
  error_type: string | null;
  error_message: string | null;
  request_parameters: Record<string, unknown> | null;
  row_text: string;
}

/** Sends GET /certificates signed with `credential` (or unsigned), returns the status and the Authorization sent. */
async function attempt(svc: TestService, credential: TestCredential | null, options: { date?: Date } = {}) {
  const path = '/certificates';
  const headers = credential ? await signedHeaders({ method: 'GET', path, host: svc.host, credential, ...(options.date ? { date: options.date } : {}) }) : {};
  const response = await fetch(svc.baseUrl + path, { headers: { ...headers, 'user-agent': 'flood-test/1.0' } });
  await response.text();
  return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), authorization: headers.authorization };
}

async function authRows(svc: TestService): Promise<StoredRow[]> {
  const { rows } = await sql<StoredRow>`
    SELECT event_type, operation, caller_account_id, caller_access_key_id, source_ip, user_agent, decision, error_type,
      error_message, request_parameters, e::text AS row_text
    FROM audit_events e WHERE event_type IN ('AuthenticationFailed', 'AuthenticationFailureSummary') ORDER BY sequence`.execute(svc.db);
  return rows.map((row) => ({
    ...row,
    request_parameters: typeof row.request_parameters === 'string' ? JSON.parse(row.request_parameters) : row.request_parameters,
  }));
}

/** Waits for the fire-and-forget writes of the failure audit. */
async function settled(svc: TestService): Promise<void> {
  await svc.service.context.authFailureAudit!.settled();
}

const wrongSecret = (accessKeyId: string): TestCredential => ({ accessKeyId, secretAccessKey: 'not-the-secret-0123456789abcdef' });

describe('failed authentications on the audit trail', () => {
  const t = useTestService({ auditAuthFailuresPerSource: PER_SOURCE, auditAuthFailuresGlobal: GLOBAL });

  test('each kind of 401 is one AuthenticationFailed row: claimed key, source, agent, operation, reason; never the signature or secret', async () => {
    // Each write settled before the next request: fire-and-forget inserts on a pool may otherwise commit out of order.
    const inOrder = async (sending: Promise<Awaited<ReturnType<typeof attempt>>>) => {
      const response = await sending;
      await settled(t.svc);
      return response;
    };
    const sent = [
      await inOrder(attempt(t.svc, wrongSecret(demoOperatorOne.accessKeyId))),
      await inOrder(attempt(t.svc, wrongSecret('AKIAUNKNOWNKEY000001'))),
      await inOrder(attempt(t.svc, demoOperatorOne, { date: new Date(Date.now() - 1_200_000) })),
      await inOrder(attempt(t.svc, null)),
    ];
    for (const response of sent) assert.deepEqual([response.status, response.errorType], [401, 'UnauthorizedException']);
    await settled(t.svc);
    const rows = await authRows(t.svc);
    assert.equal(rows.length, 4);
    const [badSignature, unknownKey, skewed, missing] = rows as [StoredRow, StoredRow, StoredRow, StoredRow];
    for (const row of rows) {
      assert.deepEqual(
        [row.event_type, row.operation, row.decision, row.error_type],
        ['AuthenticationFailed', 'ListCertificates', 'DENY', 'UnauthorizedException'],
      );
      assert.match(row.source_ip ?? '', /127\.0\.0\.1/);
      assert.equal(row.user_agent, 'flood-test/1.0');
      assert.deepEqual(row.request_parameters, { httpMethod: 'GET', path: '/certificates', operation: 'ListCertificates' });
    }
    assert.deepEqual([badSignature.caller_access_key_id, badSignature.caller_account_id], [demoOperatorOne.accessKeyId, demoOperatorOne.accountId]);
    assert.match(badSignature.error_message ?? '', /signature we calculated does not match/);
    assert.deepEqual([unknownKey.caller_access_key_id, unknownKey.caller_account_id], ['AKIAUNKNOWNKEY000001', null]);
    assert.match(unknownKey.error_message ?? '', /security token included in the request is invalid/);
    assert.equal(skewed.caller_access_key_id, demoOperatorOne.accessKeyId);
    assert.match(skewed.error_message ?? '', /Signature expired/);
    assert.deepEqual([missing.caller_access_key_id, missing.error_message], [null, 'Missing Authentication Token']);

    const signatures = sent.flatMap((response) => /Signature=([0-9a-f]{64})/.exec(response.authorization ?? '')?.[1] ?? []);
    assert.equal(signatures.length, 3);
    const stored = rows.map((row) => row.row_text).join('\n');
    for (const secret of [...signatures, 'not-the-secret-0123456789abcdef', demoOperatorOne.secretAccessKey]) {
      assert.ok(!stored.includes(secret), 'no signature or secret in the stored rows');
    }
    const warnings = t.svc.logs.filter((line) => line.message === 'authentication failed');
    assert.equal(warnings.length, 4);
    assert.ok(warnings.every((line) => line.level === 'warn'));
    const logged = JSON.stringify(warnings);
    for (const secret of signatures) assert.ok(!logged.includes(secret), 'no signature in the log lines');
  });

  test(`a flood of 500 bad signatures from one source adds ${PER_SOURCE} rows and, when the window closes, one summary`, async () => {
    await t.svc.service.context.authFailureAudit!.closeWindow(); // a fresh window for this test
    const before = (await authRows(t.svc)).length;
    const flood = wrongSecret('AKIAFLOODKEY00000001');
    for (let i = 0; i < 500; i++) assert.equal((await attempt(t.svc, flood)).status, 401);
    await settled(t.svc);
    assert.equal((await authRows(t.svc)).length - before, PER_SOURCE, 'only the first ones individually while the window is open');
    await t.svc.service.context.authFailureAudit!.closeWindow();
    const added = (await authRows(t.svc)).slice(before);
    assert.equal(added.length, PER_SOURCE + 1);
    const summary = added.at(-1)!;
    assert.deepEqual([summary.event_type, summary.caller_access_key_id, summary.decision], ['AuthenticationFailureSummary', 'AKIAFLOODKEY00000001', 'DENY']);
    assert.match(summary.source_ip ?? '', /127\.0\.0\.1/);
    assert.deepEqual(
      [
        summary.request_parameters?.scope,
        summary.request_parameters?.failures,
        summary.request_parameters?.recordedIndividually,
        summary.request_parameters?.notRecordedIndividually,
      ],
      ['source', 500, PER_SOURCE, 500 - PER_SOURCE],
    );
    assert.ok(Date.parse(String(summary.request_parameters?.windowEnd)) >= Date.parse(String(summary.request_parameters?.windowStart)));
  });

  test(`a flood rotating access key ids is bounded by the global cap (${GLOBAL} rows) plus one global summary`, async () => {
    await t.svc.service.context.authFailureAudit!.closeWindow();
    const before = (await authRows(t.svc)).length;
    for (let i = 0; i < 200; i++) {
      assert.equal((await attempt(t.svc, wrongSecret(`AKIAROTATING${String(i).padStart(8, '0')}`))).status, 401);
    }
    await t.svc.service.context.authFailureAudit!.closeWindow();
    const added = (await authRows(t.svc)).slice(before);
    assert.equal(added.length, GLOBAL + 1);
    assert.equal(added.filter((row) => row.event_type === 'AuthenticationFailed').length, GLOBAL);
    const summary = added.at(-1)!;
    assert.deepEqual([summary.event_type, summary.caller_access_key_id, summary.source_ip], ['AuthenticationFailureSummary', null, null]);
    assert.deepEqual([summary.request_parameters?.scope, summary.request_parameters?.failures], ['global', 200 - GLOBAL]);
  });

  test('the chain verifies with these rows, and they export as NDJSON (verifying offline) and as OCSF failures', async () => {
    await t.svc.service.auditSealer.sealPending();
    await waitUntilSealed(t.svc.db);
    const verify = await t.svc.send({ method: 'GET', path: '/v1/audit/verify', credential: demoAuditor });
    assert.equal(verify.json?.ok, true, verify.text);

    const checkpoints = (await t.svc.send({ method: 'GET', path: '/v1/audit/checkpoints', credential: demoAuditor })).json as unknown as CheckpointsDocument;
    const ndjson = await t.svc.send({ method: 'GET', path: '/v1/audit/export', query: { format: 'ndjson' }, credential: demoAuditor });
    const lines = ndjson.text.split('\n').filter((line) => line !== '');
    const types = new Set(lines.map((line) => (JSON.parse(line) as { eventType?: string }).eventType));
    assert.ok(types.has('AuthenticationFailed') && types.has('AuthenticationFailureSummary'));
    const report = await verifyExport(
      (async function* () {
        yield* lines;
      })(),
      checkpoints,
    );
    assert.equal(report.ok, true, JSON.stringify(report));

    const failures = await t.svc.send({
      method: 'GET',
      path: '/v1/audit/export',
      query: { format: 'ocsf', eventType: 'AuthenticationFailed' },
      credential: demoAuditor,
    });
    const events = failures.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as OcsfLine);
    assert.ok(events.length > 0);
    for (const event of events) {
      assert.deepEqual([event.class_uid, event.activity_id, event.status, event.status_code], [6003, 2, 'Failure', 'UnauthorizedException']);
      assert.equal(event.metadata.event_code, 'AuthenticationFailed');
      assert.equal(event.api.operation, 'ListCertificates');
    }
  });
});

describe('failed authentications: the window closes by itself, and the audit can be switched off', () => {
  const t = useTestService({ auditAuthFailuresPerSource: 2, auditAuthFailureWindowMs: 300 });
  const off = useTestService({ auditAuthFailures: false });

  test('the window timer writes the summary; every failure is counted once, individually or in a summary', async () => {
    const sent = 30;
    for (let i = 0; i < sent; i++) await attempt(t.svc, wrongSecret('AKIATIMERKEY00000001'));
    let rows: StoredRow[] = [];
    for (let waited = 0; waited < 5000; waited += 100) {
      await settled(t.svc);
      rows = await authRows(t.svc);
      const counted = rows.reduce(
        (sum, row) => sum + (row.event_type === 'AuthenticationFailed' ? 1 : Number(row.request_parameters?.notRecordedIndividually)),
        0,
      );
      if (counted === sent) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const counted = rows.reduce(
      (sum, row) => sum + (row.event_type === 'AuthenticationFailed' ? 1 : Number(row.request_parameters?.notRecordedIndividually)),
      0,
    );
    assert.equal(counted, sent);
    assert.ok(
      rows.some((row) => row.event_type === 'AuthenticationFailureSummary'),
      'a summary was written by the timer',
    );
  });

  test("close() (service shutdown) writes the open window's summary", async () => {
    const auditor = t.svc.service.context.authFailureAudit!;
    await auditor.closeWindow();
    const before = (await authRows(t.svc)).length;
    for (let i = 0; i < 5; i++) await attempt(t.svc, wrongSecret('AKIASHUTDOWNKEY00001'));
    await auditor.close();
    const added = (await authRows(t.svc)).slice(before);
    // Two individually; the other three in the summary (or, if the 300 ms timer closed a window in between, in its own rows).
    assert.equal(
      added.reduce((sum, row) => sum + (row.event_type === 'AuthenticationFailed' ? 1 : Number(row.request_parameters?.notRecordedIndividually)), 0),
      5,
    );
    assert.equal(added.at(-1)?.event_type, 'AuthenticationFailureSummary');
  });

  test('CERTGUARD_AUDIT_AUTH_FAILURES=false: the 401 is the same, no row is written', async () => {
    assert.equal(off.svc.service.context.authFailureAudit, undefined);
    const response = await attempt(off.svc, wrongSecret(demoOperatorOne.accessKeyId));
    assert.deepEqual([response.status, response.errorType], [401, 'UnauthorizedException']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await authRows(off.svc), []);
  });
});
