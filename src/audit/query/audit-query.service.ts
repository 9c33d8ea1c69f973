/** GET /v1/audit/events and GET /v1/audit/events/{eventId}: the auditor's search over the audit trail. */
import type { Database } from '../../db/database.ts';
import { InvalidRequestError, ResourceNotFoundError } from '../../errors.ts';
import { type AuditEventView, toAuditEventView } from './audit-event-view.ts';
import { type AuditOrder, decodeAuditCursor, encodeAuditCursor } from './audit-cursor.ts';
import type { AuditFilters } from './audit-filters.ts';
import { findAuditEventById, findAuditEventPage, ordersByTime } from './audit-query.repository.ts';

export const DEFAULT_AUDIT_PAGE_SIZE = 100;

export interface AuditEventsQuery {
  filters: AuditFilters;
  /** Default desc: newest first (by sequence; by event time, then sequence, when from or to is given). */
  order?: AuditOrder;
  /** 1–1000 (the validator enforces it); default 100. */
  limit?: number;
  cursor?: string;
}

export interface AuditEventsPage {
  events: AuditEventView[];
  /** Present only when more events match. */
  nextCursor?: string;
}

export async function listAuditEvents(db: Database, query: AuditEventsQuery): Promise<AuditEventsPage> {
  const order = query.order ?? 'desc';
  const limit = query.limit ?? DEFAULT_AUDIT_PAGE_SIZE;
  const after = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor, query.filters, order);
  if (after && ordersByTime(query.filters) && after.eventTime === undefined) throw new InvalidRequestError('The cursor is not valid for a time-filtered query');
  // One row more than asked for says whether another page exists, without a count.
  const rows = await findAuditEventPage(db, { filters: query.filters, order, limit: limit + 1, ...(after !== undefined ? { after } : {}) });
  const events = rows.slice(0, limit).map(toAuditEventView);
  if (rows.length <= limit) return { events };
  const last = events[events.length - 1]!;
  const position = ordersByTime(query.filters) ? { sequence: last.sequence, eventTime: last.eventTime } : { sequence: last.sequence };
  return { events, nextCursor: encodeAuditCursor(position, query.filters, order) };
}

export async function getAuditEvent(db: Database, eventId: string): Promise<AuditEventView> {
  const row = await findAuditEventById(db, eventId.toLowerCase());
  if (!row) throw new ResourceNotFoundError(`Audit event ${eventId} does not exist`);
  return toAuditEventView(row);
}
