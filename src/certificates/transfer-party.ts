/**
 * Who may act on a transfer, decided in code (not in the rule files, which an operator may edit): only the target
 * accepts or rejects, only the source cancels, and only while the transfer is pending.
 *
 * - Not a party to the certificate's transfer (neither owner, target, nor the source of an accepted transfer):
 *   ResourceNotFoundException, exactly as for a certificate that does not exist.
 * - A party, but the transfer has settled: TransferAlreadyCompletedException (410), naming how it ended.
 * - A party of the wrong side while it is pending: UnauthorizedException (401).
 * - The certificate never had a transfer: InvalidRequestException.
 */
import type { Kysely } from 'kysely';
import type { Caller } from '../request/caller.ts';
import type { DB } from '../db/schema.ts';
import { InvalidRequestError, TransferAlreadyCompletedError, UnauthorizedError } from '../errors.ts';
import { notFound } from './certificate-access.ts';
import { type CertificateRow, readVersionedCertificate, type VersionedCertificate } from './certificate.repository.ts';

export type TransferSide = 'target' | 'source';

const OUTCOME_WORDS: Record<string, string> = { ACCEPTED: 'accepted', REJECTED: 'rejected', CANCELLED: 'cancelled' };

function isParty(caller: Caller, row: CertificateRow): boolean {
  const account = caller.accountId;
  if (row.owner_account_id === account || row.transfer_target_account_id === account) return true;
  // After an acceptance the source is the previous owner; it still gets 410 rather than 404 for its own transfer.
  return row.transfer_outcome === 'ACCEPTED' && row.previous_owner_account_id === account;
}

/**
 * Reads (one statement, no lock: the versioned decision path) a certificate whose pending transfer the caller may
 * act on as `side`, with its row version, or throws why not.
 */
export async function readPendingTransfer(
  db: Kysely<DB>,
  caller: Caller,
  certificateId: string,
  side: TransferSide,
  action: string,
): Promise<VersionedCertificate> {
  const found = await readVersionedCertificate(db, certificateId);
  if (!found || !isParty(caller, found.row)) throw notFound(certificateId);
  checkPendingTransfer(found.row, caller, certificateId, side, action);
  return found;
}

function checkPendingTransfer(row: CertificateRow, caller: Caller, certificateId: string, side: TransferSide, action: string): void {
  if (row.status !== 'PENDING_TRANSFER') {
    const outcome = row.transfer_outcome ? OUTCOME_WORDS[row.transfer_outcome] : undefined;
    if (outcome) throw new TransferAlreadyCompletedError(`The transfer of certificate ${certificateId} was already ${outcome}`);
    throw new InvalidRequestError(`Certificate ${certificateId} has no pending transfer`);
  }
  const allowed = side === 'target' ? row.transfer_target_account_id === caller.accountId : row.owner_account_id === caller.accountId;
  if (!allowed) {
    const who = side === 'target' ? `the target account (${row.transfer_target_account_id})` : `the source account (${row.owner_account_id})`;
    throw new UnauthorizedError(`Only ${who} can ${action} the transfer of certificate ${certificateId}`);
  }
}
