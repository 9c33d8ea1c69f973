/** `certguard policy test` and `certguard policy lint`, run as a user or CI runs them. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';

const execFileAsync = promisify(execFile);
const SHIPPED = path.join(PROJECT_ROOT, 'policies');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function certguard(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'certguard.js'), ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const tempDirs: string[] = [];
after(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A copy of the shipped bundle with `file` (relative to the bundle) edited by `edit`. */
async function editedCopy(file: string, edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'certguard-cli-policy-'));
  tempDirs.push(dir);
  await cp(SHIPPED, dir, { recursive: true });
  const target = path.join(dir, file);
  const before = await readFile(target, 'utf8');
  const after = edit(before);
  assert.notEqual(after, before, 'the edit changed nothing');
  await writeFile(target, after);
  return dir;
}

/** The shipped case "an unexpired certificate can be set ACTIVE", now expecting the opposite. */
const brokenCase = (text: string) =>
  text.replace(
    '  - name: an unexpired certificate can be set ACTIVE\n    input:\n      request: { newStatus: ACTIVE }\n    expect:\n      allowed: true',
    '  - name: an unexpired certificate can be set ACTIVE\n    input:\n      request: { newStatus: ACTIVE }\n    expect:\n      allowed: false',
  );

/** A field that does not exist: a load-time type error at line 8, column 25 (the field, inside the expression). */
const typeError = (text: string) => text.replace('expression: request.newStatus != "ACTIVE"', 'expression: request.newStatuz != "ACTIVE"');

describe('certguard policy test', () => {
  test('passes on the shipped bundle: exit 0, a PASS line per case and the summary line', async () => {
    const run = await certguard(['policy', 'test', SHIPPED]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^PASS {2}\S+transfer-certificate\.yaml\s+TransferCertificate\s+an ACTIVE certificate is refused/m);
    assert.doesNotMatch(run.stdout, /^FAIL/m);
    assert.match(run.stdout, /^every rule is exercised/m);
    const summary = /^(\d+) passed, 0 failed$/m.exec(run.stdout);
    assert.ok(summary && Number(summary[1]) > 0, run.stdout);
  });

  test('a failing case exits 1, names the case and says why', async () => {
    const dir = await editedCopy('tests/update-certificate.yaml', brokenCase);
    const run = await certguard(['policy', 'test', dir]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^FAIL {2}\S+update-certificate\.yaml\s+UpdateCertificate\s+an unexpired certificate can be set ACTIVE$/m);
    assert.match(run.stdout, /^ {6}- allowed: expected false, got true$/m);
    assert.match(run.stdout, /^\d+ passed, 1 failed$/m);
  });

  test('a type error in a rule exits 1 with file:line:column', async () => {
    const dir = await editedCopy('update-certificate.yaml', typeError);
    const run = await certguard(['policy', 'test', dir]);
    assert.equal(run.code, 1);
    const file = path.join(dir, 'update-certificate.yaml');
    assert.match(run.stderr, new RegExp(`^${escapeRegExp(file)}:8:25 rule "no-activation-of-expired-certificate": expression: .*newStatuz`, 'm'));
    assert.doesNotMatch(run.stdout, /passed/);
  });

  test('CERTGUARD_POLICIES_DIR selects the bundle when no directory is given', async () => {
    const dir = await editedCopy('tests/update-certificate.yaml', brokenCase);
    const run = await certguard(['policy', 'test'], { CERTGUARD_POLICIES_DIR: dir });
    assert.equal(run.code, 1);
    assert.match(run.stdout, new RegExp(`\\(${escapeRegExp(dir)}\\)`));
    assert.match(run.stdout, /^\d+ passed, 1 failed$/m);
  });

  test('a usage error exits 2 with the usage', async () => {
    for (const args of [['policy'], ['policy', 'frobnicate'], ['policy', 'test', 'a', 'b']]) {
      const run = await certguard(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, /usage: certguard policy/);
    }
  });
});

describe('certguard policy lint', () => {
  test('reports the shipped bundle ok with its name, revision, hash and rule count', async () => {
    const run = await certguard(['policy', 'lint', SHIPPED]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ok: certguard-default revision \S+ hash [0-9a-f]{64}, \d+ rules in \d+ operations$/m);
  });

  test('does not run the cases: a failing case still lints ok', async () => {
    const dir = await editedCopy('tests/update-certificate.yaml', brokenCase);
    const run = await certguard(['policy', 'lint', dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ok: /m);
  });

  test('a type error in a rule exits 1 with file:line:column', async () => {
    const dir = await editedCopy('update-certificate.yaml', typeError);
    const run = await certguard(['policy', 'lint', dir]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^${escapeRegExp(path.join(dir, 'update-certificate.yaml'))}:8:25 rule "no-activation-of-expired-certificate"`, 'm'));
  });

  test('a malformed case file exits 1 with file:line:column', async () => {
    const dir = await editedCopy('tests/update-certificate.yaml', (text) =>
      text.replace('      request: { newStatus: ACTIVE }\n', '      request: { newStatuz: ACTIVE }\n'),
    );
    const run = await certguard(['policy', 'lint'], { CERTGUARD_POLICIES_DIR: dir });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`^${escapeRegExp(path.join(dir, 'tests', 'update-certificate.yaml'))}:6:18: input\\.request: unknown field "newStatuz"`, 'm'),
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
