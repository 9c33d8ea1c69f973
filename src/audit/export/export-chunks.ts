/**
 * The SQL that turns an export query's rows into finished lines: Postgres writes each line (the NDJSON record
 * built by the query, a CSV row or an OCSF line built from its columns), so Node forwards lines instead of
 * parsing ~30 columns per row and serializing them again (measured: Node doing it cost more than Postgres does).
 * Two ways to receive them:
 * - copyChunk, on a Postgres server, for a query without parameters (a window of the whole trail or of a chain
 *   range): COPY in binary format, one line per tuple; the lines' bytes go to the socket without ever becoming
 *   JavaScript strings (src/db/copy-out.ts says why that matters).
 * - runChunked, everywhere else (PGlite, filtered walks): Postgres also joins the lines, in walk order, into
 *   ~70 kB chunks, so Node receives a few strings per batch rather than a row per line.
 */
import { type Compilable, sql } from 'kysely';
import type { CopyOut } from '../../db/copy-out.ts';
import type { PlanSettings } from '../../db/plan-settings.ts';
import type { Database } from '../../db/database.ts';
import { utcTimestamp } from '../chain/audit-record.ts';
import { cloudtrailLineSql } from './cloudtrail-format.ts';
import { csvLineSql } from './csv-format.ts';
import type { BlockPool } from './block-pool.ts';
import { CopyLineCollector } from './copy-line-collector.ts';
import type { ExportChunk, ExportRow, ExportShape } from './export-row.ts';
import { ocsfLineSql } from './ocsf-format.ts';
import { ruleOutcomesJoin } from './rule-outcomes-sql.ts';

/** Lines per chunk: ~2 kB lines make ~70 kB strings, below V8's large-object size (~128 kB). */
const LINES_PER_CHUNK = 32;

/** What Postgres joins into chunks: the NDJSON line built by the query, or a CSV row / OCSF line built from its columns. */
const CHUNK_LINES = {
  record: { line: 't.line', end: String.raw`E'\n'`, join: '' },
  csv: { line: csvLineSql('t'), end: String.raw`E'\r\n'`, join: ruleOutcomesJoin('t') },
  'csv-raw': { line: csvLineSql('t', { formulaGuard: false }), end: String.raw`E'\r\n'`, join: ruleOutcomesJoin('t') },
  ocsf: { line: ocsfLineSql('t'), end: String.raw`E'\n'`, join: '' },
  cloudtrail: { line: cloudtrailLineSql('t'), end: String.raw`E'\n'`, join: '' },
};

/** Columns every export query adds: its walk order (k1, k2) and the row's sequence and event time (its keyset). */
export function orderColumns(k1: string, k2: string) {
  return [
    sql<string>`${sql.raw(k1)}`.as('k1'),
    sql<string>`${sql.raw(k2)}`.as('k2'),
    sql<string>`audit_events.sequence::text`.as('sequence'),
    utcTimestamp('audit_events.event_time').as('et'),
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

/**
 * The one good plan for a window, whatever the statistics say: walk the key range by its index (already in walk
 * order), look each row up by its key. Measured without these: a bitmap scan, two parallel workers and a sort of
 * the lines spilled to disk for a 4000-row chain window. And no JIT: the line expressions are large, and compiling
 * them when a window's estimated cost crosses jit_above_cost costs more than running them.
 */
const WINDOW_PLAN: PlanSettings = [
  ['max_parallel_workers_per_gather', '0'],
  ['enable_bitmapscan', 'off'],
  ['enable_hashjoin', 'off'],
  ['enable_mergejoin', 'off'],
  ['enable_sort', 'off'],
  ['jit', 'off'],
];

/** The line end of each shape, as bytes: the COPY path appends them in Node. */
const LINE_END_BYTES: Readonly<Record<ExportShape, Buffer>> = {
  record: Buffer.from('\n'),
  csv: Buffer.from('\r\n'),
  'csv-raw': Buffer.from('\r\n'),
  ocsf: Buffer.from('\n'),
  cloudtrail: Buffer.from('\n'),
};

/**
 * Runs an export query as one COPY on a Postgres server: its rows turned into lines by Postgres, in walk order,
 * received as bytes (copy-line-collector.ts), each followed by its line end, with the last chain position and
 * hash they cover, in blocks of `pool` that go back to it once written. The query must have no parameters
 * (src/db/copy-out.ts).
 */
export async function copyChunk(copyOut: CopyOut, db: Database, shape: ExportShape, query: Compilable, pool: BlockPool): Promise<ExportChunk[]> {
  const { line, join } = CHUNK_LINES[shape];
  const collector = new CopyLineCollector(LINE_END_BYTES[shape], pool);
  const select = sql`SELECT ${sql.raw(line)} AS line, t.chain_seq, t.hash FROM (${query}) t ${sql.raw(join)} ORDER BY t.k1, t.k2`;
  await copyOut(select.compile(db), collector, WINDOW_PLAN);
  if (collector.records === 0) return [];
  const lines = collector.lines();
  return [{ lines, records: collector.records, chain_seq: collector.lastChainSeq, hash: collector.lastHash, written: () => pool.release(lines) }];
}
