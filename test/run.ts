/**
 * The test runner behind `npm test`: every test file, in two groups, and the time each took.
 * - concurrent: files that share nothing with each other. Node's runner gives each file its own process; each test
 *   service gets its own in-memory PGlite or its own scratch Postgres database (test/support/test-database.ts), ports
 *   are chosen by the OS, files go to mkdtemp directories. These run --test-concurrency at a time.
 * - serial: files whose assertions depend on timing (deadlines, windows, drains) or that cut and re-open a port;
 *   under a loaded CPU they could flake, so they run one at a time, after the concurrent group.
 * - on PGlite, one migrated template is built first and every in-memory test database starts from it
 *   (src/db/pglite-template.ts): each test service skips initdb and the migrations.
 * Usage: node --import tsx test/run.ts [--concurrency N] [files...]   (default: every test/**\/*.test.ts; N = cores + 1)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePgliteTemplate } from '../src/db/pglite-template.ts';
import { PGLITE_TEMPLATE_ENV } from './support/test-config.ts';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** One at a time, and why. A new file belongs here only with a reason. */
const SERIAL: Readonly<Record<string, string>> = {
  'test/e2e/graceful-shutdown.test.ts': 'signals a real service process and asserts drain deadlines',
  'test/e2e/service-lifecycle.test.ts': 'starts and stops a real service process against deadlines',
  'test/integration/graceful-drain.test.ts': 'asserts what finishes within a drain deadline',
  'test/integration/database-outage.test.ts': 'cuts a TCP proxy and re-opens it on the same port; reconnect timing',
  'test/integration/database-outage-spool.test.ts': 'cuts a TCP proxy and re-opens it on the same port; spool timing',
  'test/integration/audit-chain.test.ts': 'every event must be sealed within a latency bound (SEALED_WITHIN_MS)',
  'test/integration/audit-chain-concurrency.test.ts': 'four writer processes must reach a decision count within 90 s',
  'test/integration/audit-coverage-auth-failures.test.ts': 'a 300 ms failure window must close while the test waits',
  'test/integration/http-server-limits.test.ts': 'server timeouts and slow-client behaviour',
  'test/e2e/startup-probes.test.ts': 'opens a TCP proxy 5 s after a real service process starts waiting for its database',
  'test/e2e/console.test.ts': 'a headless Chromium (several processes, ~300 MB) waiting on rendered views: heavy beside other files',
  'test/e2e/cluster-workers.test.ts': 'three processes (primary, 2 workers) against start-up, drain and restart deadlines',
  'test/e2e/compiled-start.test.ts': 'rewrites dist/, which bin/certguard.js runs in the concurrent CLI tests',
};

interface Group {
  name: string;
  files: string[];
  concurrency: number;
}

function allTestFiles(): string[] {
  return readdirSync(path.join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => path.posix.join('test', file.split(path.sep).join('/')))
    .sort();
}

function runGroup(group: Group, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now();
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${group.concurrency}`, ...group.files];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env });
    child.on('close', (code) => resolve({ ok: code === 0, ms: performance.now() - started }));
  });
}

function minutes(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

function parseArgs(args: string[]): { concurrency: number; files: string[] } {
  const flag = args.indexOf('--concurrency');
  const concurrency = flag >= 0 ? Number(args[flag + 1]) : availableParallelism() + 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency takes a positive integer');
  const files = args.filter((_, i) => flag < 0 || (i !== flag && i !== flag + 1));
  return { concurrency, files: files.length > 0 ? files.map((file) => path.posix.normalize(file)) : allTestFiles() };
}

async function main(): Promise<number> {
  const { concurrency, files } = parseArgs(process.argv.slice(2));
  // A moved or renamed file would silently leave the serial group: refuse to run with a stale entry.
  const all = allTestFiles();
  const stale = Object.keys(SERIAL).filter((file) => !all.includes(file));
  if (stale.length > 0) throw new Error(`test/run.ts SERIAL lists files that do not exist: ${stale.join(', ')}`);
  const groups: Group[] = [
    { name: 'concurrent', files: files.filter((file) => !(file in SERIAL)), concurrency },
    { name: 'serial', files: files.filter((file) => file in SERIAL), concurrency: 1 },
  ].filter((group) => group.files.length > 0);
  const started = performance.now();
  const lines: string[] = [];
  const database = process.env.CERTGUARD_TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite';
  // One template per run, in a folder of its own that is removed afterwards: never a template from another checkout.
  const templateDir = database === 'pglite' ? mkdtempSync(path.join(tmpdir(), 'certguard-test-template-')) : undefined;
  const env = { ...process.env };
  let ok = true;
  try {
    if (templateDir) {
      const templateStarted = performance.now();
      env[PGLITE_TEMPLATE_ENV] = await ensurePgliteTemplate(templateDir);
      lines.push(`pglite template: ${minutes(performance.now() - templateStarted)}`);
    }
    for (const group of groups) {
      const result = await runGroup(group, env);
      ok &&= result.ok;
      lines.push(`${group.name}: ${group.files.length} files, ${group.concurrency} at a time, ${minutes(result.ms)}${result.ok ? '' : ' (FAILED)'}`);
    }
  } finally {
    if (templateDir) rmSync(templateDir, { recursive: true, force: true });
  }
  console.log(`\n== test time on ${database}\n${lines.join('\n')}\ntotal: ${minutes(performance.now() - started)}${ok ? '' : ' (FAILED)'}`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
