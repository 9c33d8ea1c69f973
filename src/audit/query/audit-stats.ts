/**
 * GET /v1/audit/stats: audit events counted per time interval, split by decision, operation or failing rule — the
 * console's chart. Counted in the database (one GROUP BY over one range of the (event_time, sequence) index), never
 * by shipping rows to the client; the range is bounded so the work is too (docs/console.md "Cost on a large trail").
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { InvalidRequestError } from '../../errors.ts';
import type { components } from '../../request/api-types.generated.ts';
import { type AuditFilters, auditFilterConditions } from './audit-filters.ts';

export type AuditStats = components['schemas']['AuditStats'];
export type AuditStatsGroup = AuditStats['groupBy'];

const MAX_RANGE_MS = 92 * 24 * 3600_000;
const MAX_BUCKETS = 96;
/** Interval lengths in seconds, shortest first: the shortest that keeps the range within MAX_BUCKETS is used. */
const INTERVALS = [60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400];

const GROUP_COLUMNS = {
  decision: 'audit_events.decision',
  operation: 'audit_events.operation',
  failingRuleId: 'audit_events.failing_rule_id',
} as const;

export interface AuditStatsQuery {
  /** from and to are required (the OpenAPI validator enforces it). */
  filters: AuditFilters & { from: string; to: string };
  groupBy: AuditStatsGroup;
}

export function intervalSecondsFor(fromMs: number, toMs: number): number {
  const seconds = (toMs - fromMs) / 1000;
  return INTERVALS.find((interval) => Math.ceil(seconds / interval) <= MAX_BUCKETS) ?? INTERVALS.at(-1)!;
}

const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The aggregate query, unexecuted: auditStats runs it, bench/audit-console.bench.ts EXPLAINs it. */
export function auditStatsQuery(db: Database, query: AuditStatsQuery, intervalSeconds: number) {
  const filters: AuditFilters = { eventType: 'Decision', ...query.filters };
  const column = sql.ref(GROUP_COLUMNS[query.groupBy]);
  // date_bin works on the timestamp itself: per-row numeric arithmetic on extract(epoch ...) took 2 s on 860k rows.
  const bucket = sql<Date | string>`date_bin(make_interval(secs => ${intervalSeconds}::int), audit_events.event_time, timestamptz '1970-01-01 00:00:00+00')`;
  return db
    .selectFrom('audit_events')
    .select([bucket.as('bucket'), sql<string | null>`${column}`.as('key'), sql<string>`count(*)`.as('count')])
    .where((eb) => eb.and(auditFilterConditions(eb, filters)))
    .groupBy([sql`1`, sql`2`]);
}

export async function auditStats(db: Database, query: AuditStatsQuery): Promise<AuditStats> {
  const fromMs = Date.parse(query.filters.from);
  const toMs = Date.parse(query.filters.to);
  if (!(toMs > fromMs)) throw new InvalidRequestError('to must be later than from');
  if (toMs - fromMs > MAX_RANGE_MS) throw new InvalidRequestError('The range from..to must not exceed 92 days');
  const intervalSeconds = intervalSecondsFor(fromMs, toMs);
  const rows = await auditStatsQuery(db, query, intervalSeconds).execute();
  const step = intervalSeconds * 1000;
  const buckets: AuditStats['buckets'] = [];
  const byStart = new Map<number, AuditStats['buckets'][number]>();
  for (let start = Math.floor(fromMs / step) * step; start < toMs; start += step) {
    const bucket = { start: isoSeconds(Math.max(start, fromMs)), end: isoSeconds(Math.min(start + step, toMs)), counts: [] };
    buckets.push(bucket);
    byStart.set(start, bucket);
  }
  for (const row of rows) {
    byStart.get(new Date(row.bucket).getTime())?.counts.push({ key: row.key, count: Number(row.count) });
  }
  for (const bucket of buckets) bucket.counts.sort((a, b) => String(a.key).localeCompare(String(b.key)));
  return { from: query.filters.from, to: query.filters.to, intervalSeconds, groupBy: query.groupBy, buckets };
}
