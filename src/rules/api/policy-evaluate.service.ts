/**
 * POST /v1/policy/evaluate: a dry run. Decides an operation for an input with the active bundle or a candidate,
 * and answers the whole decision with the input it was made on. Nothing is locked, changed or audited.
 * `certguard policy eval` (offline, src/cli/policy-eval.command.ts) answers with evaluateOffline: the same
 * request body, the same decision object, a bundle read from a directory and no database.
 */
import type { PolicyApiContext } from './policy-api-context.ts';
import type { components } from '../../request/api-types.generated.ts';
import type { Decision } from '../engine/decision.ts';
import type { PolicyBundle } from '../engine/policy-bundle.ts';
import { loadCandidateBundle } from './candidate-bundle.ts';
import { evaluationInput } from './evaluation-input.ts';
import { knownOperationSchema } from './operation-name.ts';

/** The request body, as the contract gives it (the route reads it typed: src/request/operation-input.ts). */
export type EvaluateRequest = components['schemas']['PolicyEvaluateRequest'];

export type EvaluationAnswer = Decision & { input: unknown };

export async function evaluatePolicy(ctx: PolicyApiContext, body: EvaluateRequest): Promise<EvaluationAnswer> {
  const schema = knownOperationSchema(body.operation);
  const bundle = body.bundle ? await loadCandidateBundle(body.bundle) : ctx.policy();
  return answer(bundle, body.operation, await evaluationInput(ctx, body, schema));
}

/**
 * The same evaluation without a service: `bundle` read from a directory (or the request's candidate `bundle`),
 * and no database, so an input built from a stored certificate (certificateId) is refused — give it whole.
 */
export async function evaluateOffline(bundle: PolicyBundle, body: EvaluateRequest): Promise<EvaluationAnswer> {
  const schema = knownOperationSchema(body.operation);
  const chosen = body.bundle ? await loadCandidateBundle(body.bundle) : bundle;
  return answer(chosen, body.operation, await evaluationInput(undefined, body, schema));
}

function answer(bundle: PolicyBundle, operation: string, input: Awaited<ReturnType<typeof evaluationInput>>): EvaluationAnswer {
  // The input is answered as evaluated (dates become ISO strings), so it can be sent back as `input` unchanged.
  return { ...bundle.evaluate(operation, input), input };
}
