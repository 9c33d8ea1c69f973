/**
 * Bulk reads from a Postgres server with `COPY (<query>) TO STDOUT (FORMAT binary)`: pg's protocol parser hands
 * each CopyData message to the active query as a Buffer, a view of the bytes received, so nothing is decoded
 * into JavaScript strings. For the audit export, whose lines Postgres writes, that decoding — and the garbage
 * collections its ~2 GB of strings per million rows set off — was most of the service's CPU
 * (bench/audit-export.bench.ts). PGlite has no such stream: there, callers use ordinary queries.
 *
 * COPY takes no bind parameters, so only a compiled query without any is accepted: its values must be literals
 * the caller produced itself (e.g. integer bounds through sql.lit), never request text.
 * Each read runs in a read-only transaction, with the planner settings the caller pins for it (SET LOCAL).
 */
import type { CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { PlanSettings } from './plan-settings.ts';

/** Receives the COPY stream's bytes, in order. A view is valid only during the call: copy what you keep. */
export interface CopySink {
  data(bytes: Buffer): void;
}

export type CopyOut = (query: CompiledQuery, sink: CopySink, settings?: PlanSettings) => Promise<void>;

const BEGIN = 'BEGIN READ ONLY';
const COMMIT = 'COMMIT';

/**
 * One COPY TO STDOUT, run by pg's client as a custom query (pg.Submittable): pg calls these handlers as the
 * server's messages arrive. An error from the server comes before its ReadyForQuery; a lost connection comes
 * without one, so either settles the query.
 */
class CopyOutQuery implements pg.Submittable {
  readonly settled: Promise<void>;
  #settle!: (error?: Error) => void;
  #sinkError: Error | undefined;

  constructor(
    private readonly text: string,
    private readonly sink: CopySink,
  ) {
    this.settled = new Promise<void>((resolve, reject) => {
      let done = false;
      this.#settle = (error) => {
        if (done) return;
        done = true;
        if (error) reject(error);
        else resolve();
      };
    });
  }

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.#sinkError) return;
    try {
      this.sink.data(message.chunk);
    } catch (error) {
      this.#sinkError = error instanceof Error ? error : new Error(String(error));
    }
  }

  handleCommandComplete(): void {}

  handleError(error: Error): void {
    this.#settle(error);
  }

  handleReadyForQuery(): void {
    this.#settle(this.#sinkError);
  }
}

export function poolCopyOut(pool: pg.Pool): CopyOut {
  return async (query, sink, settings = []) => {
    if (query.parameters.length > 0) throw new Error('COPY takes no bind parameters: this query has some');
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      await client.query(BEGIN);
      if (settings.length > 0) {
        const pin = settings.map((_, index) => `set_config($${2 * index + 1}, $${2 * index + 2}, true)`).join(', ');
        await client.query(`SELECT ${pin}`, settings.flat());
      }
      const copy = new CopyOutQuery(`COPY (${query.sql}) TO STDOUT (FORMAT binary)`, sink);
      client.query(copy);
      await copy.settled;
      await client.query(COMMIT);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // After a failure the connection may be mid-transaction or mid-stream: drop it rather than reuse it.
      client.release(failure);
    }
  };
}
