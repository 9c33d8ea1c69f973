/**
 * Pagination in the AWS style: `pageSize` (1–250, default 25), an opaque `marker`, and `nextMarker` only when more
 * remains (the AWS CLI keeps paging until it is absent). A marker is a keyset cursor — the sort key of the last
 * item returned — so pages stay stable while rows are inserted, and a marker cannot be used to skip the query.
 */
import { InvalidRequestError } from '../errors.ts';

export const DEFAULT_PAGE_SIZE = 25;

/** Encodes a cursor (the last item's sort key values) as base64, matching the model's marker pattern. */
export function encodeMarker(cursor: readonly string[]): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64');
}

/** Decodes a marker produced by encodeMarker; anything else is InvalidRequestException. */
export function decodeMarker(marker: string, expectedLength: number): string[] {
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(marker, 'base64').toString('utf8'));
  } catch {
    cursor = undefined;
  }
  if (!Array.isArray(cursor) || cursor.length !== expectedLength || !cursor.every((v) => typeof v === 'string')) {
    throw new InvalidRequestError('The marker is not valid: pass the nextMarker of a previous response unchanged');
  }
  return cursor as string[];
}

export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

/**
 * Cuts a result fetched with `limit pageSize + 1` into a page: the extra row only says whether more remain.
 */
export function toPage<T>(rows: T[], pageSize: number, cursorOf: (item: T) => readonly string[]): Page<T> {
  if (rows.length <= pageSize) return { items: rows };
  const items = rows.slice(0, pageSize);
  return { items, nextMarker: encodeMarker(cursorOf(items[items.length - 1]!)) };
}
