/**
 * The input a certificate operation's rules would see, built from the database the way the real operation
 * builds it (certificate facts, attached policy names), for a hypothetical request. Read-only and without row
 * locks: a dry run must never hold up, or be held up by, a real decision.
 */
import { findCertificate, attachedPolicyNames } from '../../certificates/certificate.repository.ts';
import { notFound } from '../../certificates/certificate-access.ts';
import { toCertificateFacts } from '../../certificates/certificate.mapper.ts';
import type { Database } from '../../db/database.ts';
import type { OperationSchema } from '../engine/input-schema.ts';
import type { CertificateFacts, PolicyInput } from '../engine/policy-bundle.ts';

/** Settling a pending transfer shows the rules the certificate only (see transfer-lifecycle.service.ts). */
const WITHOUT_ATTACHED_POLICIES: ReadonlySet<string> = new Set(['AcceptCertificateTransfer', 'RejectCertificateTransfer', 'CancelCertificateTransfer']);

export interface HypotheticalCaller {
  accountId: string;
  accessKeyId?: string;
  roles?: string[];
}

export interface HypotheticalRequest {
  operation: string;
  schema: OperationSchema;
  certificateId: string;
  request?: Record<string, unknown>;
  /** Defaults to an operator of the account that owns the certificate. */
  caller?: HypotheticalCaller;
  now: Date;
}

export async function inputForCertificate(ctx: { db: Database; region: string }, hypothetical: HypotheticalRequest): Promise<PolicyInput> {
  // Stored lowercase, accepted in either case (certificate-id.ts).
  const certificateId = hypothetical.certificateId.toLowerCase();
  const row = await findCertificate(ctx.db, certificateId);
  if (!row) throw notFound(certificateId);
  const certificate = toCertificateFacts(row, ctx.region);
  return {
    request: requestFor(hypothetical.schema, certificate, hypothetical.request ?? {}),
    caller: callerOf(hypothetical.caller ?? { accountId: row.owner_account_id }),
    certificate,
    ...(WITHOUT_ATTACHED_POLICIES.has(hypothetical.operation) ? {} : { attachedPolicies: await attachedPolicyNames(ctx.db, certificateId) }),
    now: hypothetical.now,
  };
}

/** A hypothetical caller; without roles it is an operator, the only role that can perform an operation. */
export function callerOf(caller: HypotheticalCaller): PolicyInput['caller'] {
  return { accountId: caller.accountId, accessKeyId: caller.accessKeyId ?? '', roles: caller.roles ?? ['operator'] };
}

/**
 * The services pass the certificate id along with the members; the attachment operations name the certificate
 * by ARN (`target` / `principal`), which defaults to this certificate's. Members the caller gives win.
 */
function requestFor(schema: OperationSchema, certificate: CertificateFacts, request: Record<string, unknown>): Record<string, unknown> {
  const defaults: Record<string, unknown> = { certificateId: certificate.id };
  for (const field of ['target', 'principal']) {
    if (Object.hasOwn(schema.request, field)) defaults[field] = certificate.arn;
  }
  return { ...defaults, ...request };
}
