/**
 * The outage spool's writer (docs/security.md "Database outages and the spool"). An attempt refused because the
 * database is down cannot be audited there; its audit row (the exact values that would have been inserted, event
 * id and time included) is appended as one JSON line to a local file and fsync'd BEFORE the caller answers the
 * client, so every answered 503 has a durable record. The replayer (spool-replayer.ts) appends them to the trail
 * once the database is back. Bounded: past `maxBytes` of this process's unreplayed records, further attempts
 * are only counted (and logged); the count becomes one summary row at the next replay.
 * Only the refusal paths use it, and only when the database is unreachable: nothing here is on the hot path.
 */
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type winston from 'winston';
import { isDatabaseUnavailable } from '../../db/database-errors.ts';
import { type AppendedAuditEvent, type AuditRow, insertAuditRow } from '../audit.repository.ts';
import type { Database } from '../../db/database.ts';
import { claimedName, newSpoolIdentity, openSegmentName, retireSpoolIdentity, type SpoolIdentity } from './spool-files.ts';

export const SPOOL_FORMAT = 'certguard-audit-spool/1';

/** One line of a spool file. */
export interface SpoolLine {
  format: typeof SPOOL_FORMAT;
  spooledAt: string;
  host: string;
  pid: number;
  /** The audit row, event_time as ISO text. */
  row: Omit<AuditRow, 'event_time'> & { event_time: string };
}

export interface LostAttempts {
  count: number;
  firstAt: string;
  lastAt: string;
}

export interface AuditSpoolOptions {
  dir: string;
  maxBytes: number;
  logger: winston.Logger;
}

export type AuditAppendResult =
  | ({ kind: 'inserted' } & AppendedAuditEvent)
  | { kind: 'spooled'; eventId: string }
  /** The spool was full: only counted (and logged). */
  | { kind: 'lost'; eventId: string };

export class AuditSpool {
  readonly identity: SpoolIdentity = newSpoolIdentity();
  private queue: Promise<unknown> = Promise.resolve();
  private handle: FileHandle | undefined;
  private segment = 0;
  /** Bytes of this process's records not replayed yet (open segment and own claimed files). */
  private pending = 0;
  private lost: LostAttempts | undefined;

  constructor(readonly options: AuditSpoolOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  hasWork(): boolean {
    return this.pending > 0 || this.lost !== undefined;
  }

  /** Appends the row durably; false when the spool is full (the attempt is then only counted). */
  append(row: AuditRow): Promise<boolean> {
    return this.serially(async () => {
      const now = new Date().toISOString();
      const line: SpoolLine = {
        format: SPOOL_FORMAT,
        spooledAt: now,
        host: this.identity.host,
        pid: this.identity.pid,
        row: { ...row, event_time: row.event_time.toISOString() },
      };
      const bytes = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
      if (this.pending + bytes.length > this.options.maxBytes) {
        this.lost = { count: (this.lost?.count ?? 0) + 1, firstAt: this.lost?.firstAt ?? now, lastAt: now };
        return false;
      }
      const handle = await this.openSegment();
      await handle.write(bytes);
      await handle.datasync();
      this.pending += bytes.length;
      return true;
    });
  }

  /** Closes the open segment and renames it claimed by this process: the replayer's own next file (or undefined). */
  rotate(): Promise<string | undefined> {
    return this.serially(async () => {
      if (!this.handle) return undefined;
      await this.handle.close();
      this.handle = undefined;
      const from = path.join(this.dir, openSegmentName(this.identity, this.segment));
      const to = path.join(this.dir, claimedName({ writer: this.identity, segment: this.segment }, this.identity));
      await rename(from, to);
      return to;
    });
  }

  /** A replayed file of this process's own: its bytes no longer count against the bound. */
  released(bytes: number): void {
    this.pending = Math.max(0, this.pending - bytes);
  }

  /** The overflow count, handed to the replayer (which gives it back with restoreLost if it cannot record it). */
  takeLost(): LostAttempts | undefined {
    const lost = this.lost;
    this.lost = undefined;
    return lost;
  }

  restoreLost(lost: LostAttempts): void {
    this.lost = this.lost ? { count: this.lost.count + lost.count, firstAt: lost.firstAt, lastAt: this.lost.lastAt } : lost;
  }

  async close(): Promise<void> {
    await this.serially(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
    retireSpoolIdentity(this.identity);
  }

  private async openSegment(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    this.segment += 1;
    this.handle = await open(path.join(this.dir, openSegmentName(this.identity, this.segment)), 'a', 0o600);
    // The new name must survive a crash too: fsync the directory entry once per segment.
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return this.handle;
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }
}

/**
 * The audit writers' entry point for rows that must not vanish in an outage (refused attempts): inserts the row,
 * or, when the database is unreachable and a spool is configured, spools it. Any other failure is thrown as is.
 */
export async function appendOrSpool(db: Database, spool: AuditSpool | undefined, row: AuditRow): Promise<AuditAppendResult> {
  try {
    return { kind: 'inserted', ...(await insertAuditRow(db, row)) };
  } catch (error) {
    if (!spool || !isDatabaseUnavailable(error)) throw error;
    const stored = await spool.append(row);
    const { logger } = spool.options;
    if (stored) {
      logger.warn('audit row spooled: the database is unavailable', { eventId: row.event_id, requestId: row.request_id, operation: row.operation });
      return { kind: 'spooled', eventId: row.event_id };
    }
    logger.error('audit spool full: an un-auditable attempt is only counted', {
      eventId: row.event_id,
      requestId: row.request_id,
      operation: row.operation,
      maxBytes: spool.options.maxBytes,
    });
    return { kind: 'lost', eventId: row.event_id };
  }
}
