/**
 * `GET /v1/audit/verify` and `certguard audit verify`: recompute the chain stored in the database, from genesis or
 * from a checkpoint, check every checkpoint signature, and report the first break (docs/audit.md section 6).
 * Streams the chain in pages (constant memory), fetching the next page while hashing the current one.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { GENESIS_HASH, withChainTables, type ChainExecutor } from './chain-schema.ts';
import { chainHead } from './chain.repository.ts';
import { type ChainEntryToCheck, ChainWalk } from './chain-walk.ts';
import { checkCheckpoints } from './checkpoint-check.ts';
import { listCheckpoints } from './checkpoint.repository.ts';
import { chainRange, firstUnchainedSequence, unsealedCount } from './verify.repository.ts';
import { type VerifyFailure, type VerifyProgress, type VerifyReport, verifyReport } from './verify-report.ts';

export interface DatabaseVerifyOptions {
  /** Verify from this checkpoint on (after archiving what precedes it, docs/audit.md section 7). */
  fromCheckpointId?: string;
  trustedKeyIds?: ReadonlySet<string>;
  pageSize?: number;
  onProgress?: VerifyProgress;
}

export class UnknownCheckpointError extends Error {}

const PAGE_SIZE = 2000;
/** Ranges fetched ahead while one is hashed: the database and this process work at the same time. */
const PREFETCH = 3;

/** Walks positions (after, head] range by range; ranges are fetched ahead on the pool's other connections. */
async function walkChain(db: ChainExecutor, walk: ChainWalk, after: string, head: bigint, options: DatabaseVerifyOptions): Promise<VerifyFailure | undefined> {
  const size = options.pageSize ?? PAGE_SIZE;
  const total = Number(head - BigInt(after));
  let next = BigInt(after);
  const pending: Array<Promise<ChainEntryToCheck[]>> = [];
  const fetchAhead = () => {
    while (pending.length < PREFETCH && next < head) {
      pending.push(chainRange(db, next, Number(head - next < BigInt(size) ? head - next : BigInt(size))));
      next += BigInt(size);
    }
  };
  fetchAhead();
  try {
    while (pending.length > 0) {
      const entries = await pending.shift()!;
      fetchAhead();
      for (const entry of entries) {
        const failure = walk.feed(entry);
        if (failure) return failure;
      }
      options.onProgress?.(walk.checked, total);
    }
    return undefined;
  } finally {
    await Promise.allSettled(pending);
  }
}

export async function verifyDatabaseChain(database: Kysely<DB>, options: DatabaseVerifyOptions = {}): Promise<VerifyReport> {
  const db = withChainTables(database);
  const checkpoints = await listCheckpoints(db);
  const keys = new Map(checkpoints.map((checkpoint) => [checkpoint.keyId, checkpoint.publicKeyPem]));
  const checked = checkCheckpoints(checkpoints, (keyId) => keys.get(keyId), options.trustedKeyIds);
  const start = options.fromCheckpointId === undefined ? undefined : checkpoints.find((c) => c.checkpointId === options.fromCheckpointId);
  if (options.fromCheckpointId !== undefined && start === undefined) throw new UnknownCheckpointError(`no checkpoint ${options.fromCheckpointId}`);
  const after = start?.chainSeq ?? '0';
  const walk = new ChainWalk(after, start?.hash ?? GENESIS_HASH, checked.hashes);
  // Up to the head as it is now: entries sealed meanwhile are left for the next verify.
  const head = BigInt((await chainHead(db))?.chainSeq ?? 0);
  const failure = checked.failure
    ?? (await walkChain(db, walk, after, head, options))
    ?? walk.truncation(checked.highest?.chainSeq)
    ?? (await unchained(db));
  return verifyReport({
    checkedEntries: walk.checked,
    unsealedRows: await unsealedCount(db),
    checkpointsVerified: checked.verified,
    fromChainSeq: String(BigInt(after) + 1n),
    headChainSeq: walk.lastChainSeq,
    headHash: walk.lastHash,
  }, failure);
}

async function unchained(db: ChainExecutor): Promise<VerifyFailure | undefined> {
  const sequence = await firstUnchainedSequence(db);
  if (sequence === undefined) return undefined;
  return { reason: 'unchained-event', firstBrokenSequence: sequence, detail: `audit event ${sequence} is neither in the chain nor waiting to be sealed: it was inserted behind certguard's back` };
}
