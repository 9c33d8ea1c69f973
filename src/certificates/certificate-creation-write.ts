/**
 * The write of CreateKeysAndCertificate and CreateCertificateFromCsr: ONE statement that inserts the new certificate
 * and, selecting from its RETURNING, the decision's audit row — the same all-or-nothing as a transaction, without
 * the BEGIN/COMMIT round trips (the pattern of certificate-versioned-write.ts). Concurrent creations share one
 * statement and one commit (src/db/statement-combiner.ts): a pooled burst of CreateKeysAndCertificate cost five
 * round trips per request in a locking transaction (docs/operations.md#key-pair-pool).
 *
 * A certificate id that already exists fails the statement with a unique violation: nothing of it is written,
 * the combiner retries its items one by one, and the duplicate alone fails (the caller answers
 * ResourceAlreadyExistsException and audits the refusal). The sealing trigger fires for these audit rows as for
 * any other insert.
 */
import { type Insertable, type Kysely, sql } from 'kysely';
import type { AppendedAuditEvent, AuditRow } from '../audit/audit.repository.ts';
import type { CertificatesTable, DB } from '../db/schema.ts';
import { createStatementCombiner, perDatabase } from '../db/statement-combiner.ts';

export interface CertificateCreation {
  certificate: Insertable<CertificatesTable>;
  audit: AuditRow;
}

/** The columns of a row, in a fixed order (undefined ones left to their defaults). */
function columnsOf<R extends object>(row: R): Array<keyof R & string> {
  return (Object.keys(row) as Array<keyof R & string>).filter((column) => row[column] !== undefined);
}

/** The CTEs of one creation: `c<i>` inserts the certificate, `a<i>` its audit row only if it was inserted. */
function creationFragments(db: Kysely<DB>, creation: CertificateCreation, index: number) {
  const inserted = sql.raw(`c${index}`);
  const columns = columnsOf(creation.audit);
  const values = sql.join(columns.map((column) => sql`${creation.audit[column]}`));
  // Raw SQL for the outer shape (Kysely cannot type an INSERT ... SELECT of parameters from a CTE); the certificate
  // INSERT itself is built by Kysely. Parameters in an INSERT ... SELECT list take the target columns' types.
  return sql`${inserted} AS (${db.insertInto('certificates').values(creation.certificate).returning('certificate_id')}),
    ${sql.raw(`a${index}`)} AS (INSERT INTO audit_events (${sql.join(columns.map((column) => sql.ref(column)))})
      SELECT ${values} FROM ${inserted} RETURNING event_id::text AS event_id, sequence)`;
}

async function insertAll(db: Kysely<DB>, creations: readonly CertificateCreation[]): Promise<Array<AppendedAuditEvent | Error>> {
  const fragments = creations.map((creation, index) => creationFragments(db, creation, index));
  const appended = sql.join(
    creations.map((_, index) => sql`SELECT event_id, sequence FROM ${sql.raw(`a${index}`)}`),
    sql` UNION ALL `,
  );
  const result = await sql<{ event_id: string; sequence: string }>`WITH ${sql.join(fragments)} ${appended}`.execute(db);
  const sequenceOf = new Map(result.rows.map((row) => [row.event_id, String(row.sequence)]));
  return creations.map((creation) => {
    const sequence = sequenceOf.get(creation.audit.event_id);
    // Not thrown: the statement committed, and a thrown error would make the combiner insert every item again.
    if (sequence === undefined) return new Error(`audit row ${creation.audit.event_id} was not returned by its INSERT`);
    return { eventId: creation.audit.event_id, sequence };
  });
}

async function insertOne(db: Kysely<DB>, creation: CertificateCreation): Promise<AppendedAuditEvent> {
  const [appended] = await insertAll(db, [creation]);
  if (appended === undefined || appended instanceof Error) throw appended ?? new Error('the creation returned no audit row');
  return appended;
}

// Two bounds of certificate-versioned-write.ts's reasoning: ~40 parameters a creation stays far below Postgres's
// 65535 a statement, and inserts of distinct new rows cannot deadlock each other, so two batches may run at once.
const MAX_CREATIONS_PER_STATEMENT = 64;
const MAX_BATCHES_IN_FLIGHT = 2;

const combinerOf = perDatabase((db: Kysely<DB>) =>
  createStatementCombiner<CertificateCreation, AppendedAuditEvent>({
    runBatch: (creations) => insertAll(db, creations),
    runOne: (creation) => insertOne(db, creation),
    key: (creation) => creation.certificate.certificate_id,
    maxBatch: MAX_CREATIONS_PER_STATEMENT,
    maxInFlight: MAX_BATCHES_IN_FLIGHT,
  }),
);

/** Inserts the certificate and its ALLOW audit row, together or not at all; a duplicate id rejects with a unique violation. */
export function insertCertificateWithAudit(db: Kysely<DB>, creation: CertificateCreation): Promise<AppendedAuditEvent> {
  if (db.isTransaction) return insertOne(db, creation);
  return combinerOf(db).submit(creation);
}
