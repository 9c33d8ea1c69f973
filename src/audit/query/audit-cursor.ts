/**
 * Cursors of GET /v1/audit/events: opaque to clients, a keyset position underneath (the sort key of the last event
 * returned: its sequence, and its event time when the query orders by time), so a page never shifts when rows
 * are appended meanwhile. A cursor is bound to the filters and order it was issued for, by a fingerprint of them:
 * reusing it with other filters would silently skip or repeat rows, so it is refused (400) instead. It is not a
 * secret or a capability — an auditor can read every row anyway.
 */
import { createHash } from 'node:crypto';
import { InvalidRequestError } from '../../errors.ts';
import { AUDIT_FILTER_NAMES, type AuditFilters } from './audit-filters.ts';

export type AuditOrder = 'asc' | 'desc';

/** Where a page ends: the last event's sequence, and its event time (UTC, 6 fraction digits) in time order. */
export interface AuditPosition {
  sequence: string;
  eventTime?: string;
}

interface CursorBody {
  v: 1;
  s: string;
  t?: string;
  /** Fingerprint of the filters and the order. */
  f: string;
}

/** Canonical (fixed member order, absent members left out) so equal filters always give the same fingerprint. */
export function filterFingerprint(filters: AuditFilters, order: AuditOrder): string {
  const canonical = AUDIT_FILTER_NAMES.map((name) => [name, filters[name] ?? null]);
  return createHash('sha256')
    .update(JSON.stringify({ order, filters: canonical }))
    .digest('base64url')
    .slice(0, 22);
}

export function encodeAuditCursor(position: AuditPosition, filters: AuditFilters, order: AuditOrder): string {
  const body: CursorBody = { v: 1, s: position.sequence, ...(position.eventTime ? { t: position.eventTime } : {}), f: filterFingerprint(filters, order) };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const SEQUENCE = /^\d{1,19}$/;
const EVENT_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

function parse(cursor: string): CursorBody | undefined {
  try {
    const bytes = Buffer.from(cursor, 'base64url');
    // Buffer decoding ignores stray characters; a cursor must be exactly what we encoded.
    if (bytes.toString('base64url') !== cursor) return undefined;
    const body = JSON.parse(bytes.toString('utf8')) as Partial<CursorBody>;
    const valid =
      body.v === 1 &&
      typeof body.s === 'string' &&
      SEQUENCE.test(body.s) &&
      typeof body.f === 'string' &&
      (body.t === undefined || (typeof body.t === 'string' && EVENT_TIME.test(body.t)));
    return valid ? (body as CursorBody) : undefined;
  } catch {
    return undefined;
  }
}

/** The position to continue after; InvalidRequestException for a malformed cursor or one issued for other filters. */
export function decodeAuditCursor(cursor: string, filters: AuditFilters, order: AuditOrder): AuditPosition {
  const body = parse(cursor);
  if (!body) throw new InvalidRequestError('The cursor is not valid: pass the nextCursor of a previous response unchanged');
  if (body.f !== filterFingerprint(filters, order)) {
    throw new InvalidRequestError('The cursor was issued for other filters or another order: repeat the same query parameters with it');
  }
  return { sequence: body.s, ...(body.t !== undefined ? { eventTime: body.t } : {}) };
}
