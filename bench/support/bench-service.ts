/**
 * Runs the real service (src/main.ts, as `npm start` does) in a child process for the HTTP benchmarks, so the
 * load generator never shares the service's event loop: on 2 cores the scheduler then splits CPU between the
 * two processes (and Postgres) as it would between a client and a server.
 *
 * LOG_LEVEL=error: the per-decision info line is filtered by level before any formatting, so logging does not
 * dominate. Without `telemetry: true` the OpenTelemetry SDK is not loaded and @opentelemetry/api calls are no-ops;
 * a tracing-overhead benchmark can start one service each way and compare.
 * The per-account rate limit (CERTGUARD_RATE_LIMIT, 100/s by default) is raised far above what 2 cores can serve:
 * its middleware stays on the path, as in production, but never refuses, so the benchmark measures decisions.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { PROJECT_ROOT } from '../../src/config.ts';
import { freePort } from '../../test/support/service-process.ts';

export interface BenchServiceOptions {
  /** DATABASE_URL or CERTGUARD_DATA_DIR (see bench-database.ts). */
  env: Record<string, string>;
  /** Load src/telemetry/register.ts first, as `npm start` does. Default false. */
  telemetry?: boolean;
  readyTimeoutMs?: number;
  /** Extra node flags before the entry point, e.g. `--cpu-prof` (which NODE_OPTIONS does not accept). */
  nodeArgs?: string[];
}

export interface BenchService {
  host: string;
  port: number;
  pid: number | undefined;
  /** The last output of the child, for error messages. */
  output(): string;
  /** CPU time the service process has used so far (Linux /proc; undefined elsewhere). Excludes the database. */
  cpuMs(): Promise<number | undefined>;
  /** SIGTERM (the service drains and closes its database), SIGKILL if it has not exited within 15 s. */
  stop(): Promise<void>;
}

/** The V8 heap cap `npm start` and the Dockerfile give the service by default. */
export const SERVICE_NODE_OPTIONS = '--max-old-space-size=256';

const MAX_KEPT_OUTPUT = 16_384;
const STOP_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 200;

function healthStatus(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/ready', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

async function waitUntilReady(child: ChildProcess, port: number, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`certguard exited during start-up (${child.exitCode ?? child.signalCode}): ${output()}`);
    }
    if ((await healthStatus(port)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`certguard was not ready (GET /ready) within ${timeoutMs} ms: ${output()}`);
}

/** Clock ticks per second of /proc/<pid>/stat: 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces): utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startBenchService(options: BenchServiceOptions): Promise<BenchService> {
  const port = await freePort();
  const imports = ['--import', 'tsx', ...(options.telemetry ? ['--import', './src/telemetry/register.ts'] : [])];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...imports, 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_NO_WARNINGS: '1',
      NODE_ENV: 'production',
      // Production mode refuses the demo credentials, a generated checkpoint key and PGlite (docs/security.md); the
      // benchmarks sign with the demo keys on scratch databases, so they take the documented trial opt-in.
      CERTGUARD_ALLOW_INSECURE_DEFAULTS: 'true',
      PORT: String(port),
      LOG_LEVEL: 'error',
      CERTGUARD_RATE_LIMIT: '1000000',
      // One process unless a benchmark asks for a group (workers-scaling.ts): cpuMs() reads this one pid.
      CERTGUARD_WORKERS: '1',
      // As `npm start` and the Dockerfile run it (README "Configuration").
      NODE_OPTIONS: SERVICE_NODE_OPTIONS,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-MAX_KEPT_OUTPUT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // If the benchmark process dies first, its service must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  try {
    await waitUntilReady(child, port, options.readyTimeoutMs ?? 120_000, () => output);
  } catch (error) {
    await stopChild(child);
    process.off('exit', killOnExit);
    throw error;
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    pid: child.pid,
    output: () => output,
    cpuMs: () => processCpuMs(child.pid),
    async stop() {
      await stopChild(child);
      process.off('exit', killOnExit);
    },
  };
}
