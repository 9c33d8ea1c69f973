/**
 * ListCertificates: the caller's certificates (every account's for an auditor), newest first unless
 * isAscendingOrder, in keyset pages (src/request/pagination.ts) so a page never repeats or skips a certificate
 * while others are created. A read: not a guarded decision, not audited.
 */
import { hasRole } from '../request/caller.ts';
import type { Database } from '../db/database.ts';
import { InvalidRequestError } from '../errors.ts';
import { decodeMarker, DEFAULT_PAGE_SIZE, toPage } from '../request/pagination.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { certificateArn } from './certificate-arn.ts';
import { epochSeconds } from './certificate.mapper.ts';
import { type CertificateListRow, listCertificates as listRows } from './certificate.repository.ts';

export interface ListCertificatesInput {
  pageSize?: number;
  marker?: string;
  ascendingOrder?: boolean;
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const CERTIFICATE_ID = /^[0-9a-f]{64}$/;

/** Only a cursor this service could have produced reaches the database (a malformed time would be a 500 there). */
function cursorOf(marker: string): { createdAt: string; certificateId: string } {
  const [createdAt = '', certificateId = ''] = decodeMarker(marker, 2);
  const millis = `${createdAt.slice(0, 23)}Z`;
  const realDate = CURSOR_TIME.test(createdAt) && !Number.isNaN(Date.parse(millis)) && new Date(millis).toISOString() === millis;
  if (!realDate || !CERTIFICATE_ID.test(certificateId)) {
    throw new InvalidRequestError('The marker is not valid: pass the nextMarker of a previous response unchanged');
  }
  return { createdAt, certificateId };
}

function toListItem(row: CertificateListRow, region: string) {
  return {
    certificateArn: certificateArn(region, row.owner_account_id, row.certificate_id),
    certificateId: row.certificate_id,
    status: row.status,
    certificateMode: row.certificate_mode,
    creationDate: epochSeconds(row.created_at),
  };
}

export async function listCertificates(ctx: { db: Database; region: string }, request: RequestFacts, input: ListCertificatesInput) {
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const rows = await listRows(ctx.db, {
    ownerAccountId: hasRole(request.caller, 'auditor') ? null : request.caller.accountId,
    ascending: input.ascendingOrder ?? false,
    ...(input.marker !== undefined ? { after: cursorOf(input.marker) } : {}),
    limit: pageSize + 1,
  });
  const page = toPage(rows, pageSize, (row) => [row.created_cursor, row.certificate_id]);
  return {
    certificates: page.items.map((row) => toListItem(row, ctx.region)),
    ...(page.nextMarker !== undefined ? { nextMarker: page.nextMarker } : {}),
  };
}
