/**
 * What verification reports (docs/audit.md section 6): OK, or the first broken position and why. The report's
 * shape is the contract's AuditVerifyReport (openapi/certguard.yaml): GET /v1/audit/verify answers it and
 * `certguard audit verify` prints it, so both take it from the generated types instead of a copy.
 */
import type { components } from '../../request/api-types.generated.ts';

export type VerifyReport = components['schemas']['AuditVerifyReport'];

export type VerifyReason = NonNullable<VerifyReport['reason']>;

/** The first broken position and why: the failure members of a report. */
export type VerifyFailure = Required<Pick<VerifyReport, 'reason' | 'detail'>> & Pick<VerifyReport, 'firstBrokenSequence' | 'firstBrokenChainSeq'>;

export type VerifyProgress = (checked: number, total: number) => void;

export function verifyReport(
  fields: Pick<VerifyReport, 'checkedEntries' | 'unsealedRows' | 'checkpointsVerified' | 'fromChainSeq' | 'headChainSeq' | 'headHash'>,
  failure: VerifyFailure | undefined,
): VerifyReport {
  return { ok: failure === undefined, ...fields, ...(failure ?? {}) };
}
