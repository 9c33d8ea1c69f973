/**
 * Certificates issued by certguard's own CA (CreateKeysAndCertificate, CreateCertificateFromCsr), and the insert
 * and duplicate path that every operation bringing a new certificate into certguard shares (the register
 * operations in certificate-registration.service.ts use it too).
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { isUniqueViolation } from '../db/database-errors.ts';
import type { DB } from '../db/schema.ts';
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from './service-context.ts';
import { ResourceAlreadyExistsError } from '../errors.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { createKeysAndCertificate as createKeys, issueCertificateFromCsr } from './certificate-authority.ts';
import { certificateArn } from './certificate-arn.ts';
import { findCertificate, insertCertificate } from './certificate.repository.ts';

export interface NewCertificate {
  certificateId: string;
  certificatePem: string;
  notBefore: Date;
  notAfter: Date;
  status: string;
  caCertificateId: string | null;
}

export interface CreatedCertificate {
  certificateId: string;
  certificateArn: string;
}

function alreadyExists(ctx: ServiceContext, caller: string, certificateId: string, owner: string) {
  // The ARN names the owning account: only tell the caller when that is itself.
  const extra: Record<string, string> = { resourceId: certificateId };
  if (owner === caller) extra.resourceArn = certificateArn(ctx.region, owner, certificateId);
  return new ResourceAlreadyExistsError('The certificate is already registered', extra);
}

/** ResourceAlreadyExistsException (409) when the certificate is already in certguard, in any account. */
export async function assertNotRegistered(ctx: ServiceContext, trx: Transaction<DB>, caller: string, certificateId: string): Promise<void> {
  const existing = await findCertificate(trx, certificateId);
  if (existing) throw alreadyExists(ctx, caller, existing.certificate_id, existing.owner_account_id);
}

export async function insertNewCertificate(
  ctx: ServiceContext,
  trx: Transaction<DB>,
  owner: string,
  cert: NewCertificate,
  now: Date,
): Promise<CreatedCertificate> {
  await insertCertificate(trx, {
    certificate_id: cert.certificateId,
    owner_account_id: owner,
    previous_owner_account_id: null,
    status: cert.status,
    certificate_pem: cert.certificatePem,
    ca_certificate_id: cert.caCertificateId,
    generation_id: randomUUID(),
    not_before: cert.notBefore,
    not_after: cert.notAfter,
    created_at: now,
    last_modified_at: now,
    transfer_target_account_id: null,
    transfer_message: null,
    reject_reason: null,
    transfer_date: null,
    accept_date: null,
    reject_date: null,
  }).catch((error: unknown) => {
    // Two registrations of one certificate raced and the other committed first.
    throw isUniqueViolation(error) ? alreadyExists(ctx, owner, cert.certificateId, '') : error;
  });
  return { certificateId: cert.certificateId, certificateArn: certificateArn(ctx.region, owner, cert.certificateId) };
}

export async function createKeysAndCertificate(ctx: ServiceContext, request: RequestFacts, input: { setAsActive?: boolean }) {
  // Key generation takes ~150 ms of CPU (OpenSSL 3.0): taken from the pool when one is configured, and in any case
  // before the transaction so no lock or connection waits on it.
  const issued = await createKeys(ctx.certificateAuthority, ctx.keyPairs);
  const owner = request.caller.accountId;
  return runGuarded(ctx, {
    operation: 'CreateKeysAndCertificate',
    request,
    parameters: { setAsActive: input.setAsActive ?? false },
    resource: {},
    load: async () => undefined,
    facts: () => ({}),
    apply: async (trx, _state, now) => {
      const status = input.setAsActive ? 'ACTIVE' : 'INACTIVE';
      const created = await insertNewCertificate(ctx, trx, owner, { ...issued, status, caCertificateId: null }, now);
      return {
        ...created,
        certificatePem: issued.certificatePem,
        keyPair: { PublicKey: issued.publicKeyPem, PrivateKey: issued.privateKeyPem },
      };
    },
    resourceAfter: (result) => ({ certificateId: result.certificateId, certificateArn: result.certificateArn }),
  });
}

export interface CreateFromCsrInput {
  certificateSigningRequest: string;
  setAsActive?: boolean;
}

export async function createCertificateFromCsr(ctx: ServiceContext, request: RequestFacts, input: CreateFromCsrInput) {
  const owner = request.caller.accountId;
  const setAsActive = input.setAsActive ?? false;
  return runGuarded(ctx, {
    operation: 'CreateCertificateFromCsr',
    request,
    // The CSR is masked in the audit row (src/audit/request-masking.ts).
    parameters: { certificateSigningRequest: input.certificateSigningRequest, setAsActive },
    resource: {},
    // Issued in load (a signature, no key generation: about a millisecond) so an invalid CSR is an audited denial.
    load: () => issueCertificateFromCsr(ctx.certificateAuthority, input.certificateSigningRequest),
    facts: () => ({}),
    apply: async (trx, issued, now) => {
      const status = setAsActive ? 'ACTIVE' : 'INACTIVE';
      const created = await insertNewCertificate(ctx, trx, owner, { ...issued, status, caCertificateId: null }, now);
      return { ...created, certificatePem: issued.certificatePem };
    },
    resourceAfter: (result) => ({ certificateId: result.certificateId, certificateArn: result.certificateArn }),
  });
}
