/**
 * The rule bundle in force. Activation is atomic: the new bundle is stored and its PolicyActivated audit event
 * written in one transaction, and only then swapped in (one assignment), so every decision is made entirely with
 * the old bundle or entirely with the new one, and the audit trail says when the switch happened.
 */
import type { Database } from '../../db/database.ts';
import { appendAdminEvent } from '../../audit/audit.repository.ts';
import type { PolicyBundle } from '../engine/policy-bundle.ts';
import { currentTraceIds } from '../../telemetry/decision-span.ts';
import { lastActivatedHash, storeBundle } from './policy-bundle.repository.ts';

export type ActivationTrigger = 'startup' | 'reload';

export class ActivePolicy {
  #current: PolicyBundle;

  private constructor(initial: PolicyBundle) {
    this.#current = initial;
  }

  /** Starts with `bundle`, recording an activation if it differs from the last one this database saw. */
  static async start(db: Database, bundle: PolicyBundle): Promise<ActivePolicy> {
    const active = new ActivePolicy(bundle);
    await active.#record(db, bundle, await lastActivatedHash(db), 'startup');
    return active;
  }

  get current(): PolicyBundle {
    return this.#current;
  }

  /** Swaps in `next`; false when it is the bundle already in force (same content hash). */
  async activate(db: Database, next: PolicyBundle, trigger: ActivationTrigger): Promise<boolean> {
    const previous = this.#current;
    if (previous.hash === next.hash) return false;
    await this.#record(db, next, previous.hash, trigger);
    this.#current = next;
    return true;
  }

  async #record(db: Database, bundle: PolicyBundle, previousHash: string | undefined, trigger: ActivationTrigger): Promise<void> {
    if (previousHash === bundle.hash) return;
    await db.transaction().execute(async (trx) => {
      await storeBundle(trx, bundle);
      await appendAdminEvent(trx, {
        eventType: 'PolicyActivated',
        policy: bundle.reference(),
        parameters: { previousHash: previousHash ?? null, hash: bundle.hash, name: bundle.name, revision: bundle.revision, trigger },
        trace: currentTraceIds(),
      });
    });
  }
}
