/**
 * A refused reload (SIGHUP or a file change bringing a bundle that does not load or fails its tests) is an
 * administrative event like an activation: a PolicyReloadRefused row naming the trigger, the reason, the bundle
 * that stays in force (policy_* columns) and the rejected bundle's content hash when its files could be read
 * (the same hash bundle-hash.ts gives a loaded bundle: every top-level .yaml/.yml of the directory).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type winston from 'winston';
import { appendSecurityEvent } from '../../audit/security/security-event.repository.ts';
import type { Database } from '../../db/database.ts';
import { bundleHash } from '../engine/bundle-hash.ts';
import type { PolicyReference } from '../engine/decision.ts';
import { currentTraceIds } from '../../telemetry/decision-span.ts';

async function rejectedBundleHash(dir: string): Promise<string | null> {
  try {
    const names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name)).map((entry) => entry.name);
    const sources = new Map<string, string>();
    for (const name of names) sources.set(name, await readFile(path.join(dir, name), 'utf8'));
    return sources.size === 0 ? null : bundleHash(sources);
  } catch {
    return null; // unreadable directory: the reason says why
  }
}

export async function auditReloadRefused(
  deps: { db: Database; dir: string; logger: winston.Logger },
  refusal: { trigger: string; reason: string; running: PolicyReference },
): Promise<void> {
  try {
    await appendSecurityEvent(deps.db, {
      eventType: 'PolicyReloadRefused',
      operation: 'PolicyReloadRefused',
      decision: 'DENY',
      errorType: 'InvalidPolicyBundle',
      errorMessage: refusal.reason,
      policy: refusal.running,
      parameters: { trigger: refusal.trigger, rejectedHash: await rejectedBundleHash(deps.dir), runningHash: refusal.running.hash },
      trace: currentTraceIds(),
    });
  } catch (error) {
    deps.logger.error('could not audit a refused policy reload', { trigger: refusal.trigger, error: error instanceof Error ? error.message : String(error) });
  }
}
