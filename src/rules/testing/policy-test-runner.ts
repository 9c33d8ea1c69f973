/**
 * Runs a bundle's own test cases against it (no database, no service): each case's input is decided exactly as
 * the service would decide it, and the decision is compared with the case's expectations.
 */
import { environmentFor } from '../engine/cel-environment.ts';
import type { Decision } from '../engine/decision.ts';
import type { PolicyBundle } from '../engine/policy-bundle.ts';
import { evaluateOperation } from '../engine/policy-evaluator.ts';
import { loadPolicyTests, type PolicyTestCase } from './policy-test-case.ts';
import { checkDecision } from './policy-test-check.ts';
import type { PolicyTestCaseResult, PolicyTestReport, RuleCoverageEntry } from './policy-test-report.ts';

export interface PolicyTestOptions {
  /** Only the cases whose name or operation this matches (`certguard policy test --run`). */
  run?: RegExp;
}

/**
 * Loads `testsDir` (default `<bundle.dir>/tests`; missing = no cases) and runs every case. A malformed case
 * file throws a PolicyLoadError; a case whose expectations are not met is a failed case in the report.
 */
export async function runPolicyTests(bundle: PolicyBundle, testsDir?: string, options: PolicyTestOptions = {}): Promise<PolicyTestReport> {
  return runPolicyTestCases(bundle, await loadPolicyTests(bundle, testsDir), options);
}

export function runPolicyTestCases(bundle: PolicyBundle, cases: readonly PolicyTestCase[], options: PolicyTestOptions = {}): PolicyTestReport {
  const coverage = new RuleCoverage();
  const selected = options.run === undefined ? cases : cases.filter((c) => options.run!.test(c.name) || options.run!.test(c.operation));
  const results: PolicyTestCaseResult[] = selected.map((testCase) => {
    const decision = decide(bundle, testCase);
    coverage.record(decision);
    const failures = checkDecision(testCase.expect, decision);
    return {
      file: testCase.file,
      name: testCase.name,
      operation: testCase.operation,
      passed: failures.length === 0,
      failures,
      allowed: decision.allowed,
      ...(decision.failingRuleId === undefined ? {} : { failingRuleId: decision.failingRuleId }),
      rules: decision.rules.map((outcome) => ({ id: outcome.id, outcome: outcome.outcome })),
    };
  });
  const passed = results.filter((result) => result.passed).length;
  return {
    cases: results,
    passed,
    failed: results.length - passed,
    skipped: cases.length - selected.length,
    unexercisedRules: coverage.unexercised(bundle),
    coverage: coverage.entries(bundle),
  };
}

/** The bundle's own decision, or, for a case with `params`, the same rules with those keys replaced. */
export function decide(bundle: PolicyBundle, testCase: PolicyTestCase): Decision {
  const { operation, input, params } = testCase;
  if (params === undefined || bundle.rulesFor(operation).length === 0) return bundle.evaluate(operation, input);
  // The bundle's compiled rules run in the process-wide environment of their operation (cel-environment.ts caches it).
  const environment = environmentFor(operation)!;
  const identity = { policy: bundle.reference(), params: { ...bundle.params, ...params } };
  return evaluateOperation(identity, operation, { environment, rules: bundle.rulesFor(operation) }, input);
}

/**
 * Which rules some case saw pass and which some case saw fail or error (whether or not that case passed), and
 * how many cases saw each outcome of each rule: the coverage `--coverage` reports (per rule, not per branch of
 * its CEL expression — CEL evaluation does not say which sub-expressions ran).
 */
class RuleCoverage {
  readonly #passed = new Set<string>();
  readonly #failed = new Set<string>();
  readonly #counts = new Map<string, Record<'pass' | 'fail' | 'error' | 'skipped', number>>();

  record(decision: Decision): void {
    for (const outcome of decision.rules) {
      const key = `${decision.operation}\u0000${outcome.id}`;
      if (outcome.outcome === 'pass') this.#passed.add(key);
      if (outcome.outcome === 'fail' || outcome.outcome === 'error') this.#failed.add(key);
      const counts = this.#counts.get(key) ?? { pass: 0, fail: 0, error: 0, skipped: 0 };
      counts[outcome.outcome] += 1;
      this.#counts.set(key, counts);
    }
  }

  entries(bundle: PolicyBundle): RuleCoverageEntry[] {
    return bundle.operations().flatMap((operation) =>
      bundle.rulesFor(operation).map((rule) => {
        const key = `${operation}\u0000${rule.id}`;
        const counts = this.#counts.get(key) ?? { pass: 0, fail: 0, error: 0, skipped: 0 };
        return { operation, ruleId: rule.id, ...counts, covered: this.#passed.has(key) && this.#failed.has(key) };
      }),
    );
  }

  unexercised(bundle: PolicyBundle): PolicyTestReport['unexercisedRules'] {
    return bundle.operations().flatMap((operation) =>
      bundle
        .rulesFor(operation)
        .filter((rule) => {
          const key = `${operation}\u0000${rule.id}`;
          return !this.#passed.has(key) || !this.#failed.has(key);
        })
        .map((rule) => ({ operation, ruleId: rule.id })),
    );
  }
}
