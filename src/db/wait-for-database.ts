/**
 * Start-up against a Postgres that is not there yet (an orchestrator starts the database and certguard at the
 * same time): retry the first connection with backoff for CERTGUARD_DB_WAIT_SECONDS, then give up with a
 * message naming host and port rather than the bare `connect ECONNREFUSED` of the driver.
 */
import { sql } from 'kysely';
import type { Database } from './database.ts';

/** Delays between attempts: 0.25 s doubling up to 5 s, so a database up after 5 s is found within ~1 s of it. */
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
}

/** host:port of a postgres:// URL, without user or password (the message is logged). */
export function databaseAddress(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}`;
  } catch {
    return 'the DATABASE_URL host';
  }
}

export interface WaitOptions {
  waitSeconds: number;
  address: string;
  /** Called before each retry, so the caller can log that it is still waiting. */
  onRetry?: (attempt: number, error: Error, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitForDatabase(db: Database, { waitSeconds, address, onRetry, sleep = realSleep }: WaitOptions): Promise<void> {
  const deadline = Date.now() + waitSeconds * 1000;
  let delayMs = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`SELECT 1`.execute(db);
      return;
    } catch (cause) {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new DatabaseUnreachableError(`database at ${address} unreachable after ${waitSeconds} s (CERTGUARD_DB_WAIT_SECONDS): ${error.message}`, {
          cause,
        });
      }
      const wait = Math.min(delayMs, left);
      onRetry?.(attempt, error, wait);
      await sleep(wait);
      delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
    }
  }
}
