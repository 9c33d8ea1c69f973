/** Compares a decision with what a policy test case expects; each mismatch becomes one readable failure line. */
import type { Decision, RuleOutcome } from '../engine/decision.ts';
import type { PolicyTestExpectation } from './policy-test-expect.ts';

export function checkDecision(expect: PolicyTestExpectation, decision: Decision): string[] {
  const failures: string[] = [];
  if (decision.allowed !== expect.allowed) failures.push(describeAllowed(expect.allowed, decision));
  if (expect.failingRule !== undefined && decision.failingRuleId !== expect.failingRule) {
    failures.push(`failingRule: expected "${expect.failingRule}", got ${quoted(decision.failingRuleId)}`);
  }
  if (expect.errorType !== undefined && decision.errorType !== expect.errorType) {
    failures.push(`errorType: expected ${expect.errorType}, got ${decision.errorType ?? 'none'}`);
  }
  if (expect.message !== undefined && !decision.message?.includes(expect.message)) {
    failures.push(`message: expected it to contain ${JSON.stringify(expect.message)}, got ${quoted(decision.message)}`);
  }
  for (const [id, expected] of expect.rules) {
    const actual = decision.rules.find((outcome) => outcome.id === id);
    if (actual?.outcome !== expected) failures.push(`rule "${id}": expected ${expected}, got ${describeOutcome(actual)}`);
  }
  const warningFailure = checkWarnings(expect.warnings, decision);
  if (warningFailure) failures.push(warningFailure);
  failures.push(...unrenderedMessages(decision));
  return failures;
}

function describeAllowed(expected: boolean, decision: Decision): string {
  return expected ? `allowed: expected true, got false (${decision.message ?? 'no message'})` : 'allowed: expected false, got true';
}

function describeOutcome(outcome: RuleOutcome | undefined): string {
  if (!outcome) return 'no outcome';
  if (outcome.outcome === 'error') return `error (${outcome.error ?? outcome.message ?? 'unknown'})`;
  return outcome.outcome === 'fail' ? `fail (${outcome.message ?? ''})` : outcome.outcome;
}

/** Rule ids of the warn rules that failed or errored, in file order: what `decision.warnings` is made of. */
export function warningRuleIds(decision: Decision): string[] {
  return decision.rules.filter((outcome) => outcome.action === 'warn' && outcome.outcome !== 'pass').map((outcome) => outcome.id);
}

function checkWarnings(expected: PolicyTestExpectation['warnings'], decision: Decision): string | undefined {
  if (expected === undefined) return undefined;
  const actual = warningRuleIds(decision);
  if (typeof expected === 'number') {
    return actual.length === expected ? undefined : `warnings: expected ${expected}, got ${actual.length} [${actual.join(', ')}]`;
  }
  const sortedActual = [...actual].sort();
  const same = expected.length === actual.length && [...expected].sort().every((id, i) => id === sortedActual[i]);
  return same ? undefined : `warnings: expected [${expected.join(', ')}], got [${actual.join(', ')}]`;
}

/**
 * A failing rule whose messageExpression threw still fails (the engine says so in its message), so no outcome
 * check notices. A test run is the place to catch it: the client would get an unhelpful message.
 */
function unrenderedMessages(decision: Decision): string[] {
  return decision.rules
    .filter((outcome) => outcome.outcome === 'fail' && outcome.message?.startsWith(`Rule ${outcome.id} failed (its messageExpression could not be rendered`))
    .map((outcome) => `rule "${outcome.id}": ${outcome.message}`);
}

function quoted(value: string | undefined): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
