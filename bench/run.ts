/**
 * certguard's benchmark suite: `npm run bench [-- --quick] [-- --only <name>[,<name>]] [-- --database postgres|pglite]`.
 * Never part of `npm test`. The machine is shared and noisy, so every number comes with a baseline measured in
 * the same run, and the ratio is what to compare between runs; absolute numbers are printed alongside.
 *
 * Output: one table on stdout (progress on stderr) and bench/results/latest.json (git-ignored).
 * Exit code 1 when a module throws or a correctness check fails (a row with `ok: false`).
 *
 * Options (CLI, or environment):
 *   --quick                    short runs, a smoke check (CERTGUARD_BENCH_QUICK=1)
 *   --only <name>[,<name>]     run only these modules, by their `name` (CERTGUARD_BENCH_ONLY)
 *   --database postgres|pglite force the database of the HTTP benchmarks. By default: Postgres when
 *                              CERTGUARD_BENCH_DATABASE_URL (a maintenance-database URL) is set or 127.0.0.1:5432
 *                              answers, with a scratch database per run that is dropped afterwards; else PGlite.
 *
 * ADDING A BENCHMARK: create `bench/<something>.bench.ts` (found automatically, run in file-name order) exporting
 *   export const name = 'something';                       // what --only matches
 *   export async function run(options: BenchOptions): Promise<BenchResult[]>;
 * with the types of bench/support/bench-module.ts:
 *   options: { quick, database: DatabaseChoice, log(message) }
 *   row:     { name, value, unit, baseline?: { name, value }, ratio? (default value / baseline.value),
 *              target?: { max?, min? }, ok? (false = correctness failure), detail? }
 * Rules: every loop is bounded in count AND time and stops by itself; only loopback addresses; anything a module
 * starts (child processes, scratch databases, temp folders) it stops or removes in a `finally`. Reuse
 * bench/support/: micro-timer.ts (interleaved µs/op against a baseline), bench-service.ts (the real service in a
 * child process, optionally with telemetry), bench-database.ts (scratch database), load-generator.ts and
 * signed-http.ts (signed keep-alive HTTP load), stats.ts.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchModule, BenchOptions, BenchResult } from './support/bench-module.ts';
import { chooseDatabase, describeChoice } from './support/bench-database.ts';
import { formatTable, type ModuleRow } from './support/result-table.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'latest.json');

function readOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      database: { type: 'string' },
    },
  });
  const database = values.database;
  if (database !== undefined && database !== 'postgres' && database !== 'pglite') {
    throw new Error(`--database must be postgres or pglite, got "${database}"`);
  }
  const only = [...(values.only ?? []), ...(process.env.CERTGUARD_BENCH_ONLY ? [process.env.CERTGUARD_BENCH_ONLY] : [])]
    .flatMap((list) => list.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return { quick: values.quick || process.env.CERTGUARD_BENCH_QUICK === '1', only, database };
}

async function loadModules(only: readonly string[]): Promise<BenchModule[]> {
  const files = (await readdir(BENCH_DIR)).filter((file) => file.endsWith('.bench.ts')).sort();
  const modules: BenchModule[] = [];
  for (const file of files) {
    const loaded = (await import(pathToFileURL(path.join(BENCH_DIR, file)).href)) as Partial<BenchModule>;
    if (typeof loaded.name !== 'string' || typeof loaded.run !== 'function') {
      throw new Error(`bench/${file} must export \`name\` (string) and \`run(options)\``);
    }
    modules.push({ name: loaded.name, run: loaded.run });
  }
  const unknown = only.filter((wanted) => !modules.some((module) => module.name === wanted));
  if (unknown.length > 0) throw new Error(`--only: no benchmark named ${unknown.join(', ')} (have ${modules.map((m) => m.name).join(', ')})`);
  return only.length === 0 ? modules : modules.filter((module) => only.includes(module.name));
}

function withRatio(row: BenchResult): BenchResult {
  if (row.ratio !== undefined || row.baseline === undefined || row.baseline.value === 0) return row;
  return { ...row, ratio: row.value / row.baseline.value };
}

async function runModules(modules: readonly BenchModule[], options: BenchOptions): Promise<ModuleRow[]> {
  const rows: ModuleRow[] = [];
  for (const module of modules) {
    const started = performance.now();
    options.log(`${module.name}: starting`);
    try {
      for (const row of await module.run(options)) rows.push({ module: module.name, ...withRatio(row) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.log(`${module.name}: FAILED: ${error instanceof Error ? error.stack : message}`);
      rows.push({ module: module.name, name: 'benchmark failed', value: Number.NaN, unit: '', ok: false, detail: message.slice(0, 200) });
    }
    options.log(`${module.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return rows;
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const cli = readOptions();
  const database = await chooseDatabase(process.env, cli.database as 'postgres' | 'pglite' | undefined);
  const modules = await loadModules(cli.only);
  const log = (message: string) => process.stderr.write(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)}s] ${message}\n`);
  const environment = {
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
    loadAverageBefore: os.loadavg().map((load) => Number(load.toFixed(2))),
    database: describeChoice(database),
    quick: cli.quick,
  };
  log(`database for the HTTP benchmarks: ${environment.database}${cli.quick ? ' (quick mode)' : ''}`);

  const rows = await runModules(modules, { quick: cli.quick, database, log });
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  process.stdout.write(`\ncertguard benchmarks${cli.quick ? ' (--quick: smoke check, not a measurement)' : ''}\n`);
  process.stdout.write(`node ${environment.node}, ${environment.cpus}, load average before ${environment.loadAverageBefore.join(' ')}\n`);
  process.stdout.write(`database (HTTP benchmarks): ${environment.database}\n\n`);
  process.stdout.write(`${formatTable(rows)}\n\ntotal ${seconds.toFixed(1)} s; results in ${path.relative(process.cwd(), RESULTS_FILE)}\n`);

  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  const report = { startedAt: startedAt.toISOString(), durationSeconds: Number(seconds.toFixed(1)), ...environment, results: rows };
  await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  return rows.some((row) => row.ok === false) ? 1 : 0;
}

// Exit explicitly: a handle some module forgot to close must not keep the run alive (stdout is synchronous on
// files and pipes, so nothing printed is lost).
try {
  process.exit(await main());
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
