/**
 * A migrated PGlite template: a fresh PGlite spends most of its start in initdb (measured 8-10 s and ~850 MB RSS on
 * the shared 2-core machine, against ~1 s for the migrations), so a migrated cluster's data directory is dumped to
 * a tarball once and new databases start from it: every in-memory test database (the test runner builds one per
 * run, docs/development.md#the-migrated-pglite-template) and a service started on a new data dir (`npm run build`
 * builds one into dist/, docs/operations.md#start-up-on-pglite).
 *
 * The tarball's name carries a key of the migration list (names and the source of each up/down), so a new or
 * edited migration gets a new template; a stale schema is never served. The migrator still runs after a load (it
 * finds nothing to do), so even a template that missed a migration would be brought up to date.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
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
