/** Bringing certificates into certguard: CreateKeysAndCertificate and RegisterCertificateWithoutCA. */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { isUniqueViolation } from '../db/database-errors.ts';
import type { DB } from '../db/schema.ts';
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from '../decisions/service-context.ts';
import { ResourceAlreadyExistsError } from '../http/errors.ts';
import type { RequestFacts } from '../http/request-context.ts';
import { createKeysAndCertificate as createKeys } from './certificate-authority.ts';
import { certificateArn } from './certificate-arn.ts';
import { parseCertificatePem } from './certificate-crypto.ts';
import { findCertificate, insertCertificate } from './certificate.repository.ts';
import { assertRegistrableStatus } from './certificate-status.ts';

interface NewCertificate {
  certificateId: string;
  certificatePem: string;
  notBefore: Date;
  notAfter: Date;
  status: string;
  caCertificateId: string | null;
}

function alreadyExists(ctx: ServiceContext, caller: string, certificateId: string, owner: string) {
  // The ARN names the owning account: only tell the caller when that is itself.
  const extra: Record<string, string> = { resourceId: certificateId };
  if (owner === caller) extra.resourceArn = certificateArn(ctx.region, owner, certificateId);
  return new ResourceAlreadyExistsError('The certificate is already registered', extra);
}

async function insertNew(ctx: ServiceContext, trx: Transaction<DB>, owner: string, cert: NewCertificate, now: Date) {
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
  // Key generation takes tens of milliseconds: done before the transaction so no lock or connection waits on it.
  const issued = await createKeys(ctx.certificateAuthority);
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
      const created = await insertNew(ctx, trx, owner, { ...issued, status, caCertificateId: null }, now);
      return {
        ...created,
        certificatePem: issued.certificatePem,
        keyPair: { PublicKey: issued.publicKeyPem, PrivateKey: issued.privateKeyPem },
      };
    },
    resourceAfter: (result) => ({ certificateId: result.certificateId, certificateArn: result.certificateArn }),
  });
}

export interface RegisterWithoutCaInput {
  certificatePem: string;
  status?: string;
}

export async function registerCertificateWithoutCa(ctx: ServiceContext, request: RequestFacts, input: RegisterWithoutCaInput) {
  const owner = request.caller.accountId;
  const status = input.status ?? 'INACTIVE';
  return runGuarded(ctx, {
    operation: 'RegisterCertificateWithoutCA',
    request,
    parameters: { certificatePem: input.certificatePem, status },
    resource: {},
    load: async (trx) => {
      const parsed = parseCertificatePem(input.certificatePem);
      assertRegistrableStatus(status);
      const existing = await findCertificate(trx, parsed.certificateId);
      if (existing) throw alreadyExists(ctx, owner, existing.certificate_id, existing.owner_account_id);
      return parsed;
    },
    facts: () => ({}),
    apply: (trx, parsed, now) =>
      insertNew(ctx, trx, owner, { ...parsed, certificatePem: parsed.pem, status, caCertificateId: null }, now),
    resourceAfter: (result) => result,
  });
}
