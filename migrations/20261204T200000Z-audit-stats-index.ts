import { sql, type Kysely } from 'kysely';

/**
 * The console's indexes. A covering index for GET /v1/audit/stats (src/audit/query/audit-stats.ts, the console's chart): the counts per
 * interval of a time range read only this index (an index-only scan once autovacuum has marked the pages visible),
 * not the ~2 kB rows. On 1M rows a 24-hour chart otherwise reads the whole heap (3 s); see docs/console.md.
 * One more index for every audit insert to update. Plain CREATE INDEX (migrations run in a transaction): on an
 * existing large table it blocks audit inserts while it builds, so run it in a maintenance window.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The console's request-id filter (GET /v1/audit/events?requestId=): one index range, like every other filter.
  await sql`CREATE INDEX audit_events_request ON audit_events (request_id, sequence) WHERE request_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX audit_events_stats ON audit_events (event_time) INCLUDE (event_type, decision, operation, failing_rule_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
