/** The sealer's SQL: the election lock, the chain head, the queue of committed rows, and appending entries. */
import { sql } from 'kysely';
import { type AuditRecordRow, utcTimestamp } from '../chain/audit-record.ts';
import type { ChainExecutor } from '../chain/chain-schema.ts';
import { RECORD_COLUMNS } from '../chain/record-columns.ts';

/** pg_advisory_xact_lock(int4, int4) key: 'cert', 'seal'. Held by the sealing transaction, released at its end. */
const SEALER_LOCK = sql`1667592820, 1936023916`;

/** One sealer at a time across every process on this database; `wait` blocks until the current one commits. */
export async function acquireSealerLock(trx: ChainExecutor, wait: boolean): Promise<boolean> {
  if (wait) {
    await sql`SELECT pg_advisory_xact_lock(${SEALER_LOCK})`.execute(trx);
    return true;
  }
  const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${SEALER_LOCK}) AS locked`.execute(trx);
  return rows[0]?.locked === true;
}

export interface ChainHead {
  chainSeq: string;
  hash: string;
}

export async function chainHead(db: ChainExecutor): Promise<ChainHead | undefined> {
  const row = await db.selectFrom('audit_chain').select(['chain_seq', 'hash']).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
  return row ? { chainSeq: String(row.chain_seq), hash: row.hash } : undefined;
}

export async function hasQueuedRows(db: ChainExecutor): Promise<boolean> {
  return (await db.selectFrom('audit_seal_queue').select('sequence').limit(1).executeTakeFirst()) !== undefined;
}

export interface QueuedRow {
  sequence: string;
  /** undefined when the audit row is gone (deleted before it could be sealed). */
  row: AuditRecordRow | undefined;
}

/** The oldest queued rows, each with its audit row: committed rows only (the queue row commits with it). */
export async function queuedRows(db: ChainExecutor, limit: number): Promise<QueuedRow[]> {
  // The batch is picked first (an index range on the queue's key), then joined: never a sort of the whole queue.
  const batch = db.selectFrom('audit_seal_queue').select(['sequence', 'event_time']).orderBy('sequence').limit(limit);
  const rows = await db
    .selectFrom(batch.as('q'))
    // Both keys: the event_time lets the executor look in the one partition that holds the row.
    .leftJoin('audit_events as e', (join) => join.onRef('e.sequence', '=', 'q.sequence').onRef('e.event_time', '=', 'q.event_time'))
    .select(RECORD_COLUMNS)
    .select(['q.sequence as queued_sequence', utcTimestamp('e.event_time').as('event_time_utc')])
    .orderBy('q.sequence')
    .limit(limit)
    .execute();
  return rows.map(({ queued_sequence, ...row }) => ({
    sequence: String(queued_sequence),
    row: row.event_id === null ? undefined : (row as unknown as AuditRecordRow),
  }));
}

export interface NewChainEntry {
  chainSeq: string;
  eventSequence: string;
  /** The row's event_time as UTC text (event_time_utc): exact to the microsecond. */
  eventTime: string;
  prevHash: string;
  hash: string;
}

/** Appends the entries and removes their rows (and any orphans) from the queue, in the caller's transaction. */
export async function appendChainEntries(trx: ChainExecutor, entries: readonly NewChainEntry[], dequeue: readonly string[]): Promise<void> {
  if (entries.length > 0) {
    // unnest: five parameters whatever the batch size, one statement.
    await sql`
      INSERT INTO audit_chain (chain_seq, event_sequence, event_time, prev_hash, hash)
      SELECT * FROM unnest(${entries.map((e) => e.chainSeq)}::bigint[], ${entries.map((e) => e.eventSequence)}::bigint[],
                           ${entries.map((e) => e.eventTime)}::timestamptz[],
                           ${entries.map((e) => e.prevHash)}::text[], ${entries.map((e) => e.hash)}::text[])`.execute(trx);
  }
  if (dequeue.length > 0) {
    await sql`DELETE FROM audit_seal_queue WHERE sequence = ANY(${dequeue}::bigint[])`.execute(trx);
  }
}
