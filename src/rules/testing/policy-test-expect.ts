/**
 * The `expect` of a policy test case. Rule ids are checked against the operation's rules when the file is read,
 * so a renamed rule breaks its cases loudly instead of making them vacuous.
 */
import { isScalar, isSeq } from 'yaml';
import { isErrorType, type ErrorType } from '../../errors.ts';
import type { CompiledRule } from '../engine/rule-compiler.ts';
import { openMapping, optionalText, requiredBool } from './policy-test-yaml.ts';
import { YamlObject } from '../engine/yaml-object.ts';
import { isStringScalar } from '../engine/yaml-source.ts';

/** Outcomes a case can expect. `skipped` never happens here: only the service's built-in checks skip rules. */
export type ExpectedRuleOutcome = 'pass' | 'fail' | 'error';
const RULE_OUTCOMES: readonly ExpectedRuleOutcome[] = ['pass', 'fail', 'error'];

export interface PolicyTestExpectation {
  allowed: boolean;
  failingRule?: string;
  errorType?: ErrorType;
  /** Outcome per rule id, for the rules the case cares about. */
  rules: ReadonlyMap<string, ExpectedRuleOutcome>;
  /** How many warn rules failed or errored, or exactly which ones. */
  warnings?: number | readonly string[];
  /** A substring of the decision's message. */
  message?: string;
}

const EXPECT_KEYS = ['allowed', 'failingRule', 'errorType', 'rules', 'warnings', 'message'];

export function readExpectation(caseObject: YamlObject, operation: string, rules: readonly CompiledRule[]): PolicyTestExpectation {
  if (!caseObject.has('expect')) throw caseObject.error('missing required key "expect"');
  const expect = YamlObject.from(caseObject.file, caseObject.raw('expect'), 'expect', EXPECT_KEYS);
  const allowed = requiredBool(expect, 'allowed', 'expect.allowed');
  const ruleOf = ruleFinder(expect, operation, rules);
  const expectation: PolicyTestExpectation = { allowed, rules: readRuleOutcomes(expect, ruleOf) };

  const denialKeys = ['failingRule', 'errorType', 'message'].filter((key) => expect.has(key));
  if (allowed && denialKeys.length > 0) {
    throw expect.error(`expect.${denialKeys[0]}: only an expected denial (allowed: false) has one`, expect.raw(denialKeys[0]!));
  }
  const failingRule = optionalText(expect, 'failingRule', 'expect.failingRule');
  if (failingRule !== undefined) {
    const rule = ruleOf(failingRule, expect.raw('failingRule'), 'expect.failingRule');
    if (rule.action !== 'enforce')
      throw expect.error(`expect.failingRule: "${failingRule}" is a ${rule.action} rule; only an enforce rule denies`, expect.raw('failingRule'));
    expectation.failingRule = failingRule;
  }
  const errorType = optionalText(expect, 'errorType', 'expect.errorType');
  if (errorType !== undefined) {
    if (!isErrorType(errorType)) throw expect.error(`expect.errorType: unknown error type "${errorType}"`, expect.raw('errorType'));
    expectation.errorType = errorType;
  }
  const message = optionalText(expect, 'message', 'expect.message');
  if (message !== undefined) expectation.message = message;
  const warnings = readWarnings(expect, ruleOf);
  if (warnings !== undefined) expectation.warnings = warnings;
  return expectation;
}

type RuleFinder = (id: string, node: unknown, what: string) => CompiledRule;

function ruleFinder(expect: YamlObject, operation: string, rules: readonly CompiledRule[]): RuleFinder {
  return (id, node, what) => {
    const rule = rules.find((candidate) => candidate.id === id);
    if (rule) return rule;
    const known = rules.map((candidate) => candidate.id).join(', ') || 'none';
    throw expect.error(`${what}: "${id}" is not a rule of ${operation} (rules: ${known})`, node);
  };
}

function readRuleOutcomes(expect: YamlObject, ruleOf: RuleFinder): Map<string, ExpectedRuleOutcome> {
  const outcomes = new Map<string, ExpectedRuleOutcome>();
  for (const { key, keyNode, value } of openMapping(expect, 'rules', 'expect.rules') ?? []) {
    ruleOf(key, keyNode, 'expect.rules');
    const outcome = RULE_OUTCOMES.find((candidate) => isScalar(value) && candidate === value.value);
    if (!outcome) {
      const skipped = isScalar(value) && value.value === 'skipped' ? ' (skipped only happens in the service, never in a policy test)' : '';
      throw expect.error(`expect.rules.${key}: must be one of ${RULE_OUTCOMES.join(', ')}${skipped}`, value);
    }
    outcomes.set(key, outcome);
  }
  return outcomes;
}

function readWarnings(expect: YamlObject, ruleOf: RuleFinder): number | string[] | undefined {
  if (!expect.has('warnings')) return undefined;
  const node = expect.raw('warnings');
  if (isScalar(node) && typeof node.value === 'bigint' && node.value >= 0n) return Number(node.value);
  if (!isSeq(node)) throw expect.error('expect.warnings: must be a count (0, 1, ...) or a list of warn rule ids', node);
  return node.items.map((item) => {
    if (!isStringScalar(item)) throw expect.error('expect.warnings: every item must be a rule id', item);
    const rule = ruleOf(item.value, item, 'expect.warnings');
    if (rule.action !== 'warn') throw expect.error(`expect.warnings: "${item.value}" is a ${rule.action} rule; only warn rules give warnings`, item);
    return item.value;
  });
}
