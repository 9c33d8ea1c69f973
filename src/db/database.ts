/** Opens the database named by the configuration: Postgres through pg when DATABASE_URL is set, else PGlite. */
import { readFile } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { type CopyOut, poolCopyOut } from './copy-out.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** Bulk reads by COPY, on a Postgres server only (copy-out.ts). */
  copyOut?: CopyOut;
  close(): Promise<void>;
}

// Return int8 (bigserial sequence numbers, counts) as strings rather than lossy JS numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => value);

/** Pool size 10: measured faster than 20 for this workload on 2 cores (../shared/reference/dependency-notes.md). */
const POOL_SIZE = 10;

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'> & { pgliteTemplate?: string | undefined }): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: POOL_SIZE, connectionTimeoutMillis: 5000 });
    // A client that loses its server must not crash the process: idle ones report through the pool, busy ones
    // through their own 'error' event (the query in flight rejects anyway, and the error handler answers 503).
    // The pool drops broken clients, so the next query gets a fresh connection.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', copyOut: poolCopyOut(pool), close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const inMemory = config.dataDir === 'memory://';
  // An in-memory database starts from the migrated template when one is given (pglite-template.ts): no initdb.
  const pglite =
    inMemory && config.pgliteTemplate
      ? new PGlite({ loadDataDir: new Blob([await readFile(config.pgliteTemplate)]) })
      : new PGlite(inMemory ? undefined : config.dataDir);
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
