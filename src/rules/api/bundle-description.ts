/**
 * What GET /v1/policy says about a bundle: identity, every rule as written (with where), and its params.
 * Times are ISO 8601, as in the rest of /v1 (epoch seconds are for the AWS wire, whose SDKs need them).
 */
import path from 'node:path';
import type { CompiledRule, PolicyBundle } from '../engine/policy-bundle.ts';
import { toJsonValue } from './json-value.ts';

export function describeBundle(bundle: PolicyBundle, activatedAt: Date | undefined) {
  return {
    ...bundle.reference(),
    ...(bundle.description !== undefined && { description: bundle.description }),
    ...(activatedAt !== undefined && { activatedAt: activatedAt.toISOString() }),
    operations: bundle.operations().map((operation) => ({ operation, rules: bundle.rulesFor(operation).map(describeRule) })),
    params: toJsonValue(bundle.params),
  };
}

function describeRule(rule: CompiledRule) {
  return {
    id: rule.id,
    ...(rule.description !== undefined && { description: rule.description }),
    expression: rule.expression,
    ...(rule.message !== undefined && { message: rule.message }),
    ...(rule.messageExpression !== undefined && { messageExpression: rule.messageExpression }),
    errorType: rule.errorType,
    action: rule.action,
    // Rule files sit at the top of the bundle, so the base name is the file within it wherever it was loaded from.
    source: { file: path.basename(rule.source.file), line: rule.source.line, column: rule.source.column },
  };
}
