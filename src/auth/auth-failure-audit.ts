/**
 * Failed authentications (401 from SigV4 verification) on the audit trail, BOUNDED so that a flood cannot fill
 * the disk or slow the refusal (docs/security.md "What is audited"):
 * - per (source IP, claimed access key id) and window: the first `perSource` failures get their own
 *   AuthenticationFailed row and warn log line; further ones are only counted, and when the window closes one
 *   AuthenticationFailureSummary row (scope "source") carries the count;
 * - across all sources: at most `global` individual rows per window; beyond it no new source is tracked and
 *   failures are only counted into one global summary row (scope "global"), so rotating IPs or key ids does not help.
 * So one window writes at most 2 x global + 1 rows whatever the flood's size. The counters live in memory: each
 * replica aggregates its own failures. Writes are fire-and-forget (the 401 never waits for the database); a
 * failed write is logged. close() closes the current window (summaries written) and waits for pending writes.
 */
import type { Request } from 'express';
import type winston from 'winston';
import type { Database } from '../db/database.ts';
import type { OperationResolver } from '../request/operation-resolver.ts';
import { type SecurityEventRecord, securityEventRow } from '../audit/security/security-event.repository.ts';
import { type AuditSpool, appendOrSpool } from '../audit/spool/audit-spool.ts';
import { claimedAccessKeyId } from './claimed-access-key.ts';

export interface AuthFailureAuditOptions {
  /** Individual rows per (source IP, access key id) and window. */
  perSource: number;
  /** Individual rows per window across all sources. */
  global: number;
  windowMs: number;
}

interface SourceCount {
  sourceIp: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  failures: number;
  lastReason: string;
}

const ERROR_TYPE = 'UnauthorizedException';

export class AuthFailureAuditor {
  #sources = new Map<string, SourceCount>();
  #individual = 0;
  #untracked = 0;
  #windowStart = new Date();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly deps: {
      db: Database;
      logger: winston.Logger;
      accountOf: (accessKeyId: string) => string | undefined;
      /** Where the rows go while the database is down (a failed authentication is an attempt like any other). */
      spool?: AuditSpool;
    },
    readonly options: AuthFailureAuditOptions,
  ) {
    this.#timer = setInterval(() => void this.closeWindow(), options.windowMs).unref();
  }

  /** The hot path of a refused request: a map lookup and a counter, plus a row for the first few. */
  record(req: Request, reason: string, requestId: string | undefined, resolveOperation: OperationResolver): void {
    const sourceIp = req.socket.remoteAddress ?? null;
    const accessKeyId = claimedAccessKeyId(req);
    const key = `${sourceIp}\n${accessKeyId}`;
    let source = this.#sources.get(key);
    if (source === undefined) {
      // No new source once the global cap is reached (also bounds the map when perSource is 0).
      if (this.#individual >= this.options.global || this.#sources.size >= this.options.global) {
        this.#untracked++;
        return;
      }
      const accountId = accessKeyId === null ? null : (this.deps.accountOf(accessKeyId) ?? null);
      source = { sourceIp, accessKeyId, accountId, failures: 0, lastReason: reason };
      this.#sources.set(key, source);
    }
    source.failures++;
    source.lastReason = reason;
    if (source.failures > this.options.perSource || this.#individual >= this.options.global) return;
    this.#individual++;
    const operation = resolveOperation(req) ?? null;
    const userAgent = req.get('user-agent') ?? null;
    const facts = { requestId, sourceIp, accessKeyId, accountId: source.accountId, method: req.method, path: req.path, operation, reason };
    this.deps.logger.warn('authentication failed', { ...facts, userAgent, errorType: ERROR_TYPE });
    this.#write({
      eventType: 'AuthenticationFailed',
      operation: operation ?? 'AuthenticationFailed', // a path outside the API: method and path are in the parameters
      decision: 'DENY',
      requestId: requestId ?? null,
      caller: { accountId: source.accountId, accessKeyId },
      sourceIp,
      userAgent,
      errorType: ERROR_TYPE,
      errorMessage: reason,
      parameters: { httpMethod: req.method, path: req.path, operation },
    });
  }

  /** Ends the window: one summary row per source that had failures beyond its individual rows, and the global one. */
  closeWindow(): Promise<void> {
    const sources = this.#sources;
    const untracked = this.#untracked;
    const window = { windowStart: this.#windowStart.toISOString(), windowEnd: new Date().toISOString() };
    this.#sources = new Map();
    this.#individual = 0;
    this.#untracked = 0;
    this.#windowStart = new Date();
    for (const source of sources.values()) {
      const recorded = Math.min(source.failures, this.options.perSource);
      if (source.failures > recorded) this.#summary('source', source, source.failures, recorded, window);
    }
    if (untracked > 0) this.#summary('global', undefined, untracked, 0, window);
    return this.settled();
  }

  /** Resolves once every write started so far has ended (successfully or logged). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.closeWindow();
  }

  #summary(scope: 'source' | 'global', source: SourceCount | undefined, failures: number, recorded: number, window: object): void {
    const message =
      scope === 'global'
        ? `${failures} failed authentications beyond the global limit of ${this.options.global} recorded per window`
        : `${failures} failed authentications from this source and key (${recorded} recorded individually)`;
    const facts = { scope, failures, recordedIndividually: recorded, notRecordedIndividually: failures - recorded, ...window };
    this.deps.logger.warn('authentication failures summarised', {
      ...facts,
      sourceIp: source?.sourceIp ?? null,
      accessKeyId: source?.accessKeyId ?? null,
    });
    this.#write({
      eventType: 'AuthenticationFailureSummary',
      operation: 'AuthenticationFailureSummary',
      decision: 'DENY',
      caller: { accountId: source?.accountId ?? null, accessKeyId: source?.accessKeyId ?? null },
      sourceIp: source?.sourceIp ?? null,
      errorType: ERROR_TYPE,
      errorMessage: message,
      parameters: { ...facts, ...(source ? { lastReason: source.lastReason } : {}) },
    });
  }

  #write(record: SecurityEventRecord): void {
    const write = appendOrSpool(this.deps.db, this.deps.spool, securityEventRow(record)).then(
      () => undefined,
      (error: unknown) =>
        this.deps.logger.error('could not audit a failed authentication', {
          eventType: record.eventType,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
  }
}
