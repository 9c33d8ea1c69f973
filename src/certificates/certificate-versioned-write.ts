/**
 * The write half of the optimistic decision path (docs/architecture.md, "The request path"): ONE statement that
 * changes (or deletes) a certificate only if its row_version is still the one the decision was made on, and
 * inserts the decision's audit row in the same statement. Data-modifying CTEs make the two one transaction
 * without BEGIN/COMMIT round trips: either both happen or neither. The audit INSERT selects from the change's
 * RETURNING, so when the version moved (0 rows changed) no ALLOW row is written and the caller decides again.
 *
 * Under READ COMMITTED, a concurrent writer that got to the row first makes this UPDATE wait for it and then
 * re-check `row_version = $version` on the new row version: exactly one of two racing decisions wins.
 * The audit row is the one appendDecisionEvent would insert (same columns, same values); the sealing trigger
 * (audit_events_enqueue_for_sealing, a statement trigger) fires for it like for any other insert.
 */
import { type Kysely, sql, type Updateable } from 'kysely';
import type { AppendedAuditEvent, AuditRow } from '../audit/audit.repository.ts';
import type { CertificatesTable, DB } from '../db/schema.ts';
import { createStatementCombiner, perDatabase } from '../db/statement-combiner.ts';

export type VersionedChange =
  | { kind: 'update'; set: Updateable<CertificatesTable>; now: Date }
  /** Changes nothing (an idempotent request), but still only while the version is the one decided on. */
  | { kind: 'touch' }
  /** Deletes the certificate and every policy attachment pointing at it. */
  | { kind: 'delete' };

export interface VersionedWrite {
  certificateId: string;
  version: string;
  change: VersionedChange;
  audit: AuditRow;
}

function changeStatement(db: Kysely<DB>, write: VersionedWrite) {
  const { certificateId, version, change } = write;
  if (change.kind === 'touch') {
    return db.selectFrom('certificates').select('certificate_id').where('certificate_id', '=', certificateId).where('row_version', '=', version);
  }
  if (change.kind === 'delete') {
    return db.deleteFrom('certificates').where('certificate_id', '=', certificateId).where('row_version', '=', version).returning('certificate_id');
  }
  return db
    .updateTable('certificates')
    .set((eb) => ({
      ...change.set,
      last_modified_at: change.now,
      customer_version: eb('customer_version', '+', 1),
      row_version: sql<string>`row_version + 1`,
    }))
    .where('certificate_id', '=', certificateId)
    .where('row_version', '=', version)
    .returning('certificate_id');
}

/** The audit row's columns, in a fixed order (the same keys decisionAuditRow fills). */
function auditColumns(audit: AuditRow): Array<keyof AuditRow & string> {
  return (Object.keys(audit) as Array<keyof AuditRow & string>).filter((column) => audit[column] !== undefined);
}

/** The CTEs of one write: `c<i>` changes the certificate, `a<i>` inserts the audit row only if it did. */
function writeFragments(db: Kysely<DB>, write: VersionedWrite, index: number, columns: ReadonlyArray<keyof AuditRow & string>) {
  const changed = sql.raw(`c${index}`);
  const values = sql.join(columns.map((column) => sql`${write.audit[column]}`));
  const detach =
    write.change.kind === 'delete'
      ? sql`, ${sql.raw(`d${index}`)} AS (DELETE FROM policy_attachments WHERE certificate_id IN (SELECT certificate_id FROM ${changed}))`
      : sql``;
  // Raw SQL for the outer shape (Kysely cannot type an INSERT ... SELECT of parameters from a CTE); the change
  // itself is built by Kysely. Parameters in an INSERT ... SELECT list take the target columns' types.
  return sql`${changed} AS (${changeStatement(db, write)})${detach},
    ${sql.raw(`a${index}`)} AS (INSERT INTO audit_events (${sql.join(columns.map((column) => sql.ref(column)))})
      SELECT ${values} FROM ${changed} RETURNING event_id::text AS event_id, sequence)`;
}

/**
 * Several writes in ONE statement (one commit), each applied only if its own version is unchanged: what each
 * did does not depend on the others. Their audit INSERTs are separate CTEs into the same table; the sealing
 * trigger's transition table receives all of them. The certificates must be distinct (write-combiner keys).
 */
async function writeAllIfUnchanged(db: Kysely<DB>, writes: readonly VersionedWrite[]): Promise<Array<AppendedAuditEvent | undefined>> {
  const fragments = writes.map((write, index) => writeFragments(db, write, index, auditColumns(write.audit)));
  const inserted = sql.join(
    writes.map((_, index) => sql`SELECT event_id, sequence FROM ${sql.raw(`a${index}`)}`),
    sql` UNION ALL `,
  );
  const result = await sql<{ event_id: string; sequence: string }>`WITH ${sql.join(fragments)} ${inserted}`.execute(db);
  const sequenceOf = new Map(result.rows.map((row) => [row.event_id, String(row.sequence)]));
  return writes.map((write) => {
    const sequence = sequenceOf.get(write.audit.event_id);
    return sequence === undefined ? undefined : { eventId: write.audit.event_id, sequence };
  });
}

const MAX_WRITES_PER_STATEMENT = 64;
// One batch at a time: two batch statements changing overlapping sets of rows in different orders could
// deadlock each other; one running batch while the next one fills keeps the round trips to one per batch.
const MAX_BATCHES_IN_FLIGHT = 1;

const combinerOf = perDatabase((db: Kysely<DB>) =>
  createStatementCombiner<VersionedWrite, AppendedAuditEvent | undefined>({
    runBatch: (writes) => writeAllIfUnchanged(db, writes),
    runOne: async (write) => (await writeAllIfUnchanged(db, [write]))[0],
    key: (write) => write.certificateId,
    maxBatch: MAX_WRITES_PER_STATEMENT,
    maxInFlight: MAX_BATCHES_IN_FLIGHT,
  }),
);

/**
 * Applies the change and appends the audit row if the certificate is still at `version`; undefined when it is
 * not (changed or deleted since it was read): nothing was written. Concurrent writes to distinct certificates
 * share one statement (src/db/statement-combiner.ts); inside a transaction the write runs alone in it.
 */
export async function writeIfUnchanged(db: Kysely<DB>, write: VersionedWrite): Promise<AppendedAuditEvent | undefined> {
  if (db.isTransaction) return (await writeAllIfUnchanged(db, [write]))[0];
  return combinerOf(db).submit(write);
}
