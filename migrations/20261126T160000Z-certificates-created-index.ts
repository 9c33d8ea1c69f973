import type { Kysely } from 'kysely';

/** ListCertificates for an auditor spans every account: it pages by (created_at, certificate_id) alone. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('certificates_created').on('certificates').columns(['created_at', 'certificate_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
