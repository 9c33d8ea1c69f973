/**
 * The export's COPY path (src/db/copy-out.ts, src/audit/export/copy-line-collector.ts) against the real server:
 * the bytes it writes equal the ordinary query path's for every format, however the stream is cut; a failing
 * COPY rejects and leaves the pool usable; a query with parameters is refused. On PGlite there is no COPY path,
 * and the database handle says so.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { CompiledQuery, sql } from 'kysely';
import { canonicalJsonText } from '../../src/audit/canonical-json.ts';
import { sealBatch } from '../../src/audit/sealing/seal-batch.ts';
import { prepareAuditExport } from '../../src/audit/export/audit-export.service.ts';
import { BlockPool } from '../../src/audit/export/block-pool.ts';
import { CopyFormatError, CopyLineCollector } from '../../src/audit/export/copy-line-collector.ts';
import { allEventsWalk, chainWalk, type ExportChunk, type ExportReader } from '../../src/audit/export/export-source.ts';
import type { ExportShape } from '../../src/audit/export/export-row.ts';
import { startExportResponse, streamExport } from '../../src/audit/export/stream-export.ts';
import type { CopySink } from '../../src/db/copy-out.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { createScratchDatabase, type ScratchDatabase, testDatabaseKind } from '../support/test-database.ts';

/** Values that stress the byte handling: multi-byte UTF-8, an emoji, quotes, backslashes, control characters. */
const HOSTILE = 'caf\u00e9 \u{1F510} "quoted" back\\slash tab\tnew\nline \u2028 end';
/** User agents a spreadsheet would run as formulas: the CSV formula guard (csv-format.ts) must act alike on both paths. */
const FORMULAS = ['=1+1', '\t=2', '\r=3', '@A1', '-5', '+6'];

async function bytesOf(walk: AsyncGenerator<ExportChunk[]>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunks of walk) {
    for (const chunk of chunks) parts.push(...(typeof chunk.lines === 'string' ? [Buffer.from(chunk.lines)] : chunk.lines));
  }
  return Buffer.concat(parts);
}

/** Passes the stream on in pieces of `size` bytes (1: every byte on its own). */
function cutInto(size: number, sink: CopySink): CopySink {
  return {
    data: (bytes) => {
      for (let at = 0; at < bytes.length; at += size) sink.data(Buffer.from(bytes.subarray(at, at + size)));
    },
  };
}

describe(`export by COPY (${testDatabaseKind})`, () => {
  let scratch: ScratchDatabase | undefined;
  let database: DatabaseHandle;

  before(async () => {
    scratch = testDatabaseKind === 'postgres' ? await createScratchDatabase() : undefined;
    database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
    await migrateToLatest(database.db);
    for (let i = 0; i < 60; i++) {
      // Decisions of every outcome, and administrative events, with hostile text wherever the lines show it.
      const decision = (['ALLOW', 'DENY', 'ERROR'] as const)[i % 3];
      await database.db
        .insertInto('audit_events')
        .values({
          event_id: randomUUID(),
          event_time: new Date(),
          event_type: i % 10 === 0 ? 'PolicyActivated' : 'Decision',
          operation: i % 10 === 0 ? 'PolicyActivated' : 'TransferCertificate',
          request_id: randomUUID(),
          caller_account_id: i % 10 === 0 ? null : '123456789012',
          caller_access_key_id: i % 10 === 0 ? null : 'AKIDEXAMPLE',
          caller_roles: ['operator', HOSTILE],
          source_ip: i % 2 === 0 ? '::ffff:127.0.0.1' : null,
          user_agent: i % 7 === 3 ? FORMULAS[i % 6] : `agent ${HOSTILE}`,
          certificate_id: i % 4 === 0 ? null : 'c'.repeat(64),
          certificate_arn: i % 4 === 0 ? null : `arn:aws:iot:us-east-1:123456789012:cert/${'c'.repeat(64)}`,
          target_account_id: i % 5 === 0 ? '210987654321' : null,
          decision,
          error_type: decision === 'ALLOW' ? null : 'CertificateStateException',
          error_message: decision === 'ALLOW' ? null : `[rule] ${HOSTILE}`,
          failing_rule_id: decision === 'DENY' ? 'certificate-not-active' : null,
          rule_outcomes: canonicalJsonText(
            i % 10 === 0
              ? { rules: [], warnings: [] }
              : {
                  decisionId: randomUUID(),
                  rules: [{ action: 'enforce', id: 'certificate-not-active', outcome: decision === 'DENY' ? 'fail' : 'pass', message: HOSTILE }],
                  warnings: [`[warn-rule] ${HOSTILE}`],
                },
          ),
          policy_name: `bundle ${HOSTILE}`,
          policy_revision: String(i),
          policy_hash: 'a'.repeat(64),
          policy_input: canonicalJsonText({ caller: { accountId: '123456789012' }, note: HOSTILE }),
          request_parameters: canonicalJsonText({ note: HOSTILE, index: i, nested: { list: [HOSTILE, null, true, 1.5] } }),
          trace_id: 'f'.repeat(32),
          span_id: 'e'.repeat(16),
        } as never)
        .execute();
    }
    // Seal the first 40, leave the rest unsealed: windows then mix sealed and unsealed rows.
    await sealBatch(database.db, { batchSize: 40, wait: true, schedule: { every: 0, minutes: 0 } });
  });

  after(async () => {
    await database?.close();
    await scratch?.drop();
  });

  if (testDatabaseKind === 'pglite') {
    test('PGlite has no COPY reader: exports use ordinary queries', () => {
      assert.equal(database.kind, 'pglite');
      assert.equal(database.copyOut, undefined);
    });
    return;
  }

  const readers = (): [ExportReader, ExportReader] => [{ db: database.db, copyOut: database.copyOut! }, { db: database.db }];

  for (const shape of ['record', 'csv', 'csv-raw', 'ocsf'] as const satisfies readonly ExportShape[]) {
    test(`${shape}: the COPY path writes exactly the bytes of the query path`, async () => {
      const [copying, querying] = readers();
      const bounds = await database.db
        .selectFrom('audit_events')
        .select((eb) => [eb.fn.min('sequence').as('first'), eb.fn.max('sequence').as('last')])
        .executeTakeFirstOrThrow();
      const copied = await bytesOf(allEventsWalk(copying, String(bounds.first), String(bounds.last), shape));
      const queried = await bytesOf(allEventsWalk(querying, String(bounds.first), String(bounds.last), shape));
      assert.ok(copied.length > 60 * 200, `${copied.length} bytes`);
      assert.ok(copied.includes(Buffer.from('caf\u00e9 \u{1F510}')), 'multi-byte UTF-8 arrives intact');
      assert.ok(copied.equals(queried));
      if (shape === 'csv' || shape === 'csv-raw') {
        const guard = shape === 'csv' ? "'" : '';
        for (const formula of FORMULAS) assert.ok(copied.includes(Buffer.from(`,"${guard}${formula}",`)), `${shape}: ${JSON.stringify(formula)}`);
      }
      const chain = await bytesOf(chainWalk(copying, {}, '1', '40', shape));
      assert.ok(chain.equals(await bytesOf(chainWalk(querying, {}, '1', '40', shape))));
    });
  }

  test('over HTTP, windows of many reused blocks arrive intact (block pool, write callbacks)', async () => {
    // ~10 MB of lines: several 4000-row windows of several 1 MB blocks each, so blocks are reused while others are written.
    await sql`INSERT INTO audit_events (event_id, event_time, event_type, operation, decision, rule_outcomes, user_agent, request_parameters)
      SELECT gen_random_uuid(), now(), 'Decision', 'DescribeCertificate', 'ALLOW', '{"rules":[],"warnings":[]}'::json,
        'agent ' || g || ' ' || repeat('x', 1000 + g % 500), ('{"index":' || g || '}')::json
      FROM generate_series(1, 9000) g`.execute(database.db);
    const served = await new Promise<{ url: string; close: () => void }>((resolve) => {
      const app = express();
      app.get('/', (req, res) => {
        const format = req.query.format as 'csv';
        const reader = req.query.copy === '1' ? readers()[0] : readers()[1];
        prepareAuditExport(reader, { format, filters: {} })
          .then((prepared) => {
            startExportResponse(res, prepared);
            return streamExport(res, prepared);
          })
          .catch((error: unknown) => res.destroy(error as Error));
      });
      const server = app.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve({ url: `http://127.0.0.1:${port}`, close: () => server.close() });
      });
    });
    try {
      for (const format of ['csv', 'ocsf'] as const) {
        const copied = Buffer.from(await (await fetch(`${served.url}/?format=${format}&copy=1`)).arrayBuffer());
        const queried = Buffer.from(await (await fetch(`${served.url}/?format=${format}`)).arrayBuffer());
        assert.ok(copied.length > 9_000_000, `${format}: ${copied.length} bytes`);
        assert.ok(copied.equals(queried), `${format}: same bytes by COPY as by query`);
      }
    } finally {
      served.close();
    }
  });

  test('the collector gives the same lines and chain however the stream is cut', async () => {
    const query = CompiledQuery.raw(`SELECT 'line ' || g || ' ${HOSTILE.replaceAll("'", "''")}' AS line,
      CASE WHEN g % 5 = 0 THEN NULL ELSE g::text END AS chain_seq, CASE WHEN g % 5 = 0 THEN NULL ELSE md5(g::text) END AS hash
      FROM generate_series(1, 50) g ORDER BY g`);
    const collect = async (size: number | undefined) => {
      const collector = new CopyLineCollector(Buffer.from('\r\n'), new BlockPool());
      await database.copyOut!(query, size === undefined ? collector : cutInto(size, collector));
      return collector;
    };
    const whole = await collect(undefined);
    assert.equal(whole.records, 50);
    assert.equal(whole.lastChainSeq, '49', 'the last sealed tuple (50 is not)');
    assert.equal(whole.lastHash, (await sql<{ h: string }>`SELECT md5('49') AS h`.execute(database.db)).rows[0]!.h);
    const text = Buffer.concat(whole.lines()).toString('utf8');
    assert.equal(text.split('\r\n').length, 51);
    assert.ok(text.startsWith(`line 1 ${HOSTILE}\r\nline 2 `));
    for (const size of [1, 2, 3, 7, 64]) {
      const cut = await collect(size);
      assert.ok(Buffer.concat(cut.lines()).equals(Buffer.concat(whole.lines())), `pieces of ${size} bytes`);
      assert.deepEqual([cut.records, cut.lastChainSeq, cut.lastHash], [whole.records, whole.lastChainSeq, whole.lastHash]);
    }
  });

  test('a stream that is not (line, chain_seq, hash) tuples is refused, not misread', async () => {
    const collector = new CopyLineCollector(Buffer.from('\n'), new BlockPool());
    await assert.rejects(database.copyOut!(CompiledQuery.raw('SELECT 1 AS only_one_field'), collector), CopyFormatError);
    assert.throws(() => new CopyLineCollector(Buffer.from('\n'), new BlockPool()).lines(), CopyFormatError, 'nothing read is not an empty result');
  });

  test('a COPY the server refuses rejects, and the pool goes on working', async () => {
    const collector = new CopyLineCollector(Buffer.from('\n'), new BlockPool());
    await assert.rejects(database.copyOut!(CompiledQuery.raw('SELECT 1 / 0 AS line, NULL AS chain_seq, NULL AS hash'), collector), /division by zero/);
    await assert.rejects(database.copyOut!(CompiledQuery.raw('SELECT no_such_column'), collector), /no_such_column/);
    const again = new CopyLineCollector(Buffer.from('\n'), new BlockPool());
    await database.copyOut!(CompiledQuery.raw("SELECT 'ok' AS line, NULL AS chain_seq, NULL AS hash"), again);
    assert.equal(Buffer.concat(again.lines()).toString(), 'ok\n');
    assert.equal((await sql<{ n: number }>`SELECT 1 AS n`.execute(database.db)).rows[0]!.n, 1);
  });

  test('a query with bind parameters is refused before it reaches the server', async () => {
    const query = sql`SELECT ${'x'}::text AS line, NULL AS chain_seq, NULL AS hash`.compile(database.db);
    await assert.rejects(database.copyOut!(query, new CopyLineCollector(Buffer.from('\n'), new BlockPool())), /no bind parameters/);
  });
});
