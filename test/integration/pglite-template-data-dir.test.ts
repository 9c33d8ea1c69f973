/**
 * A new PGlite data dir on disk starts as a file-system copy of the template's data directory
 * (src/db/template-data-dir-copy.ts): it must open as a migrated certguard database that takes writes and keeps them
 * across a restart, keep the files already in the data dir, and a copy cut short must be copied again, not opened.
 * PGlite-only by nature; it runs under both test databases (it opens PGlite directly).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { ensurePgliteTemplateDataDir } from '../../src/db/pglite-template.ts';
import { copyTemplateDataDir } from '../../src/db/template-data-dir-copy.ts';

let dir: string;
let templateDataDir: string;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'certguard-template-dir-test-'));
  templateDataDir = await ensurePgliteTemplateDataDir(path.join(dir, 'templates'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function migrationCount(dataDir: string): Promise<number> {
  const database = await openDatabase({ databaseUrl: undefined, dataDir }, { fromTemplate: false });
  try {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(database.db);
    return rows[0]?.n ?? -1;
  } finally {
    await database.close();
  }
}

test('a data dir copied from the template opens migrated, takes writes and keeps them across a restart', async () => {
  const dataDir = path.join(dir, 'copied');
  copyTemplateDataDir(templateDataDir, dataDir);
  const database = await openDatabase({ databaseUrl: undefined, dataDir }, { fromTemplate: false });
  try {
    assert.deepEqual((await migrateToLatest(database.db)).results, [], 'the migrator finds nothing to do');
    await sql`create table copy_probe (id int)`.execute(database.db);
    await sql`insert into copy_probe values (7)`.execute(database.db);
  } finally {
    await database.close();
  }
  assert.equal(await migrationCount(dataDir), Object.keys(migrations).length);
  const reopened = await openDatabase({ databaseUrl: undefined, dataDir });
  try {
    const { rows } = await sql<{ id: number }>`select id from copy_probe`.execute(reopened.db);
    assert.deepEqual(rows, [{ id: 7 }]);
  } finally {
    await reopened.close();
  }
  assert.ok(existsSync(path.join(templateDataDir, 'PG_VERSION')), 'the template itself is left as it was');
  assert.equal(await migrationCount(templateDataDir), Object.keys(migrations).length);
});

test('the copy adds the cluster beside the files a new data dir already holds', async () => {
  const dataDir = path.join(dir, 'with-files');
  mkdirSync(dataDir);
  writeFileSync(path.join(dataDir, 'audit-signing-key.pem'), 'kept');
  copyTemplateDataDir(templateDataDir, dataDir);
  assert.equal(readFileSync(path.join(dataDir, 'audit-signing-key.pem'), 'utf8'), 'kept');
  assert.equal(await migrationCount(dataDir), Object.keys(migrations).length);
});

test('a copy cut short (no PG_VERSION yet) counts as new and is copied again over itself', async () => {
  const dataDir = path.join(dir, 'interrupted');
  copyTemplateDataDir(templateDataDir, dataDir);
  unlinkSync(path.join(dataDir, 'PG_VERSION')); // PG_VERSION is copied last: without it the copy did not finish
  rmSync(path.join(dataDir, 'global'), { recursive: true }); // and part of the cluster is missing
  copyTemplateDataDir(templateDataDir, dataDir);
  assert.equal(await migrationCount(dataDir), Object.keys(migrations).length);
});
