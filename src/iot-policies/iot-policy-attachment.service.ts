/**
 * AttachPolicy, DetachPolicy and their deprecated twins AttachPrincipalPolicy, DetachPrincipalPolicy: each a
 * guarded, audited decision under its own operation name. The twins differ only in where the certificate ARN
 * travels (body `target` vs header `x-amzn-iot-principal`), so all four share one decision shape.
 * They take the locking path of runGuarded (not the versioned one): the decision depends on a second row, the
 * policy, held FOR SHARE so that DeletePolicy waits; every attach/detach bumps the certificate's row_version, so
 * a versioned decision (transfer, delete...) made on the old attachments cannot apply.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { IotPolicyContext } from './iot-policy-context.ts';
import { InvalidRequestError, LimitExceededError, ResourceNotFoundError } from '../errors.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { loadOwnedCertificateForUpdate } from '../certificates/certificate-access.ts';
import { certificateArn, parseCertificateArn } from '../certificates/certificate-arn.ts';
import { toCertificateFacts } from '../certificates/certificate.mapper.ts';
import { attachedPolicyNames, bumpRowVersion } from '../certificates/certificate.repository.ts';
import * as policies from './iot-policy.repository.ts';
import { accessibleTarget, type TargetMember } from './iot-policy-target.ts';

/** AWS IoT quota: at most 10 policies attached to one certificate. */
export const MAX_POLICIES_PER_CERTIFICATE = 10;

const TARGET_MEMBER = {
  AttachPolicy: 'target',
  DetachPolicy: 'target',
  AttachPrincipalPolicy: 'principal',
  DetachPrincipalPolicy: 'principal',
} as const satisfies Record<string, TargetMember>;

type AttachmentOperation = keyof typeof TARGET_MEMBER;

/** One attach/detach request: the operation, the policy and the target as the client sent it. */
interface Attachment {
  operation: AttachmentOperation;
  policyName: string;
  target: string;
}

/** The audit resource, known before anything is loaded whenever the target is a certificate ARN at all. */
function auditResource(target: string) {
  const parsed = parseCertificateArn(target);
  return parsed ? { certificateArn: certificateArn(parsed.region, parsed.accountId, parsed.certificateId), certificateId: parsed.certificateId } : {};
}

async function loadAttachState(ctx: IotPolicyContext, request: RequestFacts, trx: Transaction<DB>, a: Attachment) {
  const target = accessibleTarget(ctx.region, request.caller, a.target, TARGET_MEMBER[a.operation]);
  const certificate = await loadOwnedCertificateForUpdate(trx, request.caller, target.certificateId);
  // FOR SHARE: concurrent attachments of one policy proceed together, while DeletePolicy (FOR UPDATE) waits.
  if (!(await policies.findPolicyForShare(trx, request.caller.accountId, a.policyName))) {
    throw new ResourceNotFoundError(`Policy ${a.policyName} does not exist`);
  }
  return { certificate, target, attachedPolicies: await attachedPolicyNames(trx, target.certificateId) };
}

type AttachState = Awaited<ReturnType<typeof loadAttachState>>;

/** What all four operations share: input, state, facts and audit resource. */
function attachmentDecision(ctx: IotPolicyContext, request: RequestFacts, a: Attachment) {
  return {
    operation: a.operation,
    request,
    parameters: { policyName: a.policyName, [TARGET_MEMBER[a.operation]]: a.target },
    resource: auditResource(a.target),
    load: (trx: Transaction<DB>) => loadAttachState(ctx, request, trx, a),
    facts: (s: AttachState) => ({ certificate: toCertificateFacts(s.certificate, ctx.region), attachedPolicies: s.attachedPolicies }),
  };
}

function checkMayAttach(s: AttachState, policyName: string): void {
  // A pending transfer was allowed because the certificate had no policies: keep it that way until it settles.
  if (s.certificate.status === 'PENDING_TRANSFER') {
    throw new InvalidRequestError(
      `Certificate ${s.target.certificateId} has a pending transfer: policies cannot be attached until it is accepted, rejected or cancelled`,
    );
  }
  if (!s.attachedPolicies.includes(policyName) && s.attachedPolicies.length >= MAX_POLICIES_PER_CERTIFICATE) {
    throw new LimitExceededError(`A certificate can have at most ${MAX_POLICIES_PER_CERTIFICATE} policies attached`);
  }
}

async function attach(ctx: IotPolicyContext, request: RequestFacts, a: Attachment): Promise<Record<string, never>> {
  await runGuarded(ctx, {
    ...attachmentDecision(ctx, request, a),
    invariants: (s) => checkMayAttach(s, a.policyName),
    apply: async (trx, s) => {
      await policies.attachPolicy(trx, request.caller.accountId, a.policyName, s.target.arn, s.target.certificateId);
      // The attachments are facts of every certificate decision: decisions made on the old version must not apply.
      await bumpRowVersion(trx, s.target.certificateId);
    },
  });
  return {};
}

async function detach(ctx: IotPolicyContext, request: RequestFacts, a: Attachment): Promise<Record<string, never>> {
  await runGuarded(ctx, {
    ...attachmentDecision(ctx, request, a),
    apply: async (trx, s) => {
      await policies.detachPolicy(trx, request.caller.accountId, a.policyName, s.target.arn);
      await bumpRowVersion(trx, s.target.certificateId);
    },
  });
  return {};
}

export function attachPolicy(ctx: IotPolicyContext, request: RequestFacts, input: { policyName: string; target: string }) {
  return attach(ctx, request, { operation: 'AttachPolicy', ...input });
}

export function detachPolicy(ctx: IotPolicyContext, request: RequestFacts, input: { policyName: string; target: string }) {
  return detach(ctx, request, { operation: 'DetachPolicy', ...input });
}

export function attachPrincipalPolicy(ctx: IotPolicyContext, request: RequestFacts, input: { policyName: string; principal: string }) {
  return attach(ctx, request, { operation: 'AttachPrincipalPolicy', policyName: input.policyName, target: input.principal });
}

export function detachPrincipalPolicy(ctx: IotPolicyContext, request: RequestFacts, input: { policyName: string; principal: string }) {
  return detach(ctx, request, { operation: 'DetachPrincipalPolicy', policyName: input.policyName, target: input.principal });
}
