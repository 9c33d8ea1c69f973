/**
 * Streams a prepared export into an HTTP response: header, the batches of lines (each written only once the
 * socket has taken the previous chunk: backpressure), footer. In memory: the batch being written and the ones
 * prefetched (export-source.ts), whatever the export's size. A client that disconnects stops the reading at the
 * next batch boundary.
 */
import type { Response } from 'express';
import type { PreparedExport } from './audit-export.service.ts';
import type { ExportSummary } from './export-formats.ts';
import { ResponseWriter } from './response-writer.ts';

export interface ExportOutcome extends ExportSummary {
  /** false: the client went away before the end. */
  complete: boolean;
}

function fileName(exportedAt: string, extension: string): string {
  const compact = exportedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `certguard-audit-${compact}.${extension}`;
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
    // Strings of ~70 kB as Postgres joined them, or a COPY window's bytes (export-chunks.ts).
    for (const chunk of rows) {
      if (typeof chunk.lines === 'string') await writer.write(chunk.lines, chunk.written);
      else {
        const pieces = chunk.lines;
        for (const [index, piece] of pieces.entries()) await writer.write(piece, index === pieces.length - 1 ? chunk.written : undefined);
      }
      summary.records += chunk.records;
      if (chunk.chain_seq !== null && chunk.hash !== null) {
        summary.lastChainSeq = chunk.chain_seq;
        summary.lastHash = chunk.hash;
      }
    }
  }
  if (writer.closed) return { ...summary, complete: false };
  await writer.write(format.footer(summary));
  res.end();
  return { ...summary, complete: true };
}
