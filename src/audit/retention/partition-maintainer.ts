/**
 * Keeps audit_events partitioned ahead of time: at start-up and every 6 hours, creates the partitions of this
 * month and the next MONTHS_AHEAD months (audit-partitions.ts). Creating tables needs the table owner's rights;
 * a service running as the least-privileged certguard_app role cannot, and says so once — then the owner's
 * `certguard audit partitions --ensure` (e.g. a monthly cron job) does it, and until it does, rows land in the
 * default partition: nothing is lost either way.
 */
import type winston from 'winston';
import type { Database } from '../../db/database.ts';
import { ensureAuditPartitions } from './audit-partitions.ts';

export const MONTHS_AHEAD = 2;
const INTERVAL_MS = 6 * 60 * 60 * 1000;

export class PartitionMaintainer {
  private timer: NodeJS.Timeout | undefined;
  private warned = false;

  constructor(
    private readonly db: Database,
    private readonly logger: winston.Logger,
  ) {}

  async start(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<void> {
    try {
      const result = await ensureAuditPartitions(this.db, new Date(), MONTHS_AHEAD);
      if (result.created.length > 0) this.logger.info('audit partitions created', { partitions: result.created });
      if (result.failed.length > 0 && !this.warned) {
        this.warned = true;
        this.logger.warn(
          'audit partitions could not be created: run `certguard audit partitions --ensure` as the table owner (docs/audit.md section 7); until then new rows go to audit_events_default',
          { failed: result.failed },
        );
      }
    } catch (error) {
      this.logger.warn('audit partition maintenance failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
