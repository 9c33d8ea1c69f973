/**
 * GET /v1/audit/export: NDJSON in the chain's line format (verifiable offline, matching the query API record for
 * record), RFC 4180 CSV, OCSF API Activity; streamed, bounded, and stopped when the client goes away.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { before, describe, test } from 'node:test';
import { AttachPolicyCommand, TransferCertificateCommand } from '@aws-sdk/client-iot';
import { sql } from 'kysely';
import { verifyExport } from '../../src/audit/verification/verify-export.ts';
import type { CheckpointsDocument } from '../../src/audit/checkpoints/checkpoints-document.ts';
import { CSV_COLUMNS } from '../../src/audit/export/csv-format.ts';
import type { AuditEventView } from '../../src/audit/query/audit-event-view.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { parseCsv } from '../support/csv.ts';
import { createCertificate, createPolicy } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorTwo, pathWithQuery, signedHeaders } from '../support/sign-request.ts';
import { type TestService, useTestService } from '../support/test-service.ts';

const exportOf = (svc: TestService, query: Record<string, string>) => svc.send({ method: 'GET', path: '/v1/audit/export', query, credential: demoAuditor });

const linesOf = (text: string) => text.split('\n').filter((line) => line !== '');

async function* iterate(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

/**
 * Every read of the trail is itself audited (AuditTrailRead, docs/security.md), so the trail grows as the tests read
 * it: an export holds the events up to its own row; the query made after it also sees that row's successors.
 */
function upTo(events: AuditEventView[], lastSequence: unknown): { exported: AuditEventView[]; later: AuditEventView[] } {
  const last = BigInt(String(lastSequence));
  return { exported: events.filter((e) => BigInt(e.sequence) <= last), later: events.filter((e) => BigInt(e.sequence) > last) };
}

function assertOnlyTrailReads(events: AuditEventView[]): void {
  assert.deepEqual(
    [...new Set(events.map((e) => e.eventType))].filter((type) => type !== 'AuditTrailRead'),
    [],
    'later rows are reads of the trail',
  );
}

describe('audit export', () => {
  // No background sealer: the test decides what is sealed when.
  const t = useTestService({ auditSealIntervalMs: 0 });
  let checkpoints: CheckpointsDocument;

  async function allEvents(): Promise<AuditEventView[]> {
    const events: AuditEventView[] = [];
    let cursor: string | undefined;
    do {
      const response = await t.svc.send({
        method: 'GET',
        path: '/v1/audit/events',
        query: { order: 'asc', limit: '1000', ...(cursor ? { cursor } : {}) },
        credential: demoAuditor,
      });
      const page = response.json as { events: AuditEventView[]; nextCursor?: string };
      events.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  }

  before(async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(
      new TransferCertificateCommand({
        certificateId: cert.certificateId,
        targetAwsAccount: demoOperatorTwo.accountId,
        transferMessage: 'for "Lyon", plant 2\r\nline two',
      }),
    );
    const active = await createCertificate(t.one, true);
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: active.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
      'CertificateStateException',
      406,
    );
    const attached = await createCertificate(t.two);
    await t.two.send(new AttachPolicyCommand({ policyName: await createPolicy(t.two), target: attached.certificateArn }));
    // Seals everything so far and signs the head; the next decision stays unsealed.
    assert.equal((await t.svc.send({ method: 'POST', path: '/v1/audit/checkpoints', credential: demoAuditor })).status, 201);
    await createCertificate(t.two);
    checkpoints = (await t.svc.send({ method: 'GET', path: '/v1/audit/checkpoints', credential: demoAuditor })).json as unknown as CheckpointsDocument;
  });

  test('the whole trail as NDJSON: header, every record with its chain fields, footer; it verifies offline', async () => {
    const response = await exportOf(t.svc, { format: 'ndjson' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="certguard-audit-\d{8}T\d{6}Z\.ndjson"$/);
    const lines = linesOf(response.text).map((line) => JSON.parse(line) as Record<string, unknown>);
    const [header, ...rest] = lines;
    const footer = rest.pop()!;
    // The export's own AuditTrailRead row is written before its snapshot: it is the last record of the file.
    const own = rest.at(-1)!;
    assert.deepEqual([own.eventType, own.operation, own.callerAccessKeyId], ['AuditTrailRead', 'ExportAuditEvents', demoAuditor.accessKeyId]);
    const { exported: events, later } = upTo(await allEvents(), own.sequence);
    assertOnlyTrailReads(later);
    const sealed = events.filter((e) => e.chain !== null);
    assert.deepEqual(
      events.filter((e) => e.chain === null).map((e) => e.operation),
      ['CreateKeysAndCertificate', 'ListAuditCheckpoints', 'ExportAuditEvents'],
      'unsealed: the last decision, the checkpoints read and this export',
    );
    assert.deepEqual(header?.chain, { fromChainSeq: '1', toChainSeq: String(sealed.length), toHash: sealed.at(-1)?.chain?.hash });
    assert.equal(header?.filtered, false);
    assert.deepEqual(footer, { kind: 'footer', records: events.length, lastChainSeq: String(sealed.length), lastHash: sealed.at(-1)?.chain?.hash });
    assert.deepEqual(
      rest.map((r) => r.chainSeq),
      [...sealed.map((_, i) => String(i + 1)), null, null, null],
      'chain order, then the unsealed rows',
    );

    const report = await verifyExport(iterate(linesOf(response.text)), checkpoints);
    assert.equal(report.ok, true, JSON.stringify(report));
    assert.equal(report.checkedEntries, sealed.length);
    assert.equal(report.unsealedRows, 3);
  });

  test('every NDJSON record carries the same data as the query API shows for that event', async () => {
    const response = await exportOf(t.svc, { format: 'ndjson' });
    const records = linesOf(response.text)
      .slice(1, -1)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const { exported, later } = upTo(await allEvents(), records.at(-1)!.sequence);
    assertOnlyTrailReads(later);
    const byId = new Map(exported.map((e) => [e.eventId, e]));
    assert.equal(records.length, byId.size);
    for (const record of records) {
      const event = byId.get(record.eventId as string)!;
      assert.deepEqual(
        {
          sequence: record.sequence,
          eventTime: record.eventTime,
          operation: record.operation,
          decision: record.decision,
          callerAccountId: record.callerAccountId,
          certificateId: record.certificateId,
          failingRuleId: record.failingRuleId,
          rules: (record.ruleOutcomes as { rules: unknown }).rules,
          requestParameters: record.requestParameters,
          policyHash: record.policyHash,
          chain: record.chainSeq === null ? null : { chainSeq: record.chainSeq, prevHash: record.prevHash, hash: record.hash },
        },
        {
          sequence: event.sequence,
          eventTime: event.eventTime,
          operation: event.operation,
          decision: event.decision,
          callerAccountId: event.caller.accountId,
          certificateId: event.resource.certificateId,
          failingRuleId: event.failingRuleId,
          rules: event.rules,
          requestParameters: event.requestParameters,
          policyHash: event.policy.hash,
          chain: event.chain,
        },
      );
    }
  });

  test('an NDJSON export with one record edited fails offline verification with hash-mismatch', async () => {
    const lines = linesOf((await exportOf(t.svc, { format: 'ndjson' })).text);
    const target = lines.findIndex((line) => (JSON.parse(line) as { decision?: string }).decision === 'DENY');
    lines[target] = JSON.stringify({ ...(JSON.parse(lines[target]!) as object), decision: 'ALLOW' });
    const report = await verifyExport(iterate(lines), checkpoints);
    assert.equal(report.ok, false);
    assert.equal(report.reason, 'hash-mismatch');
  });

  test('a filtered NDJSON export holds exactly the matching events, says it is filtered, and its sealed lines verify', async () => {
    const response = await exportOf(t.svc, { format: 'ndjson', decision: 'DENY', callerAccountId: '111111111111' });
    const lines = linesOf(response.text);
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(header.filtered, true);
    assert.deepEqual(header.filters, { decision: 'DENY', callerAccountId: '111111111111' });
    const expected = (await allEvents()).filter((e) => e.decision === 'DENY' && e.caller.accountId === '111111111111').map((e) => e.eventId);
    assert.ok(expected.length > 0);
    assert.deepEqual(
      lines.slice(1, -1).map((line) => (JSON.parse(line) as { eventId: string }).eventId),
      expected,
    );
    assert.equal((await verifyExport(iterate(lines), checkpoints)).ok, true);
  });

  test('a chain range export holds exactly those positions in chain order and verifies offline; an empty range is 400', async () => {
    const response = await exportOf(t.svc, { format: 'ndjson', fromChainSeq: '2', toChainSeq: '4' });
    assert.equal(response.status, 200);
    const lines = linesOf(response.text);
    assert.deepEqual(
      lines.slice(1, -1).map((line) => (JSON.parse(line) as { chainSeq: string }).chainSeq),
      ['2', '3', '4'],
    );
    assert.equal((JSON.parse(lines[0]!) as { filtered: boolean }).filtered, false);
    const report = await verifyExport(iterate(lines), { ...checkpoints, checkpoints: [] });
    assert.equal(report.ok, true, JSON.stringify(report));
    assert.equal((await exportOf(t.svc, { format: 'ndjson', fromChainSeq: '999999' })).status, 400);
  });

  test('CSV is RFC 4180 with a header row and one row per event; quoted fields survive commas, quotes and line breaks', async () => {
    const response = await exportOf(t.svc, { format: 'csv' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(response.headers.get('content-disposition') ?? '', /filename="certguard-audit-\d{8}T\d{6}Z\.csv"/);
    const [header, ...rows] = parseCsv(response.text);
    assert.deepEqual(
      header,
      CSV_COLUMNS.map(([name]) => name),
    );
    const column = (name: string) => header!.indexOf(name);
    const { exported: events, later } = upTo(await allEvents(), rows.at(-1)![column('sequence')]);
    assertOnlyTrailReads(later);
    assert.equal(rows.length, events.length);
    assert.deepEqual([rows.at(-1)![column('eventType')], rows.at(-1)![column('operation')]], ['AuditTrailRead', 'ExportAuditEvents'], "the export's own row");
    for (const [index, row] of rows.entries()) {
      const event = events[index]!;
      assert.equal(row.length, header!.length);
      assert.equal(row[column('eventId')], event.eventId);
      assert.equal(row[column('decision')], event.decision);
      assert.equal(row[column('failingRuleId')], event.failingRuleId ?? '');
      assert.deepEqual(JSON.parse(row[column('rules')]!), event.rules);
      assert.deepEqual(JSON.parse(row[column('callerRoles')]!), event.caller.roles);
      assert.deepEqual(row[column('requestParameters')] === '' ? null : JSON.parse(row[column('requestParameters')]!), event.requestParameters);
      assert.equal(row[column('chainSeq')], event.chain?.chainSeq ?? '');
    }
    const tricky = rows.find((row) => row[column('requestParameters')]!.includes('Lyon'));
    assert.equal((JSON.parse(tricky![column('requestParameters')]!) as { transferMessage: string }).transferMessage, 'for "Lyon", plant 2\r\nline two');
  });

  test('OCSF lines are API Activity events (class 6003) with every required attribute', async () => {
    const response = await exportOf(t.svc, { format: 'ocsf' });
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    // biome-ignore lint/suspicious/noExplicitAny: an OCSF line read field by field by the assertions below; a missing field fails them
    const lines = linesOf(response.text).map((line) => JSON.parse(line) as Record<string, any>);
    const { exported, later } = upTo(await allEvents(), lines.at(-1)!.unmapped.sequence);
    assertOnlyTrailReads(later);
    const events = new Map(exported.map((e) => [e.eventId, e]));
    assert.equal(lines.length, events.size);
    const expectedActivity: Record<string, number> = {
      CreateKeysAndCertificate: 1,
      TransferCertificate: 3,
      AttachPolicy: 3,
      CreatePolicy: 1,
      PolicyActivated: 99,
      ListAuditEvents: 2,
      ListAuditCheckpoints: 2,
      ExportAuditEvents: 2,
    };
    for (const ocsf of lines) {
      const event = events.get(ocsf.metadata?.uid)!;
      assert.ok(event, 'metadata.uid is the event id');
      assert.equal(ocsf.class_uid, 6003);
      assert.equal(ocsf.category_uid, 6);
      assert.equal(ocsf.activity_id, expectedActivity[event.operation]);
      assert.equal(ocsf.type_uid, 600300 + Number(ocsf.activity_id));
      assert.equal(ocsf.time, Date.parse(event.eventTime));
      assert.ok([1, 2, 3].includes(ocsf.severity_id));
      assert.deepEqual([ocsf.status_id, ocsf.status], event.decision === 'ALLOW' ? [1, 'Success'] : [2, 'Failure']);
      assert.equal(ocsf.metadata.version, '1.3.0');
      assert.equal(ocsf.metadata.product.name, 'certguard');
      assert.equal(typeof ocsf.metadata.product.vendor_name, 'string');
      assert.equal(ocsf.api.operation, event.operation);
      assert.equal(ocsf.api.service.name, 'iot');
      assert.ok(ocsf.actor.user?.account?.uid === event.caller.accountId || ocsf.actor.app_name === 'certguard', 'actor names who acted');
      assert.ok(Object.keys(ocsf.src_endpoint).length > 0, 'src_endpoint is present and not empty');
      assert.deepEqual(ocsf.unmapped.ruleOutcomes.rules, event.rules);
      assert.deepEqual(ocsf.unmapped.ruleOutcomes.warnings, event.warnings);
      assert.equal(ocsf.unmapped.ruleOutcomes.decisionId, event.decisionId ?? undefined);
      if (event.requestId !== null) assert.equal(ocsf.api.request.uid, event.requestId);
      if (event.sourceIp !== null) assert.match(ocsf.src_endpoint.ip, /^[0-9a-f.:]+$/);
      if (event.resource.certificateId !== null) assert.deepEqual(ocsf.resources[0].uid, event.resource.certificateId);
    }
  });

  test('an unknown format is InvalidRequestException (400)', async () => {
    assert.equal((await exportOf(t.svc, { format: 'xml' })).status, 400);
  });
});

describe('audit export of a large range', () => {
  const t = useTestService({ auditSealIntervalMs: 0 });
  const ROWS = 20_000;

  before(async () => {
    await sql`
      INSERT INTO audit_events (event_id, event_time, event_type, operation, request_id, caller_account_id, caller_access_key_id,
        caller_roles, source_ip, user_agent, certificate_id, decision, rule_outcomes, policy_name, policy_revision, request_parameters)
      SELECT gen_random_uuid(), now() - make_interval(secs => ${ROWS} - i), 'Decision', 'TransferCertificate', gen_random_uuid()::text,
        '111111111111', 'AKIADEMOACCOUNT1', ARRAY['operator'], '127.0.0.1', 'bulk-insert', md5(i::text) || md5((i + 1)::text),
        CASE WHEN i % 3 = 0 THEN 'DENY' ELSE 'ALLOW' END, '{"rules":[{"id":"certificate-not-active","outcome":"pass","action":"enforce"}],"warnings":[]}'::jsonb,
        'certguard-default', 'bulk', jsonb_build_object('transferMessage', repeat('m', 400), 'n', i)
      FROM generate_series(1, ${ROWS}) AS i`.execute(t.svc.db);
  });

  test('a 20k-row CSV export streams every row', async () => {
    const total = Number(
      (
        await t.svc.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.ok(total > ROWS);
    const response = await exportOf(t.svc, { format: 'csv' });
    assert.equal(response.status, 200);
    assert.equal(parseCsv(response.text).length, total + 2, "header, every row, and the export's own AuditTrailRead row");
  });

  test('a time-filtered export pages by event time across batches and holds exactly the window, each row once', async () => {
    const from = (
      await sql<{ t: string }>`SELECT to_char((now() - interval '15000 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`.execute(t.svc.db)
    ).rows[0]!.t;
    const expected = Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM audit_events WHERE event_time >= ${from}::timestamptz`.execute(t.svc.db)).rows[0]!.n,
    );
    assert.ok(expected > 2 * 1000, 'the window spans several batches');
    const [, ...rows] = parseCsv((await exportOf(t.svc, { format: 'csv', from })).text);
    assert.equal(rows.length, expected + 1, "the window, and the export's own AuditTrailRead row (in the window)");
    assert.equal(new Set(rows.map((row) => row[0])).size, expected + 1, 'no event twice');
  });

  test('a client that disconnects mid-export stops the server reading further batches', async () => {
    const path = '/v1/audit/export';
    const query = { format: 'ndjson', operation: 'TransferCertificate' };
    const headers = await signedHeaders({ method: 'GET', path, query, host: t.svc.host, credential: demoAuditor });
    const logsBefore = t.svc.logs.length;
    const received = await new Promise<number>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port: Number(t.svc.host.split(':')[1]), path: pathWithQuery(path, query), headers }, (response) => {
        response.once('data', (chunk: Buffer) => {
          // Stop reading so the server's writes back up, then hang up.
          response.pause();
          setTimeout(() => {
            request.destroy();
            resolve(chunk.length);
          }, 300);
        });
      });
      request.on('error', () => {});
      setTimeout(() => reject(new Error('no data within 10 s')), 10_000).unref();
    });
    assert.ok(received > 0);
    let ended: Record<string, unknown> | undefined;
    for (let waited = 0; waited < 5000 && !ended; waited += 50) {
      ended = t.svc.logs.slice(logsBefore).find((line) => line.message === 'audit export ended');
      if (!ended) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(ended, 'the export logged its end');
    assert.equal(ended.outcome, 'client-disconnected');
    assert.ok(Number(ended.records) < ROWS, `stopped after ${String(ended.records)} of ${ROWS} rows`);
  });
});
