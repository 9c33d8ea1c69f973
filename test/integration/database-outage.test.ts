/**
 * A Postgres server that goes away (cut behind a TCP proxy) answers ServiceUnavailableException (503, which AWS
 * clients retry), changes nothing, and the service recovers by itself when the server is back.
 * Postgres only: the embedded PGlite lives inside the service process and cannot die apart from it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeCertificateCommand, TransferCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate, type CreatedCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { type ProxiedScratchDatabase, startProxiedScratchDatabase, type TcpProxy } from '../support/tcp-proxy.ts';
import { testDatabaseKind } from '../support/test-database.ts';
import { startTestService, type TestService } from '../support/test-service.ts';

// Registered only in the Postgres pass of the suite (.ci/run runs both passes).
if (testDatabaseKind === 'postgres')
  describe('Postgres outage', () => {
    let svc: TestService;
    let one: IoTClient;
    let proxy: TcpProxy | undefined;
    let database: ProxiedScratchDatabase | undefined;
    let cert: CreatedCertificate;

    before(async () => {
      database = await startProxiedScratchDatabase();
      proxy = database.proxy;
      svc = await startTestService({ databaseUrl: database.url });
      one = svc.iot(demoOperatorOne);
      cert = await createCertificate(one);
    });
    after(async () => {
      await svc.close().catch(() => {});
      await database?.close();
    });

    test('with the database gone, a transfer is ServiceUnavailableException (503) and /ready says not ready (/health: alive)', async () => {
      await proxy!.cut();
      const error = await rejectsWithAws(
        one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
        'ServiceUnavailableException',
        503,
      );
      assert.doesNotMatch(error.message, /ECONNREFUSED|terminated|PGlite|127\.0\.0\.1/, 'no internals in the message');
      await rejectsWithAws(one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId })), 'ServiceUnavailableException', 503);
      const health = await fetch(`${svc.baseUrl}/health`);
      assert.equal(health.status, 200, 'liveness does not depend on the database');
      const ready = await fetch(`${svc.baseUrl}/ready`);
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { checks: { database: boolean } }).checks.database, false);
    });

    test('when Postgres is back, the service recovers without a restart and nothing changed meanwhile', async () => {
      await proxy!.restore();
      const ready = await fetch(`${svc.baseUrl}/ready`);
      assert.equal(ready.status, 200, '/ready is true again');
      const { certificateDescription: d } = await one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
      assert.equal(d?.status, 'INACTIVE', 'the refused transfer changed nothing');
      await one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
      const rows = await svc.db
        .selectFrom('audit_events')
        .select(['decision', 'request_parameters'])
        .where('certificate_id', '=', cert.certificateId)
        .where('operation', '=', 'TransferCertificate')
        .execute();
      assert.deepEqual(rows.filter((r) => r.decision === 'ALLOW').length, 1, 'only the transfer that happened is audited as allowed');
      // The refused one is audited too, as an ERROR, once the outage spool is replayed (database-outage-spool.test.ts).
      for (const row of rows.filter((r) => r.decision !== 'ALLOW')) {
        assert.equal(row.decision, 'ERROR');
        assert.ok((row.request_parameters as { spooled?: unknown }).spooled, 'a refused attempt, replayed from the spool');
      }
    });
  });
