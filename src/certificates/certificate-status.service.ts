/** UpdateCertificate: a status change, guarded by the rules and by the state machine. */
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from './service-context.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { loadOwnedCertificate, ownedCertificateFacts } from './certificate-access.ts';
import { certificateArn } from './certificate-arn.ts';
import { updateCertificate as updateRow } from './certificate.repository.ts';
import { assertStatusChangeAllowed } from './certificate-status.ts';

export async function updateCertificate(ctx: ServiceContext, request: RequestFacts, input: { certificateId: string; newStatus: string }) {
  const { certificateId, newStatus } = input;
  await runGuarded(ctx, {
    operation: 'UpdateCertificate',
    request,
    parameters: { certificateId, newStatus },
    resource: { certificateId, certificateArn: certificateArn(ctx.region, request.caller.accountId, certificateId) },
    load: loadOwnedCertificate(request.caller, certificateId),
    facts: ownedCertificateFacts(ctx.region),
    invariants: ({ row }) => assertStatusChangeAllowed(certificateId, row.status, newStatus),
    apply: async (trx, { row }, now) => {
      // Idempotent, as AWS documents: setting the current status again changes nothing.
      if (row.status !== newStatus) await updateRow(trx, certificateId, { status: newStatus }, now);
    },
  });
  return {};
}
