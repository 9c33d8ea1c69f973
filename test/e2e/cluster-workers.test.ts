/**
 * CERTGUARD_WORKERS=2 on Postgres, as `npm start` runs it: both workers answer on one port; the per-account rate
 * limit holds for the group (not per worker); a killed worker is replaced; SIGTERM drains every worker and the
 * primary exits 0; the metrics port answers for the group; the one sealer (the primary's) sealed every audit row exactly once and the chain verifies.
 * Always on Postgres (a group needs it, PGlite is one process's database), whatever CERTGUARD_TEST_DATABASE says.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { verifyDatabaseChain } from '../../src/audit/verification/verify-database.ts';
import { openDatabase } from '../../src/db/database.ts';
import { freePort, type ServiceProcess, startServiceProcess } from '../support/service-process.ts';
import { demoOperatorOne, signedHeaders } from '../support/sign-request.ts';
import { testConfig } from '../support/test-config.ts';
import { createScratchDatabase, type ScratchDatabase } from '../support/test-database.ts';

const BURST = 20;

async function listCertificates(port: number): Promise<number> {
  const host = `127.0.0.1:${port}`;
  const headers = await signedHeaders({ method: 'GET', path: '/certificates', host, credential: demoOperatorOne });
  const response = await fetch(`http://${host}/certificates`, { headers });
  await response.arrayBuffer();
  return response.status;
}

/** pids of the workers, from their "certguard listening" lines. */
function workerPids(service: ServiceProcess): number[] {
  return service
    .stdout()
    .split('\n')
    .filter((line) => line.includes('"certguard listening"'))
    .map((line) => JSON.parse(line).pid as number);
}

/** GET /health on a new connection (the group balances connections, not requests): status and answering worker. */
function healthOnNewConnection(port: number): Promise<{ status: number; worker: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, worker: String(response.headers['x-certguard-worker']) });
    });
    request.on('error', reject);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a group of 2 workers on one port', () => {
  let scratch: ScratchDatabase;
  let service: ServiceProcess;
  let port: number;
  let metricsPort: number;
  /** Refusals are audited (the built-in rule certguard.rate-limit); the reads themselves are not. */
  let refusedByThrottle = 0;

  before(async () => {
    scratch = await createScratchDatabase();
    port = await freePort();
    metricsPort = await freePort();
    service = startServiceProcess({
      DATABASE_URL: scratch.url,
      PORT: String(port),
      CERTGUARD_WORKERS: '2',
      CERTGUARD_METRICS_PORT: String(metricsPort),
      // 1 token per second after a burst of 20: the group's limit is 20 at once; per worker it would be 40.
      CERTGUARD_RATE_LIMIT: '1',
      CERTGUARD_RATE_LIMIT_BURST: String(BURST),
      CERTGUARD_AUDIT_SEAL_INTERVAL_MS: '100',
    });
    await service.ready(port);
    await until(() => service.stdout().includes('"certguard group listening"'), 'both workers to listen');
  });

  after(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await scratch.drop();
  });

  test('both workers answer on the one port', async () => {
    const answered = new Set<string>();
    for (let i = 0; i < 20 && answered.size < 2; i += 1) {
      const { status, worker } = await healthOnNewConnection(port);
      assert.equal(status, 200);
      answered.add(worker);
    }
    assert.deepEqual([...answered].sort(), ['1', '2']);
    assert.equal(workerPids(service).length, 2);
  });

  test('the metrics port shows the group: every worker and the primary, in one valid exposition', async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(response.status, 200);
    const text = await response.text();
    // The sealer runs in the primary: its metrics come from there.
    assert.match(text, /^certguard_audit_chain_sequence\{worker="primary",/m);
    // Both workers served /health above: each reports its own requests.
    assert.match(text, /^http_server_request_duration_seconds_count\{worker="1",/m);
    assert.match(text, /^http_server_request_duration_seconds_count\{worker="2",/m);
    // promtool also lints names (OTel's db_client_connection_count draws a naming remark); a parse error is what must not happen.
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.doesNotMatch(`${check.stdout}${check.stderr}`, /parsing error|error while linting/);
  });

  test('the per-account rate limit holds for the group, not per worker', async () => {
    const started = performance.now();
    const statuses = await Promise.all(Array.from({ length: 3 * BURST }, () => listCertificates(port)));
    const seconds = (performance.now() - started) / 1000;
    const admitted = statuses.filter((status) => status === 200).length;
    const refused = statuses.filter((status) => status === 429).length;
    refusedByThrottle = refused;
    assert.equal(admitted + refused, statuses.length, `only 200 and 429 expected: ${statuses.join(',')}`);
    // The bucket refills 1 token a second; a worker may hold at most one leased token unspent (lease size 1).
    assert.ok(admitted <= BURST + Math.ceil(seconds) + 1, `admitted ${admitted} in ${seconds.toFixed(1)} s: more than the group's burst`);
    assert.ok(admitted >= BURST - 2, `admitted ${admitted}: the group refused tokens it had`);
  });

  test('a killed worker is logged and replaced, and the group keeps answering', async () => {
    const [victim] = workerPids(service);
    assert.ok(victim !== undefined);
    process.kill(victim, 'SIGKILL');
    await until(() => service.stdout().includes('"certguard worker died; replacing it"'), 'the death to be logged');
    await until(() => workerPids(service).length === 3, 'a replacement worker to listen');
    const replacement = workerPids(service)[2]!;
    assert.notEqual(replacement, victim);
    assert.ok(alive(replacement));
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
  });

  test('SIGTERM drains every worker and the primary exits 0; the one sealer sealed every row exactly once', async () => {
    const pids = workerPids(service).filter(alive);
    assert.equal(pids.length, 2);
    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0, service.stderr());
    for (const pid of pids) assert.equal(alive(pid), false, `worker ${pid} outlived the primary`);

    const database = await openDatabase(testConfig({ databaseUrl: scratch.url }));
    try {
      const report = await verifyDatabaseChain(database.db);
      const { count } = await database.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow();
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.equal(report.unsealedRows, 0);
      assert.ok(refusedByThrottle > 0 && Number(count) >= refusedByThrottle, `audit rows ${count}, refusals ${refusedByThrottle}`);
      assert.equal(report.checkedEntries, Number(count), 'every audit row sealed once, none twice');
    } finally {
      await database.close();
    }
  });
});

test('a worker that cannot start stops the group with exit 1 instead of restarting forever', async () => {
  const scratch = await createScratchDatabase();
  try {
    const service = startServiceProcess({
      DATABASE_URL: scratch.url,
      PORT: String(await freePort()),
      CERTGUARD_WORKERS: '2',
      CERTGUARD_POLICIES_DIR: '/nonexistent/certguard-policies',
      OTEL_SDK_DISABLED: 'true',
    });
    assert.equal(await service.exited, 1, service.stdout());
    assert.match(service.stdout(), /a certguard worker failed during start-up; stopping the group/);
    assert.doesNotMatch(service.stdout(), /certguard worker died; replacing it/);
  } finally {
    await scratch.drop();
  }
});
