/**
 * Certificates issued by certguard's own CA (CreateKeysAndCertificate, CreateCertificateFromCsr), and the insert
 * and duplicate path that every operation bringing a new certificate into certguard shares (the register
 * operations in certificate-registration.service.ts use it too).
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Transaction } from 'kysely';
import { isUniqueViolation } from '../db/database-errors.ts';
import type { CertificatesTable, DB } from '../db/schema.ts';
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from './service-context.ts';
import { ResourceAlreadyExistsError } from '../errors.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { createKeysAndCertificate as createKeys, type IssuedCertificate, issueCertificateFromCsr } from './certificate-authority.ts';
import { insertCertificateWithAudit } from './certificate-creation-write.ts';
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
  await insertCertificate(trx, newCertificateRow(owner, cert, now)).catch((error: unknown) => {
    // Two registrations of one certificate raced and the other committed first.
    throw isUniqueViolation(error) ? alreadyExists(ctx, owner, cert.certificateId, '') : error;
  });
  return { certificateId: cert.certificateId, certificateArn: certificateArn(ctx.region, owner, cert.certificateId) };
}

/** The certificates table row of a certificate new to certguard (issued by its CA or registered). */
function newCertificateRow(owner: string, cert: NewCertificate, now: Date): Insertable<CertificatesTable> {
  return {
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
  };
}

/**
 * The guarded creation of a certificate the CA issued (in `issue`, before the decision: nothing to lock). Allowed,
 * it is one statement that inserts the certificate and its audit row (certificate-creation-write.ts).
 */
function createIssued<R>(
  ctx: ServiceContext,
  request: RequestFacts,
  operation: string,
  parameters: Record<string, unknown>,
  issue: () => Promise<IssuedCertificate>,
  answer: (issued: IssuedCertificate, created: CreatedCertificate) => R,
) {
  const owner = request.caller.accountId;
  const status = parameters.setAsActive === true ? 'ACTIVE' : 'INACTIVE';
  return runGuarded(ctx, {
    operation,
    request,
    parameters,
    resource: {},
    read: issue,
    facts: () => ({}),
    resourceIfAllowed: (issued) => ({ certificateId: issued.certificateId, certificateArn: certificateArn(ctx.region, owner, issued.certificateId) }),
    write: async (db, issued, now, audit) => {
      const certificate = newCertificateRow(owner, { ...issued, status, caCertificateId: null }, now);
      const appended = await insertCertificateWithAudit(db, { certificate, audit }).catch((error: unknown) => {
        // Practically impossible (a fresh key and a random serial), but never a second row for one certificate.
        throw isUniqueViolation(error) ? alreadyExists(ctx, owner, issued.certificateId, '') : error;
      });
      const created = { certificateId: issued.certificateId, certificateArn: certificateArn(ctx.region, owner, issued.certificateId) };
      return { result: answer(issued, created), audit: appended };
    },
  });
}

export async function createKeysAndCertificate(ctx: ServiceContext, request: RequestFacts, input: { setAsActive?: boolean }) {
  // Key generation takes ~150 ms of CPU (OpenSSL 3.0): taken from the pool when one is configured, and in any case
  // before the decision, so no connection waits on it.
  const issued = await createKeys(ctx.certificateAuthority, ctx.keyPairs);
  return createIssued(
    ctx,
    request,
    'CreateKeysAndCertificate',
    { setAsActive: input.setAsActive ?? false },
    async () => issued,
    (_, created) => ({
      ...created,
      certificatePem: issued.certificatePem,
      keyPair: { PublicKey: issued.publicKeyPem, PrivateKey: issued.privateKeyPem },
    }),
  );
}

export interface CreateFromCsrInput {
  certificateSigningRequest: string;
  setAsActive?: boolean;
}

export async function createCertificateFromCsr(ctx: ServiceContext, request: RequestFacts, input: CreateFromCsrInput) {
  return createIssued(
    ctx,
    request,
    'CreateCertificateFromCsr',
    // The CSR is masked in the audit row (src/audit/request-masking.ts).
    { certificateSigningRequest: input.certificateSigningRequest, setAsActive: input.setAsActive ?? false },
    // Issued as the state the rules decide on (a signature, no key generation: well under a millisecond), so an
    // invalid CSR is an audited denial.
    () => issueCertificateFromCsr(ctx.certificateAuthority, input.certificateSigningRequest),
    (issued, created) => ({ ...created, certificatePem: issued.certificatePem }),
  );
}
