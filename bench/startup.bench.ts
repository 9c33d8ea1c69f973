/**
 * Issue 14 item 6: `npm start` on PGlite answers its first request in under 2 s and stays under 250 MB RSS, on a
 * fresh data dir and on a restart. Runs the service exactly as `npm start` does: `npm run build` first (its
 * prestart: dist/ and the migrated PGlite template, not timed), then the compiled service with the same
 * NODE_OPTIONS and imports in a child process; polls GET /ready every 20 ms, and reads VmRSS from
 * /proc/<pid>/status after the first answer.
 * Baseline, same run: a bare Node HTTP server started the same way (the machine's price of starting Node at all).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.ts';
import type { BenchOptions, BenchResult } from './support/bench-module.ts';

export const name = 'startup';

const START_TIMEOUT_MS = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : Number.NaN;
}

interface Started {
  firstAnswerMs: number;
  rssMb: number;
}

/** Spawns, waits for the first 200 from /ready, measures, then stops the process (SIGTERM, SIGKILL after 15 s). */
async function timeStart(args: string[], env: Record<string, string>, port: number): Promise<Started> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1', NODE_OPTIONS: '--max-old-space-size=256', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    while (performance.now() - started < START_TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${stderr}`);
      try {
        // /ready: the port answers /health (and /ready 503) while the service starts; ready is the first real answer.
        const response = await fetch(`http://127.0.0.1:${port}/ready`);
        await response.arrayBuffer();
        if (response.status === 200) return { firstAnswerMs: performance.now() - started, rssMb: rssMb(child.pid ?? 0) };
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no answer within ${START_TIMEOUT_MS} ms: ${stderr}`);
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  }
}

const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));`;

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const dataParent = mkdtempSync(path.join(os.tmpdir(), 'certguard-bench-startup-'));
  const dataDir = path.join(dataParent, 'data');
  const serviceArgs = ['--enable-source-maps', '--import', './dist/src/telemetry/register.js', 'dist/src/main.js'];
  try {
    options.log('startup: npm run build (what npm start runs first; not timed)');
    execFileSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    const port = await freePort();
    options.log('startup: bare node server (baseline)');
    const bare = await timeStart(['-e', BARE_SERVER], { PORT: String(port) }, port);
    const env = { PORT: String(port), CERTGUARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    options.log('startup: npm start on a fresh PGlite data dir');
    const fresh = await timeStart(serviceArgs, env, port);
    options.log('startup: npm start again on the same data dir (restart)');
    const restart = await timeStart(serviceArgs, env, port);
    const baseline = { name: 'bare node http server', value: Math.round(bare.firstAnswerMs) };
    const rows = (label: string, result: Started): BenchResult[] => [
      { name: `npm start first answer, PGlite ${label}`, value: Math.round(result.firstAnswerMs), unit: 'ms', baseline, target: { max: 2000 } },
      {
        name: `npm start RSS after first answer, PGlite ${label}`,
        value: Math.round(result.rssMb),
        unit: 'MB',
        baseline: { name: 'bare node http server', value: Math.round(bare.rssMb) },
        target: { max: 250 },
      },
    ];
    return [...rows('fresh data dir', fresh), ...rows('restart', restart)];
  } finally {
    rmSync(dataParent, { recursive: true, force: true });
  }
}
