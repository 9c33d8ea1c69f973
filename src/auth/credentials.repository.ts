/**
 * Mirrors the credentials file into the database (accounts and access keys with a fingerprint of the secret,
 * never the secret), so audit queries can join on accounts and a changed secret is visible.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { CredentialsStore } from './credentials-store.ts';

/** Keyed by the access key id, so equal secrets of different keys do not get equal fingerprints. */
export function secretFingerprint(accessKeyId: string, secret: string): string {
  return createHmac('sha256', accessKeyId).update(secret).digest('hex');
}

export async function syncCredentials(db: Database, store: CredentialsStore): Promise<void> {
  const entries = store.entries();
  if (entries.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const accounts = [...new Set(entries.map((e) => e.accountId))].map((account_id) => ({ account_id }));
    await trx
      .insertInto('accounts')
      .values(accounts)
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    await trx
      .insertInto('credentials')
      .values(
        entries.map((e) => ({
          access_key_id: e.accessKeyId,
          account_id: e.accountId,
          roles: e.roles,
          secret_fingerprint: secretFingerprint(e.accessKeyId, e.secretAccessKey),
        })),
      )
      .onConflict((oc) =>
        oc.column('access_key_id').doUpdateSet({
          account_id: (eb) => eb.ref('excluded.account_id'),
          roles: (eb) => eb.ref('excluded.roles'),
          secret_fingerprint: (eb) => eb.ref('excluded.secret_fingerprint'),
          updated_at: sql`now()`,
        }),
      )
      .execute();
  });
}
