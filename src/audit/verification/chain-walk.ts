/**
 * Walks chain entries in chain order and recomputes each hash from its audit record: the heart of both the
 * database verify and the offline verify. Constant memory: only the previous entry is kept.
 */
import type { AuditRecord } from '../chain/audit-record.ts';
import { chainHash } from '../chain/chain-hash.ts';
import type { VerifyFailure } from './verify-report.ts';

export interface ChainEntryToCheck {
  chainSeq: string;
  eventSequence: string;
  prevHash: string;
  hash: string;
  /** undefined: the audit row of this entry is gone. */
  record: AuditRecord | undefined;
}

export class ChainWalk {
  checked = 0;
  private expected: bigint;
  private prevHash: string;
  lastChainSeq: string | null = null;
  lastHash: string | null = null;

  /** `afterChainSeq` 0 with the genesis hash, or a checkpoint's position with its signed hash. */
  constructor(
    afterChainSeq: string,
    prevHash: string,
    private readonly signed: ReadonlyMap<string, string>,
  ) {
    this.expected = BigInt(afterChainSeq) + 1n;
    this.prevHash = prevHash;
  }

  feed(entry: ChainEntryToCheck): VerifyFailure | undefined {
    const at = { firstBrokenChainSeq: String(this.expected) };
    if (BigInt(entry.chainSeq) !== this.expected) {
      return { reason: 'chain-gap', ...at, detail: `chain position ${this.expected} is missing (next entry found: ${entry.chainSeq})` };
    }
    const event = { firstBrokenSequence: entry.eventSequence, firstBrokenChainSeq: entry.chainSeq };
    if (entry.prevHash !== this.prevHash) {
      return { reason: 'hash-mismatch', ...event, detail: `chain position ${entry.chainSeq}: prev_hash does not match the hash of the entry before it` };
    }
    if (entry.record === undefined) {
      return {
        reason: 'missing-event',
        ...event,
        detail: `chain position ${entry.chainSeq}: audit event ${entry.eventSequence} is gone (deleted, or the chain entry's event_time edited)`,
      };
    }
    const recomputed = chainHash(entry.prevHash, entry.record);
    if (recomputed !== entry.hash) {
      return {
        reason: 'hash-mismatch',
        ...event,
        detail: `chain position ${entry.chainSeq}: the hash of audit event ${entry.eventSequence} does not match its content (the row or the chain entry was changed)`,
      };
    }
    const signedHash = this.signed.get(entry.chainSeq);
    if (signedHash !== undefined && signedHash !== entry.hash) {
      return { reason: 'hash-mismatch', ...event, detail: `chain position ${entry.chainSeq} differs from its signed checkpoint: history was rewritten` };
    }
    this.checked += 1;
    this.expected += 1n;
    this.prevHash = entry.hash;
    this.lastChainSeq = entry.chainSeq;
    this.lastHash = entry.hash;
    return undefined;
  }

  /**
   * Takes a range of `entries` positions that the database has already recomputed and found sound (see
   * verify-range-sql.ts) without feeding them one by one. Refused (false) unless the range starts right where the
   * walk is and links to its hash, and no signed position in it (`signed`: `chainSeq:hash`) differs from its
   * checkpoint: then the caller feeds the range entry by entry, which names the failure.
   */
  acceptRange(range: { entries: number; firstPrevHash: string | null; lastHash: string | null; signed: readonly string[] }): boolean {
    if (range.entries === 0 || range.firstPrevHash !== this.prevHash || range.lastHash === null) return false;
    for (const pair of range.signed) {
      const [chainSeq, hash] = pair.split(':') as [string, string];
      const signedHash = this.signed.get(chainSeq);
      if (signedHash !== undefined && signedHash !== hash) return false;
    }
    this.checked += range.entries;
    this.expected += BigInt(range.entries);
    this.prevHash = range.lastHash;
    this.lastChainSeq = String(this.expected - 1n);
    this.lastHash = range.lastHash;
    return true;
  }

  /** Signed positions in (after, after + size], for the database to report the hashes found there. */
  signedPositionsIn(after: bigint, size: number): string[] {
    const last = after + BigInt(size);
    return [...this.signed.keys()].filter((chainSeq) => BigInt(chainSeq) > after && BigInt(chainSeq) <= last);
  }

  /** A signed checkpoint beyond where the chain ends means entries after it were removed. */
  truncation(highestSigned: string | undefined): VerifyFailure | undefined {
    if (highestSigned === undefined || BigInt(highestSigned) < this.expected) return undefined;
    return {
      reason: 'truncated-after-checkpoint',
      firstBrokenChainSeq: String(this.expected),
      detail: `the chain ends at position ${this.expected - 1n} but a signed checkpoint covers position ${highestSigned}`,
    };
  }
}
