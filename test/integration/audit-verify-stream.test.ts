/**
 * GET /v1/audit/verify with `Accept: application/x-ndjson` on a live service (docs/api.md): progress lines and then
 * the same report the JSON answer gives; a tampered row named in the report line; a refused request still an
 * ordinary AWS error; a failure after the first line (the verify's own audit row cannot be written) a last
 * `error` line; and the JSON answer unchanged for clients that do not ask.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { deniedTransfers, waitUntilSealed } from '../support/audit-chain-support.ts';
import { demoAuditor, demoOperatorOne } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

type Line = { progress?: { checked: number; total: number }; report?: Record<string, unknown>; error?: { type: string; message: string } };

const NDJSON = { accept: 'application/x-ndjson' };

describe('streamed verify (Accept: application/x-ndjson)', () => {
  const t = useTestService();

  const verifyStream = async (query: Record<string, string> = {}) => {
    const response = await t.svc.send({ method: 'GET', path: '/v1/audit/verify', query, headers: NDJSON, credential: demoAuditor });
    const lines =
      response.text === ''
        ? []
        : response.text
            .trimEnd()
            .split('\n')
            .map((line) => JSON.parse(line) as Line);
    return { response, lines };
  };

  test('a failure after the first line (its audit row refused) is a last error line, and no report is served', async () => {
    await deniedTransfers(t.one, 5);
    await waitUntilSealed(t.svc.db);
    // The verify's own AuditTrailRead row, written after the run and before the report, cannot be stored.
    await sql`ALTER TABLE audit_events ADD CONSTRAINT test_no_verify_rows CHECK (operation <> 'VerifyAuditChain')`.execute(t.svc.db);
    try {
      const { response, lines } = await verifyStream();
      assert.equal(response.status, 200, 'the status line went out with the first progress line');
      assert.ok(lines[0]?.progress, 'progress first');
      assert.deepEqual(lines.at(-1), {
        error: { type: 'ServiceUnavailableException', message: 'This read could not be recorded in the audit trail; retry later' },
      });
      assert.ok(
        lines.every((line) => line.report === undefined),
        'a read not recorded is not served',
      );
    } finally {
      await sql`ALTER TABLE audit_events DROP CONSTRAINT test_no_verify_rows`.execute(t.svc.db);
    }
  });

  test('progress lines count up to the total, then the report: the same as the JSON answer', async () => {
    await deniedTransfers(t.one, 40);
    await waitUntilSealed(t.svc.db);
    const { response, lines } = await verifyStream();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    const progress = lines.filter((line) => line.progress).map((line) => line.progress!);
    const report = lines.at(-1)?.report;
    assert.equal(lines.length, progress.length + 1, 'progress lines, then exactly one report line');
    assert.ok(report, 'the last line is the report');
    assert.equal(report.ok, true);
    // The chain as it was when the run began: the verify's own row (written before the report) comes after it.
    await waitUntilSealed(t.svc.db);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_chain`.execute(t.svc.db);
    assert.equal(report.checkedEntries, Number(rows[0]?.n) - 1);
    assert.deepEqual(progress[0], { checked: 0, total: report.checkedEntries }, 'the first line gives the total at once');
    assert.deepEqual(progress.at(-1), { checked: report.checkedEntries, total: report.checkedEntries }, 'the last reaches the total');
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.checked > progress[i - 1]!.checked, 'counts only go up');

    await waitUntilSealed(t.svc.db);
    const json = await t.svc.send({ method: 'GET', path: '/v1/audit/verify', credential: demoAuditor });
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(json.json ?? {}).sort(), Object.keys(report).sort(), 'the same report members');
    assert.equal(json.json?.checkedEntries, report.checkedEntries + 1, 'plus the streamed verify’s own row');
  });

  test('Accept */* and application/json keep the single JSON report', async () => {
    for (const accept of ['*/*', 'application/json', 'application/json, application/x-ndjson;q=0.5']) {
      const response = await t.svc.send({ method: 'GET', path: '/v1/audit/verify', headers: { accept }, credential: demoAuditor });
      assert.equal(response.status, 200, accept);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/, accept);
      assert.equal(response.json?.ok, true, accept);
    }
  });

  test('a tampered row is named in the report line', async () => {
    await waitUntilSealed(t.svc.db);
    const target = await t.svc.db
      .selectFrom('audit_events')
      .select(['sequence', 'error_message'])
      .where('decision', '=', 'DENY')
      .orderBy('sequence')
      .limit(1)
      .offset(3)
      .executeTakeFirstOrThrow();
    const setMessage = (message: string | null) =>
      t.svc.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        await trx.updateTable('audit_events').set({ error_message: message }).where('sequence', '=', target.sequence).execute();
      });
    await setMessage('nothing to see here');
    try {
      const { lines } = await verifyStream();
      const report = lines.at(-1)?.report;
      assert.equal(report?.ok, false);
      assert.equal(report?.reason, 'hash-mismatch');
      assert.equal(report?.firstBrokenSequence, String(target.sequence));
    } finally {
      await setMessage(target.error_message);
    }
  });

  test('a refused request is an ordinary AWS error, not a stream', async () => {
    const unknown = await verifyStream({ fromCheckpoint: '987654321' });
    assert.equal(unknown.response.status, 400);
    assert.equal(unknown.response.headers.get('x-amzn-errortype'), 'InvalidRequestException');
    assert.match(unknown.response.headers.get('content-type') ?? '', /^application\/json/);
    const operator = await t.svc.send({ method: 'GET', path: '/v1/audit/verify', headers: NDJSON, credential: demoOperatorOne });
    assert.equal(operator.status, 401);
    assert.equal(operator.headers.get('x-amzn-errortype'), 'UnauthorizedException');
  });
});
