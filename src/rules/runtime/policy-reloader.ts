/**
 * Hot reload of the rule bundle, on SIGHUP and (when CERTGUARD_POLICIES_WATCH=true) on a change in the policies
 * directory. A candidate is loaded and type-checked, then verified (its policy tests must pass), and activated
 * only if all of that succeeds; otherwise the running bundle stays in force, and the refusal is logged and audited.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type winston from 'winston';
import type { Database } from '../../db/database.ts';
import { loadPolicyBundle, type PolicyBundle } from '../engine/policy-bundle.ts';
import type { ActivePolicy } from './active-policy.ts';
import { auditReloadRefused } from './reload-refusal-audit.ts';

/** Throws (with a message saying why) when a candidate bundle must not be activated. */
export type BundleVerifier = (bundle: PolicyBundle) => Promise<void>;

export interface ReloadResult {
  activated: boolean;
  hash?: string;
  error?: string;
}

const WATCH_DEBOUNCE_MS = 300;

export class PolicyReloader {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: { db: Database; active: ActivePolicy; dir: string; verify: BundleVerifier; logger: winston.Logger }) {}

  /** Reloads from the directory; reloads never overlap (each waits for the one before). */
  reload(reason: string): Promise<ReloadResult> {
    const next = this.#queue.then(() => this.#reloadNow(reason));
    this.#queue = next;
    return next;
  }

  async #reloadNow(reason: string): Promise<ReloadResult> {
    const { active, logger } = this.deps;
    const before = active.current.hash;
    try {
      const candidate = await loadPolicyBundle(this.deps.dir);
      await this.deps.verify(candidate);
      const activated = await active.activate(this.deps.db, candidate, 'reload');
      logger.info(activated ? 'policy bundle activated' : 'policy bundle unchanged', {
        reason,
        previousHash: before,
        hash: candidate.hash,
        revision: candidate.revision,
      });
      return { activated, hash: candidate.hash };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error('policy reload refused: the running bundle stays in force', { reason, hash: before, error: message });
      await auditReloadRefused(this.deps, { trigger: reason, reason: message, running: active.current.reference() });
      return { activated: false, error: message };
    }
  }

  /** Watches the bundle directory and its tests folder; returns a function that stops watching. */
  watch(): () => void {
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.reload('file change'), WATCH_DEBOUNCE_MS);
    };
    const watchers: FSWatcher[] = [];
    for (const dir of [this.deps.dir, path.join(this.deps.dir, 'tests')]) {
      try {
        watchers.push(watch(dir, changed));
      } catch {
        // tests/ is optional
      }
    }
    return () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    };
  }
}
