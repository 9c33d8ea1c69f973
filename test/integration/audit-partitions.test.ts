/**
 * audit_events is range-partitioned by month (docs/audit.md section 7): partitions exist ahead of time, every
 * partition is as append-only as the parent, rows outside any month land in the default partition and are sealed
 * like any other, and the archive procedure works end to end — checkpoint, export the range, verify it offline,
 * detach the old month, and the database still verifies from that checkpoint.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { CheckpointsDocument } from '../../src/audit/checkpoints/checkpoints-document.ts';
import { verifyDatabaseChain } from '../../src/audit/verification/verify-database.ts';
import { verifyExport } from '../../src/audit/verification/verify-export.ts';
import { ensureAuditPartitions, listAuditPartitions, monthStarts, partitionName } from '../../src/audit/retention/audit-partitions.ts';
import { MONTHS_AHEAD } from '../../src/audit/retention/partition-maintainer.ts';
import type { Database } from '../../src/db/database.ts';
import { deniedTransfers, waitUntilSealed } from '../support/audit-chain-support.ts';
import { demoAuditor } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

/** Inserts an audit row dated `eventTime` through the parent table, as certguard does (so it is queued for sealing). */
async function insertDated(db: Database, eventTime: string, operation: string): Promise<string> {
  const { rows } = await sql<{ sequence: string }>`
    INSERT INTO audit_events (event_id, event_time, event_type, operation, decision, rule_outcomes)
    VALUES (gen_random_uuid(), ${eventTime}::timestamptz, 'Decision', ${operation}, 'ALLOW', ${'{"rules":[],"warnings":[]}'}::json)
    RETURNING sequence::text AS sequence`.execute(db);
  return rows[0]!.sequence;
}

async function partitionOf(db: Database, sequence: string): Promise<string> {
  const { rows } = await sql<{ partition: string }>`SELECT tableoid::regclass::text AS partition FROM audit_events WHERE sequence = ${sequence}`.execute(db);
  return rows[0]!.partition;
}

describe('audit_events partitioned by month', () => {
  const t = useTestService();

  test('this month and the next ones have partitions, plus a default one', async () => {
    const names = (await listAuditPartitions(t.svc.db)).map((partition) => partition.name);
    for (const start of monthStarts(new Date(), MONTHS_AHEAD + 1))
      assert.ok(names.includes(partitionName(start)), `${partitionName(start)} in ${names.join(', ')}`);
    assert.ok(names.includes('audit_events_default'));
    assert.deepEqual(await ensureAuditPartitions(t.svc.db, new Date(), MONTHS_AHEAD), { created: [], failed: [] });
  });

  test("decisions land in this month's partition; a row beyond every month lands in the default one and is sealed too", async () => {
    await deniedTransfers(t.one, 1);
    const { rows } = await sql<{ sequence: string }>`SELECT max(sequence)::text AS sequence FROM audit_events`.execute(t.svc.db);
    assert.equal(await partitionOf(t.svc.db, rows[0]!.sequence), partitionName(new Date()));
    const future = await insertDated(t.svc.db, '2099-06-15T12:00:00Z', 'FutureEvent');
    assert.equal(await partitionOf(t.svc.db, future), 'audit_events_default');
    await waitUntilSealed(t.svc.db);
    const report = await verifyDatabaseChain(t.svc.db);
    assert.equal(report.ok, true, report.detail);
    // A month whose rows sit in the default partition cannot get its own partition (Postgres refuses to strand them).
    const june = await ensureAuditPartitions(t.svc.db, new Date('2099-06-01T00:00:00Z'), 0);
    assert.deepEqual(june.created, []);
    assert.equal(june.failed[0]?.name, 'audit_events_2099_06');
  });

  test('processes racing to create the same months: each is created once, and none reports a failure', async () => {
    const at = new Date('2098-01-15T00:00:00Z');
    const results = await Promise.all(Array.from({ length: 4 }, () => ensureAuditPartitions(t.svc.db, at, 2)));
    assert.deepEqual(
      results.flatMap((result) => result.failed),
      [],
    );
    assert.deepEqual(results.flatMap((result) => result.created).sort(), ['audit_events_2098_01', 'audit_events_2098_02', 'audit_events_2098_03']);
  });

  test('every partition refuses UPDATE, DELETE and TRUNCATE, like the parent', async () => {
    const partition = partitionName(new Date());
    for (const statement of [
      sql`UPDATE ${sql.table(partition)} SET operation = 'x'`,
      sql`DELETE FROM ${sql.table(partition)}`,
      sql`TRUNCATE ${sql.table(partition)}`,
      sql`TRUNCATE audit_events_default`,
    ]) {
      await assert.rejects(statement.execute(t.svc.db), /append-only/);
    }
  });

  test('archiving a month: checkpoint, export and verify the range offline, detach, verify from the checkpoint', async () => {
    const db = t.svc.db;
    // An old month, as a DBA would have it: its partition, and rows dated in it (inserted through the parent).
    await sql`CREATE TABLE audit_events_2020_01 PARTITION OF audit_events FOR VALUES FROM ('2020-01-01 00:00Z') TO ('2020-02-01 00:00Z')`.execute(db);
    const old = [await insertDated(db, '2020-01-10T00:00:00Z', 'OldEvent'), await insertDated(db, '2020-01-20T00:00:00Z', 'OldEvent')];
    assert.equal(await partitionOf(db, old[0]!), 'audit_events_2020_01');
    await waitUntilSealed(db);
    const checkpoint = await t.svc.service.auditSealer.checkpointNow();
    await deniedTransfers(t.one, 2);
    await waitUntilSealed(db);

    const exported = await t.svc.send({
      method: 'GET',
      path: '/v1/audit/export',
      query: { format: 'ndjson', toChainSeq: checkpoint.chainSeq },
      credential: demoAuditor,
    });
    assert.equal(exported.status, 200);
    const checkpoints = JSON.parse((await t.svc.send({ method: 'GET', path: '/v1/audit/checkpoints', credential: demoAuditor })).text) as CheckpointsDocument;
    const lines = exported.text.split('\n').filter((line) => line !== '');
    assert.ok(
      old.every((sequence) => lines.some((line) => line.includes(`"sequence":"${sequence}"`))),
      'the archive holds the old rows',
    );
    const offline = await verifyExport(
      (async function* () {
        yield* lines;
      })(),
      checkpoints,
    );
    assert.equal(offline.ok, true, offline.detail);

    await sql`ALTER TABLE audit_events DETACH PARTITION audit_events_2020_01`.execute(db);
    try {
      const fromGenesis = await verifyDatabaseChain(db);
      assert.equal(fromGenesis.ok, false);
      assert.equal(fromGenesis.reason, 'missing-event');
      assert.ok(old.includes(fromGenesis.firstBrokenSequence!));
      const checkpointId = checkpoints.checkpoints.find((c) => c.chainSeq === checkpoint.chainSeq)!.checkpointId;
      const fromCheckpoint = await verifyDatabaseChain(db, { fromCheckpointId: checkpointId });
      assert.equal(fromCheckpoint.ok, true, fromCheckpoint.detail);
      assert.ok(fromCheckpoint.checkedEntries >= 2);
    } finally {
      await sql`ALTER TABLE audit_events ATTACH PARTITION audit_events_2020_01 FOR VALUES FROM ('2020-01-01 00:00Z') TO ('2020-02-01 00:00Z')`.execute(db);
    }
  });
});
