/**
 * The monthly partitions of audit_events (docs/audit.md section 7): which exist, and creating the months ahead.
 * A partition is created with what the parent's triggers and grants do not give it: a TRUNCATE-refusing trigger
 * (statement triggers are not cloned to partitions) and, for the certguard_app role, SELECT and INSERT only.
 * Rows whose month has no partition yet land in audit_events_default, so an insert never fails for lack of one.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

export interface AuditPartition {
  name: string;
  /** The bound as Postgres prints it, e.g. `FOR VALUES FROM ('2026-11-01 00:00:00+00') TO (...)`, or `DEFAULT`. */
  bound: string;
  /** Planner estimate (pg_class.reltuples); -1 when never analyzed. */
  estimatedRows: number;
}

export async function listAuditPartitions(db: Database): Promise<AuditPartition[]> {
  const { rows } = await sql<{ name: string; bound: string; estimated_rows: number }>`
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, c.reltuples::float8 AS estimated_rows
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'audit_events'::regclass
    ORDER BY c.relname`.execute(db);
  return rows.map((row) => ({ name: row.name, bound: row.bound, estimatedRows: Number(row.estimated_rows) }));
}

/** UTC month starts: `count` of them from the month of `from`. */
export function monthStarts(from: Date, count: number): Date[] {
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + i, 1)));
}

export function partitionName(monthStart: Date): string {
  return `audit_events_${monthStart.getUTCFullYear()}_${String(monthStart.getUTCMonth() + 1).padStart(2, '0')}`;
}

export interface EnsureResult {
  created: string[];
  /** Months that could not be created, and why (e.g. no privilege, or the default partition holds rows of it). */
  failed: Array<{ name: string; reason: string }>;
}

/** Creates the partitions of this month and the next `monthsAhead` months that do not exist yet. */
export async function ensureAuditPartitions(db: Database, now: Date, monthsAhead: number): Promise<EnsureResult> {
  const existing = new Set((await listAuditPartitions(db)).map((partition) => partition.name));
  const result: EnsureResult = { created: [], failed: [] };
  for (const start of monthStarts(now, monthsAhead + 1)) {
    const name = partitionName(start);
    if (existing.has(name)) continue;
    try {
      await createPartition(db, name, start);
      result.created.push(name);
    } catch (error) {
      // Several processes starting at once race to create the same month: the loser finds it there.
      if (await partitionExists(db, name)) continue;
      result.failed.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}

async function partitionExists(db: Database, name: string): Promise<boolean> {
  return (await listAuditPartitions(db)).some((partition) => partition.name === name);
}

async function createPartition(db: Database, name: string, start: Date): Promise<void> {
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  await db.transaction().execute(async (trx) => {
    // Identifiers and bounds are generated here (never from input); DDL takes no parameters, so they are quoted.
    await sql`CREATE TABLE ${sql.id(name)} PARTITION OF audit_events
              FOR VALUES FROM (${sql.lit(start.toISOString())}) TO (${sql.lit(end.toISOString())})`.execute(trx);
    await sql`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON ${sql.id(name)}
              FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`.execute(trx);
    const { rows } = await sql<{ has_role: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'certguard_app') AS has_role`.execute(trx);
    if (rows[0]?.has_role) {
      await sql`REVOKE ALL ON ${sql.id(name)} FROM certguard_app`.execute(trx);
      await sql`GRANT SELECT, INSERT ON ${sql.id(name)} TO certguard_app`.execute(trx);
    }
  });
}
