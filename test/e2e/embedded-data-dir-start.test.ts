/**
 * `npm start` on the embedded default with a data dir on disk (docs/operations.md#start-up-on-pglite): the first start
 * (the compiled service, as npm start runs it) copies the migrated template built by `npm run build` into the new data dir and creates the certificate
 * authority; a restart opens the same cluster and keeps that authority.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { PROJECT_ROOT } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { builtTemplateDir } from '../../src/db/pglite-template.ts';
import { freePort, startServiceProcess } from '../support/service-process.ts';

async function startAndStop(dataDir: string): Promise<void> {
  const port = await freePort();
  const service = startServiceProcess({ PORT: String(port), CERTGUARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { compiled: true });
  try {
    await service.ready(port, 120_000);
  } finally {
    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0, service.stderr());
  }
}

async function stored(dataDir: string): Promise<{ migrations: number; caCertificates: string[] }> {
  const database = await openDatabase({ databaseUrl: undefined, dataDir }, { fromTemplate: false });
  try {
    const count = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(database.db);
    const authority = await sql<{ pem: string }>`select certificate_pem as pem from certificate_authority`.execute(database.db);
    return { migrations: count.rows[0]?.n ?? -1, caCertificates: authority.rows.map((row) => row.pem) };
  } finally {
    await database.close();
  }
}

test('a new data dir starts from the built template; a restart keeps its cluster and its certificate authority', { timeout: 300_000 }, async () => {
  await promisify(execFile)('npm', ['run', 'build'], { cwd: PROJECT_ROOT });
  // Keyed by the compiled migrations' code, which the tsx-run test cannot compute: any data directory will do.
  const templates = readdirSync(builtTemplateDir(), { withFileTypes: true }).filter((entry) => entry.isDirectory());
  assert.ok(templates.length > 0, 'npm run build made the template data directory');
  const parent = mkdtempSync(path.join(tmpdir(), 'certguard-embedded-start-'));
  const dataDir = path.join(parent, 'data');
  try {
    await startAndStop(dataDir);
    assert.ok(existsSync(path.join(dataDir, 'PG_VERSION')));
    // pg_control starts with the cluster's system identifier, which initdb draws anew: the same one as a template's
    // means the cluster was copied, not initialised.
    const systemIdentifier = (dir: string) =>
      readFileSync(path.join(dir, 'global', 'pg_control'))
        .subarray(0, 8)
        .toString('hex');
    const templateIdentifiers = templates.map((entry) => systemIdentifier(path.join(entry.parentPath, entry.name)));
    assert.ok(templateIdentifiers.includes(systemIdentifier(dataDir)), 'the data dir is a copy of the template');
    const first = await stored(dataDir);
    assert.equal(first.migrations, Object.keys(migrations).length);
    assert.equal(first.caCertificates.length, 1, 'the first start created the certificate authority');
    await startAndStop(dataDir);
    assert.deepEqual(await stored(dataDir), first, 'the restart opened the same database');
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
