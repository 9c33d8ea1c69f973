/**
 * POST /v1/policy/evaluate: a dry run. Decides an operation for an input with the active bundle or a candidate,
 * and answers the whole decision with the input it was made on. Nothing is locked, changed or audited.
 */
import type { PolicyApiContext } from './policy-api-context.ts';
import type { components } from '../../request/api-types.generated.ts';
import type { Decision } from '../engine/decision.ts';
import { loadCandidateBundle } from './candidate-bundle.ts';
import { evaluationInput } from './evaluation-input.ts';
import { knownOperationSchema } from './operation-name.ts';

/** The request body, as the contract gives it (the route reads it typed: src/request/operation-input.ts). */
export type EvaluateRequest = components['schemas']['PolicyEvaluateRequest'];

export async function evaluatePolicy(ctx: PolicyApiContext, body: EvaluateRequest): Promise<Decision & { input: unknown }> {
  const schema = knownOperationSchema(body.operation);
  const bundle = body.bundle ? await loadCandidateBundle(body.bundle) : ctx.policy();
  const input = await evaluationInput(ctx, body, schema);
  // The input is answered as evaluated (dates become ISO strings), so it can be sent back as `input` unchanged.
  return { ...bundle.evaluate(body.operation, input), input };
}
