/**
 * Who may see a certificate. Another account's certificate is answered exactly like a missing one
 * (ResourceNotFoundException), so a caller cannot probe which certificate ids exist elsewhere.
 */
import type { Transaction } from 'kysely';
import { type Caller, hasRole } from '../auth/caller.ts';
import type { DB } from '../db/schema.ts';
import { ResourceNotFoundError, type ServiceError } from '../http/errors.ts';
import { type CertificateRow, findCertificateForUpdate } from './certificate.repository.ts';

export function notFound(certificateId: string): ServiceError {
  return new ResourceNotFoundError(`Certificate ${certificateId} does not exist`);
}

/** Owner, the target of its pending transfer (so it can decide), and auditors may read a certificate. */
export function mayRead(caller: Caller, row: CertificateRow): boolean {
  if (row.owner_account_id === caller.accountId || hasRole(caller, 'auditor')) return true;
  return row.status === 'PENDING_TRANSFER' && row.transfer_target_account_id === caller.accountId;
}

/** Loads and locks a certificate the caller owns, or throws ResourceNotFoundException. */
export async function loadOwnedCertificateForUpdate(trx: Transaction<DB>, caller: Caller, certificateId: string): Promise<CertificateRow> {
  const row = await findCertificateForUpdate(trx, certificateId);
  if (!row || row.owner_account_id !== caller.accountId) throw notFound(certificateId);
  return row;
}
