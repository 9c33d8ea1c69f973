import { type Kysely, sql } from 'kysely';

/**
 * The version a guarded decision was made on (docs/architecture.md, "The request path"). Decisions read a certificate
 * without locking it, evaluate the rules, and apply an allowed change in one statement only while row_version is
 * still the one they read; every change to the certificate or to its policy attachments bumps it. Not
 * customer_version: that is AWS's visible counter, which attaching a policy does not move.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE certificates ADD COLUMN row_version bigint NOT NULL DEFAULT 1`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
