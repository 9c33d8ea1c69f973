/**
 * GET /v1/audit/stats (the console's chart): counts per interval equal the table's own, every interval of the range
 * is present, the range is bounded, only auditors may read, and each read is itself on the trail.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { TransferCertificateCommand } from '@aws-sdk/client-iot';
import { sql } from 'kysely';
import { deniedTransfers } from '../support/audit-chain-support.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

type Stats = { intervalSeconds: number; buckets: Array<{ start: string; end: string; counts: Array<{ key: string | null; count: number }> }> };

describe('audit stats API', () => {
  const t = useTestService();
  const range = { from: '', to: '' };
  const stats = (query: Record<string, string>, credential = demoAuditor) => t.svc.send({ method: 'GET', path: '/v1/audit/stats', query, credential });

  before(async () => {
    await deniedTransfers(t.one, 12);
    const cert = await createCertificate(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
    // Whole minutes, so every interval is whole (a range off the minute clips its first and last interval).
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    range.from = new Date(minute - 3600_000).toISOString();
    range.to = new Date(minute + 60_000).toISOString();
  });

  test('counts per decision and per failing rule equal the table', async () => {
    for (const [groupBy, column] of [
      ['decision', 'decision'],
      ['failingRuleId', 'failing_rule_id'],
      ['operation', 'operation'],
    ] as const) {
      const response = await stats({ ...range, groupBy });
      assert.equal(response.status, 200, response.text);
      const body = response.json as unknown as Stats;
      assert.equal(body.intervalSeconds, 60);
      assert.equal(body.buckets.length, 61, 'every minute of the range, empty ones too');
      const got = new Map<string | null, number>();
      for (const bucket of body.buckets) for (const { key, count } of bucket.counts) got.set(key, (got.get(key) ?? 0) + count);
      const { rows } = await sql<{ key: string | null; n: string }>`
        SELECT ${sql.ref(column)} AS key, count(*) AS n FROM audit_events
        WHERE event_type = 'Decision' AND event_time >= ${range.from}::timestamptz AND event_time < ${range.to}::timestamptz GROUP BY 1`.execute(t.svc.db);
      assert.deepEqual(got, new Map(rows.map((row) => [row.key, Number(row.n)])), groupBy);
    }
  });

  test('filters narrow the counts', async () => {
    const body = (await stats({ ...range, decision: 'DENY', callerAccountId: demoOperatorOne.accountId })).json as unknown as Stats;
    const total = body.buckets.flatMap((bucket) => bucket.counts).reduce((sum, count) => sum + count.count, 0);
    assert.equal(total, 12);
  });

  test('the range is bounded and ordered; the interval grows with it', async () => {
    const day = (await stats({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' })).json as unknown as Stats;
    assert.equal(day.intervalSeconds, 900);
    assert.equal(day.buckets.length, 96);
    const tooLong = await stats({ from: '2026-01-01T00:00:00Z', to: '2026-04-15T00:00:00Z' });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.headers.get('x-amzn-errortype')?.split(':')[0], 'InvalidRequestException');
    assert.equal((await stats({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).status, 400);
    assert.equal((await stats({ from: '2026-01-01T00:00:00Z' })).status, 400, 'to is required');
  });

  test('operators may not read it; every read is an AuditTrailRead row', async () => {
    assert.equal((await stats(range, demoOperatorOne)).status, 401);
    const before = await t.svc.db
      .selectFrom('audit_events')
      .select('sequence')
      .where('operation', '=', 'GetAuditStats')
      .where('decision', '=', 'ALLOW')
      .execute();
    await stats(range);
    const after = await t.svc.db
      .selectFrom('audit_events')
      .select(['sequence', 'event_type'])
      .where('operation', '=', 'GetAuditStats')
      .where('decision', '=', 'ALLOW')
      .execute();
    assert.equal(after.length, before.length + 1);
    assert.ok(after.every((row) => row.event_type === 'AuditTrailRead'));
  });
});
