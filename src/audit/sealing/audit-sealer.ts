/**
 * The background sealer of one certguard process (docs/audit.md section 1). Every `intervalMs` it seals what is
 * queued, batch after batch while batches come back full, so a committed row is chained well within a second.
 * Several processes may run one each: the advisory lock lets one seal at a time and the others skip the round.
 * A failed round (database unreachable...) is logged and retried at the next tick; nothing is lost, the rows
 * stay queued.
 */
import type winston from 'winston';
import type { Database } from '../../db/database.ts';
import { ServiceError } from '../../errors.ts';
import { recordAuditChainHead } from '../../telemetry/audit-metrics.ts';
import { withChainTables } from '../chain/chain-schema.ts';
import { hasQueuedRows } from './chain.repository.ts';
import type { CheckpointSchedule } from '../checkpoints/checkpoint-policy.ts';
import type { StoredCheckpoint } from '../checkpoints/checkpoint.repository.ts';
import { sealBatch, type SealBatchResult } from './seal-batch.ts';
import type { AuditSigningKey } from '../checkpoints/signing-key.ts';

export const SEAL_BATCH_SIZE = 1000;
/** Full batches sealed back to back in one tick at most, so one tick cannot monopolise an embedded database. */
const MAX_BATCHES_PER_TICK = 50;

export interface AuditSealerOptions {
  db: Database;
  key: AuditSigningKey;
  logger: winston.Logger;
  /** 0: no background sealing (sealPending and checkpointNow still work). */
  intervalMs: number;
  schedule: CheckpointSchedule;
  batchSize?: number;
}

export class AuditSealer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** When the interval checkpoint could next be due, so an idle tick can skip the database entirely. */
  private nextIntervalCheck = 0;
  private readonly batchSize: number;

  constructor(private readonly options: AuditSealerOptions) {
    this.batchSize = options.batchSize ?? SEAL_BATCH_SIZE;
  }

  get signingKey(): AuditSigningKey {
    return this.options.key;
  }

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer || this.stopped) return;
    const tick = () => {
      this.running = this.tick().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Stops the timer and waits for a round in progress, so the database can then be closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running.catch(() => {});
  }

  private async tick(): Promise<void> {
    try {
      const intervalDue = this.options.schedule.minutes > 0 && Date.now() >= this.nextIntervalCheck;
      if (!intervalDue && !(await hasQueuedRows(withChainTables(this.options.db)))) return;
      await this.sealPending(false);
      if (intervalDue) this.nextIntervalCheck = Date.now() + Math.min(60_000, this.options.schedule.minutes * 60_000);
    } catch (error) {
      this.options.logger.warn('audit sealing round failed; the rows stay queued and are sealed at the next round', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async batch(wait: boolean, demandCheckpoint = false): Promise<SealBatchResult> {
    const { db, key, schedule, logger } = this.options;
    const result = await sealBatch(db, { batchSize: this.batchSize, wait, key, schedule, demandCheckpoint });
    if (result.head) recordAuditChainHead(Number(result.head.chainSeq));
    if (result.orphans.length > 0) {
      logger.error("queued audit rows vanished before they were sealed (deleted behind certguard's back?)", { sequences: result.orphans });
    }
    if (result.checkpoint)
      logger.info('audit checkpoint signed', { chainSeq: result.checkpoint.chainSeq, reason: result.checkpoint.reason, keyId: result.checkpoint.keyId });
    return result;
  }

  /** Seals everything queued now. `wait`: wait for another process's sealer rather than leave it the work. */
  async sealPending(wait = true): Promise<number> {
    let sealed = 0;
    for (let round = 0; round < MAX_BATCHES_PER_TICK; round++) {
      const result = await this.batch(wait);
      sealed += result.sealed;
      if (!result.locked || result.sealed + result.orphans.length < this.batchSize) break;
    }
    return sealed;
  }

  /** POST /v1/audit/checkpoints: seal what is committed, then sign the head. */
  async checkpointNow(): Promise<StoredCheckpoint> {
    await this.sealPending(true);
    const result = await this.batch(true, true);
    if (!result.checkpoint) throw new ServiceError('InvalidRequestException', 'The audit chain is empty: there is nothing to checkpoint yet');
    return result.checkpoint;
  }
}
