/**
 * GET /v1/audit/export: which rows, in which order, and the facts the file states about itself.
 * - A chain range (`fromChainSeq`/`toChainSeq`): those sealed positions in chain order (other filters may narrow it).
 * - The whole trail as NDJSON: chain positions 1..head in chain order, then the rows not sealed yet — exactly what
 *   the offline verify walks (docs/audit.md section 5).
 * - Anything else: the matching rows in `sequence` order (event-time order with from/to, as the query API), each
 *   with its chain link if sealed.
 * Every variant stops at the head / newest sequence read when the export started.
 */
import type { Database } from '../../db/database.ts';
import { InvalidRequestError } from '../../errors.ts';
import type { ExportChainRange } from '../chain/ndjson-lines.ts';
import type { AuditFilters } from '../query/audit-filters.ts';
import { EXPORT_FORMATS, type ExportFormat, type ExportFormatName, type ExportStartFacts } from './export-formats.ts';
import { allEventsWalk, chainWalk, type ExportChunk, type ExportReader, sequenceWalk, unsealedWalk } from './export-source.ts';
import type { ExportShape } from './export-row.ts';
import { chainHashAt, type ExportStart, readExportStart } from './export-start.ts';

export interface AuditExportRequest {
  format: ExportFormatName;
  filters: AuditFilters;
  /** Inclusive chain positions (decimal strings). */
  fromChainSeq?: string;
  toChainSeq?: string;
  /** format=csv only: false turns the spreadsheet-formula guard off (csv-format.ts). Default true. */
  csvFormulaGuard?: boolean;
}

export interface PreparedExport {
  format: ExportFormat;
  start: ExportStartFacts;
  batches: AsyncGenerator<ExportChunk[]>;
}

async function* nothing(): AsyncGenerator<ExportChunk[]> {}

async function* wholeTrail(reader: ExportReader, start: ExportStart): AsyncGenerator<ExportChunk[]> {
  if (start.latestSequence === undefined) return;
  if (start.head) yield* chainWalk(reader, {}, '1', start.head.chainSeq, 'record');
  yield* unsealedWalk(reader.db, start.head?.chainSeq ?? '0', start.latestSequence, 'record');
}

/** CSV/OCSF, or filtered: by sequence (or event time), windows of the whole table when there is no filter. */
function eventsInOrder(reader: ExportReader, request: AuditExportRequest, start: ExportStart, shape: ExportShape): AsyncGenerator<ExportChunk[]> {
  const { firstSequence, latestSequence } = start;
  if (firstSequence === undefined || latestSequence === undefined) return nothing();
  if (Object.keys(request.filters).length === 0) return allEventsWalk(reader, firstSequence, latestSequence, shape);
  return sequenceWalk(reader.db, request.filters, latestSequence, shape);
}

async function requestedRange(db: Database, request: AuditExportRequest, start: ExportStart): Promise<ExportChainRange> {
  const head = start.head;
  const from = request.fromChainSeq ?? '1';
  const to =
    head === undefined
      ? undefined
      : request.toChainSeq !== undefined && BigInt(request.toChainSeq) < BigInt(head.chainSeq)
        ? request.toChainSeq
        : head.chainSeq;
  const toHash = to === undefined ? undefined : to === head?.chainSeq ? head.hash : await chainHashAt(db, to);
  if (to === undefined || toHash === undefined || BigInt(from) > BigInt(to)) {
    throw new InvalidRequestError(
      `No sealed audit entries in the chain range ${from}..${request.toChainSeq ?? 'head'} (chain head: ${head?.chainSeq ?? 'none yet'})`,
    );
  }
  return { fromChainSeq: from, toChainSeq: to, toHash };
}

/** `reader.copyOut`: the Postgres server's COPY reader, the fast path of unfiltered windows (absent on PGlite). */
export async function prepareAuditExport(reader: ExportReader, request: AuditExportRequest): Promise<PreparedExport> {
  const { db } = reader;
  const start = await readExportStart(db);
  const filtered = Object.keys(request.filters).length > 0;
  const filters = { ...request.filters, ...pick(request, ['fromChainSeq', 'toChainSeq']) };
  const format = EXPORT_FORMATS[request.format];
  const shape: ExportShape = format.shape === 'csv' && request.csvFormulaGuard === false ? 'csv-raw' : format.shape;
  const headRange = start.head ? { fromChainSeq: '1', toChainSeq: start.head.chainSeq, toHash: start.head.hash } : null;

  if (request.fromChainSeq !== undefined || request.toChainSeq !== undefined) {
    const chain = await requestedRange(db, request, start);
    const batches = chainWalk(reader, request.filters, chain.fromChainSeq, chain.toChainSeq, shape);
    return { format, start: { exportedAt: start.exportedAt, filtered, filters, chain }, batches };
  }
  const facts = { exportedAt: start.exportedAt, filtered, filters, chain: headRange };
  if (!filtered && request.format === 'ndjson') return { format, start: facts, batches: wholeTrail(reader, start) };
  return { format, start: facts, batches: eventsInOrder(reader, request, start, shape) };
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}
