/**
 * Where an export's lines come from, in bounded batches (constant memory whatever the range): the whole table by
 * sequence, matching rows by sequence (or event time) with filters, a contiguous chain range by chain position,
 * and the rows not sealed when the export started. Every walk has an upper bound fixed at the start, so an export
 * ends even while decisions keep coming. Speed and memory (bench/audit-export.bench.ts): Postgres writes the lines
 * (export-row.ts); unfiltered windows arrive by COPY on a Postgres server, everything else by ordinary queries
 * (export-chunks.ts); the next batches are read while the current one is written.
 */
import { type Compilable, sql } from 'kysely';
import type { CopyOut } from '../../db/copy-out.ts';
import type { Database } from '../../db/database.ts';
import { withChainTables } from '../chain/chain-schema.ts';
import type { AuditPosition } from '../query/audit-cursor.ts';
import { type AuditFilters, auditFilterConditions } from '../query/audit-filters.ts';
import { ordersByTime } from '../query/audit-query.repository.ts';
import { BlockPool } from './block-pool.ts';
import { copyChunk, orderColumns, runChunked as run } from './export-chunks.ts';
import { type ExportChunk, exportColumns, type ExportRow, type ExportShape } from './export-row.ts';

export type { ExportChunk } from './export-row.ts';

/** The database an export reads, and its COPY reader when it is a Postgres server (absent on PGlite). */
export interface ExportReader {
  db: Database;
  copyOut?: CopyOut;
}

export const EXPORT_BATCH_SIZE = 1000;
/**
 * Keys per window read by COPY: each COPY is planned anew, and planning the line expressions takes milliseconds,
 * so larger windows (measured: 4000 keys ~10 % faster than 1000); memory stays ~10 MB of Buffers per window.
 */
const COPY_WINDOW_KEYS = 4000;
/** Windows read at once (each on its own pooled connection; PGlite just queues them). */
const WINDOW_PREFETCH = 2;
const eventCount = (rows: readonly ExportRow[]) => rows.reduce((sum, row) => sum + row.records, 0);

type Fetch = (after: AuditPosition | undefined) => Promise<ExportRow[]>;

/**
 * Yields batches from `fetch`, keyset-continued after the last event of each, with the next batch already
 * requested. A consumer that stops early leaves at most that one prefetched read running; its result (or error)
 * is dropped.
 */
async function* keysetBatches(fetch: Fetch): AsyncGenerator<ExportRow[]> {
  let pending = fetch(undefined);
  for (;;) {
    const rows = await pending;
    const last = rows[rows.length - 1];
    const more = last !== undefined && eventCount(rows) === EXPORT_BATCH_SIZE;
    if (more) {
      pending = fetch({ sequence: last.sequence, eventTime: last.et });
      pending.catch(() => {});
    }
    if (rows.length > 0) yield rows;
    if (!more) return;
  }
}

/** audit_events first, its chain link looked up per row (see selectAuditEvents for why LATERAL ... OFFSET 0). */
export function eventsFirst(db: Database, shape: ExportShape) {
  return withChainTables(db)
    .selectFrom('audit_events')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('audit_chain as c')
          .select(['c.chain_seq', 'c.prev_hash', 'c.hash', 'c.sealed_at'])
          .whereRef('c.event_sequence', '=', 'audit_events.sequence')
          .offset(sql.lit(0))
          .as('audit_chain'),
      (join) => join.onTrue(),
    )
    .select(exportColumns(shape));
}

/** A window bound (an integer certguard computed), inlined as a literal: COPY takes no parameters (src/db/copy-out.ts). */
const key = (value: bigint) => sql.lit(String(value));

/** A window's lines: by COPY into `pool`'s blocks when the database has it, else by an ordinary query. */
function readWindow(reader: ExportReader, shape: ExportShape, query: Compilable, windowStart: bigint, pool: BlockPool): Promise<ExportChunk[]> {
  return reader.copyOut !== undefined ? copyChunk(reader.copyOut, reader.db, shape, query, pool) : run(reader.db, shape, query, windowStart);
}

/** Every row from firstSequence to upTo, ascending by sequence, with its chain link if sealed by now. */
export function allEventsWalk(reader: ExportReader, firstSequence: string, upTo: string, shape: ExportShape): AsyncGenerator<ExportChunk[]> {
  const pool = new BlockPool();
  const fetch = (from: bigint, to: bigint) =>
    readWindow(
      reader,
      shape,
      eventsFirst(reader.db, shape)
        .select(orderColumns('audit_events.sequence', 'audit_events.sequence'))
        .where('audit_events.sequence', '>=', key(from))
        .where('audit_events.sequence', '<=', key(to)),
      from,
      pool,
    );
  return windowBatches(fetch, BigInt(firstSequence), BigInt(upTo), reader.copyOut !== undefined ? COPY_WINDOW_KEYS : EXPORT_BATCH_SIZE);
}

/**
 * Matching rows with `sequence <= upTo`, with their chain link if sealed by now: ascending by sequence, or by
 * (event_time, sequence) with a time filter, as the query API orders them (audit-query.repository.ts says why).
 */
export function sequenceWalk(db: Database, filters: AuditFilters, upTo: string, shape: ExportShape): AsyncGenerator<ExportChunk[]> {
  const byTime = ordersByTime(filters);
  const fetch: Fetch = (after) => {
    const query = eventsFirst(db, shape)
      .select(byTime ? orderColumns('audit_events.event_time', 'audit_events.sequence') : orderColumns('audit_events.sequence', 'audit_events.sequence'))
      .where((eb) =>
        eb.and([
          ...auditFilterConditions(eb, filters),
          eb('audit_events.sequence', '<=', upTo),
          ...(after === undefined
            ? []
            : byTime
              ? [sql<boolean>`(audit_events.event_time, audit_events.sequence) > (${after.eventTime}::timestamptz, ${after.sequence}::bigint)`]
              : [eb('audit_events.sequence', '>', after.sequence)]),
        ]),
      );
    const ordered = byTime ? query.orderBy('audit_events.event_time') : query;
    return run(db, shape, ordered.orderBy('audit_events.sequence').limit(EXPORT_BATCH_SIZE));
  };
  return keysetBatches(fetch);
}

/**
 * Yields the rows of consecutive windows of `size` keys (chain positions, or sequences: these have gaps, so a
 * window may hold fewer rows). A window is a batch with no LIMIT (which also keeps Postgres from planning a
 * parallel scan of the whole rest of the range for every batch), and windows are independent: WINDOW_PREFETCH of
 * them are read at once, on as many pooled connections, while the current one is written.
 */
async function* windowBatches(
  fetch: (from: bigint, to: bigint) => Promise<ExportChunk[]>,
  first: bigint,
  last: bigint,
  size: number,
): AsyncGenerator<ExportChunk[]> {
  const pending: Array<Promise<ExportChunk[]>> = [];
  let next = first;
  while (pending.length > 0 || next <= last) {
    while (pending.length < WINDOW_PREFETCH && next <= last) {
      const to = next + BigInt(size) - 1n < last ? next + BigInt(size) - 1n : last;
      const batch = fetch(next, to);
      batch.catch(() => {});
      pending.push(batch);
      next = to + 1n;
    }
    const rows = await pending.shift()!;
    if (rows.length > 0) yield rows;
  }
}

/**
 * Chain positions fromChainSeq..toChainSeq (inclusive) in chain order, each with its audit row, filtered. Without
 * filters the windows are read by COPY where the database has it; filters are request values, which only an
 * ordinary query takes (as parameters).
 */
export function chainWalk(
  reader: ExportReader,
  filters: AuditFilters,
  fromChainSeq: string,
  toChainSeq: string,
  shape: ExportShape,
): AsyncGenerator<ExportChunk[]> {
  const copying = reader.copyOut !== undefined && Object.keys(filters).length === 0;
  const windowReader: ExportReader = copying ? reader : { db: reader.db };
  const pool = new BlockPool();
  const fetch = (from: bigint, to: bigint) => {
    const query = withChainTables(reader.db)
      .selectFrom('audit_chain')
      .innerJoin('audit_events', (join) =>
        join.onRef('audit_events.sequence', '=', 'audit_chain.event_sequence').onRef('audit_events.event_time', '=', 'audit_chain.event_time'),
      )
      .select(exportColumns(shape))
      .select(orderColumns('audit_chain.chain_seq', 'audit_chain.chain_seq'))
      .where((eb) => eb.and([...auditFilterConditions(eb, filters), eb('audit_chain.chain_seq', '>=', key(from)), eb('audit_chain.chain_seq', '<=', key(to))]));
    return readWindow(windowReader, shape, query, from, pool);
  };
  return windowBatches(fetch, BigInt(fromChainSeq), BigInt(toChainSeq), copying ? COPY_WINDOW_KEYS : EXPORT_BATCH_SIZE);
}

/**
 * The next unsealed sequences after `after`: queued for the sealer, or sealed after the export started (beyond
 * `sealedUpTo`). One statement, so a row the sealer moves from the queue to the chain is seen exactly once.
 */
async function unsealedSequences(db: Database, after: string, sealedUpTo: string, upTo: string): Promise<string[]> {
  const { rows } = await sql<{ sequence: string }>`
    SELECT s.sequence::text AS sequence FROM (
      (SELECT sequence FROM audit_seal_queue WHERE sequence > ${after} AND sequence <= ${upTo} ORDER BY sequence LIMIT ${EXPORT_BATCH_SIZE})
      UNION ALL
      (SELECT event_sequence AS sequence FROM audit_chain
        WHERE chain_seq > ${sealedUpTo} AND event_sequence > ${after} AND event_sequence <= ${upTo}
        ORDER BY event_sequence LIMIT ${EXPORT_BATCH_SIZE})
    ) s ORDER BY s.sequence LIMIT ${EXPORT_BATCH_SIZE}`.execute(db);
  return rows.map((row) => row.sequence);
}

/**
 * Rows (`sequence <= upTo`) that were not sealed at positions 1..sealedUpTo when the export started, ascending by
 * sequence. They are exported as unsealed even if the sealer chains them meanwhile: the export's chain range
 * ends at `sealedUpTo`.
 */
export async function* unsealedWalk(db: Database, sealedUpTo: string, upTo: string, shape: ExportShape): AsyncGenerator<ExportChunk[]> {
  // Few rows in practice (the sealer runs every 200 ms), so no prefetch; the keyset is on the queried sequences,
  // so a row deleted between the two reads cannot end the walk early.
  for (let after = '0'; ; ) {
    const sequences = await unsealedSequences(db, after, sealedUpTo, upTo);
    if (sequences.length === 0) return;
    const rows = await run(
      db,
      shape,
      db
        .selectFrom('audit_events')
        .select(exportColumns(shape, false))
        .select(orderColumns('audit_events.sequence', 'audit_events.sequence'))
        .where('audit_events.sequence', 'in', sequences)
        .orderBy('audit_events.sequence'),
    );
    if (rows.length > 0) yield rows;
    if (sequences.length < EXPORT_BATCH_SIZE) return;
    after = sequences[sequences.length - 1]!;
  }
}
