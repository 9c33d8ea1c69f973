/**
 * Opens a database that must already exist, for read-only tools such as `certguard audit verify`: unlike
 * openDatabase it never creates one (PGlite creates a fresh, empty cluster in any folder it is pointed at, so a
 * verify run from the wrong directory used to leave a new 39 MB database behind and then fail on a missing table),
 * and it never migrates. Whatever makes the tool unable to run is a DatabaseNotUsableError naming the reason.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { type DatabaseHandle, openDatabase } from './database.ts';

export class DatabaseNotUsableError extends Error {}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Opens the configured database if it exists and holds every table in `tables`. */
export async function openExistingDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, tables: readonly string[]): Promise<DatabaseHandle> {
  if (!config.databaseUrl) {
    if (config.dataDir === 'memory://') throw new DatabaseNotUsableError('CERTGUARD_DATA_DIR=memory:// names no stored database');
    // PG_VERSION is the first file of every Postgres data directory: without it there is no database to open.
    if (!existsSync(path.join(config.dataDir, 'PG_VERSION'))) {
      throw new DatabaseNotUsableError(`no certguard database in ${path.resolve(config.dataDir)} (CERTGUARD_DATA_DIR, or set DATABASE_URL)`);
    }
  }
  let database: DatabaseHandle;
  try {
    database = await openDatabase(config);
  } catch (error) {
    throw new DatabaseNotUsableError(`cannot open the database: ${reason(error)}`);
  }
  try {
    const missing: string[] = [];
    for (const table of tables) {
      const { rows } = await sql<{ found: string | null }>`SELECT to_regclass(${table})::text AS found`.execute(database.db);
      if (!rows[0]?.found) missing.push(table);
    }
    if (missing.length > 0) {
      throw new DatabaseNotUsableError(`the database has no ${missing.join(', ')} table: not a migrated certguard database (run certguard migrate)`);
    }
    return database;
  } catch (error) {
    await database.close().catch(() => {});
    if (error instanceof DatabaseNotUsableError) throw error;
    throw new DatabaseNotUsableError(`cannot reach the database: ${reason(error)}`);
  }
}
