/**
 * The shell examples for reading the audit trail (README.md "The audit console", docs/audit.md "Search and export",
 * docs/api.md "Streamed verify progress")
 * run verbatim with the tools they name — Debian's curl (7.88, which signs the query as written) and the certguard
 * CLI — against a real service; only the address http://127.0.0.1:3000 is replaced by the test service's.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/config.ts';
import { deniedTransfers, waitUntilSealed } from '../support/audit-chain-support.ts';
import { demoAuditor } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

const run = promisify(execFile);

/** The ```sh blocks of a Markdown file that call curl --aws-sigv4. */
function signedCurlBlocks(file: string): string[] {
  const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!).filter((block) => block.includes('curl --aws-sigv4'));
}

/** The JSON document at the start of `text` (followed by other output). */
function leadingJson(text: string): unknown {
  for (let end = text.indexOf('}'); end !== -1; end = text.indexOf('}', end + 1)) {
    try {
      return JSON.parse(text.slice(0, end + 1));
    } catch {
      // not the end of the document yet
    }
  }
  throw new Error(`no JSON document at the start of: ${text.slice(0, 200)}`);
}

describe('audit examples of the docs, run verbatim', () => {
  const t = useTestService();

  before(async () => {
    await deniedTransfers(t.one, 3);
    await waitUntilSealed(t.svc.db);
    const checkpoint = await t.svc.send({ method: 'POST', path: '/v1/audit/checkpoints', credential: demoAuditor });
    assert.equal(checkpoint.status, 201, checkpoint.text);
  });

  async function runBlock(block: string): Promise<{ stdout: string; dir: string }> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'certguard-docs-'));
    // `npx certguard` as in an installation: the package's bin in the folder's node_modules/.bin; never the registry.
    mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(path.join(PROJECT_ROOT, 'bin', 'certguard.js'), path.join(dir, 'node_modules', '.bin', 'certguard'));
    const script = `set -euo pipefail\n${block.replaceAll('http://127.0.0.1:3000', t.svc.baseUrl)}`;
    const env = { ...process.env, npm_config_offline: 'true' };
    const { stdout } = await run('bash', ['-c', script], { cwd: dir, env, timeout: 120_000, maxBuffer: 16 << 20 });
    return { stdout, dir };
  }

  test('README: the curl search answers the denied decisions', async () => {
    const [block] = signedCurlBlocks('README.md');
    assert.ok(block, 'README.md has a curl --aws-sigv4 example');
    const { stdout, dir } = await runBlock(block);
    rmSync(dir, { recursive: true, force: true });
    const page = JSON.parse(stdout) as { events: Array<{ decision: string }>; message?: string };
    assert.equal(page.message, undefined, stdout);
    assert.equal(page.events.length, 3);
    assert.ok(page.events.every((event) => event.decision === 'DENY'));
  });

  test('docs/api.md: the streamed verify prints progress lines, then the report', async () => {
    const [block] = signedCurlBlocks('docs/api.md');
    assert.ok(block, 'docs/api.md has a curl --aws-sigv4 example');
    const { stdout, dir } = await runBlock(block);
    rmSync(dir, { recursive: true, force: true });
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { progress?: { checked: number; total: number }; report?: { ok: boolean } });
    assert.ok(lines.length >= 2, stdout);
    assert.ok(
      lines.slice(0, -1).every((line) => line.progress !== undefined),
      stdout,
    );
    assert.equal(lines.at(-1)?.report?.ok, true, stdout);
  });

  test('docs/audit.md: search, export, checkpoints and the offline verify', async () => {
    const [block] = signedCurlBlocks('docs/audit.md');
    assert.ok(block, 'docs/audit.md has a curl --aws-sigv4 example');
    const { stdout, dir } = await runBlock(block);
    try {
      // curl prints the page without a newline: the verify's report follows it on the same line.
      const page = leadingJson(stdout) as { events: Array<{ decision: string; caller: { accountId: string } }> };
      assert.equal(page.events.length, 3, stdout);
      assert.ok(page.events.every((event) => event.decision === 'DENY' && event.caller.accountId === '111111111111'));
      assert.match(readFileSync(path.join(dir, 'trail.ndjson'), 'utf8'), /"format":"certguard.audit/);
      assert.ok(JSON.parse(readFileSync(path.join(dir, 'checkpoints.json'), 'utf8')).checkpoints.length >= 1);
      assert.match(stdout.slice(JSON.stringify(page).length), /\bok\b|OK|verified/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
