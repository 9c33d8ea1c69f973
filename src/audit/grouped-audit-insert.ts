/**
 * Audit rows of concurrent decisions inserted together: one multi-row INSERT, one commit, for every denial that
 * arrived while the previous INSERT ran (src/db/statement-combiner.ts). A flood of refused requests thus costs the
 * database one statement per batch instead of one commit per request, and each caller still gets its answer
 * only after its own row is committed. Inside a transaction a row is inserted alone, in it.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { createStatementCombiner, perDatabase } from '../db/statement-combiner.ts';
import { type AppendedAuditEvent, type AuditRow, insertAuditRow } from './audit.repository.ts';

// ~25 parameters a row: far below Postgres's 65535 per statement.
const MAX_ROWS_PER_STATEMENT = 256;
// Two INSERTs may run at once (appends never conflict with each other); more would only take pool connections
// from the reads.
const MAX_INSERTS_IN_FLIGHT = 2;

async function insertAuditRows(db: Kysely<DB>, rows: readonly AuditRow[]): Promise<Array<AppendedAuditEvent | Error>> {
  const inserted = await db.insertInto('audit_events').values(rows).returning(['event_id', 'sequence']).execute();
  const sequenceOf = new Map(inserted.map((row) => [String(row.event_id), String(row.sequence)]));
  return rows.map((row) => {
    const sequence = sequenceOf.get(row.event_id);
    // Not thrown: the INSERT committed, and a thrown error would make the combiner insert every row again.
    if (sequence === undefined) return new Error(`audit row ${row.event_id} was not returned by its INSERT`);
    return { eventId: row.event_id, sequence };
  });
}

const combinerOf = perDatabase((db: Kysely<DB>) =>
  createStatementCombiner<AuditRow, AppendedAuditEvent>({
    runBatch: (rows) => insertAuditRows(db, rows),
    runOne: (one) => insertAuditRow(db, one),
    maxBatch: MAX_ROWS_PER_STATEMENT,
    maxInFlight: MAX_INSERTS_IN_FLIGHT,
  }),
);

export function insertAuditRowGrouped(db: Kysely<DB>, row: AuditRow): Promise<AppendedAuditEvent> {
  return db.isTransaction ? insertAuditRow(db, row) : combinerOf(db).submit(row);
}
