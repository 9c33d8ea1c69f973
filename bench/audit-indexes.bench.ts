/**
 * What the audit query API's indexes (migrations/20261127T100000Z-audit-query-indexes.ts) and the console's
 * (migrations/20261204T200000Z-audit-stats-index.ts: the request-id filter and the covering index of
 * GET /v1/audit/stats) cost the write path:
 * decision throughput of a service whose audit_events has them versus one where they were dropped, two real
 * services on two fresh databases, rounds interleaved (support/ab-throughput.ts). Every audit row updates each
 * index, so this is the price of fast filtered queries and exports; the target is to keep ≥ 90%.
 */
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { measureSides, type Side, startSide, stopSide, throughputRows } from './support/ab-throughput.ts';
import type { BenchOptions, BenchResult } from './support/bench-module.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/bench-database.ts';

export const name = 'audit-indexes';

/** The indexes those migrations added (on the partitioned parent: dropping one drops it on every partition). */
const QUERY_INDEXES = [
  'audit_events_caller_account',
  'audit_events_operation',
  'audit_events_decision',
  'audit_events_target_account',
  'audit_events_failing_rule',
  'audit_events_trace',
  'audit_events_time_sequence',
  // The console's: the request-id filter and the stats index (event_time INCLUDE 4 columns, the widest of them).
  'audit_events_request',
  'audit_events_stats',
];

async function prepare(scratch: ScratchDatabase, withoutQueryIndexes: boolean): Promise<void> {
  const database = await openDatabase({ databaseUrl: scratch.serviceEnv.DATABASE_URL, dataDir: scratch.serviceEnv.CERTGUARD_DATA_DIR ?? 'memory://' });
  try {
    await migrateToLatest(database.db);
    if (withoutQueryIndexes) for (const index of QUERY_INDEXES) await sql`DROP INDEX ${sql.id(index)}`.execute(database.db);
  } finally {
    await database.close();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const p = options.quick ? { roundMs: 2_000, rounds: 1, warmupMs: 500 } : { roundMs: 3_000, rounds: 4, warmupMs: 1_500 };
  const scratches = [await createScratchDatabase(options.database), await createScratchDatabase(options.database)] as const;
  const sides: Side[] = [];
  try {
    await prepare(scratches[0], true);
    await prepare(scratches[1], false);
    sides.push(await startSide('without query indexes', scratches[0], {}));
    sides.push(await startSide('with query indexes', scratches[1], {}));
    await measureSides(sides, p, options.log, 'audit-indexes');
    for (const side of sides) await stopSide(side);
    const names = { measured: 'with the audit query and console indexes', baseline: `without them (${QUERY_INDEXES.length} indexes dropped)` };
    return throughputRows(sides[0]!, sides[1]!, names, 0.9);
  } finally {
    for (const side of sides) await side.service.stop();
    for (const scratch of scratches) await scratch.drop();
  }
}
