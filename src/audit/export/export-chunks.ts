/**
 * The SQL that turns an export query's rows into finished lines: Postgres writes each line (the NDJSON record
 * built by the query, a CSV row or an OCSF line built from its columns) and joins them, in walk order, into
 * chunks. Node then receives a few ~70 kB strings per batch and forwards them, instead of ~30 columns per row to
 * parse and re-serialize: the export's CPU and garbage in the service drop by an order of magnitude
 * (bench/audit-export.bench.ts), and Postgres, which renders the jsonb values anyway, does it on its own cores.
 */
import { type Compilable, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { utcTimestamp } from '../chain/audit-record.ts';
import { csvLineSql } from './csv-format.ts';
import type { ExportRow, ExportShape } from './export-row.ts';
import { ruleOutcomesJoin } from './rule-outcomes-sql.ts';
import { ocsfLineSql } from './ocsf-format.ts';

/** Lines per chunk: ~2 kB lines make ~70 kB strings, below V8's large-object size (~128 kB). */
const LINES_PER_CHUNK = 32;

/** What Postgres joins into chunks: the NDJSON line built by the query, or a CSV row / OCSF line built from its columns. */
const CHUNK_LINES = {
  record: { line: 't.line', end: String.raw`E'\n'`, join: '' },
  csv: { line: csvLineSql('t'), end: String.raw`E'\r\n'`, join: ruleOutcomesJoin('t') },
  ocsf: { line: ocsfLineSql('t'), end: String.raw`E'\n'`, join: ruleOutcomesJoin('t') },
};

/** Columns every export query adds: its walk order (k1, k2) and the row's sequence and event time (its keyset). */
export function orderColumns(k1: string, k2: string) {
  return [
    sql<string>`${sql.raw(k1)}`.as('k1'), sql<string>`${sql.raw(k2)}`.as('k2'),
    sql<string>`audit_events.sequence::text`.as('sequence'), utcTimestamp('audit_events.event_time').as('et'),
  ];
}

function chunkOf(windowStart: bigint | undefined) {
  return windowStart === undefined
    ? sql`(row_number() OVER (ORDER BY s.k1, s.k2) - 1) / ${sql.lit(LINES_PER_CHUNK)}`
    : sql`(s.k1 - ${sql.lit(String(windowStart))}::bigint) / ${sql.lit(LINES_PER_CHUNK)}`;
}

/**
 * Runs an export query: its rows turned into lines and joined by Postgres, in walk order, into chunks of
 * LINES_PER_CHUNK lines, each with the keys of its last event (sequence, event time) and its last chain position
 * and hash. A query over a window of consecutive keys (`windowStart`: its first k1, an integer key) is chunked by
 * key, `(k1 - windowStart) / LINES_PER_CHUNK`, so chunks of a window with gaps hold fewer lines; other queries
 * number their rows first (a window function, and a sort of the whole batch, that windows avoid).
 */
export async function runChunked(db: Database, shape: ExportShape, query: Compilable, windowStart?: bigint): Promise<ExportRow[]> {
  const { line, end, join } = CHUNK_LINES[shape];
  const last = (column: string) => `(array_agg(t.${column} ORDER BY t.k1 DESC, t.k2 DESC))[1]`;
  const lastSealed = (column: string) => `(array_agg(t.${column} ORDER BY t.k1 DESC, t.k2 DESC) FILTER (WHERE t.chain_seq IS NOT NULL))[1]`;
  const { rows } = await sql<ExportRow>`
    SELECT string_agg(${sql.raw(line)}, ${sql.raw(end)} ORDER BY t.k1, t.k2) || ${sql.raw(end)} AS lines, count(*)::int AS records,
      ${sql.raw(last('sequence'))} AS sequence, ${sql.raw(last('et'))} AS et,
      ${sql.raw(lastSealed('chain_seq'))} AS chain_seq, ${sql.raw(lastSealed('hash'))} AS hash
    FROM (SELECT s.*, ${chunkOf(windowStart)} AS chunk FROM (${query}) s) t ${sql.raw(join)}
    GROUP BY t.chunk ORDER BY t.chunk`.execute(db);
  return rows;
}
