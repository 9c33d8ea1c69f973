/**
 * What the audit trail keeps of a policy dry run's request (PolicyEvaluation rows): the question asked, but of a
 * candidate bundle only its content hash (bundle-hash.ts, the same hash a PolicyActivated row would name) and file
 * names — rule files can be large, and the hash says exactly which bundle was tried.
 */
import { maskRequestParameters } from '../../audit/request-masking.ts';
import { bundleHash } from '../engine/bundle-hash.ts';
import type { CandidateBundleFiles } from './candidate-bundle.ts';
import type { EvaluateRequest } from './policy-evaluate.service.ts';
import type { SimulateRequest } from './policy-simulate.service.ts';

function candidate(bundle: CandidateBundleFiles | undefined): Record<string, unknown> | null {
  if (bundle === undefined) return null;
  return { hash: bundleHash(new Map(Object.entries(bundle.files))), files: Object.keys(bundle.files).sort() };
}

export function evaluationParameters(body: EvaluateRequest): Record<string, unknown> {
  const { bundle, ...question } = body;
  // The hypothetical request is masked like a real one (no PEM or key material on the trail).
  const { input } = question;
  return {
    ...question,
    ...(question.request ? { request: maskRequestParameters(question.request) } : {}),
    ...(input ? { input: { ...input, request: maskRequestParameters(input.request) } } : {}),
    candidateBundle: candidate(bundle),
  };
}

export function simulationParameters(body: SimulateRequest): Record<string, unknown> {
  const { bundle, ...question } = body;
  return { ...question, candidateBundle: candidate(bundle) };
}
