/**
 * The migrated PGlite template (src/db/pglite-template.ts) must give a database exactly the schema the migrator
 * would: the same migration rows, columns, indexes, constraints, roles' grants and functions as a fresh PGlite
 * migrated by hand. Its key must move with the migration list, so a new migration never gets a stale template.
 * PGlite-only by nature; it runs under both test databases (it opens PGlite directly).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { ensurePgliteTemplate, migrationKey, templatePath } from '../../src/db/pglite-template.ts';

let dir: string;
let template: string;
let fromTemplate: DatabaseHandle;
let migrated: DatabaseHandle;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'certguard-template-test-'));
  template = await ensurePgliteTemplate(dir);
  fromTemplate = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://', pgliteTemplate: template });
  migrated = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
  await migrateToLatest(migrated.db);
});

after(async () => {
  await fromTemplate?.close();
  await migrated?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Everything the migrations define, as sorted text rows, so two databases compare with one deepEqual. */
async function schemaOf(db: Kysely<unknown>) {
  const rows = async (query: ReturnType<typeof sql<{ row: string }>>) => (await query.execute(db)).rows.map((r) => r.row).sort();
  return {
    migrations: await rows(sql`select name as row from kysely_migration`),
    columns: await rows(sql`select concat_ws(' ', table_schema, table_name, column_name, data_type, is_nullable, column_default) as row
      from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema')`),
    indexes: await rows(sql`select concat_ws(' ', schemaname, tablename, indexdef) as row from pg_indexes
      where schemaname not in ('pg_catalog', 'information_schema')`),
    constraints: await rows(sql`select concat_ws(' ', conrelid::regclass::text, conname, pg_get_constraintdef(oid)) as row
      from pg_constraint where connamespace = 'public'::regnamespace`),
    grants: await rows(sql`select concat_ws(' ', grantee, table_name, privilege_type) as row from information_schema.role_table_grants
      where table_schema = 'public'`),
    functions: await rows(sql`select concat_ws(' ', proname, md5(prosrc)) as row from pg_proc where pronamespace = 'public'::regnamespace`),
    triggers: await rows(sql`select concat_ws(' ', tgrelid::regclass::text, tgname) as row from pg_trigger where not tgisinternal`),
  };
}

test('a database started from the template has exactly the schema the migrator produces', async () => {
  const expected = await schemaOf(migrated.db as Kysely<unknown>);
  assert.equal(expected.migrations.length, Object.keys(migrations).length);
  assert.ok(expected.columns.length > 20, 'the comparison sees the tables');
  assert.deepEqual(await schemaOf(fromTemplate.db as Kysely<unknown>), expected);
});

test('the migrator finds nothing left to do on a template database', async () => {
  const result = await migrateToLatest(fromTemplate.db);
  assert.deepEqual(result.results, []);
});

test('a template database takes writes like any other', async () => {
  await sql`create table template_probe (id int)`.execute(fromTemplate.db);
  await sql`insert into template_probe values (1)`.execute(fromTemplate.db);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from template_probe`.execute(fromTemplate.db);
  assert.equal(rows[0]?.n, 1);
});

test('the template is reused, and its key moves with the migration list', async () => {
  assert.equal(await ensurePgliteTemplate(dir), template, 'the second call reuses the built file');
  assert.equal(templatePath(dir), template);
  assert.ok(existsSync(template));
  const key = migrationKey();
  const added = { ...migrations, '29991231T000000Z-later': { up: async () => {} } };
  assert.notEqual(migrationKey(added), key, 'a new migration changes the key');
  const [first, ...rest] = Object.entries(migrations);
  assert.ok(first);
  const edited = Object.fromEntries([[first[0], { up: async () => {}, down: first[1].down }], ...rest]);
  assert.notEqual(migrationKey(edited), key, 'an edited migration changes the key');
  assert.equal(migrationKey({ ...migrations }), key, 'the same list gives the same key');
});
