/**
 * Tampering as a database superuser, bypassing the append-only triggers, is detected by verify and named with
 * the first broken position and the reason. Each case tampers inside a transaction, verifies there, and rolls
 * back, so every case starts from the same clean chain: a signed checkpoint, then a few more entries after it.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { toAuditRecord, utcTimestamp } from '../../src/audit/chain/audit-record.ts';
import { chainHash } from '../../src/audit/chain/chain-hash.ts';
import { type ChainDB, withChainTables } from '../../src/audit/chain/chain-schema.ts';
import { signCheckpoint } from '../../src/audit/checkpoints/checkpoint-signature.ts';
import { signingKeyFromPem } from '../../src/audit/checkpoints/signing-key.ts';
import { verifyDatabaseChain } from '../../src/audit/verification/verify-database.ts';
import type { VerifyReport } from '../../src/audit/verification/verify-report.ts';
import { chainEntries, type ChainEntryRow, deniedTransfers, tamperedThenRolledBack, waitUntilSealed } from '../support/audit-chain-support.ts';
import { useTestService } from '../support/test-service.ts';

describe("verify detects tampering behind certguard's back", () => {
  const t = useTestService();
  let entries: ChainEntryRow[];
  let checkpointAt: number;

  before(async () => {
    await deniedTransfers(t.one, 8);
    await waitUntilSealed(t.svc.db);
    checkpointAt = Number((await t.svc.service.auditSealer.checkpointNow()).chainSeq);
    await deniedTransfers(t.one, 3);
    await waitUntilSealed(t.svc.db);
    entries = await chainEntries(t.svc.db);
  });

  const entry = (chainSeq: number) => {
    const found = entries[chainSeq - 1];
    assert.ok(found, `chain position ${chainSeq}`);
    return found;
  };
  // Both ways of recomputing (the database's sha256 over rebuilt records, or Node per entry) must name the same break.
  const verifyAfter = (tamper: (trx: Transaction<ChainDB>) => Promise<void>, options = {}) =>
    tamperedThenRolledBack(t.svc.db, tamper, async (trx) => {
      const inDatabase = await verifyDatabaseChain(trx, { ...options, recomputeIn: 'database' });
      const inNode = await verifyDatabaseChain(trx, { ...options, recomputeIn: 'node' });
      assert.deepEqual(inNode, inDatabase);
      return inDatabase;
    });
  const assertBroken = (report: VerifyReport, reason: string, at: { sequence?: string; chainSeq?: string }) => {
    assert.equal(report.ok, false);
    assert.equal(report.reason, reason, report.detail);
    assert.equal(report.firstBrokenSequence, at.sequence);
    if (at.chainSeq !== undefined) assert.equal(report.firstBrokenChainSeq, at.chainSeq);
  };

  test('the untouched chain verifies', async () => {
    const report = await verifyDatabaseChain(t.svc.db);
    assert.equal(report.ok, true, report.detail);
    assert.equal(report.checkedEntries, entries.length);
    assert.ok(report.checkpointsVerified >= 1);
  });

  test('an edited audit row is a hash-mismatch at its sequence', async () => {
    const target = entry(3);
    const report = await verifyAfter(async (trx) => {
      await trx
        .updateTable('audit_events')
        .set({ error_message: 'nothing to see here' })
        .where('sequence', '=', target.event_sequence as never)
        .execute();
    });
    assertBroken(report, 'hash-mismatch', { sequence: target.event_sequence, chainSeq: '3' });
  });

  test('an audit row edited only in its microseconds is still a hash-mismatch', async () => {
    const target = entry(2);
    const report = await verifyAfter(async (trx) => {
      await sql`UPDATE audit_events SET event_time = event_time + interval '1 microsecond' WHERE sequence = ${target.event_sequence}`.execute(trx);
    });
    assertBroken(report, 'hash-mismatch', { sequence: target.event_sequence, chainSeq: '2' });
  });

  test('a deleted audit row is a missing-event at its sequence', async () => {
    const target = entry(4);
    const report = await verifyAfter(async (trx) => {
      await trx
        .deleteFrom('audit_events')
        .where('sequence', '=', target.event_sequence as never)
        .execute();
    });
    assertBroken(report, 'missing-event', { sequence: target.event_sequence, chainSeq: '4' });
  });

  test("a row inserted behind certguard's back is an unchained-event at its sequence", async () => {
    let inserted = '';
    const report = await verifyAfter(async (trx) => {
      const row = await trx
        .insertInto('audit_events')
        .values({
          event_id: '00000000-0000-4000-8000-000000000001',
          event_time: new Date(),
          event_type: 'Decision',
          operation: 'TransferCertificate',
          decision: 'ALLOW',
          rule_outcomes: '{"rules":[]}',
        })
        .returning('sequence')
        .executeTakeFirstOrThrow();
      inserted = String(row.sequence);
    });
    assertBroken(report, 'unchained-event', { sequence: inserted });
  });

  test('an edited chain entry hash is a hash-mismatch at its position', async () => {
    const target = entry(2);
    const report = await verifyAfter(async (trx) => {
      await trx
        .updateTable('audit_chain')
        .set({ hash: 'f'.repeat(64) })
        .where('chain_seq', '=', '2' as never)
        .execute();
    });
    assertBroken(report, 'hash-mismatch', { sequence: target.event_sequence, chainSeq: '2' });
  });

  test('a deleted chain entry is a chain-gap at its position', async () => {
    const report = await verifyAfter(async (trx) => {
      await trx
        .deleteFrom('audit_chain')
        .where('chain_seq', '=', '5' as never)
        .execute();
    });
    assertBroken(report, 'chain-gap', { chainSeq: '5' });
  });

  test('a deleted chain entry at the end of a fetched range is found by the next range', async () => {
    const report = await verifyAfter(
      async (trx) => {
        await trx
          .deleteFrom('audit_chain')
          .where('chain_seq', 'in', ['3', '4'] as never[])
          .execute();
      },
      { pageSize: 2 },
    );
    assertBroken(report, 'chain-gap', { chainSeq: '3' });
  });

  test('a chain truncated below a signed checkpoint is truncated-after-checkpoint', async () => {
    const cut = checkpointAt - 1;
    const report = await verifyAfter(async (trx) => {
      await trx
        .deleteFrom('audit_chain')
        .where('chain_seq', '>=', String(cut) as never)
        .execute();
    });
    assertBroken(report, 'truncated-after-checkpoint', { chainSeq: String(cut) });
  });

  test('history rewritten consistently (every later hash recomputed) differs from the signed checkpoint', async () => {
    const report = await verifyAfter(async (trx) => {
      await trx
        .updateTable('audit_events')
        .set({ error_message: 'rewritten' })
        .where('sequence', '=', entry(2).event_sequence as never)
        .execute();
      await rechainFrom(trx, 2);
    });
    assertBroken(report, 'hash-mismatch', { sequence: entry(checkpointAt).event_sequence, chainSeq: String(checkpointAt) });
    assert.match(report.detail ?? '', /signed checkpoint/);
  });

  test('a checkpoint whose signed hash was edited is a bad-signature', async () => {
    const report = await verifyAfter(async (trx) => {
      await trx
        .updateTable('audit_checkpoints')
        .set({ hash: entry(1).hash })
        .execute();
    });
    assertBroken(report, 'bad-signature', {});
  });

  test('a checkpoint forged with another key is a bad-signature when only the service key is trusted', async () => {
    const forger = signingKeyFromPem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'ephemeral');
    const head = entries.at(-1)!;
    const time = '2026-11-27T00:00:00.000000Z';
    const report = await tamperedThenRolledBack(
      t.svc.db,
      async (trx) => {
        const { keyId, signature } = signCheckpoint(forger, { chainSeq: head.chain_seq, hash: head.hash, time });
        await trx
          .insertInto('audit_checkpoints')
          .values({
            chain_seq: head.chain_seq,
            hash: head.hash,
            signed_at: time,
            key_id: keyId,
            public_key: forger.publicKeyPem,
            signature,
            reason: 'demand',
          })
          .execute();
      },
      (trx) => verifyDatabaseChain(trx, { trustedKeyIds: new Set([t.svc.service.auditSealer.signingKey.keyId]) }),
    );
    assertBroken(report, 'bad-signature', {});
    assert.match(report.detail ?? '', /not a trusted key/);
  });

  test('after the entries before a checkpoint are archived, verify from that checkpoint still succeeds', async () => {
    const checkpointId = (
      await withChainTables(t.svc.db)
        .selectFrom('audit_checkpoints')
        .select('checkpoint_id')
        .where('chain_seq', '=', String(checkpointAt) as never)
        .executeTakeFirstOrThrow()
    ).checkpoint_id;
    const report = await verifyAfter(
      async (trx) => {
        const archived = entries.slice(0, checkpointAt).map((e) => e.event_sequence);
        await trx
          .deleteFrom('audit_events')
          .where('sequence', 'in', archived as never[])
          .execute();
      },
      { fromCheckpointId: String(checkpointId) },
    );
    assert.equal(report.ok, true, report.detail);
    assert.equal(report.fromChainSeq, String(checkpointAt + 1));
    assert.equal(report.checkedEntries, entries.length - checkpointAt);
  });
});

describe("rows inserted behind certguard's back and committed", () => {
  const t = useTestService();

  // Verify outside any transaction runs its reads with their own pinned plans (the unchained check as merge
  // anti-joins): it must name the same row as the default plan does inside a transaction.
  test('verify names the lowest row that is neither chained nor queued', async () => {
    await deniedTransfers(t.one, 3);
    await waitUntilSealed(t.svc.db);
    const hidden: string[] = [];
    await t.svc.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      for (let i = 1; i <= 3; i++) {
        const row = await trx
          .insertInto('audit_events')
          .values({
            event_id: `00000000-0000-4000-8000-00000000000${i}`,
            event_time: new Date(),
            event_type: 'Decision',
            operation: 'TransferCertificate',
            decision: 'ALLOW',
            rule_outcomes: '{"rules":[]}',
          })
          .returning(['sequence', 'event_time'])
          .executeTakeFirstOrThrow();
        hidden.push(String(row.sequence));
        // The first one is queued, as a row waiting for the sealer is: not unchained.
        if (i === 1)
          await withChainTables(trx)
            .insertInto('audit_seal_queue')
            .values({ sequence: row.sequence, event_time: row.event_time } as never)
            .execute();
      }
    });
    const report = await verifyDatabaseChain(t.svc.db);
    assert.equal(report.ok, false);
    assert.equal(report.reason, 'unchained-event', report.detail);
    assert.equal(report.firstBrokenSequence, hidden[1]);
    const inTransaction = await t.svc.db.transaction().execute((trx) => verifyDatabaseChain(trx));
    assert.equal(inTransaction.firstBrokenSequence, hidden[1]);
  });
});

/** What an attacker who knows the algorithm would do: recompute every hash from `from` on. */
async function rechainFrom(trx: Transaction<ChainDB>, from: number): Promise<void> {
  const rows = await trx
    .selectFrom('audit_chain as c')
    .innerJoin('audit_events as e', 'e.sequence', 'c.event_sequence')
    .selectAll('e')
    .select(['c.chain_seq', 'c.prev_hash', utcTimestamp('e.event_time').as('event_time_utc')])
    .where('c.chain_seq', '>=', String(from) as never)
    .orderBy('c.chain_seq')
    .execute();
  let prev = rows[0]!.prev_hash;
  for (const row of rows) {
    const hash = chainHash(prev, toAuditRecord(row as never));
    await trx
      .updateTable('audit_chain')
      .set({ prev_hash: prev, hash })
      .where('chain_seq', '=', row.chain_seq as never)
      .execute();
    prev = hash;
  }
}
