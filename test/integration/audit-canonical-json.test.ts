/**
 * The database verify's fast path (src/audit/verification/verify-range-sql.ts) rebuilds each record's canonical JSON in
 * SQL: its bytes must equal canonicalJson(toAuditRecord(row)) for every value certguard can store, rows written
 * before the json columns existed must be converted exactly by their migration, and wherever the SQL rendering
 * cannot vouch for a range, the per-row recomputation in Node must still decide correctly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { appendAdminEvent } from '../../src/audit/audit.repository.ts';
import { toAuditRecord, utcTimestamp, type AuditRecordRow } from '../../src/audit/chain/audit-record.ts';
import { canonicalJson } from '../../src/audit/canonical-json.ts';
import { withChainTables } from '../../src/audit/chain/chain-schema.ts';
import { RECORD_COLUMNS } from '../../src/audit/chain/record-columns.ts';
import { recordMemberParts } from '../../src/audit/chain/record-sql.ts';
import { sealBatch } from '../../src/audit/sealing/seal-batch.ts';
import { verifyDatabaseChain } from '../../src/audit/verification/verify-database.ts';
import { summarizeChainRange } from '../../src/audit/verification/verify-range-sql.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { concatSql } from '../../src/db/sql-concat.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { migrations } from '../../migrations/index.ts';
import { tamperedThenRolledBack } from '../support/audit-chain-support.ts';
import { createScratchDatabase, type ScratchDatabase, testDatabaseKind } from '../support/test-database.ts';

/** Strings that need every kind of JSON escaping, and characters that need none but are easy to get wrong. */
const AWKWARD = 'quote " backslash \\ newline \n tab \t bell \u0007 unit-sep \u001f del \u007f é 😀 \u2028 \u2029 </script>';
const LAST_JSONB_MIGRATION = '20261127T100000Z-audit-query-indexes';

async function sealEverything(database: DatabaseHandle): Promise<void> {
  for (;;) {
    const result = await sealBatch(database.db, { batchSize: 1000, wait: true, schedule: { every: 0, minutes: 0 } });
    if (result.sealed === 0) return;
  }
}

/** The whole canonical record of audit row `table`, as SQL text: the member parts the verify and export use, closed. */
const canonicalRecordSql = (table: string): string => concatSql([...recordMemberParts(table), `'}'`]);

/** The record of every chained row as SQL renders it, and as Node canonicalizes it. */
async function renderings(database: DatabaseHandle): Promise<Array<{ sql: string; node: string }>> {
  const rows = await withChainTables(database.db)
    .selectFrom('audit_chain as c')
    .innerJoin('audit_events as e', 'e.sequence', 'c.event_sequence')
    .select(RECORD_COLUMNS)
    .select(utcTimestamp('e.event_time').as('event_time_utc'))
    .select(sql<string>`${sql.raw(canonicalRecordSql('e'))}`.as('record_sql'))
    .orderBy('c.chain_seq')
    .execute();
  return rows.map((row) => ({ sql: row.record_sql, node: canonicalJson(toAuditRecord(row as unknown as AuditRecordRow)) }));
}

describe(`canonical records rebuilt in SQL (${testDatabaseKind})`, () => {
  let scratch: ScratchDatabase | undefined;
  let database: DatabaseHandle;

  before(async () => {
    scratch = testDatabaseKind === 'postgres' ? await createScratchDatabase() : undefined;
    database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
    // Rows of the jsonb era, converted by the migration to json.
    const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
    const partial = await migrator.migrateTo(LAST_JSONB_MIGRATION);
    assert.equal(partial.error, undefined);
    await sql`
      INSERT INTO audit_events (event_id, event_time, event_type, operation, caller_account_id, caller_roles, user_agent,
        decision, error_message, rule_outcomes, policy_input, request_parameters)
      VALUES
        (gen_random_uuid(), now(), 'Decision', 'TransferCertificate', '111111111111', ARRAY['operator', ${AWKWARD}::text], ${AWKWARD}::text,
         'DENY', ${AWKWARD}::text,
         jsonb_build_object('rules', jsonb_build_array(jsonb_build_object('outcome', 'fail', 'id', 'r1', 'message', ${AWKWARD}::text)),
           'warnings', '[]'::jsonb, 'decisionId', gen_random_uuid()),
         jsonb_build_object('zeta', 1, 'alpha', jsonb_build_object('b', true, 'a', null, 'aa', -42), 'now', now(), ${AWKWARD}::text, 7),
         jsonb_build_object('certificateId', 'abc', 'count', 12345678901)),
        (gen_random_uuid(), now(), 'Decision', 'UpdateCertificate', '1234', NULL, NULL,
         'ALLOW', NULL, '{"rules": [], "warnings": []}'::jsonb, NULL, '{"ratio": 1.50, "big": 1e2}'::jsonb)`.execute(database.db);
    // Sealed after the migration: the sealer of today needs today's schema, and the hash is over values anyway.
    await migrateToLatest(database.db);
    // Rows written by certguard itself after the migration, with values that need escaping and a Date.
    await appendAdminEvent(database.db, {
      eventType: 'PolicyActivated',
      policy: { name: 'p', revision: AWKWARD, hash: 'a'.repeat(64) },
      parameters: { [AWKWARD]: AWKWARD, when: new Date('2026-11-26T10:00:00.123Z'), nested: { z: [1, 2.5, -0, 1e21], a: 'x' }, skipped: undefined },
      trace: {},
    });
    await sealEverything(database);
  });

  after(async () => {
    await database?.close();
    await scratch?.drop();
  });

  test('rows written by certguard are rebuilt byte for byte', async () => {
    const all = await renderings(database);
    assert.equal(all.length, 3);
    assert.equal(all[2]!.sql, all[2]!.node);
    assert.match(all[2]!.sql, /"when":"2026-11-26T10:00:00.123Z"/);
  });

  test('rows converted by the migration are rebuilt byte for byte, except a number jsonb wrote in another form', async () => {
    const [converted, otherNumberForm] = await renderings(database);
    assert.equal(converted!.sql, converted!.node);
    // 1.50 and 1e2 keep jsonb's spelling in the converted text; canonical JSON writes 1.5 and 100.
    assert.notEqual(otherNumberForm!.sql, otherNumberForm!.node);
    assert.match(otherNumberForm!.node, /"requestParameters":\{"big":100,"ratio":1.5\}/);
  });

  test('the fast path vouches for the rows it can rebuild, and verify still accepts the one it cannot', async () => {
    const db = withChainTables(database.db);
    assert.deepEqual(await summarizeChainRange(db, 0n, 1, []).then((s) => [s.entries, s.suspect]), [1, 0]);
    assert.deepEqual(await summarizeChainRange(db, 0n, 3, []).then((s) => [s.entries, s.suspect]), [3, 1]);
    const report = await verifyDatabaseChain(database.db);
    assert.equal(report.ok, true, report.detail);
    assert.equal(report.checkedEntries, 3);
  });

  test("the same value stored in another spelling behind certguard's back is not a change of the record", async () => {
    const report = await tamperedThenRolledBack(
      database.db,
      async (trx) => {
        await sql`UPDATE audit_events SET request_parameters = ${'{ "certificateId" : "abc", "count": 12345678901 }'}::json
                WHERE operation = 'TransferCertificate'`.execute(trx);
      },
      async (trx) => {
        const summary = await summarizeChainRange(withChainTables(trx), 0n, 1, []);
        assert.equal(summary.suspect, 1, 'the rebuilt bytes differ, so the fast path hands the row to Node');
        return verifyDatabaseChain(trx);
      },
    );
    assert.equal(report.ok, true, report.detail);
  });

  test('a changed JSON value is a hash-mismatch at its position', async () => {
    const report = await tamperedThenRolledBack(
      database.db,
      async (trx) => {
        await sql`UPDATE audit_events SET rule_outcomes = ${'{"decisionId":null,"rules":[],"warnings":[]}'}::json
                WHERE operation = 'TransferCertificate'`.execute(trx);
      },
      (trx) => verifyDatabaseChain(trx),
    );
    assert.equal(report.ok, false);
    assert.equal(report.reason, 'hash-mismatch');
    assert.equal(report.firstBrokenChainSeq, '1');
  });
});
