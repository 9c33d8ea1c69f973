/**
 * Writes refused while Postgres is down do not vanish from the audit trail: each 503 (and each 429 of the rate
 * limiter) has its audit row on disk in the outage spool before the client is answered, and the rows join the
 * trail, marked as spooled, once the server is back — with the refused requests' ids, and the chain verifying.
 * Postgres only (see database-outage.test.ts): the embedded PGlite cannot die apart from the service; the spool
 * and its replay are tested on both databases in audit-spool.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyDatabaseChain } from '../../src/audit/verification/verify-database.ts';
import { waitUntilSealed } from '../support/audit-chain-support.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { type ProxiedScratchDatabase, startProxiedScratchDatabase, type TcpProxy } from '../support/tcp-proxy.ts';
import { testDatabaseKind } from '../support/test-database.ts';
import { startTestService, type TestService } from '../support/test-service.ts';

async function spooledRequestIds(dir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const text = await readFile(path.join(dir, name), 'utf8');
    for (const line of text.split('\n').filter(Boolean)) ids.push((JSON.parse(line) as { row: { request_id: string } }).row.request_id);
  }
  return ids;
}

if (testDatabaseKind === 'postgres')
  describe('Postgres outage: the audit spool', () => {
    let svc: TestService;
    let proxy: TcpProxy | undefined;
    let database: ProxiedScratchDatabase | undefined;
    let dir: string;
    let certificateId: string;
    const refused: Array<{ requestId: string; status: number }> = [];

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'certguard-outage-spool-'));
      database = await startProxiedScratchDatabase();
      proxy = database.proxy;
      // A rate limit that lets the sequential writes through and refuses part of a concurrent burst.
      svc = await startTestService({ databaseUrl: database.url, auditSpoolDir: dir, rateLimitPerSecond: 1, rateLimitBurst: 8 });
      ({ certificateId } = await createCertificate(svc.iot(demoOperatorOne)));
    });
    after(async () => {
      await svc?.close().catch(() => {});
      await database?.close();
    });

    const transfer = () =>
      svc.send({
        method: 'PATCH',
        path: `/transfer-certificate/${certificateId}`,
        query: { targetAwsAccount: demoOperatorTwo.accountId },
        body: '{}',
        headers: { 'content-type': 'application/json' },
        credential: demoOperatorOne,
      });

    test('with the database gone, every refused write has its audit row in the spool when the client gets its answer', async () => {
      await proxy!.cut();
      for (let i = 0; i < 5; i++) {
        const response = await transfer();
        assert.equal(response.status, 503);
        assert.equal(response.headers.get('x-amzn-errortype'), 'ServiceUnavailableException');
        const requestId = response.headers.get('x-amzn-requestid')!;
        refused.push({ requestId, status: 503 });
        assert.ok((await spooledRequestIds(dir)).includes(requestId), `request ${requestId} is spooled before its answer`);
      }
      // More at once than the bucket can ever hold (8): some are throttled whatever the pace so far.
      const burst = await Promise.all(Array.from({ length: 12 }, () => transfer()));
      for (const response of burst) refused.push({ requestId: response.headers.get('x-amzn-requestid')!, status: response.status });
      assert.ok(
        burst.some((r) => r.status === 429),
        `some of the burst is throttled: ${burst.map((r) => r.status).join()}`,
      );
      assert.ok(burst.every((r) => r.status === 429 || r.status === 503));
      assert.deepEqual((await spooledRequestIds(dir)).sort(), refused.map((r) => r.requestId).sort(), 'one spooled row per refused request');
    });

    test('when Postgres is back, the spooled rows join the trail marked as spooled, and the chain verifies', async () => {
      await proxy!.restore();
      const ids = refused.map((r) => r.requestId);
      const deadline = Date.now() + 15_000;
      let rows: Array<{ request_id: string | null; decision: string; error_type: string | null; request_parameters: unknown }> = [];
      while (Date.now() < deadline) {
        rows = await svc.db
          .selectFrom('audit_events')
          .select(['request_id', 'decision', 'error_type', 'request_parameters'])
          .where('request_id', 'in', ids)
          .execute()
          .catch(() => []);
        if (rows.length >= ids.length) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.deepEqual(rows.map((r) => r.request_id).sort(), [...ids].sort(), 'each refused request once');
      for (const row of rows) {
        const throttled = refused.find((r) => r.requestId === row.request_id)!.status === 429;
        assert.equal(row.decision, throttled ? 'DENY' : 'ERROR');
        assert.equal(row.error_type, throttled ? 'ThrottlingException' : 'InternalFailureException');
        assert.ok((row.request_parameters as { spooled?: { replayedAt: string } }).spooled?.replayedAt, 'marked as spooled');
      }
      assert.deepEqual(await readdir(dir), [], 'the spool is empty again');
      await waitUntilSealed(svc.db);
      const report = await verifyDatabaseChain(svc.db);
      assert.equal(report.ok, true, JSON.stringify(report));
    });
  });
