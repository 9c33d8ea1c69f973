/** UpdateCertificate: a status change, guarded by the rules and by the state machine. */
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from '../decisions/service-context.ts';
import type { RequestFacts } from '../http/request-context.ts';
import { loadOwnedCertificateForUpdate } from './certificate-access.ts';
import { certificateArn } from './certificate-arn.ts';
import { toCertificateFacts } from './certificate.mapper.ts';
import { attachedPolicyNames, updateCertificate as updateRow } from './certificate.repository.ts';
import { assertStatusChangeAllowed } from './certificate-status.ts';

export async function updateCertificate(ctx: ServiceContext, request: RequestFacts, input: { certificateId: string; newStatus: string }) {
  const { certificateId, newStatus } = input;
  await runGuarded(ctx, {
    operation: 'UpdateCertificate',
    request,
    parameters: { certificateId, newStatus },
    resource: { certificateId, certificateArn: certificateArn(ctx.region, request.caller.accountId, certificateId) },
    load: async (trx) => {
      const row = await loadOwnedCertificateForUpdate(trx, request.caller, certificateId);
      return { row, attachedPolicies: await attachedPolicyNames(trx, certificateId) };
    },
    facts: ({ row, attachedPolicies }) => ({ certificate: toCertificateFacts(row, ctx.region), attachedPolicies }),
    invariants: ({ row }) => assertStatusChangeAllowed(certificateId, row.status, newStatus),
    apply: async (trx, { row }, now) => {
      // Idempotent, as AWS documents: setting the current status again changes nothing.
      if (row.status !== newStatus) await updateRow(trx, certificateId, { status: newStatus }, now);
    },
  });
  return {};
}
