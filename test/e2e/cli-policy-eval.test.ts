/**
 * `certguard policy eval` decides offline exactly as POST /v1/policy/evaluate answers (same request body, same
 * decision object), and `certguard policy test --format json|-v|--run|--coverage` reports what tools parse.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { certguardCli as certguard } from '../support/certguard-cli.ts';
import { demoAuditor } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

const SHIPPED = path.join(PROJECT_ROOT, 'policies');
const ONE = '111111111111';

function facts(status: string) {
  return {
    id: 'ab'.repeat(32),
    arn: `arn:aws:iot:us-east-1:${ONE}:cert/${'ab'.repeat(32)}`,
    status,
    ownedBy: ONE,
    previousOwnedBy: null,
    pendingTransferTo: null,
    mode: 'DEFAULT',
    createdAt: '2026-01-01T00:00:00.000Z',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2036-01-01T00:00:00.000Z',
  };
}

/** Request bodies of POST /v1/policy/evaluate: allowed, denied, a caller-built input, with warnings. */
const BODIES = {
  allowed: {
    operation: 'TransferCertificate',
    input: {
      request: { targetAwsAccount: '222222222222' },
      caller: { accountId: ONE, accessKeyId: 'AKIADEMOACCOUNT1', roles: ['operator'] },
      certificate: facts('INACTIVE'),
      attachedPolicies: [],
      now: '2026-06-01T00:00:00.000Z',
    },
  },
  denied: {
    operation: 'TransferCertificate',
    input: {
      request: { targetAwsAccount: '222222222222' },
      caller: { accountId: ONE, roles: ['operator'] },
      certificate: facts('ACTIVE'),
      attachedPolicies: ['iot-read'],
      now: '2026-06-01T00:00:00.000Z',
    },
  },
  expiringSoon: {
    operation: 'AcceptCertificateTransfer',
    input: {
      request: {},
      caller: { accountId: '222222222222', roles: ['operator'] },
      certificate: { ...facts('PENDING_TRANSFER'), pendingTransferTo: '222222222222', notAfter: '2026-06-10T00:00:00.000Z' },
      now: '2026-06-01T00:00:00.000Z',
    },
  },
};

/** The decision without its id (a new one per evaluation). */
function comparable(decision: Record<string, unknown>): Record<string, unknown> {
  const { decisionId, ...rest } = decision;
  assert.match(String(decisionId), /^[0-9a-f-]{36}$/);
  return rest;
}

describe('certguard policy eval', () => {
  const t = useTestService();
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'certguard-policy-eval-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const api = async (body: unknown) => {
    const response = await t.svc.send({
      method: 'POST',
      path: '/v1/policy/evaluate',
      credential: demoAuditor,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200, response.text);
    return response.json as Record<string, unknown>;
  };

  test('the same decision object as POST /v1/policy/evaluate on the same body, allowed or denied', async () => {
    for (const [name, body] of Object.entries(BODIES)) {
      const file = path.join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify(body));
      const run = await certguard(['policy', 'eval', '--input', file, '--bundle', SHIPPED]);
      assert.equal(run.code, 0, run.stderr);
      const offline = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.deepEqual(comparable(offline), comparable(await api(body)), name);
    }
    const denied = JSON.parse((await certguard(['policy', 'eval', '--input', path.join(dir, 'denied.json')])).stdout);
    assert.deepEqual([denied.allowed, denied.failingRuleId, denied.errorType], [false, 'certificate-not-active', 'CertificateStateException']);
  });

  test('an input built from a caller and request (no certificate) decides as the API does; --operation names it; stdin works', async () => {
    const body = { caller: { accountId: ONE, roles: ['operator'] }, request: {}, now: '2026-06-01T00:00:00.000Z' };
    const run = await certguard(['policy', 'eval', '--input', '-', '--operation', 'CreateKeysAndCertificate'], {}, JSON.stringify(body));
    assert.equal(run.code, 0, run.stderr);
    const offline = JSON.parse(run.stdout);
    assert.equal(offline.input.now, '2026-06-01T00:00:00.000Z');
    assert.deepEqual(comparable(offline), comparable(await api({ ...body, operation: 'CreateKeysAndCertificate' })));
  });

  test('--exit-code: 1 for a denial, 0 for an allowed call', async () => {
    assert.equal((await certguard(['policy', 'eval', '--exit-code', '--input', path.join(dir, 'denied.json')])).code, 1);
    assert.equal((await certguard(['policy', 'eval', '--exit-code', '--input', path.join(dir, 'allowed.json')])).code, 0);
  });

  test('a body the API would refuse is a usage error (2) with the API message', async () => {
    const cases: Array<[unknown, string[], RegExp]> = [
      [{ operation: 'LaunchRocket', input: {} }, [], /Unknown operation "LaunchRocket"/],
      [{ operation: 'TransferCertificate', certificateId: 'ab'.repeat(32) }, [], /offline evaluation has no database/],
      [{ input: {} }, [], /no operation/],
      [{ operation: 'TransferCertificate', input: {} }, ['--operation', 'UpdateCertificate'], /--operation UpdateCertificate but the file says/],
      [[1, 2], [], /must be a JSON object/],
    ];
    for (const [body, extra, message] of cases) {
      const file = path.join(dir, 'bad.json');
      await writeFile(file, JSON.stringify(body));
      const run = await certguard(['policy', 'eval', '--input', file, ...extra]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    }
    await writeFile(path.join(dir, 'not-json.json'), '{');
    assert.equal((await certguard(['policy', 'eval', '--input', path.join(dir, 'not-json.json'), '--operation', 'TransferCertificate'])).code, 2);
  });
});

describe('certguard policy test --format json, -v, --run, --coverage', () => {
  test('--format json is one JSON document: bundle, summary, every case with its decision, per-rule coverage', async () => {
    const run = await certguard(['policy', 'test', SHIPPED, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.bundle.name, 'certguard-default');
    assert.match(report.bundle.hash, /^[0-9a-f]{64}$/);
    assert.equal(report.summary.failed, 0);
    assert.equal(report.summary.passed, report.cases.length);
    assert.ok(report.cases.length > 10);
    for (const result of report.cases) {
      assert.equal(typeof result.name, 'string');
      assert.equal(result.passed, true);
      assert.equal(typeof result.allowed, 'boolean');
      assert.ok(result.rules.length > 0);
    }
    assert.equal(report.summary.rules, report.coverage.length);
    assert.equal(report.summary.rulesCovered, report.coverage.filter((entry: { covered: boolean }) => entry.covered).length);
    for (const entry of report.coverage) {
      assert.equal(entry.covered, entry.pass > 0 && entry.fail + entry.error > 0, `${entry.ruleId}: covered = seen pass and seen fail or error`);
    }
    const total = (entry: { pass: number; fail: number; error: number; skipped: number }) => entry.pass + entry.fail + entry.error + entry.skipped;
    const transferCases = report.cases.filter((c: { operation: string }) => c.operation === 'TransferCertificate').length;
    assert.equal(total(report.coverage.find((entry: { ruleId: string }) => entry.ruleId === 'certificate-not-active')), transferCases);
  });

  test('--run selects cases by name or operation; the others are skipped and counted', async () => {
    const all = JSON.parse((await certguard(['policy', 'test', SHIPPED, '--format', 'json'])).stdout);
    const run = await certguard(['policy', 'test', SHIPPED, '--format', 'json', '--run', '^TransferCertificate$']);
    const report = JSON.parse(run.stdout);
    assert.ok(report.cases.length > 0);
    assert.ok(report.cases.every((c: { operation: string }) => c.operation === 'TransferCertificate'));
    assert.equal(report.summary.skipped, all.cases.length - report.cases.length);
    const none = await certguard(['policy', 'test', SHIPPED, '--run', 'no case is named like this']);
    assert.equal(none.code, 0);
    assert.match(none.stdout, new RegExp(`^0 passed, 0 failed, ${all.cases.length} skipped \\(--run\\)$`, 'm'));
  });

  test('-v prints each decision; --coverage the per-rule table', async () => {
    const run = await certguard(['policy', 'test', SHIPPED, '-v', '--coverage', '--run', 'an ACTIVE certificate is refused']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {6}decision: denied by certificate-not-active; rules: certificate-not-active=fail, /m);
    assert.match(run.stdout, /^coverage \(cases per rule outcome; covered = seen pass and seen fail or error\): \d+\/\d+ rules/m);
    assert.match(run.stdout, /^ {2}TransferCertificate\s+certificate-not-active\s+0\s+1\s+0\s+no$/m);
  });
});
