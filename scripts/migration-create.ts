/**
 * `npm run migration:create <name>`: writes migrations/<UTC timestamp>-<name>.ts from a template and registers it
 * in migrations/index.ts (import + entry), so a new migration is one command and then its up() body.
 * The template throws and leaves `db` unused on purpose: until its body is written, tests fail and lint complains.
 * `--dir <path>` points it at another migrations folder (its test uses a copy).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MIGRATION_FILE = /^(\d{8}T\d{6}Z)-[a-z0-9-]+\.ts$/;

export interface CreatedMigration {
  key: string;
  file: string;
}

/** 2026-12-04T17:40:05.123Z -> 20261204T174005Z, the prefix every migration file carries. */
export function migrationTimestamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function identifierOf(name: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[0-9]/.test(camel) ? `m${camel}` : camel;
}

function template(key: string): string {
  return `import type { Kysely } from 'kysely';

/**
 * TODO: what this migration changes and why. Forward-only (a fix is a new migration); import only kysely, since a
 * migration is frozen in time and must not follow the app's types. See docs/development.md.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // e.g. await db.schema.alterTable('certificates').addColumn('note', 'text').execute();
  throw new Error('migration ${key} is still the template: write its up()');
}
`;
}

export function createMigration(dir: string, name: string, now: Date = new Date()): CreatedMigration {
  if (!NAME.test(name)) throw new Error(`migration name "${name}": use lower-case words joined by hyphens, e.g. add-certificate-notes`);
  const timestamp = migrationTimestamp(now);
  const latest = readdirSync(dir)
    .map((file) => MIGRATION_FILE.exec(file)?.[1])
    .filter((stamp): stamp is string => stamp !== undefined)
    .sort()
    .at(-1);
  // The migrator refuses a migration that sorts before one already applied; never write one.
  if (latest !== undefined && timestamp <= latest) throw new Error(`timestamp ${timestamp} is not after the latest migration (${latest}); check the clock`);
  const key = `${timestamp}-${name}`;
  const file = path.join(dir, `${key}.ts`);
  const indexFile = path.join(dir, 'index.ts');
  const index = readFileSync(indexFile, 'utf8');
  const identifier = identifierOf(name);
  if (new RegExp(`\\bas ${identifier}\\b`).test(index))
    throw new Error(`migrations/index.ts already imports a migration as ${identifier}: choose another name`);
  const lastImport = index.lastIndexOf('\nimport * as ');
  const entriesEnd = index.lastIndexOf('\n};');
  if (lastImport < 0 || entriesEnd < 0) throw new Error(`${indexFile}: expected "import * as" lines and a closing "};" of the migrations record`);
  const importEnd = index.indexOf('\n', lastImport + 1);
  const updated =
    index.slice(0, importEnd) +
    `\nimport * as ${identifier} from './${key}.ts';` +
    index.slice(importEnd, entriesEnd) +
    `\n  '${key}': ${identifier},` +
    index.slice(entriesEnd);
  if (existsSync(file)) throw new Error(`${file} already exists`);
  writeFileSync(file, template(key), { flag: 'wx' });
  writeFileSync(indexFile, updated);
  return { key, file };
}

function main(args: string[]): number {
  const dirFlag = args.indexOf('--dir');
  const dir = dirFlag >= 0 ? args[dirFlag + 1] : fileURLToPath(new URL('../migrations', import.meta.url));
  const names = args.filter((_, i) => i !== dirFlag && i !== dirFlag + 1);
  if (dir === undefined || names.length !== 1) {
    console.error('usage: npm run migration:create <name> [--dir <migrations folder>]   e.g. npm run migration:create add-certificate-notes');
    return 2;
  }
  try {
    const created = createMigration(dir, names[0]!);
    console.log(`created ${path.relative(process.cwd(), created.file)} and registered it in migrations/index.ts; write its up() next`);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
