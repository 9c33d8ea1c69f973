/**
 * The `certguard` command. It reads the same configuration variables as the service. Every command takes --help;
 * the exit codes are shared (src/cli/cli-args.ts, docs/cli.md): 0 success, 1 a finding, 2 usage, 3 cannot run.
 *   certguard migrate                      apply pending migrations to the configured database
 *   certguard policy test|lint|eval        the rule bundle's test cases, its type-check, an offline decision
 *   certguard audit verify|lookup|partitions   verify the chain, look events up as CloudTrail records, partitions
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, PROJECT_ROOT } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { runAuditCommand } from './audit-commands.ts';
import { EXIT_CANNOT_RUN, EXIT_OK, EXIT_USAGE, parseCommand, usageError } from './cli-args.ts';
import { runPolicyCommand } from './policy-commands.ts';

const USAGE = `usage: certguard <command> [options]
       certguard --version | --help

commands:
  migrate    apply pending database migrations (DATABASE_URL, or the embedded database in CERTGUARD_DATA_DIR)
  policy     test [dir] runs the rule bundle's test cases; lint [dir] type-checks it; eval decides one input offline
  audit      verify checks the audit hash chain; lookup prints events as CloudTrail records (NDJSON);
             partitions lists (and creates ahead) the monthly partitions of the audit table

certguard <command> --help for its options.
exit status: 0 success; 1 a finding (a failed policy test, a broken chain...); 2 usage error; 3 cannot run
(database unreachable, a missing file...). docs/cli.md has every command.`;

const MIGRATE_USAGE = `usage: certguard migrate

  Applies pending migrations to the database of DATABASE_URL (or the embedded one in CERTGUARD_DATA_DIR).
  exit status: 0 up to date; 2 usage error; 3 cannot run (database unreachable, a migration failed)`;

/** The version of the installed certguard: package.json's. */
export function certguardVersion(): string {
  return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

async function migrate(args: string[]): Promise<number> {
  const parsed = parseCommand(args, MIGRATE_USAGE, {});
  if (typeof parsed === 'number') return parsed;
  const database = await openDatabase(loadConfig(), { fromTemplate: false });
  try {
    const result = await migrateToLatest(database.db);
    const applied = result.results ?? [];
    if (applied.length === 0) console.log('database is up to date');
    for (const r of applied) console.log(`${r.status.toLowerCase()}: ${r.migrationName}`);
    return EXIT_OK;
  } finally {
    await database.close();
  }
}

async function run(args: string[]): Promise<number> {
  switch (args[0]) {
    case 'migrate':
      return migrate(args.slice(1));
    case 'policy':
      return runPolicyCommand(args.slice(1));
    case 'audit':
      return runAuditCommand(args.slice(1));
    case '--version':
    case '-V':
    case 'version':
      console.log(`certguard ${certguardVersion()}`);
      return EXIT_OK;
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return EXIT_OK;
    case undefined:
      console.error(USAGE);
      return EXIT_USAGE;
    default:
      return usageError(`unknown command "${args[0]}"`, USAGE);
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  // What no command handled itself: the configuration, the database or the file system refused. Nothing was done.
  console.error(error instanceof ConfigError ? error.message : `certguard: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = EXIT_CANNOT_RUN;
}
