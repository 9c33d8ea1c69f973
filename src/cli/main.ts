/**
 * The `certguard` command. It reads the same configuration variables as the service.
 *   certguard migrate        apply pending migrations to the configured database
 *   certguard policy test|lint [dir]   run / check the guard-rule bundle's own test cases
 *   certguard audit verify [--offline <export.ndjson> --checkpoints <file>]   verify the audit hash chain
 *   certguard audit partitions [--ensure]   list (and create ahead) the monthly partitions of the audit table
 */
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { runPolicyCommand } from './policy-commands.ts';
import { runAuditCommand } from './audit-commands.ts';

const USAGE = `usage: certguard <command>

commands:
  migrate    apply pending database migrations (DATABASE_URL, or the embedded database in CERTGUARD_DATA_DIR)
  policy     policy test [dir] runs the rule bundle's test cases; policy lint [dir] loads and type-checks it
  audit      audit verify [--offline <export.ndjson> --checkpoints <checkpoints.json>] verifies the audit hash chain;
             audit partitions [--ensure] lists (and creates ahead) the monthly partitions of the audit table`;

async function migrate(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const result = await migrateToLatest(database.db);
    const applied = result.results ?? [];
    if (applied.length === 0) console.log('database is up to date');
    for (const r of applied) console.log(`${r.status.toLowerCase()}: ${r.migrationName}`);
    return 0;
  } finally {
    await database.close();
  }
}

async function run(args: string[]): Promise<number> {
  switch (args[0]) {
    case 'migrate':
      return migrate();
    case 'policy':
      return runPolicyCommand(args.slice(1));
    case 'audit':
      return runAuditCommand(args.slice(1));
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return args[0] === undefined ? 2 : 0;
    default:
      console.error(`unknown command "${args[0]}"\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `certguard: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
