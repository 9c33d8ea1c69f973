/**
 * Who may see a certificate. Another account's certificate is answered exactly like a missing one
 * (ResourceNotFoundException), so a caller cannot probe which certificate ids exist elsewhere.
 */
import type { Kysely, Transaction } from 'kysely';
import { type Caller, hasRole } from '../request/caller.ts';
import type { DB } from '../db/schema.ts';
import { ResourceNotFoundError, type ServiceError } from '../errors.ts';
import { toCertificateFacts } from './certificate.mapper.ts';
import {
  attachedPolicyNames,
  type CertificateRow,
  findCertificateForUpdate,
  readVersionedCertificate,
  type VersionedCertificate,
} from './certificate.repository.ts';

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

export interface OwnedCertificate {
  row: CertificateRow;
  attachedPolicies: string[];
}

/**
 * What most certificate decisions load and show the rules: the caller's certificate, locked, with the names of
 * its attached policies. Use with `ownedCertificateFacts` as a GuardedOperation's `load` and `facts`.
 */
export function loadOwnedCertificate(caller: Caller, certificateId: string) {
  return async (trx: Transaction<DB>): Promise<OwnedCertificate> => {
    const row = await loadOwnedCertificateForUpdate(trx, caller, certificateId);
    return { row, attachedPolicies: await attachedPolicyNames(trx, certificateId) };
  };
}

/**
 * The same, for the versioned decision path: one statement, no lock, with the row version the change will be
 * conditional on. Use with `ownedCertificateFacts` as a VersionedOperation's `read` and `facts`.
 */
export function readOwnedCertificate(caller: Caller, certificateId: string) {
  return async (db: Kysely<DB>): Promise<VersionedCertificate> => {
    const found = await readVersionedCertificate(db, certificateId);
    if (!found || found.row.owner_account_id !== caller.accountId) throw notFound(certificateId);
    return found;
  };
}

export function ownedCertificateFacts(region: string) {
  return <T extends OwnedCertificate>({ row, attachedPolicies }: T) => ({ certificate: toCertificateFacts(row, region), attachedPolicies });
}
