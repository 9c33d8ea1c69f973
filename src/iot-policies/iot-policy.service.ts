/** CreatePolicy and DeletePolicy: each a guarded, audited decision. */
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../db/database-errors.ts';
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { IotPolicyContext } from './iot-policy-context.ts';
import { DeleteConflictError, ResourceAlreadyExistsError, ResourceNotFoundError } from '../errors.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { policyArn } from '../certificates/certificate-arn.ts';
import { validatePolicyDocument } from './iot-policy-document.ts';
import * as policies from './iot-policy.repository.ts';

export async function createPolicy(ctx: IotPolicyContext, request: RequestFacts, input: { policyName: string; policyDocument: string }) {
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
      await policies
        .insertPolicy(trx, {
          account_id: accountId,
          policy_name: policyName,
          policy_document: policyDocument,
          generation_id: randomUUID(),
          created_at: now,
          last_modified_at: now,
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? exists() : error;
        });
      return { policyName, policyArn: arn, policyDocument, policyVersionId: '1' };
    },
  });
}

/** How many targets a DeleteConflictException names before it says "...". */
const TARGETS_NAMED_IN_CONFLICT = 3;

/**
 * DeletePolicy refuses while the policy is attached. That is a code invariant rather than a rule in policies/:
 * the rules of DeletePolicy see no attachments (its input schema has no certificate facts), and the refusal is
 * referential integrity, not a choice an operator could relax — deleting an attached policy would break the
 * attachments' foreign key. The policy row is locked FOR UPDATE, so a concurrent AttachPolicy (which takes it
 * FOR SHARE) either commits first and is seen here, or waits and then finds no policy.
 */
export async function deletePolicy(ctx: IotPolicyContext, request: RequestFacts, input: { policyName: string }) {
  const { accountId } = request.caller;
  const { policyName } = input;
  await runGuarded(ctx, {
    operation: 'DeletePolicy',
    request,
    parameters: { policyName },
    resource: {},
    load: async (trx) => {
      if (!(await policies.findPolicyForUpdate(trx, accountId, policyName))) {
        throw new ResourceNotFoundError(`Policy ${policyName} does not exist`);
      }
      return { targets: await policies.someTargetsOf(trx, accountId, policyName, TARGETS_NAMED_IN_CONFLICT + 1) };
    },
    facts: () => ({}),
    invariants: ({ targets }) => {
      if (targets.length === 0) return;
      const named = targets.slice(0, TARGETS_NAMED_IN_CONFLICT).join(', ') + (targets.length > TARGETS_NAMED_IN_CONFLICT ? ', ...' : '');
      throw new DeleteConflictError(`Policy ${policyName} is attached to ${named}: detach it with DetachPolicy before deleting it`);
    },
    apply: (trx) => policies.deletePolicy(trx, accountId, policyName),
  });
  return {};
}
