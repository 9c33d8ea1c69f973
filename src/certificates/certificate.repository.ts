/** SQL for certificates and the policies attached to them. Every function takes the executor first. */
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { CertificatesTable, DB } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;
export type CertificateRow = Selectable<CertificatesTable>;

export async function findCertificate(db: Executor, certificateId: string): Promise<CertificateRow | undefined> {
  return db.selectFrom('certificates').selectAll().where('certificate_id', '=', certificateId).executeTakeFirst();
}

/** Locks the row until the transaction ends, so concurrent decisions on one certificate run one after another. */
export async function findCertificateForUpdate(db: Transaction<DB>, certificateId: string): Promise<CertificateRow | undefined> {
  return db.selectFrom('certificates').selectAll().where('certificate_id', '=', certificateId).forUpdate().executeTakeFirst();
}

export async function insertCertificate(db: Executor, row: Insertable<CertificatesTable>): Promise<void> {
  await db.insertInto('certificates').values(row).execute();
}

/** Applies a change and bumps customer_version and last_modified_at, as AWS does on every modification. */
export async function updateCertificate(
  db: Executor,
  certificateId: string,
  change: Updateable<CertificatesTable>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('certificates')
    .set((eb) => ({ ...change, last_modified_at: now, customer_version: eb('customer_version', '+', 1) }))
    .where('certificate_id', '=', certificateId)
    .execute();
}

export async function attachedPolicyNames(db: Executor, certificateId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('policy_attachments')
    .select('policy_name')
    .where('certificate_id', '=', certificateId)
    .orderBy('policy_name')
    .execute();
  return rows.map((r) => r.policy_name);
}
