/**
 * POST /v1/policy/simulate: which of the last N recorded decisions would a candidate bundle decide otherwise?
 * Read-only: the audit rows are replayed in memory, nothing is written.
 */
import type { PolicyApiContext } from './policy-api-context.ts';
import type { components } from '../../request/api-types.generated.ts';
import { loadCandidateBundle } from './candidate-bundle.ts';
import { replayDecision, type ReplayedOutcome } from './decision-replay.ts';
import { knownOperationSchema } from './operation-name.ts';
import { recentDecisions, type RecordedDecision } from './policy-api.repository.ts';

/**
 * The request body, as the contract gives it. `limit` is required here because the contract gives it a default
 * (100), which the validator fills in before the route reads the body.
 */
export type SimulateRequest = components['schemas']['PolicySimulateRequest'];

export interface DecisionChange {
  eventId: string;
  sequence: string;
  operation: string;
  /** ISO 8601, as GET /v1/audit/events shows it (to the millisecond). */
  eventTime: string;
  before: Pick<ReplayedOutcome, 'allowed' | 'failingRuleId'>;
  after: ReplayedOutcome;
}

export async function simulatePolicy(ctx: PolicyApiContext, body: SimulateRequest) {
  if (body.operation !== undefined) knownOperationSchema(body.operation);
  const candidate = await loadCandidateBundle(body.bundle);
  const rows = await recentDecisions(ctx.db, {
    limit: body.limit,
    ...(body.operation !== undefined && { operation: body.operation }),
  });
  const report = { candidate: candidate.reference(), evaluated: 0, changed: 0, unchanged: 0, skipped: 0, changes: [] as DecisionChange[] };
  for (const row of rows) {
    const replay = replayDecision(candidate, row);
    if (!replay) {
      report.skipped++;
      continue;
    }
    report.evaluated++;
    if (!replay.changed) {
      report.unchanged++;
      continue;
    }
    report.changed++;
    report.changes.push(changeOf(row, replay.before, replay.after));
  }
  return report;
}

function changeOf(row: RecordedDecision, before: ReplayedOutcome, after: ReplayedOutcome): DecisionChange {
  return {
    eventId: row.eventId,
    sequence: row.sequence,
    operation: row.operation,
    eventTime: row.eventTime.toISOString(),
    before: { allowed: before.allowed, ...(before.failingRuleId !== undefined && { failingRuleId: before.failingRuleId }) },
    after,
  };
}
