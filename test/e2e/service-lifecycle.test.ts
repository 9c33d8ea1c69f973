/**
 * Safe defaults and process lifecycle of the real service: `npm start` hands SIGTERM to node (no orphan keeps
 * listening), "listening" is logged only once the port is bound, production mode refuses the trial defaults,
 * and /metrics moves to its own loopback listener when CERTGUARD_METRICS_PORT is set.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { freePort, startServiceProcess } from '../support/service-process.ts';
import { createScratchDatabase, testDatabaseKind } from '../support/test-database.ts';

/** The database part of a service process's environment: a scratch Postgres database, or PGlite in memory. */
async function databaseEnv(cleanups: Array<() => Promise<void>>): Promise<Record<string, string>> {
  if (testDatabaseKind !== 'postgres') return { CERTGUARD_DATA_DIR: 'memory://' };
  const scratch = await createScratchDatabase();
  cleanups.push(() => scratch.drop());
  return { DATABASE_URL: scratch.url };
}

async function isListening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('service lifecycle and safe defaults', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  test('SIGTERM to `npm start -s` stops node too: nothing is left listening; stdout is JSON lines only', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start', '-s'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NODE_NO_WARNINGS: '1',
        PORT: String(port),
        OTEL_SDK_DISABLED: 'true',
        ...(await databaseEnv(cleanups)),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    npm.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
    });
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const npmExited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    cleanups.push(async () => void npm.kill('SIGKILL'));
    const deadline = Date.now() + 60_000;
    while (!output.includes('certguard listening') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(output.includes('certguard listening'), output);
    assert.ok(await isListening(port));
    // `exec` in the start script: npm's child is node itself, not a shell that would not pass the signal on.
    const children = (await readFile(`/proc/${npm.pid}/task/${npm.pid}/children`, 'utf8')).trim().split(/\s+/).map(Number);
    assert.equal(children.length, 1);
    const nodePid = children[0]!;
    assert.match(await readFile(`/proc/${nodePid}/cmdline`, 'utf8'), /^node\0.*dist\/src\/main\.js/); // the compiled build (prestart)
    cleanups.push(async () => void (alive(nodePid) && process.kill(nodePid, 'SIGKILL')));

    npm.kill('SIGTERM');
    await npmExited;
    const stopDeadline = Date.now() + 15_000;
    while (alive(nodePid) && Date.now() < stopDeadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(alive(nodePid), false, 'node exited');
    assert.equal(await isListening(port), false);
    assert.match(output, /certguard stopping.*SIGTERM/);
    // The log stream a collector reads: no npm banner, no build output (the template script writes to stderr).
    for (const line of stdout.split('\n').filter((l) => l.trim() !== '')) {
      assert.doesNotThrow(() => JSON.parse(line), `a stdout line that is not JSON: ${line}`);
    }
  });

  test('a port in use: the failure is logged, exit code 1, and no "listening" line', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const service = startServiceProcess({ PORT: String(port), OTEL_SDK_DISABLED: 'true', ...(await databaseEnv(cleanups)) });
      assert.equal(await service.exited, 1);
      assert.match(service.stderr(), /cannot listen.*EADDRINUSE/);
      assert.doesNotMatch(service.stdout() + service.stderr(), /certguard listening/);
    } finally {
      blocker.close();
    }
  });

  test('NODE_ENV=production with the trial defaults refuses to start, naming what to set', async () => {
    const service = startServiceProcess({ NODE_ENV: 'production', CERTGUARD_DATA_DIR: 'memory://', OTEL_SDK_DISABLED: 'true' });
    assert.equal(await service.exited, 1);
    const message = service.stderr();
    for (const name of ['CERTGUARD_CREDENTIALS_FILE', 'CERTGUARD_AUDIT_SIGNING_KEY_FILE', 'DATABASE_URL', 'CERTGUARD_ALLOW_INSECURE_DEFAULTS']) {
      assert.match(message, new RegExp(name));
    }
    assert.doesNotMatch(service.stdout(), /certguard listening/);
  });

  test('production trial opt-in: starts with loud warnings, on loopback, /metrics only on the metrics listener', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const service = startServiceProcess({
      NODE_ENV: 'production',
      CERTGUARD_ALLOW_INSECURE_DEFAULTS: 'true',
      PORT: String(port),
      CERTGUARD_METRICS_PORT: String(metricsPort),
      ...(await databaseEnv(cleanups)),
    });
    cleanups.push(async () => void (service.child.exitCode === null && service.child.kill('SIGKILL')));
    await service.ready(port);
    const logs = service.stdout();
    assert.match(logs, /"level":"warn","message":"INSECURE \(CERTGUARD_ALLOW_INSECURE_DEFAULTS=true\): CERTGUARD_CREDENTIALS_FILE is not set/);
    assert.match(logs, /"host":"127\.0\.0\.1","level":"info","message":"certguard listening"/);
    assert.match(logs, /"host":"127\.0\.0\.1","level":"info","message":"certguard metrics listening","port":\d+/);

    // Not served on the API port: an unsigned GET /metrics is just an unauthenticated request there.
    const onApi = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(onApi.status, 401);
    assert.equal(onApi.headers.get('x-amzn-errortype'), 'UnauthorizedException');
    const onMetrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(onMetrics.status, 200);
    assert.match(await onMetrics.text(), /^# (HELP|TYPE) /m);
    const elsewhere = await fetch(`http://127.0.0.1:${metricsPort}/health`);
    assert.equal(elsewhere.status, 404);

    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0);
  });
});
