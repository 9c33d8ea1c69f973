/**
 * Start-up against a Postgres that comes late, the probes, and the access log, on the real process (npm start's
 * command line). The database is a scratch database on the machine's Postgres behind a TCP proxy that only
 * starts listening 5 s after certguard; then, a database that never comes is given up with host and port named.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { signedHeaders } from '../support/sign-request.ts';
import { freePort, type ServiceProcess, startServiceProcess } from '../support/service-process.ts';
import { type ProxiedScratchDatabase, startProxiedScratchDatabase } from '../support/tcp-proxy.ts';

const LATE_MS = 5000;

function logLines(service: ServiceProcess): Array<Record<string, unknown>> {
  return service
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('start-up with Postgres 5 s late', () => {
  let port = 0;
  let database: ProxiedScratchDatabase | undefined;
  let service: ServiceProcess | undefined;
  after(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
    await database?.close();
  });

  test('waits with backoff, then becomes ready; /ready answers 200 once it is', async () => {
    database = await startProxiedScratchDatabase();
    await database.proxy.cut(); // nothing listens on the database port yet
    port = await freePort();
    service = startServiceProcess({ PORT: String(port), DATABASE_URL: database.url, CERTGUARD_DB_WAIT_SECONDS: '30', OTEL_SDK_DISABLED: 'true' });
    const started = Date.now();
    const waiting = () => logLines(service!).filter((l) => l.message === 'waiting for the database');
    // The process may take seconds to load on a busy machine: the database comes 5 s after it first waited.
    while (waiting().length === 0 && service.child.exitCode === null && Date.now() - started < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // While it waits, the port already answers the probes: alive, not ready; an API call gets a 503 to retry.
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    const waitingReady = await fetch(`http://127.0.0.1:${port}/ready`);
    assert.equal(waitingReady.status, 503);
    assert.deepEqual(await waitingReady.json(), { status: 'not ready', checks: { database: false, migrations: false, bundle: false, sealer: false } });
    const early = await fetch(`http://127.0.0.1:${port}/certificates`);
    assert.equal(early.status, 503);
    assert.equal(early.headers.get('x-amzn-errortype'), 'ServiceUnavailableException');
    assert.match(((await early.json()) as { message: string }).message, /starting/);
    await new Promise((resolve) => setTimeout(resolve, LATE_MS));
    assert.equal(service.child.exitCode, null, `still running after 5 s of waiting: ${service.stderr()}`);
    const waits = waiting();
    assert.ok(waits.length >= 2, `retried with backoff: ${service.stdout()}`);
    assert.equal(waits[0]?.address, `127.0.0.1:${database.proxy.port}`);
    assert.doesNotMatch(JSON.stringify(waits), /postgres:\/\/|password/, 'no URL or credentials in the log');
    await database.proxy.restore();
    await service.ready(port, 30_000);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: true, migrations: true, bundle: true, sealer: true } });
  });

  test('one access log line per request at info: a 401 names the claimed key id, never the signature', async () => {
    const host = `127.0.0.1:${port}`;
    const headers = await signedHeaders({
      method: 'GET',
      path: '/certificates',
      host,
      credential: { accessKeyId: 'AKIADEMOACCOUNT1', secretAccessKey: 'wrong' },
    });
    const bad = await fetch(`http://${host}/certificates`, { headers });
    assert.ok(bad.status === 401 || bad.status === 403, `refused: ${bad.status}`);
    await fetch(`http://${host}/health`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const line = logLines(service!).find((l) => l.message === 'request' && l.path === '/certificates');
    assert.ok(line, service!.stdout());
    assert.equal(line.level, 'info');
    assert.equal(line.method, 'GET');
    assert.equal(line.status, bad.status);
    assert.equal(line.accessKeyId, 'AKIADEMOACCOUNT1');
    assert.equal(line.requestId, bad.headers.get('x-amzn-requestid'));
    assert.equal(typeof line.durationMs, 'number');
    assert.doesNotMatch(JSON.stringify(logLines(service!)), /Signature=|AWS4-HMAC-SHA256 Credential/, 'no signature in any log line');
    assert.ok(!logLines(service!).some((l) => l.message === 'request' && l.path === '/health'), 'probes are logged at debug only');
  });
});

describe('start-up with Postgres that never comes', () => {
  for (const workers of ['1', '2']) {
    test(`exits after CERTGUARD_DB_WAIT_SECONDS with a message naming host and port (CERTGUARD_WORKERS=${workers})`, async () => {
      const deadPort = await freePort();
      const service = startServiceProcess({
        CERTGUARD_WORKERS: workers, // 2: the group's primary waits before it migrates and forks
        PORT: String(await freePort()),
        DATABASE_URL: `postgres://certguard:hunter2@127.0.0.1:${deadPort}/certguard`,
        CERTGUARD_DB_WAIT_SECONDS: '2',
        OTEL_SDK_DISABLED: 'true',
      });
      const code = await service.exited;
      assert.equal(code, 1);
      assert.match(service.stderr(), new RegExp(`database at 127\\.0\\.0\\.1:${deadPort} unreachable after 2 s \\(CERTGUARD_DB_WAIT_SECONDS\\)`));
      assert.doesNotMatch(service.stderr() + service.stdout(), /hunter2/, 'the password is never printed');
    });
  }
});
