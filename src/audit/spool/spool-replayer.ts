/**
 * Appends spooled audit rows (audit-spool.ts) to the trail once the database is reachable again: at start-up (for
 * files a killed process left) and every `intervalMs` while this process has spooled rows or lost attempts.
 *
 * - A file is taken by an atomic rename (spool-files.ts), so two replicas never replay the same file.
 * - Each batch is one transaction that first reads which of its event ids are already in audit_events and inserts
 *   only the others: a crash after a commit and before the file is removed replays nothing twice.
 * - The rows keep their event id and original event_time (so they land in that month's partition) and get new
 *   sequences: the sealer chains them like any row. They are marked in request_parameters with
 *   `spooled: {spooledAt, replayedAt, host, pid}` (canonical JSON; the chain's record format is unchanged).
 * - Attempts lost because the spool was full become one AuditSpoolOverflow row with their count.
 */
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type winston from 'winston';
import type { Database } from '../../db/database.ts';
import { isDatabaseUnavailable } from '../../db/database-errors.ts';
import { type AuditRow, insertAuditRow, newAuditRow } from '../audit.repository.ts';
import { canonicalJsonText } from '../canonical-json.ts';
import { type AuditSpool, type LostAttempts, SPOOL_FORMAT, type SpoolLine } from './audit-spool.ts';
import { claimedName, mayTake, parseSpoolFileName, sameIdentity } from './spool-files.ts';

const BATCH_SIZE = 500;

export interface ReplayResult {
  files: number;
  inserted: number;
  /** Rows found already in the trail (an earlier replay committed them). */
  skipped: number;
  lostRecorded: number;
}

export class SpoolReplayer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReplayResult> | undefined;
  /** The last pass failed: files it claimed (its own or orphans) are still there, so try again at the next tick. */
  private retry = false;

  constructor(
    private readonly db: Database,
    private readonly spool: AuditSpool,
    private readonly logger: winston.Logger,
    private readonly intervalMs = 2000,
  ) {}

  /** Replays what earlier processes left, then checks every intervalMs while there is work. */
  async start(): Promise<void> {
    await this.replayNow().catch((error: unknown) => this.logFailure(error));
    this.timer = setInterval(() => {
      if ((this.spool.hasWork() || this.retry) && !this.running) void this.replayNow().catch((error: unknown) => this.logFailure(error));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => {});
  }

  /** One pass; concurrent callers share it. Leaves everything in place while the database is unreachable. */
  replayNow(): Promise<ReplayResult> {
    this.running ??= this.pass()
      .then(
        (result) => {
          this.retry = false;
          return result;
        },
        (error: unknown) => {
          this.retry = true;
          throw error;
        },
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<ReplayResult> {
    const result: ReplayResult = { files: 0, inserted: 0, skipped: 0, lostRecorded: 0 };
    await sql`SELECT 1`.execute(this.db); // unreachable: throw before anything is rotated or claimed
    await this.spool.rotate();
    for (const file of await this.takeFiles()) {
      const { inserted, skipped, bytes, own } = await this.replayFile(file);
      await unlink(file);
      if (own) this.spool.released(bytes);
      result.files += 1;
      result.inserted += inserted;
      result.skipped += skipped;
      this.logger.info('audit spool replayed', { file: path.basename(file), inserted, skipped });
    }
    result.lostRecorded = await this.recordLost();
    return result;
  }

  /** Files claimed by this process, and orphans it now claims. */
  private async takeFiles(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.spool.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const me = this.spool.identity;
    const taken: string[] = [];
    for (const name of names.sort()) {
      const file = parseSpoolFileName(name);
      if (!file || !mayTake(file, me)) continue;
      if (file.claimer && sameIdentity(file.claimer, me)) {
        taken.push(path.join(this.spool.dir, name));
        continue;
      }
      const to = path.join(this.spool.dir, claimedName(file, me));
      try {
        await rename(path.join(this.spool.dir, name), to);
        taken.push(to);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // another replica took it first
      }
    }
    return taken;
  }

  private async replayFile(file: string): Promise<{ inserted: number; skipped: number; bytes: number; own: boolean }> {
    const text = await readFile(file, 'utf8');
    const lines = parseLines(text, (problem) => this.logger.error('audit spool: unreadable line skipped', { file: path.basename(file), problem }));
    let inserted = 0;
    let skipped = 0;
    for (let i = 0; i < lines.length; i += BATCH_SIZE) {
      const counts = await this.insertBatch(lines.slice(i, i + BATCH_SIZE));
      inserted += counts.inserted;
      skipped += counts.skipped;
    }
    const name = parseSpoolFileName(path.basename(file));
    return { inserted, skipped, bytes: Buffer.byteLength(text), own: name !== undefined && sameIdentity(name.writer, this.spool.identity) };
  }

  private async insertBatch(lines: SpoolLine[]): Promise<{ inserted: number; skipped: number }> {
    const rows = lines.map(rowOf);
    const times = rows.map((row) => row.event_time.getTime());
    return this.db.transaction().execute(async (trx) => {
      // event_time bounds let the planner probe only the partitions these rows belong to.
      const present = await trx
        .selectFrom('audit_events')
        .select('event_id')
        .where(
          'event_id',
          'in',
          rows.map((row) => row.event_id),
        )
        .where('event_time', '>=', new Date(Math.min(...times)))
        .where('event_time', '<=', new Date(Math.max(...times)))
        .execute();
      const seen = new Set(present.map((row) => row.event_id));
      const replayedAt = new Date().toISOString();
      const fresh = lines.filter((line) => !seen.has(line.row.event_id)).map((line) => marked(line, replayedAt));
      if (fresh.length > 0) await trx.insertInto('audit_events').values(fresh).execute();
      return { inserted: fresh.length, skipped: lines.length - fresh.length };
    });
  }

  private async recordLost(): Promise<number> {
    const lost = this.spool.takeLost();
    if (!lost) return 0;
    try {
      await insertAuditRow(this.db, overflowRow(lost, this.spool));
    } catch (error) {
      this.spool.restoreLost(lost);
      throw error;
    }
    this.logger.error('audit spool overflow recorded: attempts refused during the outage were not audited one by one', { ...lost });
    return lost.count;
  }

  private logFailure(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (isDatabaseUnavailable(error)) this.logger.debug('audit spool replay waits for the database', { error: message });
    else this.logger.error('audit spool replay failed', { error: message });
  }
}

function parseLines(text: string, skip: (problem: string) => void): SpoolLine[] {
  const lines: SpoolLine[] = [];
  const parts = text.split('\n');
  // The last part is empty after a complete line; otherwise a write cut by a crash, never fsync'd nor answered.
  if (parts.at(-1) !== '') skip('incomplete last line (the writer stopped mid-write)');
  for (const part of parts.slice(0, -1)) {
    try {
      const line = JSON.parse(part) as SpoolLine;
      if (line.format !== SPOOL_FORMAT || typeof line.row?.event_id !== 'string') throw new Error('not a spool record');
      lines.push(line);
    } catch (error) {
      skip(error instanceof Error ? error.message : String(error));
    }
  }
  return lines;
}

function rowOf(line: SpoolLine): AuditRow {
  return { ...line.row, event_time: new Date(line.row.event_time) };
}

/** The row as inserted: its request_parameters gain the `spooled` member (canonical JSON, as every json column). */
function marked(line: SpoolLine, replayedAt: string): AuditRow {
  const row = rowOf(line);
  const parameters = row.request_parameters ? (JSON.parse(row.request_parameters) as Record<string, unknown>) : {};
  const spooled = { spooledAt: line.spooledAt, replayedAt, host: line.host, pid: line.pid };
  return { ...row, request_parameters: canonicalJsonText({ ...parameters, spooled }) };
}

function overflowRow(lost: LostAttempts, spool: AuditSpool): AuditRow {
  const { host, pid } = spool.identity;
  return newAuditRow({
    event_type: 'AuditSpoolOverflow',
    operation: 'AuditSpoolOverflow',
    decision: 'ERROR',
    error_type: 'AuditSpoolFull',
    error_message: `${lost.count} attempts refused while the database was unavailable were not audited: the audit spool was full`,
    rule_outcomes: canonicalJsonText({ rules: [], warnings: [] }),
    request_parameters: canonicalJsonText({
      lostAttempts: lost.count,
      firstLostAt: lost.firstAt,
      lastLostAt: lost.lastAt,
      spoolMaxBytes: spool.options.maxBytes,
      host,
      pid,
    }),
  });
}
