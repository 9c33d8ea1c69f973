/**
 * Streams a prepared export into an HTTP response: header, one batch of rows at a time (read from the database
 * only when the previous batch has been taken by the socket), footer. At most one batch is in memory. A client
 * that disconnects stops the reading at the next batch boundary.
 */
import type { Response } from 'express';
import type { PreparedExport } from './audit-export.service.ts';
import type { ExportSummary } from './export-formats.ts';
import type { ExportRow } from './export-row.ts';
import { ResponseWriter } from './response-writer.ts';

export interface ExportOutcome extends ExportSummary {
  /** false: the client went away before the end. */
  complete: boolean;
}

function fileName(exportedAt: string, extension: string): string {
  const compact = exportedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `certguard-audit-${compact}.${extension}`;
}

/**
 * Lines joined into chunks of about CHUNK_CHARS: few writes, and every string stays below V8's large-object size
 * (~128 kB). A whole batch joined at once (~2 MB) would be a large object, freed only by a full GC: the heap, and
 * the RSS with it, would then grow by a batch per batch between full GCs.
 */
const CHUNK_CHARS = 64 * 1024;

function* chunks(rows: readonly ExportRow[], line: (row: ExportRow) => string): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const row of rows) {
    const text = line(row);
    parts.push(text);
    size += text.length;
    if (size >= CHUNK_CHARS) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

export function startExportResponse(res: Response, prepared: PreparedExport): void {
  res.status(200);
  res.setHeader('Content-Type', prepared.format.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${fileName(prepared.start.exportedAt, prepared.format.extension)}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

export async function streamExport(res: Response, prepared: PreparedExport): Promise<ExportOutcome> {
  const { format, start, batches } = prepared;
  const writer = new ResponseWriter(res);
  const summary: ExportSummary = { records: 0, lastChainSeq: null, lastHash: null };
  await writer.write(format.header(start));
  for await (const rows of batches) {
    // `break` ends the generator: no further batch is read once the client has gone.
    if (writer.closed) break;
    for (const chunk of chunks(rows, format.line)) await writer.write(chunk);
    for (const row of rows) {
      if (row.chain_seq !== null && row.hash !== null) {
        summary.lastChainSeq = row.chain_seq;
        summary.lastHash = row.hash;
      }
    }
    for (const row of rows) summary.records += row.records;
  }
  if (writer.closed) return { ...summary, complete: false };
  await writer.write(format.footer(summary));
  res.end();
  return { ...summary, complete: true };
}
