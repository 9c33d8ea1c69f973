/**
 * The fixed point an export starts from: the chain head, the audit sequence range and the export time, read
 * together while holding the sealer's lock. Under the lock no sealer is between signing a checkpoint and
 * committing it, so every checkpoint signed before `exportedAt` is visible here and covers at most this head:
 * the offline verify's "a checkpoint signed before the export lies beyond its range = truncation" stays sound.
 * The lock is held for three short reads; a sealer meanwhile just waits or skips a round.
 */
import type { Database } from '../../db/database.ts';
import { withChainTables } from '../chain/chain-schema.ts';
import { acquireSealerLock, type ChainHead, chainHead } from '../sealing/chain.repository.ts';
import { utcTimestampText } from '../checkpoints/checkpoint-signature.ts';

export interface ExportStart {
  exportedAt: string;
  head: ChainHead | undefined;
  /** The oldest and newest audit_events.sequence; undefined when the trail is empty. */
  firstSequence: string | undefined;
  latestSequence: string | undefined;
}

export async function readExportStart(db: Database): Promise<ExportStart> {
  return db.transaction().execute(async (transaction) => {
    const trx = withChainTables(transaction);
    await acquireSealerLock(trx, true);
    const exportedAt = utcTimestampText(new Date());
    const head = await chainHead(trx);
    const bounds = await trx
      .selectFrom('audit_events')
      .select((eb) => [eb.fn.min('sequence').as('first'), eb.fn.max('sequence').as('latest')])
      .executeTakeFirst();
    const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));
    return { exportedAt, head, firstSequence: text(bounds?.first), latestSequence: text(bounds?.latest) };
  });
}

/** The hash at a chain position (for a requested range that ends before the head). */
export async function chainHashAt(db: Database, chainSeq: string): Promise<string | undefined> {
  const row = await withChainTables(db).selectFrom('audit_chain').select('hash').where('chain_seq', '=', chainSeq).executeTakeFirst();
  return row?.hash;
}
