/**
 * Append-only by privilege: the certguard_app role (migration 20261127T091000Z) may INSERT and SELECT audit rows,
 * chain entries and checkpoints but not UPDATE or DELETE them, while it may still change the application's own
 * tables. The tests keep their superuser connection and switch role inside a rolled-back transaction.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { deniedTransfers, waitUntilSealed } from '../support/audit-chain-support.ts';
import { useTestService } from '../support/test-service.ts';

class RolledBack extends Error {}

describe('the certguard_app role', () => {
  const t = useTestService();

  async function asAppRole(work: (trx: Transaction<DB>) => Promise<void>): Promise<void> {
    await t.svc.db
      .transaction()
      .execute(async (trx) => {
        await sql`SET LOCAL ROLE certguard_app`.execute(trx);
        await work(trx);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
  }

  async function refusedAsAppRole(statement: ReturnType<typeof sql>): Promise<string> {
    let message = '';
    await asAppRole(async (trx) => {
      await statement.execute(trx).catch((error: Error) => {
        message = error.message;
      });
    });
    return message;
  }

  test('exists after the migrations', async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'certguard_app'`.execute(t.svc.db);
    assert.equal(rows[0]?.n, 1);
  });

  for (const table of ['audit_events', 'audit_chain', 'audit_checkpoints']) {
    test(`cannot UPDATE, DELETE or TRUNCATE ${table}: permission denied before any trigger runs`, async () => {
      await deniedTransfers(t.one, 1);
      await waitUntilSealed(t.svc.db);
      await t.svc.service.auditSealer.checkpointNow();
      const column = table === 'audit_events' ? sql.id('operation') : sql.id('hash');
      assert.match(await refusedAsAppRole(sql`UPDATE ${sql.table(table)} SET ${column} = ${column}`), new RegExp(`permission denied for table ${table}`));
      assert.match(await refusedAsAppRole(sql`DELETE FROM ${sql.table(table)}`), new RegExp(`permission denied for table ${table}`));
      assert.match(await refusedAsAppRole(sql`TRUNCATE ${sql.table(table)}`), new RegExp(`permission denied for table ${table}`));
    });
  }

  test('can still read the audit tables, append audit rows and change the application tables', async () => {
    await asAppRole(async (trx) => {
      await sql`SELECT count(*) FROM audit_chain`.execute(trx);
      await sql`SELECT count(*) FROM audit_checkpoints`.execute(trx);
      await sql`INSERT INTO audit_events (event_id, event_time, event_type, operation, decision, rule_outcomes)
                VALUES (gen_random_uuid(), now(), 'Decision', 'Test', 'ALLOW', '{}')`.execute(trx);
      const queued = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_seal_queue`.execute(trx);
      assert.ok((queued.rows[0]?.n ?? 0) >= 1, 'the insert was queued for sealing');
      await sql`UPDATE certificates SET customer_version = customer_version`.execute(trx);
    });
  });
});
