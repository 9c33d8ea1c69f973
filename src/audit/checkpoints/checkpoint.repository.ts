/** Signed checkpoints: append one, read the last one, list them all for export and verification. */
import { utcTimestamp } from '../chain/audit-record.ts';
import type { ChainExecutor } from '../chain/chain-schema.ts';
import type { ChainHead } from '../sealing/chain.repository.ts';
import { signCheckpoint, utcTimestampText } from './checkpoint-signature.ts';
import type { AuditSigningKey } from './signing-key.ts';

export type CheckpointReason = 'count' | 'interval' | 'demand';

export interface StoredCheckpoint {
  checkpointId: string;
  chainSeq: string;
  hash: string;
  time: string;
  keyId: string;
  signature: string;
  reason: string;
}

export interface CheckpointWithKey extends StoredCheckpoint {
  publicKeyPem: string;
}

export async function insertCheckpoint(
  trx: ChainExecutor,
  key: AuditSigningKey,
  head: ChainHead,
  reason: CheckpointReason,
  now = new Date(),
): Promise<StoredCheckpoint> {
  const time = utcTimestampText(now);
  const { keyId, signature } = signCheckpoint(key, { chainSeq: head.chainSeq, hash: head.hash, time });
  const row = await trx
    .insertInto('audit_checkpoints')
    .values({ chain_seq: head.chainSeq, hash: head.hash, signed_at: time, key_id: keyId, public_key: key.publicKeyPem, signature, reason })
    .returning('checkpoint_id')
    .executeTakeFirstOrThrow();
  return { checkpointId: String(row.checkpoint_id), chainSeq: head.chainSeq, hash: head.hash, time, keyId, signature, reason };
}

function checkpointColumns(db: ChainExecutor) {
  return db
    .selectFrom('audit_checkpoints')
    .select(['checkpoint_id', 'chain_seq', 'hash', 'key_id', 'signature', 'reason', 'public_key', utcTimestamp('signed_at').as('time')]);
}

type CheckpointRow = Awaited<ReturnType<ReturnType<typeof checkpointColumns>['executeTakeFirstOrThrow']>>;

function fromRow(row: CheckpointRow): CheckpointWithKey {
  return {
    checkpointId: String(row.checkpoint_id),
    chainSeq: String(row.chain_seq),
    hash: row.hash,
    time: row.time,
    keyId: row.key_id,
    signature: row.signature,
    reason: row.reason,
    publicKeyPem: row.public_key,
  };
}

export async function lastCheckpoint(db: ChainExecutor): Promise<CheckpointWithKey | undefined> {
  const row = await checkpointColumns(db).orderBy('checkpoint_id', 'desc').limit(1).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Every checkpoint in chain order (one per ~1000 entries: small enough to hold in memory). */
export async function listCheckpoints(db: ChainExecutor): Promise<CheckpointWithKey[]> {
  const rows = await checkpointColumns(db).orderBy('chain_seq').orderBy('checkpoint_id').execute();
  return rows.map(fromRow);
}
