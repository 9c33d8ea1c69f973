/** SQL for stored rule bundles and their activation events. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PolicyBundle } from '../engine/policy-bundle.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Keeps the bundle's files by hash; storing the same bundle again is a no-op. */
export async function storeBundle(db: Executor, bundle: PolicyBundle): Promise<void> {
  await db
    .insertInto('policy_bundles')
    .values({ hash: bundle.hash, name: bundle.name, revision: bundle.revision, files: JSON.stringify(Object.fromEntries(bundle.sources)) })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
}

/** The hash of the bundle most recently activated against this database, by any certguard process. */
export async function lastActivatedHash(db: Executor): Promise<string | undefined> {
  const row = await db
    .selectFrom('audit_events')
    .select('policy_hash')
    .where('event_type', '=', 'PolicyActivated')
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.policy_hash ?? undefined;
}
