/**
 * The NDJSON export's lines (docs/audit.md section 5): a header with the chain range, one line per audit record
 * (the hashed record plus its chain fields), a footer. The export writes them with these builders and the
 * offline verify reads them back with parseExportLine, so the two cannot drift apart.
 */
import { AUDIT_RECORD_KEYS, type AuditRecord } from './audit-record.ts';

export const NDJSON_EXPORT_FORMAT = 'certguard.audit.ndjson';

export interface ChainFields {
  chainSeq: string;
  prevHash: string;
  hash: string;
}

export interface ExportChainRange {
  fromChainSeq: string;
  toChainSeq: string;
  toHash: string;
}

export interface ExportHeader {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` (utcTimestampText). */
  exportedAt: string;
  /** false only for the whole trail or a contiguous chain range. */
  filtered: boolean;
  filters: Record<string, unknown>;
  chain: ExportChainRange | null;
}

export interface ExportFooter {
  records: number;
  lastChainSeq: string | null;
  lastHash: string | null;
}

export function exportHeaderLine(header: ExportHeader): string {
  return `${JSON.stringify({ kind: 'header', format: NDJSON_EXPORT_FORMAT, version: 1, ...header })}\n`;
}

/** `chain` null for a row not sealed yet; `sealedAt` optional and not hashed. */
export function exportRecordLine(record: AuditRecord, chain: ChainFields | null, sealedAt?: string): string {
  const fields = { chainSeq: chain?.chainSeq ?? null, prevHash: chain?.prevHash ?? null, hash: chain?.hash ?? null };
  return `${JSON.stringify({ ...record, ...fields, ...(sealedAt !== undefined ? { sealedAt } : {}) })}\n`;
}

export function exportFooterLine(footer: ExportFooter): string {
  return `${JSON.stringify({ kind: 'footer', ...footer })}\n`;
}

export type ExportLine =
  | { kind: 'header'; header: ExportHeader }
  | { kind: 'record'; record: AuditRecord; chain: ChainFields | null }
  | { kind: 'footer'; footer: ExportFooter };

const CHAIN_KEYS = new Set(['chainSeq', 'prevHash', 'hash', 'sealedAt']);

/** Splits a record line into the hashed record (every other key, unknown ones included) and its chain fields. */
function recordLine(value: Record<string, unknown>): ExportLine {
  const record: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (!CHAIN_KEYS.has(key)) record[key] = member;
  for (const key of AUDIT_RECORD_KEYS) if (!(key in record)) throw new Error(`record line without "${key}"`);
  const { chainSeq, prevHash, hash } = value;
  const chain = typeof chainSeq === 'string' && typeof prevHash === 'string' && typeof hash === 'string' ? { chainSeq, prevHash, hash } : null;
  return { kind: 'record', record: record as unknown as AuditRecord, chain };
}

export function parseExportLine(line: string): ExportLine {
  const value = JSON.parse(line) as Record<string, unknown>;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
  if (value.kind === 'header') {
    if (value.format !== NDJSON_EXPORT_FORMAT || value.version !== 1) throw new Error(`header: not a ${NDJSON_EXPORT_FORMAT} version 1 export`);
    return { kind: 'header', header: value as unknown as ExportHeader };
  }
  if (value.kind === 'footer') return { kind: 'footer', footer: value as unknown as ExportFooter };
  return recordLine(value);
}
