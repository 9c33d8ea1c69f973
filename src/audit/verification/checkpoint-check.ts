/**
 * Checks every checkpoint's Ed25519 signature (docs/audit.md section 4) and indexes the checkpoints by chain
 * position, so the chain walk can compare its hashes with the signed ones. With `trustedKeyIds`, a checkpoint
 * signed by any other key counts as forged.
 */
import { checkpointSignatureProblem } from '../checkpoints/checkpoint-signature.ts';
import type { VerifyFailure } from './verify-report.ts';

export interface CheckpointToCheck {
  checkpointId?: string;
  chainSeq: string;
  hash: string;
  time: string;
  keyId: string;
  signature: string;
}

export interface CheckedCheckpoints {
  verified: number;
  /** chain position -> the signed hash there */
  hashes: Map<string, string>;
  /** The highest signed position, with the checkpoint's time. */
  highest: CheckpointToCheck | undefined;
  failure?: VerifyFailure;
}

export function checkCheckpoints(
  checkpoints: readonly CheckpointToCheck[],
  publicKeyOf: (keyId: string) => string | undefined,
  trustedKeyIds?: ReadonlySet<string>,
): CheckedCheckpoints {
  const hashes = new Map<string, string>();
  let highest: CheckpointToCheck | undefined;
  let verified = 0;
  for (const checkpoint of checkpoints) {
    const untrusted = trustedKeyIds !== undefined && !trustedKeyIds.has(checkpoint.keyId);
    const problem = untrusted
      ? `signed by key id ${checkpoint.keyId}, which is not a trusted key`
      : checkpointSignatureProblem(checkpoint, checkpoint.signature, publicKeyOf(checkpoint.keyId));
    const earlier = hashes.get(checkpoint.chainSeq);
    const conflict = earlier !== undefined && earlier !== checkpoint.hash ? 'two valid checkpoints sign different hashes at the same position' : undefined;
    if (problem ?? conflict) {
      const which = checkpoint.checkpointId ? `checkpoint ${checkpoint.checkpointId}` : 'a checkpoint';
      return {
        verified,
        hashes,
        highest,
        failure: {
          reason: 'bad-signature',
          firstBrokenChainSeq: checkpoint.chainSeq,
          detail: `${which} at chain position ${checkpoint.chainSeq}: ${problem ?? conflict}`,
        },
      };
    }
    hashes.set(checkpoint.chainSeq, checkpoint.hash);
    if (highest === undefined || BigInt(checkpoint.chainSeq) > BigInt(highest.chainSeq)) highest = checkpoint;
    verified += 1;
  }
  return { verified, hashes, highest };
}
