/**
 * Replaying one recorded decision against a candidate bundle, from the input its rules saw (audit row
 * `policy_input`). What counts as a change: allowed differs, or both deny but a different rule decides.
 */
import { BUILTIN_RULE_PREFIX } from '../../decisions/builtin-decision.ts';
import type { PolicyBundle } from '../engine/policy-bundle.ts';
import type { RecordedDecision } from './policy-api.repository.ts';
import { parseStoredJson, policyInputFromJson, type PolicyInputJson } from './policy-input-json.ts';

export interface ReplayedOutcome {
  allowed: boolean;
  failingRuleId?: string;
  errorType?: string;
  message?: string;
}

export interface Replay {
  before: ReplayedOutcome;
  after: ReplayedOutcome;
  changed: boolean;
}

/**
 * undefined when the row cannot be replayed: it has no recorded input because no rule ran (a built-in check
 * refused first: unknown or foreign certificate, no operator role, throttled, failed attempt) or because it
 * predates recorded inputs. A built-in refusal does not depend on the rules, so no bundle would change it.
 */
export function replayDecision(candidate: PolicyBundle, row: RecordedDecision): Replay | undefined {
  if (row.policyInput === null || row.policyInput === undefined) return undefined;
  const input = policyInputFromJson(parseStoredJson<PolicyInputJson>(row.policyInput), row.eventTime);
  const decision = candidate.evaluate(row.operation, input);
  const before: ReplayedOutcome = {
    allowed: row.decision === 'ALLOW',
    ...(row.failingRuleId !== null && { failingRuleId: row.failingRuleId }),
  };
  // The rules allowed and a built-in invariant (the state machine) refused. It depends only on the recorded
  // state, so it refuses again unless the candidate's rules deny first (invariants run only when rules allow).
  if (decision.allowed && before.failingRuleId?.startsWith(BUILTIN_RULE_PREFIX)) return { before, after: before, changed: false };
  const after: ReplayedOutcome = {
    allowed: decision.allowed,
    ...(decision.failingRuleId !== undefined && { failingRuleId: decision.failingRuleId }),
    ...(decision.errorType !== undefined && { errorType: decision.errorType }),
    ...(decision.message !== undefined && { message: decision.message }),
  };
  const changed = before.allowed !== after.allowed || (!after.allowed && before.failingRuleId !== after.failingRuleId);
  return { before, after, changed };
}
