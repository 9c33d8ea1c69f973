/**
 * `certguard audit partitions [--ensure] [--json]`: lists the partitions of audit_events (name, bound, estimated
 * rows); with --ensure, first creates this month's and the next months' partitions — the job to run as the table
 * owner when the service itself runs with the least-privileged role (docs/audit.md section 7).
 */
import { ensureAuditPartitions, listAuditPartitions } from '../audit/retention/audit-partitions.ts';
import { MONTHS_AHEAD } from '../audit/retention/partition-maintainer.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { EXIT_CANNOT_RUN, EXIT_FINDING, EXIT_OK, parseCommand } from './cli-args.ts';

export const AUDIT_PARTITIONS_USAGE = `usage: certguard audit partitions [--ensure] [--json]

  Lists the monthly partitions of audit_events in the database of DATABASE_URL (or the embedded one in
  CERTGUARD_DATA_DIR; stop the service first, the embedded database is one process's).
  --ensure   first create the partitions of this month and the next ${MONTHS_AHEAD} (needs the table owner's rights)
  --json     print JSON only
  exit status: 0 listed (and created); 1 a partition could not be created; 2 usage error; 3 cannot run (database
  unreachable)`;

export async function runAuditPartitions(args: string[]): Promise<number> {
  const parsed = parseCommand(args, AUDIT_PARTITIONS_USAGE, { ensure: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } });
  if (typeof parsed === 'number') return parsed;
  const values = parsed.values;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase(loadConfig());
  } catch (error) {
    console.error(`certguard audit partitions cannot run: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_CANNOT_RUN;
  }
  try {
    const ensured = values.ensure ? await ensureAuditPartitions(database.db, new Date(), MONTHS_AHEAD) : undefined;
    const partitions = await listAuditPartitions(database.db);
    if (values.json) {
      console.log(JSON.stringify({ ...(ensured ? { created: ensured.created, failed: ensured.failed } : {}), partitions }, null, 2));
    } else {
      for (const name of ensured?.created ?? []) console.log(`created ${name}`);
      for (const failure of ensured?.failed ?? []) console.error(`could not create ${failure.name}: ${failure.reason}`);
      for (const partition of partitions) {
        const rows = partition.estimatedRows < 0 ? 'rows unknown (not analyzed)' : `~${Math.round(partition.estimatedRows)} rows`;
        console.log(`${partition.name}  ${partition.bound}  ${rows}`);
      }
    }
    return ensured && ensured.failed.length > 0 ? EXIT_FINDING : EXIT_OK;
  } finally {
    await database.close();
  }
}
