/**
 * `GET /v1/audit/verify` for a client that sends `Accept: application/x-ndjson` (the console's progress bar,
 * docs/api.md): one JSON object per line — `{"progress":{"checked":N,"total":M}}` while the chain is walked, then
 * one `{"report":{...AuditVerifyReport}}`, or one `{"error":{"type":...,"message":...}}` when the run fails after
 * the status line was sent (an error before the first line is an ordinary AWS error response).
 *
 * The status line is sent with the first progress line, once the starting point is known and the walk begins, so
 * a refused request (unknown checkpoint, missing role) still gets its 4xx. Progress is throttled: the first line
 * at once (the client learns the total), then at most one every `intervalMs`, and the last one (checked = total).
 * Lines are small and few, so they are written without waiting for 'drain'.
 */
import type { ServerResponse } from 'node:http';
import { isDatabaseUnavailable } from '../../db/database-errors.ts';
import { InternalFailureError, ServiceError, ServiceUnavailableError } from '../../errors.ts';
import type { VerifyReport } from './verify-report.ts';

export const VERIFY_NDJSON_TYPE = 'application/x-ndjson';

/** Often enough for a bar that moves, rare enough that a 1M-entry verify sends a few dozen lines. */
export const PROGRESS_INTERVAL_MS = 250;

export interface VerifyStreamError {
  type: string;
  message: string;
}

export class VerifyProgressStream {
  #started = false;
  #lastWrittenAt = Number.NEGATIVE_INFINITY;
  #lastChecked = -1;

  constructor(
    private readonly res: ServerResponse,
    private readonly intervalMs: number = PROGRESS_INTERVAL_MS,
  ) {}

  /** True once the status line is sent: from then on a failure can only be a final `error` line. */
  get started(): boolean {
    return this.#started;
  }

  /** The verification's onProgress (arrow: handed over as a callback). */
  readonly progress = (checked: number, total: number): void => {
    if (checked === this.#lastChecked) return;
    const now = performance.now();
    const last = checked >= total;
    if (this.#started && !last && now - this.#lastWrittenAt < this.intervalMs) return;
    this.#lastWrittenAt = now;
    this.#lastChecked = checked;
    this.#line({ progress: { checked, total } });
  };

  finish(report: VerifyReport): void {
    this.#line({ report });
    this.res.end();
  }

  fail(error: VerifyStreamError): void {
    this.#line({ error });
    this.res.end();
  }

  #line(value: unknown): void {
    if (!this.#started) {
      this.#started = true;
      this.res.statusCode = 200;
      this.res.setHeader('Content-Type', `${VERIFY_NDJSON_TYPE}; charset=utf-8`);
      this.res.setHeader('Cache-Control', 'no-store');
      this.res.setHeader('X-Content-Type-Options', 'nosniff');
    }
    if (!this.res.destroyed) this.res.write(`${JSON.stringify(value)}\n`);
  }
}

/**
 * The AWS error a failure after the status line stands for, as the error handler would have answered it
 * (src/http/error-handler.ts): a service error as itself, a lost database as 503, anything else as a 500 that
 * says nothing about internals. `internal` is true when the caller should log the cause.
 */
export function streamErrorOf(error: unknown): VerifyStreamError & { internal: boolean } {
  const known =
    error instanceof ServiceError
      ? error
      : isDatabaseUnavailable(error)
        ? new ServiceUnavailableError('The service is temporarily unavailable; retry later')
        : new InternalFailureError('An unexpected error has occurred');
  return { type: known.errorType, message: known.message, internal: !(error instanceof ServiceError) };
}
