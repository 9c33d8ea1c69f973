/**
 * The input of a dry run, from an evaluate request: given whole (`input`, e.g. copied from an audit row), or
 * built by certguard from a certificate in the database plus a hypothetical request and caller.
 */
import type { Database } from '../../db/database.ts';
import { InvalidRequestError } from '../../errors.ts';
import type { OperationSchema } from '../engine/input-schema.ts';
import type { PolicyInput } from '../engine/policy-bundle.ts';
import type { components } from '../../request/api-types.generated.ts';
import { callerOf, inputForCertificate } from './certificate-input.ts';
import { policyInputFromJson } from './policy-input-json.ts';

/** The members of an evaluate request (the contract's PolicyEvaluateRequest) that say what to evaluate; `now` is ISO 8601. */
export type EvaluationInputRequest = Omit<components['schemas']['PolicyEvaluateRequest'], 'bundle'>;

/** `ctx` undefined: offline (no database), where an input built from a stored certificate cannot be made. */
export async function evaluationInput(
  ctx: { db: Database; region: string } | undefined,
  body: EvaluationInputRequest,
  schema: OperationSchema,
): Promise<PolicyInput> {
  const { operation } = body;
  const builders = [body.certificateId, body.request, body.caller, body.now].some((member) => member !== undefined);
  if (body.input) {
    if (builders) throw new InvalidRequestError('Give either input, or certificateId/request/caller/now to build it from, not both');
    return policyInputFromJson(body.input, new Date());
  }
  const now = body.now === undefined ? new Date() : new Date(body.now);
  if (schema.certificateFacts) {
    if (body.certificateId === undefined) {
      throw new InvalidRequestError(`${operation} acts on a certificate: give its certificateId (or a complete input)`);
    }
    if (ctx === undefined) {
      throw new InvalidRequestError(`${operation}: offline evaluation has no database to read certificate ${body.certificateId} from: give a complete input`);
    }
    return inputForCertificate(ctx, { operation, schema, certificateId: body.certificateId, request: body.request, caller: body.caller, now });
  }
  if (body.certificateId !== undefined) throw new InvalidRequestError(`${operation} does not act on an existing certificate: leave out certificateId`);
  if (!body.caller) throw new InvalidRequestError(`${operation}: give a caller (and request), or a complete input`);
  return { request: body.request ?? {}, caller: callerOf(body.caller), now };
}
