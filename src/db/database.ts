/** Opens the database named by the configuration: Postgres through pg when DATABASE_URL is set, else PGlite. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { type CopyOut, poolCopyOut } from './copy-out.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { builtTemplate, builtTemplateDataDir } from './pglite-template.ts';
import { copyTemplateDataDir } from './template-data-dir-copy.ts';
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

/**
 * PGlite's Postgres keeps its buffer cache inside the WASM heap, which never shrinks: the default 128 MB of
 * shared_buffers made most of the embedded service's RSS (~310 MB for PGlite alone after open, ~190 MB with
 * 32 MB). Reads past the cache still come from the data dir through the operating system's page cache.
 */
const PGLITE_SETTINGS = ['shared_buffers = 32MB'];

export interface OpenOptions {
  /**
   * Start a new PGlite database from the migrated template (default true). `certguard migrate` says false: an
   * operator who runs it on a new data dir sees each migration applied, not a database that already has them.
   */
  fromTemplate?: boolean;
}

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & { pgliteTemplate?: string | undefined },
  options: OpenOptions = {},
): Promise<DatabaseHandle> {
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
  // A new database (in memory, or a data dir without a cluster yet) starts from the migrated template when there
  // is one (pglite-template.ts): no initdb, no migrations to run. An existing data dir is opened as it is.
  const isNew = inMemory || !existsSync(path.join(config.dataDir, 'PG_VERSION'));
  const useTemplate = isNew && options.fromTemplate !== false;
  // On disk, the built template's data directory is copied in (fast, nothing held in memory); a template named by
  // the configuration (the tests') or a database in memory loads the tarball.
  const templateDataDir = useTemplate && !inMemory && config.pgliteTemplate === undefined ? builtTemplateDataDir() : undefined;
  if (templateDataDir) copyTemplateDataDir(templateDataDir, config.dataDir);
  const template = useTemplate && !templateDataDir ? (config.pgliteTemplate ?? builtTemplate()) : undefined;
  const dataDir = inMemory ? undefined : config.dataDir;
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(template ? { loadDataDir: new Blob([await readFile(template)]) } : {}),
    postgresqlconf: PGLITE_SETTINGS,
  });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
