/** What verification reports (docs/audit.md section 6): OK, or the first broken position and why. */

export type VerifyReason = 'bad-signature' | 'chain-gap' | 'hash-mismatch' | 'missing-event' | 'truncated-after-checkpoint' | 'unchained-event';

export interface VerifyFailure {
  reason: VerifyReason;
  /** The audit_events.sequence concerned, when there is one. */
  firstBrokenSequence?: string;
  firstBrokenChainSeq?: string;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Chain entries whose hash was recomputed and found right. */
  checkedEntries: number;
  /** Committed audit rows waiting for the sealer: not errors. */
  unsealedRows: number;
  checkpointsVerified: number;
  /** The first chain position verified ("1" from genesis). */
  fromChainSeq: string;
  headChainSeq: string | null;
  headHash: string | null;
  firstBrokenSequence?: string;
  firstBrokenChainSeq?: string;
  reason?: VerifyReason;
  detail?: string;
}

export type VerifyProgress = (checked: number, total: number) => void;

export function verifyReport(
  fields: Pick<VerifyReport, 'checkedEntries' | 'unsealedRows' | 'checkpointsVerified' | 'fromChainSeq' | 'headChainSeq' | 'headHash'>,
  failure: VerifyFailure | undefined,
): VerifyReport {
  return { ok: failure === undefined, ...fields, ...(failure ?? {}) };
}
