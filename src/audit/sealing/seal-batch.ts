/**
 * One sealing transaction (docs/audit.md section 1): take the sealer lock, read the head, chain up to `batchSize`
 * committed queued rows in sequence order, remove them from the queue, and sign the head if a checkpoint is due —
 * all or nothing. Chain order is the order of sealing, so a row that commits late is chained when it shows up.
 */
import type { Database } from '../../db/database.ts';
import { GENESIS_HASH, withChainTables, type ChainExecutor } from '../chain/chain-schema.ts';
import { acquireSealerLock, appendChainEntries, type ChainHead, chainHead, type NewChainEntry, queuedRows } from './chain.repository.ts';
import { toAuditRecord } from '../chain/audit-record.ts';
import { chainHash } from '../chain/chain-hash.ts';
import { checkpointDue, type CheckpointSchedule } from '../checkpoints/checkpoint-policy.ts';
import { insertCheckpoint, lastCheckpoint, type StoredCheckpoint } from '../checkpoints/checkpoint.repository.ts';
import type { AuditSigningKey } from '../checkpoints/signing-key.ts';

export interface SealBatchOptions {
  batchSize: number;
  /** Wait for another sealer to finish rather than skipping this round. */
  wait: boolean;
  /** Without a key no checkpoint is taken. */
  key?: AuditSigningKey;
  schedule: CheckpointSchedule;
  demandCheckpoint?: boolean;
}

export interface SealBatchResult {
  /** false: another process holds the sealer lock; nothing was done. */
  locked: boolean;
  sealed: number;
  /** Queued sequences whose audit row had vanished before sealing (dropped from the queue, reported). */
  orphans: string[];
  head: ChainHead | undefined;
  checkpoint?: StoredCheckpoint;
}

function chainEntries(head: ChainHead | undefined, rows: Awaited<ReturnType<typeof queuedRows>>) {
  const entries: NewChainEntry[] = [];
  const orphans: string[] = [];
  let prevHash = head?.hash ?? GENESIS_HASH;
  let chainSeq = BigInt(head?.chainSeq ?? 0);
  for (const queued of rows) {
    if (queued.row === undefined) {
      orphans.push(queued.sequence);
      continue;
    }
    const hash = chainHash(prevHash, toAuditRecord(queued.row));
    chainSeq += 1n;
    entries.push({ chainSeq: String(chainSeq), eventSequence: queued.sequence, eventTime: queued.row.event_time_utc, prevHash, hash });
    prevHash = hash;
  }
  return { entries, orphans };
}

async function maybeCheckpoint(trx: ChainExecutor, head: ChainHead | undefined, options: SealBatchOptions): Promise<StoredCheckpoint | undefined> {
  if (!options.key || head === undefined) return undefined;
  const last = await lastCheckpoint(trx);
  const now = new Date();
  const reason = checkpointDue(head, last && { chainSeq: last.chainSeq, time: new Date(last.time) }, options.schedule, now, options.demandCheckpoint === true);
  return reason ? insertCheckpoint(trx, options.key, head, reason, now) : undefined;
}

export async function sealBatch(db: Database, options: SealBatchOptions): Promise<SealBatchResult> {
  return db.transaction().execute(async (transaction) => {
    const trx = withChainTables(transaction);
    if (!(await acquireSealerLock(trx, options.wait))) return { locked: false, sealed: 0, orphans: [], head: undefined };
    const before = await chainHead(trx);
    const rows = await queuedRows(trx, options.batchSize);
    const { entries, orphans } = chainEntries(before, rows);
    await appendChainEntries(
      trx,
      entries,
      rows.map((row) => row.sequence),
    );
    const last = entries.at(-1);
    const head = last ? { chainSeq: last.chainSeq, hash: last.hash } : before;
    const checkpoint = await maybeCheckpoint(trx, head, options);
    return { locked: true, sealed: entries.length, orphans, head, ...(checkpoint ? { checkpoint } : {}) };
  });
}
