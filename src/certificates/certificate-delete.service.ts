/**
 * DeleteCertificate: a guarded decision. The rules (policies/delete-certificate.yaml) refuse an ACTIVE certificate
 * and one with policies attached unless forceDelete; the code refuses a pending transfer, which must be settled
 * by the target account (or cancelled) first. The audit rows of the certificate stay: they are append-only and
 * name it by value, so its history outlives it.
 */
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from './service-context.ts';
import { CertificateStateError } from '../errors.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { ownedCertificateFacts, readOwnedCertificate } from './certificate-access.ts';
import { certificateArn } from './certificate-arn.ts';
import { writeIfUnchanged } from './certificate-versioned-write.ts';

export interface DeleteCertificateInput {
  certificateId: string;
  forceDelete?: boolean;
}

export async function deleteCertificate(ctx: ServiceContext, request: RequestFacts, input: DeleteCertificateInput) {
  const { certificateId } = input;
  const forceDelete = input.forceDelete ?? false;
  await runGuarded(ctx, {
    operation: 'DeleteCertificate',
    request,
    parameters: { certificateId, forceDelete },
    resource: { certificateId, certificateArn: certificateArn(ctx.region, request.caller.accountId, certificateId) },
    read: readOwnedCertificate(request.caller, certificateId),
    version: ({ version }) => version,
    facts: ownedCertificateFacts(ctx.region),
    invariants: ({ row }) => {
      if (row.status === 'PENDING_TRANSFER') {
        throw new CertificateStateError(
          `Certificate ${certificateId} has a pending transfer to account ${row.transfer_target_account_id}; it must be accepted, rejected or cancelled before the certificate can be deleted`,
        );
      }
    },
    write: async (db, { version }, _now, audit) => {
      // The rules decided whether attachments may go with the certificate; once it is allowed, none is left
      // behind pointing at a certificate that no longer exists (the delete removes them in the same statement).
      const appended = await writeIfUnchanged(db, { certificateId, version, change: { kind: 'delete' }, audit });
      return appended && { result: undefined, audit: appended };
    },
  });
  return {};
}
