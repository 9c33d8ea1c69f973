/**
 * A migrated PGlite template: a fresh PGlite spends most of its start in initdb (measured 8-10 s and ~850 MB RSS on
 * the shared 2-core machine, against ~1 s for the migrations), so a migrated cluster's data directory is dumped to
 * a tarball once and new databases start from it: every in-memory test database (the test runner builds one per
 * run, docs/development.md#the-migrated-pglite-template) and a service started on a new data dir (`npm run build`
 * builds one into dist/, docs/operations.md#start-up-on-pglite).
 *
 * A service started on a new data dir on disk copies the template's data directory instead (the same cluster,
 * extracted once at build time): a file-system copy of ~42 MB takes tens of ms, where loading the tarball into
 * PGlite cost ~1 s and ~100 MB of RSS that stayed (the tarball in a Buffer and a Blob, then PGlite's extraction).
 *
 * The tarball's name carries a key of the migration list (names and the source of each up/down), so a new or
 * edited migration gets a new template; a stale schema is never served. The migrator still runs after a load (it
 * finds nothing to do), so even a template that missed a migration would be brought up to date.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Migration } from 'kysely';
import { Kysely } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { PROJECT_ROOT } from '../config.ts';
import { migrateToLatest } from './migrator.ts';
import { PGliteDialect } from './pglite-dialect.ts';

/** Changes whenever a migration is added, removed, renamed or edited. */
export function migrationKey(list: Readonly<Record<string, Migration>> = migrations): string {
  const hash = createHash('sha256');
  for (const [name, migration] of Object.entries(list)) {
    hash.update(`${name}\n${String(migration.up)}\n${String(migration.down ?? '')}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where `npm run build` puts the template (scripts/build-pglite-template.ts); the image ships it in dist/. */
export function builtTemplateDir(): string {
  return path.join(PROJECT_ROOT, 'dist', 'pglite-template');
}

/** The built template for today's migrations, if `npm run build` made one. */
export function builtTemplate(): string | undefined {
  const file = templatePath(builtTemplateDir());
  return existsSync(file) ? file : undefined;
}

/** The built template's data directory for today's migrations, if `npm run build` made one. */
export function builtTemplateDataDir(): string | undefined {
  const dataDir = templateDataDirPath(builtTemplateDir());
  return existsSync(path.join(dataDir, 'PG_VERSION')) ? dataDir : undefined;
}

/** Where the template's data directory for today's migrations lives in `dir` (the tarball's name without .tar). */
export function templateDataDirPath(dir: string): string {
  return templatePath(dir).replace(/\.tar$/, '');
}

/** Where the template for today's migrations lives in `dir` (whether or not it exists yet). */
export function templatePath(dir: string): string {
  return path.join(dir, `certguard-pglite-template-${migrationKey()}.tar`);
}

/**
 * Returns the path of the template for the current migrations in `dir`, building it first if missing.
 * Written to a temporary name and renamed, so a concurrent reader never sees half a tarball.
 */
export async function ensurePgliteTemplate(dir: string): Promise<string> {
  const target = templatePath(dir);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite();
  await pglite.waitReady;
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrateToLatest(db);
    // Uncompressed: loading a gzipped dump measured ~2.5x slower than the plain tar, and it is a temporary file.
    const tarball = await pglite.dumpDataDir('none');
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.from(await tarball.arrayBuffer()));
    renameSync(temporary, target);
  } finally {
    await db.destroy();
  }
  return target;
}

/**
 * Returns the template's data directory in `dir`, extracting the tarball (built first if missing) into it when
 * missing: PGlite loads it into a temporary directory, shuts the cluster down cleanly, and the directory is renamed.
 */
export async function ensurePgliteTemplateDataDir(dir: string): Promise<string> {
  const target = templateDataDirPath(dir);
  if (existsSync(path.join(target, 'PG_VERSION'))) return target;
  const tarball = await ensurePgliteTemplate(dir);
  const temporary = `${target}.${process.pid}.tmp`;
  rmSync(temporary, { recursive: true, force: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite({ dataDir: temporary, loadDataDir: new Blob([await readFile(tarball)]) });
  await pglite.waitReady;
  await pglite.close();
  rmSync(target, { recursive: true, force: true }); // a directory without PG_VERSION is an interrupted copy
  renameSync(temporary, target);
  return target;
}
