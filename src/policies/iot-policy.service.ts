/** CreatePolicy, AttachPolicy, DetachPolicy: each a guarded, audited decision. */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { isUniqueViolation } from '../db/database-errors.ts';
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from '../decisions/service-context.ts';
import { InvalidRequestError, LimitExceededError, ResourceAlreadyExistsError, ResourceNotFoundError } from '../http/errors.ts';
import type { RequestFacts } from '../http/request-context.ts';
import { loadOwnedCertificateForUpdate } from '../certificates/certificate-access.ts';
import { certificateArn, parseCertificateArn, policyArn } from '../certificates/certificate-arn.ts';
import { toCertificateFacts } from '../certificates/certificate.mapper.ts';
import { attachedPolicyNames } from '../certificates/certificate.repository.ts';
import { validatePolicyDocument } from './iot-policy-document.ts';
import * as policies from './iot-policy.repository.ts';

/** AWS IoT quota: at most 10 policies attached to one certificate. */
export const MAX_POLICIES_PER_CERTIFICATE = 10;

export async function createPolicy(ctx: ServiceContext, request: RequestFacts, input: { policyName: string; policyDocument: string }) {
  const { accountId } = request.caller;
  const { policyName, policyDocument } = input;
  const arn = policyArn(ctx.region, accountId, policyName);
  const exists = () => new ResourceAlreadyExistsError(`Policy ${policyName} already exists`, { resourceId: policyName, resourceArn: arn });
  return runGuarded(ctx, {
    operation: 'CreatePolicy',
    request,
    parameters: { policyName, policyDocument },
    resource: {},
    load: async (trx) => {
      validatePolicyDocument(policyDocument);
      if (await policies.findPolicy(trx, accountId, policyName)) throw exists();
    },
    facts: () => ({}),
    apply: async (trx, _state, now) => {
      await policies.insertPolicy(trx, {
        account_id: accountId, policy_name: policyName, policy_document: policyDocument,
        generation_id: randomUUID(), created_at: now, last_modified_at: now,
      }).catch((error: unknown) => {
        throw isUniqueViolation(error) ? exists() : error;
      });
      return { policyName, policyArn: arn, policyDocument, policyVersionId: '1' };
    },
  });
}

/**
 * Resolves an attach/detach target: only certificate ARNs of the caller's own account and region. Returned in
 * canonical form (lowercase id) so one certificate is one attachment target however its ARN was spelled.
 */
function certificateTarget(ctx: ServiceContext, request: RequestFacts, target: string) {
  const parsed = parseCertificateArn(target);
  if (!parsed) throw new InvalidRequestError(`Target ${target} is not a certificate ARN (arn:aws:iot:<region>:<account>:cert/<id>)`);
  if (parsed.region !== ctx.region || parsed.accountId !== request.caller.accountId) {
    throw new ResourceNotFoundError(`Target ${target} does not exist`);
  }
  return { certificateId: parsed.certificateId, target: certificateArn(parsed.region, parsed.accountId, parsed.certificateId) };
}

async function loadAttachState(ctx: ServiceContext, request: RequestFacts, trx: Transaction<DB>, policyName: string, rawTarget: string) {
  const { certificateId, target } = certificateTarget(ctx, request, rawTarget);
  const certificate = await loadOwnedCertificateForUpdate(trx, request.caller, certificateId);
  if (!(await policies.findPolicyForShare(trx, request.caller.accountId, policyName))) {
    throw new ResourceNotFoundError(`Policy ${policyName} does not exist`);
  }
  return { certificate, certificateId, target, attachedPolicies: await attachedPolicyNames(trx, certificateId) };
}

type AttachInput = { policyName: string; target: string };
type AttachState = Awaited<ReturnType<typeof loadAttachState>>;

/** What AttachPolicy and DetachPolicy share: the same input, state, facts and audit resource. */
function attachmentDecision(ctx: ServiceContext, request: RequestFacts, operation: string, { policyName, target }: AttachInput) {
  return {
    operation,
    request,
    parameters: { policyName, target },
    resource: { certificateArn: target },
    load: (trx: Transaction<DB>) => loadAttachState(ctx, request, trx, policyName, target),
    facts: (s: AttachState) => ({ certificate: toCertificateFacts(s.certificate, ctx.region), attachedPolicies: s.attachedPolicies }),
    resourceAfter: () => ({ certificateArn: target, certificateId: parseCertificateArn(target)?.certificateId }),
  };
}

export async function attachPolicy(ctx: ServiceContext, request: RequestFacts, input: AttachInput) {
  await runGuarded(ctx, {
    ...attachmentDecision(ctx, request, 'AttachPolicy', input),
    invariants: (s) => {
      // A pending transfer was allowed because the certificate had no policies: keep it that way until it settles.
      if (s.certificate.status === 'PENDING_TRANSFER') {
        throw new InvalidRequestError(`Certificate ${s.certificateId} has a pending transfer: policies cannot be attached until it is accepted, rejected or cancelled`);
      }
      if (!s.attachedPolicies.includes(input.policyName) && s.attachedPolicies.length >= MAX_POLICIES_PER_CERTIFICATE) {
        throw new LimitExceededError(`A certificate can have at most ${MAX_POLICIES_PER_CERTIFICATE} policies attached`);
      }
    },
    apply: (trx, s) => policies.attachPolicy(trx, request.caller.accountId, input.policyName, s.target, s.certificateId),
  });
  return {};
}

export async function detachPolicy(ctx: ServiceContext, request: RequestFacts, input: AttachInput) {
  await runGuarded(ctx, {
    ...attachmentDecision(ctx, request, 'DetachPolicy', input),
    apply: (trx, s) => policies.detachPolicy(trx, request.caller.accountId, input.policyName, s.target),
  });
  return {};
}
