/**
 * Decision metrics: how many decisions of each kind, which rules fail, how long deciding takes. Recorded by
 * decision-span.ts when a decision span ends, so every guarded operation is counted exactly once.
 *
 * Labels are low-cardinality on purpose: operation names, rule ids (bounded by the rule files) and small
 * enums. Certificate ids, account ids, decision ids and audit ids are never labels — they stay on the span,
 * where a trace backend (or the Collector's spanmetrics connector, for a chosen few) can aggregate them.
 */
import type { Attributes } from '@opentelemetry/api';
import type { Decision, RuleAction } from '../rules/engine/decision.ts';
import { perMeterProvider } from './certguard-meter.ts';
import { talliedCounter } from './tallied-counter.ts';

export type DecisionOutcome = 'allow' | 'deny' | 'error';

/** failing_id label value when no rule failed (an allow, or a failure before any decision). */
export const NO_FAILING_RULE = 'none';

/**
 * Seconds, the unit OpenTelemetry's semantic conventions and Prometheus use for durations (the series is
 * certguard_decision_duration_seconds_*). A decision is one database transaction, ~1–5 ms on a healthy Postgres,
 * seconds when it is not.
 */
export const DECISION_DURATION_BUCKETS_S: readonly number[] = [
  0.0005, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

const instruments = perMeterProvider((meter) => ({
  // Tallied (tallied-counter.ts): exported as counters, without the SDK's per-measurement label hashing.
  decisions: talliedCounter(meter, 'certguard.decisions', { description: 'Guarded operations decided', unit: '{decision}' }),
  ruleEvaluations: talliedCounter(meter, 'certguard.rule.evaluations', {
    description: 'Rules evaluated (rules skipped because a built-in check refused first are not counted)',
    unit: '{evaluation}',
  }),
  duration: meter.createHistogram('certguard.decision.duration', {
    description: 'Time to decide one guarded operation: load, rules, change and audit append, in one transaction',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DECISION_DURATION_BUCKETS_S] },
  }),
}));

/** Creates the instruments on the meter provider registered now (called right after the SDK starts). */
export function registerDecisionMetrics(): void {
  instruments();
}

/**
 * Under which rule action the outcome stands: a denial is always `enforce` (only enforce rules deny); an allow is
 * `warn` when a warn rule failed (the caller got a warning), `audit` when only audit rules failed (a rule on
 * trial objected), and `enforce` when no rule failed.
 */
export function decisionMode(decision: Decision): RuleAction {
  if (!decision.allowed) return 'enforce';
  const objected = decision.rules.filter((rule) => rule.outcome === 'fail' || rule.outcome === 'error');
  if (objected.some((rule) => rule.action === 'warn')) return 'warn';
  return objected.some((rule) => rule.action === 'audit') ? 'audit' : 'enforce';
}

/** The labels of certguard.decisions; `decision` is undefined when certguard failed before deciding. */
export function decisionMetricAttributes(operation: string, outcome: DecisionOutcome, decision: Decision | undefined): Attributes {
  return {
    'certguard.operation': operation,
    'certguard.decision': outcome,
    'certguard.rule.failing_id': decision?.failingRuleId ?? NO_FAILING_RULE,
    'certguard.decision.mode': decision ? decisionMode(decision) : 'enforce',
  };
}

export interface DecisionMeasurement {
  operation: string;
  outcome: DecisionOutcome;
  decision: Decision | undefined;
  /** Measured in milliseconds (performance.now()); recorded in seconds. */
  durationMs: number;
}

export function recordDecisionMetrics({ operation, outcome, decision, durationMs }: DecisionMeasurement): void {
  const { decisions, ruleEvaluations, duration } = instruments();
  const failingRuleId = decision?.failingRuleId ?? NO_FAILING_RULE;
  const mode = decision ? decisionMode(decision) : 'enforce';
  decisions.increment(`${operation}\u0000${outcome}\u0000${failingRuleId}\u0000${mode}`, () => decisionMetricAttributes(operation, outcome, decision));
  duration.record(durationMs / 1000, { 'certguard.operation': operation, 'certguard.decision': outcome });
  for (const rule of decision?.rules ?? []) {
    if (rule.outcome === 'skipped') continue;
    ruleEvaluations.increment(`${operation}\u0000${rule.id}\u0000${rule.outcome}\u0000${rule.action}`, () => ({
      'certguard.operation': operation,
      'certguard.rule.id': rule.id,
      'certguard.rule.outcome': rule.outcome,
      'certguard.rule.action': rule.action,
    }));
  }
}
