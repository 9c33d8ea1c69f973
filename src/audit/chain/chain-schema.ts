/**
 * Kysely types of the chain tables (migrations/20261127T090000Z-audit-chain.ts, docs/audit.md section 2).
 * Kept beside the chain code rather than in src/db/schema.ts: use `db.withTables<AuditChainTables>()`.
 */
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Int8 = ColumnType<string, string | number, never>;

/** The audited row's event_time: with event_sequence, the key that finds it in its partition (not hashed). */
type EventTime = ColumnType<Date | null, Date | string, never>;

export type AuditChainTable = {
  chain_seq: Int8;
  event_sequence: Int8;
  event_time: EventTime;
  prev_hash: string;
  hash: string;
  sealed_at: Generated<Date>;
};

export type AuditSealQueueTable = {
  sequence: Int8;
  event_time: EventTime;
};

export type AuditCheckpointsTable = {
  checkpoint_id: ColumnType<string, never, never>;
  chain_seq: Int8;
  hash: string;
  signed_at: ColumnType<Date, Date | string, never>;
  key_id: string;
  public_key: string;
  signature: string;
  reason: string;
};

export type AuditChainTables = {
  audit_chain: AuditChainTable;
  audit_seal_queue: AuditSealQueueTable;
  audit_checkpoints: AuditCheckpointsTable;
};

export type ChainDB = DB & AuditChainTables;
export type ChainExecutor = Kysely<ChainDB> | Transaction<ChainDB>;

/** The same connection (or transaction), typed to see the chain tables. */
export function withChainTables(db: Kysely<DB> | Transaction<DB>): ChainExecutor {
  return db.withTables<AuditChainTables>() as ChainExecutor;
}

export const GENESIS_HASH = '0'.repeat(64);
