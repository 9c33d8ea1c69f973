/** `certguard migrate` applies the migrations to the configured database, once; the service then runs without migrating. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { migrations } from '../../migrations/index.ts';
import { monthStarts, partitionName } from '../../src/audit/retention/audit-partitions.ts';
import { MONTHS_AHEAD } from '../../src/audit/retention/partition-maintainer.ts';
import { createScratchDatabase, testDatabaseKind, type ScratchDatabase } from '../support/test-database.ts';
import { startTestService } from '../support/test-service.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne } from '../support/sign-request.ts';

const run = promisify(execFile);

describe(`certguard migrate (${testDatabaseKind})`, () => {
  let env: Record<string, string>;
  let scratch: ScratchDatabase | undefined;
  let dataDir: string | undefined;

  before(async () => {
    if (testDatabaseKind === 'postgres') {
      scratch = await createScratchDatabase();
      env = { DATABASE_URL: scratch.url };
    } else {
      dataDir = await mkdtemp(path.join(tmpdir(), 'certguard-data-'));
      env = { CERTGUARD_DATA_DIR: dataDir };
    }
  });
  after(() => scratch?.drop());

  const certguard = (...args: string[]) =>
    run(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'certguard.js'), ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
    });

  test('applies every migration, then reports the database up to date', async () => {
    const first = await certguard('migrate');
    for (const name of Object.keys(migrations)) assert.match(first.stdout, new RegExp(`success: ${name}`));
    const second = await certguard('migrate');
    assert.match(second.stdout, /database is up to date/);
  });

  test('audit partitions lists the monthly partitions the migration created; --ensure finds nothing missing', async () => {
    const listed = JSON.parse((await certguard('audit', 'partitions', '--json')).stdout) as { partitions: Array<{ name: string; bound: string }> };
    const names = listed.partitions.map((partition) => partition.name);
    for (const start of monthStarts(new Date(), MONTHS_AHEAD + 1)) assert.ok(names.includes(partitionName(start)), names.join(', '));
    assert.match(listed.partitions.find((partition) => partition.name === 'audit_events_default')!.bound, /DEFAULT/);
    const ensured = await certguard('audit', 'partitions', '--ensure');
    assert.doesNotMatch(ensured.stdout, /created/);
    assert.match(ensured.stdout, new RegExp(`${partitionName(new Date())}  FOR VALUES FROM`));
  });

  test('the service starts on the migrated database with CERTGUARD_MIGRATE=false and keeps its data across restarts', async () => {
    const target = scratch ? { databaseUrl: scratch.url } : { dataDir: dataDir! };
    const first = await startTestService({ ...target, migrateOnStart: false });
    const cert = await createCertificate(first.iot(demoOperatorOne));
    await first.close();
    const second = await startTestService({ ...target, migrateOnStart: false });
    try {
      const row = await second.db.selectFrom('certificates').select('status').where('certificate_id', '=', cert.certificateId).executeTakeFirst();
      assert.equal(row?.status, 'INACTIVE');
    } finally {
      await second.close();
    }
  });

  test('an unknown command exits 2 with the usage', async () => {
    await assert.rejects(certguard('frobnicate'), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /usage: certguard/);
      return true;
    });
  });
});
