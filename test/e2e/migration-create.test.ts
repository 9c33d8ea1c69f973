/**
 * `npm run migration:create <name>` (scripts/migration-create.ts) on a copy of migrations/: the new file and its
 * index entry are what the real migrator runs after every existing migration, on the test database.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { type Migration, Migrator, sql } from 'kysely';
import { createMigration } from '../../scripts/migration-create.ts';
import { openDatabase } from '../../src/db/database.ts';
import { PROJECT_ROOT } from '../../src/config.ts';
import { createScratchDatabase, testDatabaseKind, type ScratchDatabase } from '../support/test-database.ts';

const run = promisify(execFile);

describe(`migration:create (${testDatabaseKind})`, () => {
  let work: string;
  let dir: string;
  let scratch: ScratchDatabase | undefined;

  before(async () => {
    // The copy sits next to a node_modules link so its migrations resolve 'kysely' as the real ones do.
    work = await mkdtemp(path.join(tmpdir(), 'certguard-migration-create-'));
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    dir = path.join(work, 'migrations');
    await cp(path.join(PROJECT_ROOT, 'migrations'), dir, { recursive: true });
    if (testDatabaseKind === 'postgres') scratch = await createScratchDatabase();
  });
  after(async () => {
    await scratch?.drop();
    await rm(work, { recursive: true, force: true });
  });

  const create = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'migration-create.ts'), ...args], { cwd: work });

  test('creates a timestamped file from the template and registers it last in index.ts; the migrator runs it', async () => {
    const before = await readdir(dir);
    const { stdout } = await create('add-certificate-notes', '--dir', dir);
    const added = (await readdir(dir)).filter((file) => !before.includes(file));
    assert.equal(added.length, 1);
    const file = added[0]!;
    assert.match(file, /^\d{8}T\d{6}Z-add-certificate-notes\.ts$/);
    assert.match(stdout, /add-certificate-notes\.ts and registered it/);
    const key = file.replace(/\.ts$/, '');

    const index = (await import(pathToFileURL(path.join(dir, 'index.ts')).href)) as { migrations: Record<string, Migration> };
    const keys = Object.keys(index.migrations);
    assert.equal(keys.at(-1), key, 'the new migration is the last entry');
    assert.deepEqual([...keys].sort(), keys, 'entries stay in timestamp order');

    // Until its body is written the template refuses to run, so a forgotten template cannot pass as a migration.
    const handle = await openDatabase(scratch ? { databaseUrl: scratch.url, dataDir: '' } : { databaseUrl: undefined, dataDir: 'memory://' });
    try {
      const template = await new Migrator({ db: handle.db, provider: { getMigrations: async () => index.migrations } }).migrateToLatest();
      assert.equal(template.results?.find((r) => r.status === 'Error')?.migrationName, key);
      assert.match(String((template.error as Error).message), /still the template/);

      // Once its up() is written (here in place, ESM caches the file's first import), it runs after every existing one.
      const written: Migration = { up: (db) => db.schema.alterTable('certificates').addColumn('note', 'text').execute() };
      const migrations = { ...index.migrations, [key]: written };
      const result = await new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
      assert.equal(result.error, undefined);
      assert.equal(result.results?.at(-1)?.migrationName, key);
      const columns = await sql<{
        column_name: string;
      }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'certificates' AND column_name = 'note'`.execute(handle.db);
      assert.equal(columns.rows.length, 1);
    } finally {
      await handle.close();
    }
  });

  test('a name that is not lower-case-with-hyphens is refused and nothing is written', async () => {
    const before = await readdir(dir);
    const index = await readFile(path.join(dir, 'index.ts'), 'utf8');
    await assert.rejects(create('Add Notes', '--dir', dir), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /lower-case words joined by hyphens/);
      return true;
    });
    assert.deepEqual(await readdir(dir), before);
    assert.equal(await readFile(path.join(dir, 'index.ts'), 'utf8'), index);
  });

  test('a timestamp not after the latest migration is refused (the migrator would reject it as out of order)', async () => {
    const before = await readdir(dir);
    assert.throws(() => createMigration(dir, 'from-the-past', new Date('2026-11-01T00:00:00Z')), /is not after the latest migration/);
    assert.deepEqual(await readdir(dir), before);
  });
});
