import type { Kysely } from 'kysely';

/**
 * How the last transfer of a certificate ended (ACCEPTED, REJECTED or CANCELLED; null while pending or when there
 * was none), so a further Accept/Reject/Cancel can answer TransferAlreadyCompletedException and say which.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('certificates').addColumn('transfer_outcome', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
