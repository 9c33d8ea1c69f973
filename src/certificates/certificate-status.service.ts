/** UpdateCertificate: a status change, guarded by the rules and by the state machine. */
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from './service-context.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { ownedCertificateFacts, readOwnedCertificate } from './certificate-access.ts';
import { certificateArn } from './certificate-arn.ts';
import { writeIfUnchanged } from './certificate-versioned-write.ts';
import { assertStatusChangeAllowed } from './certificate-status.ts';

export async function updateCertificate(ctx: ServiceContext, request: RequestFacts, input: { certificateId: string; newStatus: string }) {
  const { certificateId, newStatus } = input;
  await runGuarded(ctx, {
    operation: 'UpdateCertificate',
    request,
    parameters: { certificateId, newStatus },
    resource: { certificateId, certificateArn: certificateArn(ctx.region, request.caller.accountId, certificateId) },
    read: readOwnedCertificate(request.caller, certificateId),
    version: ({ version }) => version,
    facts: ownedCertificateFacts(ctx.region),
    invariants: ({ row }) => assertStatusChangeAllowed(certificateId, row.status, newStatus),
    write: async (db, { row, version }, now, audit) => {
      // Idempotent, as AWS documents: setting the current status again changes nothing — but is still decided on
      // the version read, like any other decision.
      const change = row.status === newStatus ? ({ kind: 'touch' } as const) : ({ kind: 'update', set: { status: newStatus }, now } as const);
      const appended = await writeIfUnchanged(db, { certificateId, version, change, audit });
      return appended && { result: undefined, audit: appended };
    },
  });
  return {};
}
