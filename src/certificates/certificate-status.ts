/**
 * The certificate state machine. Guard rules are policy and an operator may change them; these transitions are
 * what the AWS documentation defines, so they are enforced in code whatever the rules say.
 */
import { CertificateStateError, InvalidRequestError } from '../errors.ts';

export const CERTIFICATE_STATUSES = ['ACTIVE', 'INACTIVE', 'REVOKED', 'PENDING_TRANSFER', 'REGISTER_INACTIVE', 'PENDING_ACTIVATION'] as const;

/** Statuses a caller may ask for with UpdateCertificate (the others are set by certguard, or deprecated). */
const SETTABLE: ReadonlySet<string> = new Set(['ACTIVE', 'INACTIVE', 'REVOKED']);

export function assertStatusChangeAllowed(certificateId: string, from: string, to: string): void {
  if (!SETTABLE.has(to)) {
    throw new InvalidRequestError(`newStatus ${to} cannot be set by UpdateCertificate; use ACTIVE, INACTIVE or REVOKED`);
  }
  if (from === 'PENDING_TRANSFER') {
    throw new CertificateStateError(`Certificate ${certificateId} has a pending transfer; accept, reject or cancel it before changing its status`);
  }
  if (from === 'REVOKED' && to !== 'REVOKED') {
    throw new CertificateStateError(`Certificate ${certificateId} is REVOKED; a revoked certificate cannot be reactivated`);
  }
}

/** Belt and braces behind the transfer rules: a transfer must start from a settled, non-revoked state. */
export function assertTransferable(certificateId: string, status: string): void {
  if (status !== 'INACTIVE') {
    throw new CertificateStateError(`Certificate ${certificateId} is ${status}; only an INACTIVE certificate can be transferred`);
  }
}

/** Statuses a certificate may be registered with. */
export function assertRegistrableStatus(status: string): void {
  if (!SETTABLE.has(status)) {
    throw new InvalidRequestError(`status ${status} cannot be used to register a certificate; use ACTIVE, INACTIVE or REVOKED`);
  }
}
