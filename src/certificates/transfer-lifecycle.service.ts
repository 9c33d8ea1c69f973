/**
 * How a pending transfer settles: AcceptCertificateTransfer and RejectCertificateTransfer (by the target account)
 * and CancelCertificateTransfer (by the source). Each is a guarded, audited decision; who may act is decided by
 * transfer-party.ts before the rules run.
 */
import type { Updateable } from 'kysely';
import type { CertificatesTable } from '../db/schema.ts';
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from './service-context.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { toCertificateFacts } from './certificate.mapper.ts';
import type { CertificateRow } from './certificate.repository.ts';
import { writeIfUnchanged } from './certificate-versioned-write.ts';
import { readPendingTransfer, type TransferSide } from './transfer-party.ts';

interface Settlement {
  operation: 'AcceptCertificateTransfer' | 'RejectCertificateTransfer' | 'CancelCertificateTransfer';
  side: TransferSide;
  verb: string;
  parameters: Record<string, unknown>;
  change(row: CertificateRow, now: Date): Updateable<CertificatesTable>;
}

async function settle(ctx: ServiceContext, request: RequestFacts, certificateId: string, settlement: Settlement) {
  await runGuarded(ctx, {
    operation: settlement.operation,
    request,
    parameters: { certificateId, ...settlement.parameters },
    resource: { certificateId },
    read: (db) => readPendingTransfer(db, request.caller, certificateId, settlement.side, settlement.verb),
    version: ({ version }) => version,
    facts: ({ row }) => ({ certificate: toCertificateFacts(row, ctx.region) }),
    write: async (db, { row, version }, now, audit) => {
      const appended = await writeIfUnchanged(db, { certificateId, version, change: { kind: 'update', set: settlement.change(row, now), now }, audit });
      return appended && { result: undefined, audit: appended };
    },
  });
  return {};
}

/** The certificate changes hands: the target owns it, INACTIVE, or ACTIVE with setAsActive. */
export function acceptCertificateTransfer(ctx: ServiceContext, request: RequestFacts, input: { certificateId: string; setAsActive: boolean }) {
  return settle(ctx, request, input.certificateId, {
    operation: 'AcceptCertificateTransfer',
    side: 'target',
    verb: 'accept',
    parameters: { setAsActive: input.setAsActive },
    change: (row, now) => ({
      owner_account_id: row.transfer_target_account_id!,
      previous_owner_account_id: row.owner_account_id,
      status: input.setAsActive ? 'ACTIVE' : 'INACTIVE',
      accept_date: now,
      transfer_outcome: 'ACCEPTED',
    }),
  });
}

/** The certificate goes back to the source, INACTIVE, with the target's reason. */
export function rejectCertificateTransfer(ctx: ServiceContext, request: RequestFacts, input: { certificateId: string; rejectReason?: string }) {
  return settle(ctx, request, input.certificateId, {
    operation: 'RejectCertificateTransfer',
    side: 'target',
    verb: 'reject',
    parameters: { rejectReason: input.rejectReason },
    change: (_row, now) => ({ status: 'INACTIVE', reject_reason: input.rejectReason ?? null, reject_date: now, transfer_outcome: 'REJECTED' }),
  });
}

/** The source withdraws the transfer while it is pending; the certificate becomes INACTIVE. */
export function cancelCertificateTransfer(ctx: ServiceContext, request: RequestFacts, input: { certificateId: string }) {
  return settle(ctx, request, input.certificateId, {
    operation: 'CancelCertificateTransfer',
    side: 'source',
    verb: 'cancel',
    parameters: {},
    change: () => ({ status: 'INACTIVE', transfer_outcome: 'CANCELLED' }),
  });
}
