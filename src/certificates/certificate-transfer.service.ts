/** TransferCertificate: moves an INACTIVE, policy-free certificate to PENDING_TRANSFER for another account. */
import type { RequestFacts } from '../request/request-context.ts';
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from './service-context.ts';
import { ownedCertificateFacts, readOwnedCertificate } from './certificate-access.ts';
import { certificateArn } from './certificate-arn.ts';
import { writeIfUnchanged } from './certificate-versioned-write.ts';
import { assertTransferable } from './certificate-status.ts';

export interface TransferCertificateInput {
  certificateId: string;
  targetAwsAccount: string;
  transferMessage?: string;
}

export async function transferCertificate(ctx: ServiceContext, request: RequestFacts, input: TransferCertificateInput) {
  const { certificateId, targetAwsAccount } = input;
  return runGuarded(ctx, {
    operation: 'TransferCertificate',
    request,
    parameters: { certificateId, targetAwsAccount, transferMessage: input.transferMessage },
    resource: {
      certificateId,
      certificateArn: certificateArn(ctx.region, request.caller.accountId, certificateId),
      targetAccountId: targetAwsAccount,
    },
    read: readOwnedCertificate(request.caller, certificateId),
    version: ({ version }) => version,
    facts: ownedCertificateFacts(ctx.region),
    invariants: ({ row }) => assertTransferable(certificateId, row.status),
    write: async (db, { row, version }, now, audit) => {
      const set = {
        status: 'PENDING_TRANSFER',
        transfer_target_account_id: targetAwsAccount,
        transfer_message: input.transferMessage ?? null,
        transfer_date: now,
        reject_reason: null,
        accept_date: null,
        reject_date: null,
        transfer_outcome: null,
      };
      const appended = await writeIfUnchanged(db, { certificateId, version, change: { kind: 'update', set, now }, audit });
      return appended && { result: { transferredCertificateArn: certificateArn(ctx.region, row.owner_account_id, certificateId) }, audit: appended };
    },
  });
}
