/** Helpers of the audit-chain tests: decisions to fill the chain, waiting for the sealer, tampering as a superuser. */
import { TransferCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { type Kysely, sql, type Transaction } from 'kysely';
import { withChainTables, type ChainDB } from '../../src/audit/chain/chain-schema.ts';
import type { DB } from '../../src/db/schema.ts';
import { createCertificate } from './iot-fixtures.ts';
import { demoOperatorTwo } from './sign-request.ts';

/** `count` audited decisions: transfers of an ACTIVE certificate, each refused by a rule (DENY) and audited. */
export async function deniedTransfers(client: IoTClient, count: number): Promise<void> {
  const cert = await createCertificate(client, true);
  for (let i = 0; i < count; i++) {
    await client
      .send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }))
      .catch((error: { name?: string }) => {
        if (error.name !== 'CertificateStateException') throw error;
      });
  }
}

export async function queuedCount(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_seal_queue`.execute(db);
  return Number(rows[0]?.n);
}

/** Polls until nothing waits for the sealer; returns how long that took. */
export async function waitUntilSealed(db: Kysely<DB>, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while ((await queuedCount(db)) > 0) {
    if (Date.now() - started > timeoutMs) throw new Error(`audit rows still unsealed after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

export interface ChainEntryRow {
  chain_seq: string;
  event_sequence: string;
  prev_hash: string;
  hash: string;
}

export async function chainEntries(db: Kysely<DB> | Transaction<DB>): Promise<ChainEntryRow[]> {
  const rows = await withChainTables(db).selectFrom('audit_chain').select(['chain_seq', 'event_sequence', 'prev_hash', 'hash']).orderBy('chain_seq').execute();
  return rows.map((row) => ({ chain_seq: String(row.chain_seq), event_sequence: String(row.event_sequence), prev_hash: row.prev_hash, hash: row.hash }));
}

/**
 * Runs `tamper` as the database superuser with every trigger bypassed (session_replication_role = replica, as an
 * attacker with superuser rights would), then `check` in the same transaction, and rolls everything back so the
 * next test starts from the untouched chain.
 */
export async function tamperedThenRolledBack<T>(
  db: Kysely<DB>,
  tamper: (trx: Transaction<ChainDB>) => Promise<void>,
  check: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  let result: T | undefined;
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await tamper(withChainTables(trx) as Transaction<ChainDB>);
      await sql`SET LOCAL session_replication_role = origin`.execute(trx);
      result = await check(trx);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return result as T;
}

class RolledBack extends Error {}
