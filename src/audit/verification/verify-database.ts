/**
 * `GET /v1/audit/verify` and `certguard audit verify`: recompute the chain stored in the database, from genesis or
 * from a checkpoint, check every checkpoint signature, and report the first break (docs/audit.md section 6).
 * Streams the chain in ranges (constant memory), several at once.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { GENESIS_HASH, withChainTables, type ChainExecutor } from '../chain/chain-schema.ts';
import { chainHead } from '../sealing/chain.repository.ts';
import { type ChainEntryToCheck, ChainWalk } from './chain-walk.ts';
import { checkCheckpoints } from './checkpoint-check.ts';
import { listCheckpoints } from '../checkpoints/checkpoint.repository.ts';
import { type RangeSummary, summarizeChainRange } from './verify-range-sql.ts';
import { chainRange, firstUnchainedSequence, unsealedCount } from './verify.repository.ts';
import { recordAuditVerification } from '../../telemetry/audit-metrics.ts';
import { type VerifyFailure, type VerifyProgress, type VerifyReport, verifyReport } from './verify-report.ts';

export interface DatabaseVerifyOptions {
  /** Verify from this checkpoint on (after archiving what precedes it, docs/audit.md section 7). */
  fromCheckpointId?: string;
  trustedKeyIds?: ReadonlySet<string>;
  pageSize?: number;
  onProgress?: VerifyProgress;
  /**
   * 'node' recomputes every hash in this process instead of letting the database do it (slower; for an auditor
   * who does not want to rely on the database's own sha256, docs/audit.md section 6). Default 'database'.
   */
  recomputeIn?: 'database' | 'node';
}

export class UnknownCheckpointError extends Error {}

/** Entries per range: the database's summary is one row whatever the size; Node holds a range's rows in memory. */
const PAGE_SIZE = { database: 10_000, node: 2000 } as const;
/**
 * Ranges in flight at once: each runs on its own pooled connection, so Postgres recomputes them on all cores
 * (PGlite, one process, just queues them).
 */
const PARALLEL_RANGES = 3;

interface RangeCheck {
  after: bigint;
  size: number;
  /** The database's summary of the range or, when recomputing in Node, its entries (fetched ahead). */
  work: Promise<{ summary?: RangeSummary; entries?: ChainEntryToCheck[] }>;
}

/**
 * Walks positions (after, head] range by range. Each range is first recomputed by the database (the fast path,
 * verify-range-sql.ts); a range it cannot vouch for is fetched and recomputed entry by entry in Node, which
 * names the failure — or finds none, e.g. for a value stored in a non-canonical but equal form.
 */
async function walkChain(db: ChainExecutor, walk: ChainWalk, after: string, head: bigint, options: DatabaseVerifyOptions): Promise<VerifyFailure | undefined> {
  const inNode = options.recomputeIn === 'node';
  const pageSize = BigInt(options.pageSize ?? PAGE_SIZE[inNode ? 'node' : 'database']);
  const total = Number(head - BigInt(after));
  let next = BigInt(after);
  const pending: RangeCheck[] = [];
  const checkAhead = () => {
    while (pending.length < PARALLEL_RANGES && next < head) {
      const size = Number(head - next < pageSize ? head - next : pageSize);
      const work = inNode
        ? chainRange(db, next, size).then((entries) => ({ entries }))
        : summarizeChainRange(db, next, size, walk.signedPositionsIn(next, size)).then((summary) => ({ summary }));
      work.catch(() => {});
      pending.push({ after: next, size, work });
      next += BigInt(size);
    }
  };
  checkAhead();
  // The total is known before the first range: a progress display can size itself at once.
  options.onProgress?.(walk.checked, total);
  try {
    while (pending.length > 0) {
      const range = pending.shift()!;
      const { summary, entries } = await range.work;
      checkAhead();
      const sound = summary !== undefined && summary.entries === range.size && summary.suspect === 0 && walk.acceptRange(summary);
      if (!sound) {
        for (const entry of entries ?? (await chainRange(db, range.after, range.size))) {
          const failure = walk.feed(entry);
          if (failure) return failure;
        }
      }
      options.onProgress?.(walk.checked, total);
    }
    return undefined;
  } finally {
    await Promise.allSettled(pending.map((range) => range.work));
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
  const failure = checked.failure ?? (await walkChain(db, walk, after, head, options)) ?? walk.truncation(checked.highest?.chainSeq) ?? (await unchained(db));
  const report = verifyReport(
    {
      checkedEntries: walk.checked,
      unsealedRows: await unsealedCount(db),
      checkpointsVerified: checked.verified,
      fromChainSeq: String(BigInt(after) + 1n),
      headChainSeq: walk.lastChainSeq,
      headHash: walk.lastHash,
    },
    failure,
  );
  recordAuditVerification(failure?.reason); // the CertguardAuditVerifyFailed alert (deploy/prometheus/)
  return report;
}

async function unchained(db: ChainExecutor): Promise<VerifyFailure | undefined> {
  const sequence = await firstUnchainedSequence(db);
  if (sequence === undefined) return undefined;
  return {
    reason: 'unchained-event',
    firstBrokenSequence: sequence,
    detail: `audit event ${sequence} is neither in the chain nor waiting to be sealed: it was inserted behind certguard's back`,
  };
}
