/** SQL for certificates and the policies attached to them. Every function takes the executor first. */
import { type Insertable, type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { CertificatesTable, DB } from '../db/schema.ts';
import { createStatementCombiner, perDatabase } from '../db/statement-combiner.ts';

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

/**
 * Applies a change and bumps customer_version and last_modified_at, as AWS does on every modification, and
 * row_version, so that a decision made on the previous version cannot apply (certificate-versioned-write.ts).
 */
export async function updateCertificate(db: Executor, certificateId: string, change: Updateable<CertificatesTable>, now: Date): Promise<void> {
  await db
    .updateTable('certificates')
    .set((eb) => ({ ...change, last_modified_at: now, customer_version: eb('customer_version', '+', 1), row_version: sql<string>`row_version + 1` }))
    .where('certificate_id', '=', certificateId)
    .execute();
}

/** A change to a certificate's attachments is a change of what its decisions see: the version moves too. */
export async function bumpRowVersion(db: Executor, certificateId: string): Promise<void> {
  await db.updateTable('certificates').set({ row_version: sql<string>`row_version + 1` }).where('certificate_id', '=', certificateId).execute();
}

/** A certificate as a decision sees it: the row, its attached policy names and the version, read in ONE statement. */
export interface VersionedCertificate {
  row: CertificateRow;
  attachedPolicies: string[];
  /** row_version as text (bigint), given back to the conditional write unchanged. */
  version: string;
}

async function readVersionedCertificates(db: Executor, certificateIds: readonly string[]): Promise<Map<string, VersionedCertificate>> {
  const found = await db
    .selectFrom('certificates as c')
    .selectAll('c')
    .select(sql<string>`c.row_version::text`.as('version'))
    .select(
      sql<string[]>`array(select pa.policy_name from policy_attachments pa where pa.certificate_id = c.certificate_id order by pa.policy_name)`.as(
        'attached_policies',
      ),
    )
    .where('c.certificate_id', 'in', [...new Set(certificateIds)])
    .execute();
  return new Map(
    found.map(({ version, attached_policies, ...row }) => [row.certificate_id, { row: row as CertificateRow, attachedPolicies: attached_policies, version }]),
  );
}

// Reads of concurrent decisions share a statement (src/db/statement-combiner.ts): a batch starts only after each of
// its requests arrived, so no request sees a state older than one that was answered before it came.
const MAX_READS_PER_STATEMENT = 256;
const MAX_READS_IN_FLIGHT = 3;
const readCombinerOf = perDatabase((db: Kysely<DB>) =>
  createStatementCombiner<string, VersionedCertificate | undefined>({
    runBatch: async (ids) => {
      const found = await readVersionedCertificates(db, ids);
      return ids.map((id) => found.get(id));
    },
    runOne: async (id) => (await readVersionedCertificates(db, [id])).get(id),
    maxBatch: MAX_READS_PER_STATEMENT,
    maxInFlight: MAX_READS_IN_FLIGHT,
  }),
);

/** One round trip, no lock: the optimistic decision path reads this and writes only if `version` is unchanged. */
export async function readVersionedCertificate(db: Executor, certificateId: string): Promise<VersionedCertificate | undefined> {
  if (db.isTransaction) return (await readVersionedCertificates(db, [certificateId])).get(certificateId);
  return readCombinerOf(db as Kysely<DB>).submit(certificateId);
}

export async function attachedPolicyNames(db: Executor, certificateId: string): Promise<string[]> {
  const rows = await db.selectFrom('policy_attachments').select('policy_name').where('certificate_id', '=', certificateId).orderBy('policy_name').execute();
  return rows.map((r) => r.policy_name);
}

/** A ListCertificates row. `created_cursor` is created_at to the microsecond (a JS Date keeps only milliseconds). */
export interface CertificateListRow {
  certificate_id: string;
  owner_account_id: string;
  status: string;
  certificate_mode: string;
  created_at: Date;
  created_cursor: string;
}

export interface CertificateListQuery {
  /** null lists every account's certificates (auditors). */
  ownerAccountId: string | null;
  ascending: boolean;
  /** The keyset cursor: the sort key of the last row of the previous page. */
  after?: { createdAt: string; certificateId: string };
  limit: number;
}

/**
 * One keyset page in (created_at, certificate_id) order; uses the index certificates_owner_created. The cursor
 * time is rendered as UTC ISO 8601 with microseconds, which Postgres reads back exactly whatever its DateStyle.
 */
export async function listCertificates(db: Executor, query: CertificateListQuery): Promise<CertificateListRow[]> {
  const direction = query.ascending ? 'asc' : 'desc';
  let select = db
    .selectFrom('certificates')
    .select(['certificate_id', 'owner_account_id', 'status', 'certificate_mode', 'created_at'])
    .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('created_cursor'))
    .orderBy('created_at', direction)
    .orderBy('certificate_id', direction)
    .limit(query.limit);
  if (query.ownerAccountId !== null) select = select.where('owner_account_id', '=', query.ownerAccountId);
  if (query.after) {
    const comparison = sql.raw(query.ascending ? '>' : '<');
    const { createdAt, certificateId } = query.after;
    select = select.where(sql<boolean>`(created_at, certificate_id) ${comparison} (${createdAt}::timestamptz, ${certificateId})`);
  }
  return select.execute();
}

export async function deleteCertificate(db: Executor, certificateId: string): Promise<void> {
  await db.deleteFrom('certificates').where('certificate_id', '=', certificateId).execute();
}

/** Removes every policy attachment of a certificate (DeleteCertificate with forceDelete). */
export async function detachAllPolicies(db: Executor, certificateId: string): Promise<void> {
  await db.deleteFrom('policy_attachments').where('certificate_id', '=', certificateId).execute();
}
