/**
 * A PolicyInput as JSON carries it, dates as ISO 8601 strings: the `input` of an evaluate request, the `input`
 * an evaluation answers with, and the `policy_input` of an audit row. The JSON shape is the contract's
 * (PolicyEvaluationInput in openapi/certguard.yaml, generated into api-types.generated.ts); the engine's
 * PolicyInput stays its own type because the engine is floor 0 and knows nothing of HTTP, so this file is the
 * one explicit mapping from the one to the other. Reviving the dates matters: the rules compare `now` and the
 * certificate's dates as CEL timestamps, which a string is not.
 */
import type { components } from '../../request/api-types.generated.ts';
import type { CertificateFacts, PolicyInput } from '../engine/policy-bundle.ts';

export type PolicyInputJson = components['schemas']['PolicyEvaluationInput'];
type CertificateFactsJson = components['schemas']['PolicyCertificateFacts'];

/** `defaultNow` stands in for a missing `now` (a request may leave it out; audit rows always have it). */
export function policyInputFromJson(json: PolicyInputJson, defaultNow: Date): PolicyInput {
  const { caller } = json;
  return {
    request: json.request,
    caller: { accountId: caller.accountId, accessKeyId: caller.accessKeyId ?? '', roles: caller.roles ?? [] },
    ...(json.certificate ? { certificate: certificateFactsFromJson(json.certificate) } : {}),
    ...(json.attachedPolicies ? { attachedPolicies: json.attachedPolicies } : {}),
    now: json.now === undefined ? defaultNow : new Date(json.now),
  };
}

function certificateFactsFromJson(json: CertificateFactsJson): CertificateFacts {
  return {
    id: json.id,
    arn: json.arn,
    status: json.status,
    ownedBy: json.ownedBy,
    previousOwnedBy: json.previousOwnedBy ?? null,
    pendingTransferTo: json.pendingTransferTo ?? null,
    mode: json.mode,
    createdAt: new Date(json.createdAt),
    notBefore: new Date(json.notBefore),
    notAfter: new Date(json.notAfter),
  };
}

/** jsonb columns arrive parsed from pg and PGlite alike; a string (e.g. another driver) is parsed here. */
export function parseStoredJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
