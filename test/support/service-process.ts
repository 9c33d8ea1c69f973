/**
 * Runs the real service as `npm start` does (node --import tsx --import ./src/telemetry/register.ts src/main.ts)
 * in a child process, with its stdout/stderr captured, for tests of start-up, shutdown and telemetry export.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/config.ts';

export interface ServiceProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves once GET /health answers 200 on the given port. */
  ready(port: number, timeoutMs?: number): Promise<void>;
}

const FROM_SOURCES = ['--import', 'tsx', '--import', './src/telemetry/register.ts', 'src/main.ts'];
/** What `npm start` runs after its build: dist/ on plain node. */
const COMPILED = ['--enable-source-maps', '--import', './dist/src/telemetry/register.js', 'dist/src/main.js'];

/** `compiled`: run dist/ (build it first) instead of the TypeScript sources. */
export function startServiceProcess(env: Record<string, string>, { compiled = false } = {}): ServiceProcess {
  const child = spawn(process.execPath, compiled ? COMPILED : FROM_SOURCES, {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1', CERTGUARD_WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async ready(port, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}: ${err}${out}`);
        try {
          // /ready, not /health: the port answers probes while the service starts (src/http/starting-handler.ts).
          const response = await fetch(`http://127.0.0.1:${port}/ready`);
          if (response.status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`service not ready after ${timeoutMs} ms: ${err}${out}`);
    },
  };
}

/** A free loopback port, found by letting the OS choose one. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
