/** Builds the process's audit sealer from the configuration (signing key included) and starts it. */
import type winston from 'winston';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { AuditSealer } from './audit-sealer.ts';
import { loadAuditSigningKey } from '../checkpoints/signing-key.ts';

/** `background: false`: a worker of a group, whose primary runs the group's one background sealer (checkpoints on demand still work). */
export async function startAuditSealer(config: Readonly<Config>, db: Database, logger: winston.Logger, background = true): Promise<AuditSealer> {
  const key = await loadAuditSigningKey(config, logger);
  const sealer = new AuditSealer({
    db,
    key,
    logger,
    intervalMs: background ? config.auditSealIntervalMs : 0,
    schedule: { every: config.auditCheckpointEvery, minutes: config.auditCheckpointMinutes },
  });
  sealer.start();
  if (background && config.auditSealIntervalMs === 0) logger.info('audit sealer disabled in this process (CERTGUARD_AUDIT_SEAL_INTERVAL_MS=0)');
  return sealer;
}
