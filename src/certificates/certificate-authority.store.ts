/**
 * certguard's issuing CA lives in the database, so every process sharing a database issues from the same CA.
 * The first process to start creates it; concurrent first starts agree through the primary key.
 */
import type { Database } from '../db/database.ts';
import { type CertificateAuthorityMaterial, generateCertificateAuthority } from './certificate-authority.ts';

const CA_ID = 'default';
const CA_COMMON_NAME = 'certguard Issuing CA';

export async function loadOrCreateCertificateAuthority(db: Database): Promise<CertificateAuthorityMaterial> {
  const existing = await db.selectFrom('certificate_authority').selectAll().where('id', '=', CA_ID).executeTakeFirst();
  if (existing) return { certificatePem: existing.certificate_pem, privateKeyPem: existing.private_key_pem };
  const created = await generateCertificateAuthority(CA_COMMON_NAME);
  await db
    .insertInto('certificate_authority')
    .values({ id: CA_ID, certificate_pem: created.certificatePem, private_key_pem: created.privateKeyPem })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const winner = await db.selectFrom('certificate_authority').selectAll().where('id', '=', CA_ID).executeTakeFirstOrThrow();
  return { certificatePem: winner.certificate_pem, privateKeyPem: winner.private_key_pem };
}
