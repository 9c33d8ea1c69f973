import { randomUUID } from 'node:crypto';
import type { CompiledOperation } from './bundle-reader.ts';
import type { Decision, PolicyReference, RuleOutcome } from './decision.ts';
import { toCelContext, type PolicyInput } from './policy-input.ts';
import type { CompiledRule } from './rule-compiler.ts';

export interface BundleIdentity {
  readonly policy: PolicyReference;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * Runs every rule of the operation in file order and decides. Never throws: a rule that cannot be evaluated
 * is an `error` outcome, and an erroring enforce rule denies (fail closed).
 */
export function evaluateOperation(bundle: BundleIdentity, operation: string, compiled: CompiledOperation | undefined, input: PolicyInput): Decision {
  const decision: Decision = {
    decisionId: randomUUID(),
    operation,
    allowed: true,
    rules: [],
    policy: bundle.policy,
    warnings: [],
  };
  if (!compiled || compiled.rules.length === 0) return decision;

  const run = contextRunner(compiled, input, bundle.params);
  for (const rule of compiled.rules) {
    const outcome = run(rule);
    decision.rules.push(outcome);
    if (outcome.outcome === 'pass') continue;
    if (rule.action === 'warn') decision.warnings.push(`[${rule.id}] ${outcome.message}`);
    if (rule.action === 'enforce' && decision.allowed) {
      decision.allowed = false;
      decision.failingRuleId = rule.id;
      decision.errorType = rule.errorType;
      decision.message = `[${rule.id}] ${outcome.message}`;
    }
  }
  return decision;
}

/** Converts the input once for all rules; input that cannot be converted makes every rule an error. */
function contextRunner(compiled: CompiledOperation, input: PolicyInput, params: Readonly<Record<string, unknown>>): (rule: CompiledRule) => RuleOutcome {
  try {
    const context = toCelContext(compiled.environment, input, params);
    return (rule) => runRule(rule, context);
  } catch (error) {
    const reason = `the input could not be converted: ${describeError(error)}`;
    return (rule) => errored(rule, reason);
  }
}

function runRule(rule: CompiledRule, context: Record<string, unknown>): RuleOutcome {
  let result: unknown;
  try {
    result = rule.test(context);
  } catch (error) {
    return errored(rule, describeError(error));
  }
  if (result === true) return { id: rule.id, outcome: 'pass', action: rule.action };
  if (result !== false) return errored(rule, `expression returned ${String(result)}, not a bool`);
  const message = renderMessage(rule, context);
  return { id: rule.id, outcome: 'fail', action: rule.action, message, errorType: rule.errorType };
}

/** The rule's own message would claim something that was never established, so an error says what happened. */
function errored(rule: CompiledRule, error: string): RuleOutcome {
  return {
    id: rule.id,
    outcome: 'error',
    action: rule.action,
    message: `The guard rule could not be evaluated: ${error}`,
    errorType: rule.errorType,
    error,
  };
}

function renderMessage(rule: CompiledRule, context: Record<string, unknown>): string {
  try {
    return rule.render(context);
  } catch (error) {
    return `Rule ${rule.id} failed (its messageExpression could not be rendered: ${describeError(error)})`;
  }
}

/** cel-js errors carry a one-line `summary`; their `message` adds a multi-line source excerpt. */
function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const { summary, message } = error as { summary?: unknown; message?: unknown };
    if (typeof summary === 'string') return summary;
    if (typeof message === 'string') return message;
  }
  return String(error);
}
