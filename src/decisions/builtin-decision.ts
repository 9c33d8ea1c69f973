/**
 * Decisions made by certguard itself rather than by the rule files: preconditions (the resource exists and is the
 * caller's, the caller may write) and the certificate state machine. They take the same shape as a rule-file
 * decision, with rule ids prefixed `certguard.`, so the response, the audit row and the span explain them the same way.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorType, ServiceError } from '../errors.ts';
import { isErrorType } from '../errors.ts';
import type { Decision, RuleOutcome } from '../rules/engine/decision.ts';
import type { PolicyBundle } from '../rules/engine/policy-bundle.ts';

export const BUILTIN_RULE_PREFIX = 'certguard.';

function builtinOutcome(ruleId: string, error: ServiceError): RuleOutcome {
  const errorType: ErrorType = isErrorType(error.errorType) ? error.errorType : 'InvalidRequestException';
  return { id: BUILTIN_RULE_PREFIX + ruleId, outcome: 'fail', action: 'enforce', message: error.message, errorType };
}

/** A denial decided before any rule ran (e.g. the certificate does not exist): the operation's rules are `skipped`. */
export function builtinDenial(operation: string, bundle: PolicyBundle, ruleId: string, error: ServiceError): Decision {
  const outcome = builtinOutcome(ruleId, error);
  const skipped: RuleOutcome[] = bundle.rulesFor(operation).map((rule) => ({ id: rule.id, outcome: 'skipped', action: rule.action }));
  return {
    decisionId: randomUUID(),
    operation,
    allowed: false,
    rules: [...skipped, outcome],
    policy: bundle.reference(),
    failingRuleId: outcome.id,
    errorType: outcome.errorType,
    message: error.message,
    warnings: [],
  };
}

/** The rules allowed it, but a built-in invariant (e.g. the state machine) refuses: append that outcome. */
export function withBuiltinFailure(decision: Decision, ruleId: string, error: ServiceError): Decision {
  const outcome = builtinOutcome(ruleId, error);
  return {
    ...decision,
    allowed: false,
    rules: [...decision.rules, outcome],
    failingRuleId: outcome.id,
    errorType: outcome.errorType,
    message: error.message,
  };
}
