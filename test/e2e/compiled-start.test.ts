/**
 * The production build (`npm run build`, tsconfig.build.json): dist/ runs without tsx, finds the files it reads at
 * run time (openapi/, policies/, config/) from dist/, and the telemetry bootstrap works compiled (GET /metrics).
 * `npm start` itself (prestart builds) is exercised by service-lifecycle.test.ts.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/config.ts';
import { freePort } from '../support/service-process.ts';

const run = promisify(execFile);

async function javascriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.js')).map((entry) => path.join(entry.parentPath, entry.name));
}

test('npm run build emits dist/ that runs on plain node: contract, rules, telemetry, and exit 0 on SIGTERM', { timeout: 180_000 }, async () => {
  await run('npm', ['run', 'build'], { cwd: PROJECT_ROOT });
  const files = await javascriptFiles(path.join(PROJECT_ROOT, 'dist'));
  assert.ok(files.some((file) => file.endsWith(path.join('dist', 'src', 'main.js'))));
  assert.ok(
    files.some((file) => file.includes(path.join('dist', 'migrations'))),
    'the migrations are compiled too',
  );
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    assert.doesNotMatch(text, /from ['"]tsx|import\(['"]tsx/, `${file} needs tsx`);
    assert.doesNotMatch(text, /from ['"]\.{1,2}\/[^'"]*\.ts['"]/, `${file} imports a .ts file`);
  }

  const port = await freePort();
  const child = spawn(process.execPath, ['--import', './dist/src/telemetry/register.js', 'dist/src/main.js'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1', PORT: String(port), CERTGUARD_DATA_DIR: 'memory://' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!output.includes('certguard listening') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.match(output, /certguard listening/);
    assert.match(output, /"policy":\{"hash":"[0-9a-f]{64}","name":"certguard-default"/, 'the rule bundle was read from policies/');
    const contract = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    assert.equal(contract.status, 200);
    assert.equal(((await contract.json()) as { openapi?: string }).openapi?.startsWith('3.'), true);
    await fetch(`http://127.0.0.1:${port}/health`);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(metrics.status, 200, 'the compiled telemetry bootstrap registered the Prometheus reader');
    assert.match(await metrics.text(), /# TYPE http_server_request_duration_seconds histogram/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
