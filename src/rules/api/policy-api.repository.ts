/** The audit-trail reads behind /v1/policy. Read-only: nothing here locks or writes. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** When the bundle with this content hash was last activated against this database (its PolicyActivated event). */
export async function lastActivationTime(db: Executor, hash: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('audit_events')
    .select('event_time')
    .where('event_type', '=', 'PolicyActivated')
    .where('policy_hash', '=', hash)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.event_time) : undefined;
}

export interface RecordedDecision {
  eventId: string;
  sequence: string;
  operation: string;
  eventTime: Date;
  /** ALLOW, DENY or ERROR. */
  decision: string;
  failingRuleId: string | null;
  /** What the rules saw (JSON), or null when no rule ran (refused by a built-in check first). */
  policyInput: unknown;
}

/** The most recent decisions, newest first, optionally of one operation. */
export async function recentDecisions(db: Executor, query: { limit: number; operation?: string }): Promise<RecordedDecision[]> {
  let select = db
    .selectFrom('audit_events')
    .select(['event_id', 'sequence', 'operation', 'event_time', 'decision', 'failing_rule_id', 'policy_input'])
    .where('event_type', '=', 'Decision');
  if (query.operation !== undefined) select = select.where('operation', '=', query.operation);
  const rows = await select.orderBy('sequence', 'desc').limit(query.limit).execute();
  return rows.map((row) => ({
    eventId: row.event_id,
    sequence: String(row.sequence),
    operation: row.operation,
    eventTime: new Date(row.event_time),
    decision: row.decision,
    failingRuleId: row.failing_rule_id,
    policyInput: row.policy_input,
  }));
}
