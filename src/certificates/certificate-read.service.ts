/** Reads: DescribeCertificate. Reads are not guarded decisions and are not audited (they change nothing). */
import type { Database } from '../db/database.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { mayRead, notFound } from './certificate-access.ts';
import { toCertificateDescription } from './certificate.mapper.ts';
import { findCertificate } from './certificate.repository.ts';

export async function describeCertificate(ctx: { db: Database; region: string }, request: RequestFacts, certificateId: string) {
  const row = await findCertificate(ctx.db, certificateId);
  if (!row || !mayRead(request.caller, row)) throw notFound(certificateId);
  return { certificateDescription: toCertificateDescription(row, ctx.region) };
}
