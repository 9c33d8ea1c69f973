/**
 * The IoT policy reads: GetPolicy, ListPolicies, ListTargetsForPolicy, ListAttachedPolicies and the deprecated
 * ListPrincipalPolicies. Reads are not guarded decisions and are not audited (they change nothing).
 * Policies are named per account and the policy operations name no account, so a caller reads its own account's
 * policies; only the lists by certificate ARN let an auditor read another account's (the ARN names the account).
 */
import type { Caller } from '../request/caller.ts';
import { policyArn } from '../certificates/certificate-arn.ts';
import { notFound as certificateNotFound } from '../certificates/certificate-access.ts';
import { epochSeconds } from '../certificates/certificate.mapper.ts';
import { findCertificate } from '../certificates/certificate.repository.ts';
import type { Database } from '../db/database.ts';
import { ResourceNotFoundError, type ServiceError } from '../errors.ts';
import { decodeMarker, toPage } from '../request/pagination.ts';
import type { RequestFacts } from '../request/request-context.ts';
import * as policies from './iot-policy.repository.ts';
import { markerOfPosition, positionOfMarker } from './iot-policy-marker.ts';
import { accessibleTarget, type TargetMember } from './iot-policy-target.ts';

interface ReadContext {
  db: Database;
  region: string;
}

export interface PageInput {
  pageSize: number;
  marker?: string;
}

function policyNotFound(policyName: string): ServiceError {
  return new ResourceNotFoundError(`Policy ${policyName} does not exist`);
}

export async function getPolicy(ctx: ReadContext, request: RequestFacts, policyName: string) {
  const row = await policies.findPolicy(ctx.db, request.caller.accountId, policyName);
  if (!row) throw policyNotFound(policyName);
  return {
    policyName: row.policy_name,
    policyArn: policyArn(ctx.region, row.account_id, row.policy_name),
    policyDocument: row.policy_document,
    defaultVersionId: row.default_version_id,
    creationDate: epochSeconds(row.created_at),
    lastModifiedDate: epochSeconds(row.last_modified_at),
    generationId: row.generation_id,
  };
}

/** One page of policies in creation order; `attachedTo` narrows to one certificate's policies. */
async function policyPage(ctx: ReadContext, accountId: string, input: PageInput & { ascending: boolean; attachedTo?: string }) {
  const rows = await policies.listPolicies(ctx.db, accountId, {
    ascending: input.ascending,
    ...(input.attachedTo !== undefined ? { attachedTo: input.attachedTo } : {}),
    ...(input.marker !== undefined ? { after: positionOfMarker(input.marker) } : {}),
    limit: input.pageSize + 1,
  });
  const page = toPage(rows, input.pageSize, (row) => markerOfPosition({ createdAt: row.created_at, policyName: row.policy_name }));
  return {
    policies: page.items.map((row) => ({ policyName: row.policy_name, policyArn: policyArn(ctx.region, row.account_id, row.policy_name) })),
    ...(page.nextMarker !== undefined ? { nextMarker: page.nextMarker } : {}),
  };
}

export function listPolicies(ctx: ReadContext, request: RequestFacts, input: PageInput & { ascending: boolean }) {
  return policyPage(ctx, request.caller.accountId, input);
}

export async function listTargetsForPolicy(ctx: ReadContext, request: RequestFacts, input: PageInput & { policyName: string }) {
  const { accountId } = request.caller;
  if (!(await policies.findPolicy(ctx.db, accountId, input.policyName))) throw policyNotFound(input.policyName);
  const afterTarget = input.marker !== undefined ? decodeMarker(input.marker, 1)[0] : undefined;
  const targets = await policies.listTargets(ctx.db, accountId, input.policyName, {
    ...(afterTarget !== undefined ? { afterTarget } : {}),
    limit: input.pageSize + 1,
  });
  const page = toPage(targets, input.pageSize, (target) => [target]);
  return { targets: page.items, ...(page.nextMarker !== undefined ? { nextMarker: page.nextMarker } : {}) };
}

/** The certificate a list by ARN is about: the caller's own, or any account's for an auditor; else 404. */
async function readableCertificate(ctx: ReadContext, caller: Caller, value: string, member: TargetMember) {
  const target = accessibleTarget(ctx.region, caller, value, member, true);
  const row = await findCertificate(ctx.db, target.certificateId);
  if (!row || row.owner_account_id !== target.accountId) throw certificateNotFound(target.certificateId);
  return target;
}

/** ListAttachedPolicies. `recursive` (thing-group inheritance) does not apply: certguard's targets are certificates. */
export async function listAttachedPolicies(ctx: ReadContext, request: RequestFacts, input: PageInput & { target: string }) {
  const target = await readableCertificate(ctx, request.caller, input.target, 'target');
  return policyPage(ctx, target.accountId, { ...input, ascending: true, attachedTo: target.certificateId });
}

/** ListPrincipalPolicies (deprecated): ListAttachedPolicies with the principal in a header and a sort order. */
export async function listPrincipalPolicies(ctx: ReadContext, request: RequestFacts, input: PageInput & { principal: string; ascending: boolean }) {
  const target = await readableCertificate(ctx, request.caller, input.principal, 'principal');
  return policyPage(ctx, target.accountId, { ...input, attachedTo: target.certificateId });
}
