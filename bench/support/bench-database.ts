/**
 * Which database the HTTP benchmarks run against, and a throw-away instance of it:
 * - Postgres when CERTGUARD_BENCH_DATABASE_URL is set (a maintenance database URL, like
 *   postgres://postgres@127.0.0.1:5432/postgres) or when 127.0.0.1:5432 accepts a connection; every run creates
 *   its own scratch database there (as test/support/test-database.ts does) and drops it afterwards.
 * - PGlite otherwise, in a fresh temporary folder (on disk, as `npm start` runs it), removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type DatabaseChoice = { kind: 'postgres'; adminUrl: string; why: string } | { kind: 'pglite'; why: string };

export interface ScratchDatabase {
  /** Environment for src/main.ts: DATABASE_URL, or CERTGUARD_DATA_DIR for PGlite. */
  serviceEnv: Record<string, string>;
  describe: string;
  /** Rows in audit_events. For PGlite, call it only once the service has stopped (one process per data folder). */
  countAuditRows(): Promise<number>;
  /**
   * Postgres only (undefined for PGlite, whose folder the running service holds): `count` copies of a certificate
   * under new ids, written straight into the table — setup for workloads that use up one certificate per request,
   * far faster than creating each through the API (a key pair each). Not decisions: they leave no audit row.
   */
  cloneCertificates?(sourceId: string, count: number): Promise<string[]>;
  drop(): Promise<void>;
}

const LOCAL_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const PROBE_TIMEOUT_MS = 1000;

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function canLogIn(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `forced` comes from --database; env is passed in so the choice is testable. */
export async function chooseDatabase(env: Record<string, string | undefined>, forced?: 'postgres' | 'pglite'): Promise<DatabaseChoice> {
  if (forced === 'pglite') return { kind: 'pglite', why: 'asked for with --database pglite' };
  const explicit = env.CERTGUARD_BENCH_DATABASE_URL;
  if (explicit) {
    const problem = await canLogIn(explicit);
    if (problem !== undefined) throw new Error(`CERTGUARD_BENCH_DATABASE_URL does not work: ${problem}`);
    return { kind: 'postgres', adminUrl: explicit, why: 'CERTGUARD_BENCH_DATABASE_URL' };
  }
  const answers = await portAnswers('127.0.0.1', 5432);
  const problem = answers ? await canLogIn(LOCAL_ADMIN_URL) : 'nothing listens on 127.0.0.1:5432';
  if (problem === undefined) return { kind: 'postgres', adminUrl: LOCAL_ADMIN_URL, why: '127.0.0.1:5432 answers' };
  if (forced === 'postgres') throw new Error(`--database postgres: ${problem}`);
  return { kind: 'pglite', why: `no Postgres (${problem})` };
}

export function describeChoice(choice: DatabaseChoice): string {
  if (choice.kind === 'pglite') return `PGlite (embedded, on disk) — ${choice.why}`;
  return `Postgres ${new URL(choice.adminUrl).host} (scratch database per run) — ${choice.why}`;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 60_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function postgresScratch(adminUrl: string): Promise<ScratchDatabase> {
  const name = `certguard_bench_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    serviceEnv: { DATABASE_URL: url.toString() },
    describe: `postgres database ${name}`,
    countAuditRows: () => withClient(url.toString(), async (client) => Number((await client.query('SELECT count(*) AS n FROM audit_events')).rows[0].n)),
    cloneCertificates: (sourceId, count) =>
      withClient(url.toString(), async (client) => {
        const { rows } = await client.query<{ certificate_id: string }>(
          `INSERT INTO certificates (certificate_id, owner_account_id, status, certificate_pem, ca_certificate_id, certificate_mode,
                                     generation_id, not_before, not_after, created_at, last_modified_at)
           SELECT encode(sha256(convert_to(c.certificate_id || ':' || $3 || ':' || g, 'UTF8')), 'hex'), c.owner_account_id, c.status, c.certificate_pem,
                  c.ca_certificate_id, c.certificate_mode, c.generation_id, c.not_before, c.not_after, now(), now()
           FROM certificates c CROSS JOIN generate_series(1, $2::int) AS g WHERE c.certificate_id = $1
           RETURNING certificate_id`,
          [sourceId, count, randomBytes(8).toString('hex')],
        );
        return rows.map((row) => row.certificate_id);
      }),
    drop: async () => {
      await withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function pgliteScratch(): Promise<ScratchDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'certguard-bench-'));
  return {
    serviceEnv: { CERTGUARD_DATA_DIR: dir },
    describe: `PGlite folder ${dir}`,
    async countAuditRows() {
      const { PGlite } = await import('@electric-sql/pglite');
      const pglite = new PGlite(dir);
      try {
        const result = await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
        return Number(result.rows[0]?.n);
      } finally {
        await pglite.close();
      }
    },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

export function createScratchDatabase(choice: DatabaseChoice): Promise<ScratchDatabase> {
  return choice.kind === 'postgres' ? postgresScratch(choice.adminUrl) : pgliteScratch();
}
