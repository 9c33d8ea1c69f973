/**
 * The export formats: the lines Postgres writes (their `shape`), a header and a footer, and the HTTP
 * headers, so the streaming loop knows none of them.
 * - ndjson: the chain's own line format (docs/audit.md section 5) — verifiable offline by `certguard audit verify`.
 * - csv: RFC 4180, the client view flattened (csv-format.ts).
 * - ocsf: OCSF 1.3.0 API Activity (class 6003), one JSON object per line (ocsf-format.ts).
 * - cloudtrail: one CloudTrail-shaped record per line (cloudtrail-format.ts).
 */
import { type ExportChainRange, exportFooterLine, exportHeaderLine } from '../chain/ndjson-lines.ts';
import { csvHeaderRow } from './csv-format.ts';
import type { ExportShape } from './export-row.ts';

export const EXPORT_FORMAT_NAMES = ['ndjson', 'csv', 'ocsf', 'cloudtrail'] as const;
export type ExportFormatName = (typeof EXPORT_FORMAT_NAMES)[number];

export interface ExportStartFacts {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, taken with the chain head (see export-start.ts). */
  exportedAt: string;
  filtered: boolean;
  filters: Record<string, unknown>;
  chain: ExportChainRange | null;
}

export interface ExportSummary {
  records: number;
  lastChainSeq: string | null;
  lastHash: string | null;
}

export interface ExportFormat {
  /** Which columns its queries select (export-row.ts). */
  shape: ExportShape;
  contentType: string;
  extension: string;
  header(start: ExportStartFacts): string;
  footer(summary: ExportSummary): string;
}

export const EXPORT_FORMATS: Readonly<Record<ExportFormatName, ExportFormat>> = {
  ndjson: {
    shape: 'record',
    contentType: 'application/x-ndjson; charset=utf-8',
    extension: 'ndjson',
    header: exportHeaderLine,
    footer: exportFooterLine,
  },
  csv: {
    shape: 'csv',
    contentType: 'text/csv; charset=utf-8; header=present',
    extension: 'csv',
    header: () => csvHeaderRow(),
    footer: () => '',
  },
  ocsf: {
    shape: 'ocsf',
    contentType: 'application/x-ndjson; charset=utf-8',
    extension: 'ocsf.ndjson',
    header: () => '',
    footer: () => '',
  },
  cloudtrail: {
    shape: 'cloudtrail',
    contentType: 'application/x-ndjson; charset=utf-8',
    extension: 'cloudtrail.ndjson',
    header: () => '',
    footer: () => '',
  },
};
