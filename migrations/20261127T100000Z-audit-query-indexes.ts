import type { Kysely } from 'kysely';

/**
 * Indexes for GET /v1/audit/events and /v1/audit/export (src/audit/query/). Every equality filter has an index
 * on (column, sequence), so "newest N matching events" (and each keyset page after a cursor) is one index range
 * read in sequence order, however many millions of rows the table holds; time windows page by (event_time,
 * sequence). Already present: event_time (now covered by (event_time, sequence) too),
 * (certificate_id, sequence), (policy_hash, sequence), (event_type, sequence). Columns that are often NULL
 * (administrative events, allowed decisions) get partial indexes: `column = $1` implies `column IS NOT NULL`.
 * Plain CREATE INDEX (migrations run in a transaction): on an existing large table it blocks audit inserts
 * while it builds, so run it in a maintenance window; bench/audit-export.bench.ts checks the plans at 1M rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('audit_events_caller_account')
    .on('audit_events')
    .columns(['caller_account_id', 'sequence'])
    .where('caller_account_id', 'is not', null)
    .execute();
  await db.schema.createIndex('audit_events_operation').on('audit_events').columns(['operation', 'sequence']).execute();
  await db.schema.createIndex('audit_events_decision').on('audit_events').columns(['decision', 'sequence']).execute();
  await db.schema
    .createIndex('audit_events_target_account')
    .on('audit_events')
    .columns(['target_account_id', 'sequence'])
    .where('target_account_id', 'is not', null)
    .execute();
  await db.schema
    .createIndex('audit_events_failing_rule')
    .on('audit_events')
    .columns(['failing_rule_id', 'sequence'])
    .where('failing_rule_id', 'is not', null)
    .execute();
  await db.schema.createIndex('audit_events_trace').on('audit_events').columns(['trace_id', 'sequence']).where('trace_id', 'is not', null).execute();
  // Queries with from/to page by (event_time, sequence): any window of time is one range of this index.
  await db.schema.createIndex('audit_events_time_sequence').on('audit_events').columns(['event_time', 'sequence']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
