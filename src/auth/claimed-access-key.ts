/**
 * The access key id a refused request CLAIMED, for the audit trail of failed authentications. Only the key id of
 * `Credential=<AKID>/...` (header) or `X-Amz-Credential=<AKID>/...` (query) is taken, and only if it has the shape
 * of a key id: never the signature, the scope or anything else the client sent.
 */
import type { Request } from 'express';

const HEADER_CREDENTIAL = /Credential=([A-Za-z0-9]{1,128})\//;
const QUERY_CREDENTIAL = /[?&]X-Amz-Credential=([A-Za-z0-9]{1,128})(?:\/|%2F)/i;

export function claimedAccessKeyId(req: Pick<Request, 'headers' | 'originalUrl'>): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const match = HEADER_CREDENTIAL.exec(header);
    if (match) return match[1] as string;
  }
  const url = req.originalUrl;
  if (url.includes('Credential=')) {
    const match = QUERY_CREDENTIAL.exec(url);
    if (match) return match[1] as string;
  }
  return null;
}
