import { type Kysely, sql } from 'kysely';

/**
 * Policy versioning: every rule bundle ever activated is kept by its content hash, and every decision records
 * the hash of the bundle that made it and the exact input its rules saw, so any past decision can be
 * re-evaluated (POST /v1/policy/simulate) against another bundle.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policy_bundles')
    .addColumn('hash', 'char(64)', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('revision', 'text', (c) => c.notNull())
    .addColumn('files', 'jsonb', (c) => c.notNull())
    .addColumn('first_activated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.alterTable('audit_events').addColumn('policy_hash', 'char(64)').execute();
  await db.schema.alterTable('audit_events').addColumn('policy_input', 'jsonb').execute();
  await db.schema.createIndex('audit_events_policy_hash').on('audit_events').columns(['policy_hash', 'sequence']).execute();
  // Finds the last PolicyActivated event (and other administrative events) without scanning the decisions.
  await db.schema.createIndex('audit_events_event_type').on('audit_events').columns(['event_type', 'sequence']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
