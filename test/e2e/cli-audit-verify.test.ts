/**
 * `certguard audit verify` as an operator runs it: against the database of the service's own configuration
 * variables, and offline against an NDJSON export plus the exported checkpoints. Exit 0 and "OK" for a clean
 * chain; exit 1 and the reason with the first broken sequence once something was tampered with; 2 for a usage
 * error; 3 when it cannot run at all.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { toAuditRecord, utcTimestamp } from '../../src/audit/chain/audit-record.ts';
import { withChainTables } from '../../src/audit/chain/chain-schema.ts';
import { utcTimestampText } from '../../src/audit/checkpoints/checkpoint-signature.ts';
import { exportFooterLine, exportHeaderLine, exportRecordLine } from '../../src/audit/chain/ndjson-lines.ts';
import { PROJECT_ROOT } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import type { Database } from '../../src/db/database.ts';
import { deniedTransfers, waitUntilSealed } from '../support/audit-chain-support.ts';
import { demoAuditor, demoOperatorOne } from '../support/sign-request.ts';
import { createScratchDatabase, type ScratchDatabase, testDatabaseKind } from '../support/test-database.ts';
import { startTestService } from '../support/test-service.ts';

const run = promisify(execFile);

/** The whole trail as an unfiltered NDJSON export (docs/audit.md section 5), built with the export's own line builders. */
async function writeExport(db: Database, file: string): Promise<void> {
  const rows = await withChainTables(db)
    .selectFrom('audit_chain as c')
    .innerJoin('audit_events as e', 'e.sequence', 'c.event_sequence')
    .selectAll('e')
    .select(['c.chain_seq', 'c.prev_hash', 'c.hash', utcTimestamp('e.event_time').as('event_time_utc')])
    .orderBy('c.chain_seq')
    .execute();
  const last = rows.at(-1)!;
  const lines = [
    exportHeaderLine({
      exportedAt: utcTimestampText(new Date()),
      filtered: false,
      filters: {},
      chain: { fromChainSeq: '1', toChainSeq: String(last.chain_seq), toHash: last.hash },
    }),
  ];
  for (const row of rows) lines.push(exportRecordLine(toAuditRecord(row), { chainSeq: String(row.chain_seq), prevHash: row.prev_hash, hash: row.hash }));
  lines.push(exportFooterLine({ records: rows.length, lastChainSeq: String(last.chain_seq), lastHash: last.hash }));
  await writeFile(file, lines.join(''));
}

describe(`certguard audit verify (${testDatabaseKind})`, () => {
  let dir: string;
  let env: Record<string, string>;
  let scratch: ScratchDatabase | undefined;

  const certguard = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'certguard.js'), 'audit', 'verify', ...args], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'certguard-audit-verify-'));
    scratch = testDatabaseKind === 'postgres' ? await createScratchDatabase() : undefined;
    const dataDir = path.join(dir, 'data');
    env = scratch ? { DATABASE_URL: scratch.url } : { CERTGUARD_DATA_DIR: dataDir };
    // PGlite is one process's database: the service must be closed before the CLI opens the folder.
    const svc = await startTestService(scratch ? { databaseUrl: scratch.url } : { dataDir });
    try {
      await deniedTransfers(svc.iot(demoOperatorOne), 6);
      await waitUntilSealed(svc.db);
      await svc.send({ method: 'POST', path: '/v1/audit/checkpoints', credential: demoAuditor });
      const checkpoints = await svc.send({ method: 'GET', path: '/v1/audit/checkpoints', credential: demoAuditor });
      await writeFile(path.join(dir, 'checkpoints.json'), checkpoints.text);
      await writeExport(svc.db, path.join(dir, 'export.ndjson'));
    } finally {
      await svc.close();
    }
  });
  after(() => scratch?.drop());

  test('a clean chain in the configured database verifies: exit 0 and OK', async () => {
    const result = await certguard();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /audit chain OK: \d+ entries verified/);
  });

  test("--recompute-in-node verifies the same chain without the database's sha256", async () => {
    const result = await certguard('--recompute-in-node');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /audit chain OK: \d+ entries verified/);
  });

  test('--json prints the report', async () => {
    const result = await certguard('--json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { ok: boolean; checkedEntries: number };
    assert.equal(report.ok, true);
    assert.ok(report.checkedEntries >= 6);
  });

  test('an export verifies offline against the exported checkpoints', async () => {
    const result = await certguard('--offline', path.join(dir, 'export.ndjson'), '--checkpoints', path.join(dir, 'checkpoints.json'));
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /audit chain OK/);
  });

  test('an export with one edited record fails offline: exit 1, hash-mismatch and its sequence', async () => {
    const lines = (await readFile(path.join(dir, 'export.ndjson'), 'utf8')).split('\n');
    const record = JSON.parse(lines[3]!) as { sequence: string };
    lines[3] = JSON.stringify({ ...record, errorMessage: 'tampered' });
    await writeFile(path.join(dir, 'edited.ndjson'), lines.join('\n'));
    const result = await certguard('--offline', path.join(dir, 'edited.ndjson'), '--checkpoints', path.join(dir, 'checkpoints.json'));
    assert.equal(result.code, 1);
    assert.match(result.stdout, new RegExp(`BROKEN: hash-mismatch at sequence ${record.sequence}`));
  });

  test('an export cut short before a signed checkpoint fails offline: truncated-after-checkpoint', async () => {
    const lines = (await readFile(path.join(dir, 'export.ndjson'), 'utf8')).trimEnd().split('\n');
    await writeFile(path.join(dir, 'cut.ndjson'), `${lines.slice(0, -3).join('\n')}\n`);
    const result = await certguard('--offline', path.join(dir, 'cut.ndjson'), '--checkpoints', path.join(dir, 'checkpoints.json'));
    assert.equal(result.code, 1);
    assert.match(result.stdout, /BROKEN: truncated-after-checkpoint/);
  });

  test('--offline without --checkpoints is a usage error: exit 2', async () => {
    const result = await certguard('--offline', path.join(dir, 'export.ndjson'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--checkpoints/);
  });

  test("a row edited in the database behind certguard's back: exit 1, hash-mismatch and its sequence", async () => {
    const database = await openDatabase(
      scratch ? { databaseUrl: scratch.url, dataDir: 'memory://' } : { databaseUrl: undefined, dataDir: path.join(dir, 'data') },
    );
    let sequence: string;
    try {
      sequence = String((await sql<{ s: string }>`SELECT event_sequence AS s FROM audit_chain WHERE chain_seq = 2`.execute(database.db)).rows[0]?.s);
      await database.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        await sql`UPDATE audit_events SET error_message = 'tampered' WHERE sequence = ${sequence}`.execute(trx);
      });
    } finally {
      await database.close();
    }
    for (const args of [[], ['--recompute-in-node']]) {
      const result = await certguard(...args);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stdout, new RegExp(`BROKEN: hash-mismatch at sequence ${sequence}, chain position 2`));
    }
  });
});

/**
 * Exit codes automation can rely on: 0 verified, 1 tampering found (above), 2 usage error, 3 cannot run — and a
 * verify that cannot run never leaves a database behind (it used to create an empty PGlite one wherever it ran).
 */
describe(`certguard audit verify: exit codes when it cannot run (${testDatabaseKind})`, () => {
  let dir: string;
  let checkpoints: string;
  let scratch: ScratchDatabase | undefined;

  const verify = async (cwd: string, env: Record<string, string>, ...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'certguard.js'), 'audit', 'verify', ...args], {
        cwd,
        env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'certguard-verify-codes-'));
    checkpoints = path.join(dir, 'checkpoints.json');
    await writeFile(checkpoints, JSON.stringify({ format: 'certguard.audit.checkpoints', version: 1, checkpoints: [], publicKeys: [] }));
  });
  after(() => scratch?.drop());

  test('run in an empty directory with the default CERTGUARD_DATA_DIR: exit 3, the reason on stderr, no file created', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'certguard-verify-empty-'));
    const result = await verify(empty, {});
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /cannot run: no certguard database in .*data/);
    assert.equal(result.stdout, '');
    assert.deepEqual(await readdir(empty), [], 'nothing created');
  });

  test('a database that exists but was never migrated: exit 3 naming the missing table, nothing created in it', async () => {
    let env: Record<string, string>;
    if (testDatabaseKind === 'postgres') {
      scratch = await createScratchDatabase();
      env = { DATABASE_URL: scratch.url };
    } else {
      const dataDir = path.join(dir, 'unmigrated');
      await (await openDatabase({ databaseUrl: undefined, dataDir })).close();
      env = { CERTGUARD_DATA_DIR: dataDir };
    }
    const result = await verify(dir, env);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /cannot run: the database has no audit_events, audit_chain, audit_checkpoints table/);
    const database = await openDatabase(scratch ? { databaseUrl: scratch.url, dataDir: '' } : { databaseUrl: undefined, dataDir: env.CERTGUARD_DATA_DIR! });
    try {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`.execute(database.db);
      assert.equal(Number(rows[0]?.n), 0, 'verify did not migrate');
    } finally {
      await database.close();
    }
  });

  test('a Postgres server that does not answer: exit 3', async () => {
    const result = await verify(dir, { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/certguard' });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /cannot run: cannot reach the database/);
  });

  test('offline with a missing export file, a file that is no export, or a missing checkpoints file: exit 3', async () => {
    await writeFile(path.join(dir, 'not-an-export.ndjson'), 'hello\n');
    const cases: Array<[string[], RegExp]> = [
      [['--offline', path.join(dir, 'missing.ndjson'), '--checkpoints', checkpoints], /cannot run: .*ENOENT.*missing\.ndjson/],
      [['--offline', path.join(dir, 'not-an-export.ndjson'), '--checkpoints', checkpoints], /cannot run: the first line is not an export header/],
      [['--offline', path.join(dir, 'not-an-export.ndjson'), '--checkpoints', path.join(dir, 'missing.json')], /cannot run: .*ENOENT.*missing\.json/],
    ];
    for (const [args, reason] of cases) {
      const result = await verify(dir, {}, ...args);
      assert.equal(result.code, 3, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, reason);
    }
  });

  test('usage errors: exit 2 with the usage text, which lists the exit codes', async () => {
    for (const args of [['--no-such-option'], ['--offline', 'x.ndjson']]) {
      const result = await verify(dir, {}, ...args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /usage: certguard audit verify/);
      assert.match(result.stderr, /3 cannot run/);
    }
  });
});
