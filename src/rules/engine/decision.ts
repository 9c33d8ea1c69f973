import type { ErrorType } from '../../errors.ts';

/**
 * `error` means the expression could not be evaluated (e.g. index out of range); an enforce rule that errors denies.
 * `skipped` means the rule never ran, because a built-in check refused the request first (e.g. unknown certificate).
 */
export type RuleOutcomeKind = 'pass' | 'fail' | 'error' | 'skipped';

/** enforce: a failure denies. warn: recorded and listed in `warnings`. audit: recorded only. */
export type RuleAction = 'enforce' | 'warn' | 'audit';

export const RULE_ACTIONS: readonly RuleAction[] = ['enforce', 'warn', 'audit'];

export interface RuleOutcome {
  id: string;
  outcome: RuleOutcomeKind;
  action: RuleAction;
  /** Rendered message, for fail/error. */
  message?: string;
  errorType?: ErrorType;
  /** Evaluation error text, for error. */
  error?: string;
}

/** The bundle a decision was made with: its name, revision and content hash. */
export interface PolicyReference {
  name: string;
  revision: string;
  hash: string;
}

/**
 * The result of guarding one operation. It is plain data so the same object can become the client's error,
 * the audit row and the span attributes without any of them disagreeing.
 */
export interface Decision {
  decisionId: string;
  operation: string;
  allowed: boolean;
  /** Every rule of the operation, in file order. */
  rules: RuleOutcome[];
  policy: PolicyReference;
  /** First failing or erroring enforce rule, in file order. */
  failingRuleId?: string;
  /** That rule's own errorType (an erroring rule denies with it too: fail closed). */
  errorType?: ErrorType;
  /** That rule's rendered message, prefixed with its id: "[certificate-not-active] ...". */
  message?: string;
  /** Rendered messages of failing (or erroring) warn rules, each prefixed with the rule id. */
  warnings: string[];
}
