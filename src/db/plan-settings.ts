/**
 * Planner settings pinned for one statement's transaction (set_config(name, value, true) = SET LOCAL): for reads
 * whose one good plan certguard knows, whatever the table statistics say (right after a bulk load there are none).
 * The settings are plain names and values certguard wrote, passed as parameters.
 */
import { type Kysely, sql, type Transaction } from 'kysely';

/** Planner settings for one read, e.g. [['jit', 'off']]. */
export type PlanSettings = ReadonlyArray<readonly [name: string, value: string]>;

/**
 * Runs `read` in a transaction of its own with `settings` pinned. Inside a caller's transaction it runs there as it
 * is: that transaction's settings are the caller's to choose, and SET LOCAL would outlive the read.
 */
export async function withPlanSettings<DB, T>(
  db: Kysely<DB> | Transaction<DB>,
  settings: PlanSettings,
  read: (db: Kysely<DB> | Transaction<DB>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return read(db);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT ${sql.join(settings.map(([name, value]) => sql`set_config(${name}, ${value}, true)`))}`.execute(trx);
    return read(trx);
  });
}
