/**
 * Hot reload of the rule bundle: a good edit is activated atomically and audited; a bundle that does not load, or
 * whose own test cases fail, is refused and the running bundle stays in force. Also through the real process:
 * SIGHUP, and CERTGUARD_POLICIES_WATCH=true picking up a file change.
 */
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { TransferCertificateCommand } from '@aws-sdk/client-iot';
import { PROJECT_ROOT } from '../../src/config.ts';
import { loadPolicyBundle } from '../../src/rules/engine/policy-bundle.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { freePort, startServiceProcess, type ServiceProcess } from '../support/service-process.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { createScratchDatabase, testDatabaseKind, type ScratchDatabase } from '../support/test-database.ts';
import { startTestService, type TestService } from '../support/test-service.ts';

const SHIPPED = path.join(PROJECT_ROOT, 'policies');
const NEW_RULE_ID = 'no-secrets-in-transfer-message';

const NEW_RULE = `
  - id: ${NEW_RULE_ID}
    description: Added by a hot reload.
    expression: '!request.transferMessage.lowerAscii().contains("password")'
    message: Transfer messages must not contain credentials.
    errorType: InvalidRequestException
`;

const NEW_RULE_CASES = `operation: TransferCertificate
cases:
  - name: a transfer message without credentials passes the new rule
    input: { request: { targetAwsAccount: "222222222222", transferMessage: for Lyon } }
    expect: { allowed: true, rules: { ${NEW_RULE_ID}: pass } }
  - name: a transfer message with a password is refused by the new rule
    input: { request: { targetAwsAccount: "222222222222", transferMessage: the Password is hunter2 } }
    expect: { allowed: false, failingRule: ${NEW_RULE_ID}, errorType: InvalidRequestException }
`;

/** A fresh copy of the shipped bundle in `dir` (emptied first). */
async function resetBundle(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await cp(SHIPPED, dir, { recursive: true });
}

async function setRevision(dir: string, revision: string): Promise<void> {
  const manifest = path.join(dir, 'manifest.yaml');
  await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/^revision: .*$/m, `revision: "${revision}"`));
}

/** The good edit: a new TransferCertificate rule, its test cases and a new revision. */
async function addRuleWithCases(dir: string, revision: string): Promise<void> {
  await appendFile(path.join(dir, 'transfer-certificate.yaml'), NEW_RULE);
  await writeFile(path.join(dir, 'tests', 'no-secrets.yaml'), NEW_RULE_CASES);
  await setRevision(dir, revision);
}

describe(`policy hot reload (${testDatabaseKind})`, () => {
  let dir: string;
  let svc: TestService;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'certguard-reload-'));
    await resetBundle(dir);
    svc = await startTestService({ policiesDir: dir });
  });
  after(async () => {
    await svc?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => resetBundle(dir));

  const activations = () => svc.db.selectFrom('audit_events').selectAll().where('event_type', '=', 'PolicyActivated').orderBy('sequence', 'desc').execute();

  async function transferDecision(certificateId: string) {
    return svc.db
      .selectFrom('audit_events')
      .select(['policy_hash', 'decision', 'failing_rule_id'])
      .where('operation', '=', 'TransferCertificate')
      .where('certificate_id', '=', certificateId)
      .orderBy('sequence', 'desc')
      .executeTakeFirstOrThrow();
  }

  test('a good edit is activated, audited as PolicyActivated, and the next decisions carry its hash and rules', async () => {
    const previous = svc.service.activePolicy.current;
    await addRuleWithCases(dir, 'reload-test.1');
    const expectedHash = (await loadPolicyBundle(dir)).hash;

    const result = await svc.service.policyReloader.reload('test');
    assert.deepEqual(result, { activated: true, hash: expectedHash });
    const current = svc.service.activePolicy.current;
    assert.equal(current.hash, expectedHash);
    assert.equal(current.revision, 'reload-test.1');
    assert.ok(current.rulesFor('TransferCertificate').some((rule) => rule.id === NEW_RULE_ID));

    const [activation] = await activations();
    assert.equal(activation?.policy_hash, expectedHash);
    assert.deepEqual(
      { ...(activation?.request_parameters as Record<string, unknown>) },
      { previousHash: previous.hash, hash: expectedHash, name: 'certguard-default', revision: 'reload-test.1', trigger: 'reload' },
    );

    const one = svc.iot(demoOperatorOne);
    const refused = await createCertificate(one);
    await rejectsWithAws(
      one.send(
        new TransferCertificateCommand({ certificateId: refused.certificateId, targetAwsAccount: demoOperatorTwo.accountId, transferMessage: 'password: x' }),
      ),
      'InvalidRequestException',
      400,
      new RegExp(NEW_RULE_ID),
    );
    assert.deepEqual(await transferDecision(refused.certificateId), { policy_hash: expectedHash, decision: 'DENY', failing_rule_id: NEW_RULE_ID });
  });

  test('a bundle with a type error is refused: same bundle in force, no PolicyActivated row, the error has file:line:column', async () => {
    const before = svc.service.activePolicy.current.hash;
    const rowsBefore = (await activations()).length;
    const rules = path.join(dir, 'transfer-certificate.yaml');
    await writeFile(rules, (await readFile(rules, 'utf8')).replace('expression: certificate.status != "ACTIVE"', 'expression: certificate.statuz != "ACTIVE"'));
    await setRevision(dir, 'reload-test.broken');

    const result = await svc.service.policyReloader.reload('test');
    assert.equal(result.activated, false);
    assert.match(result.error ?? '', /transfer-certificate\.yaml:\d+:\d+ rule "certificate-not-active": expression: No such key: statuz/);
    assert.equal(svc.service.activePolicy.current.hash, before);
    assert.equal((await activations()).length, rowsBefore);
    assert.ok(svc.logs.some((line) => line.message === 'policy reload refused: the running bundle stays in force' && line.hash === before));
  });

  test('a bundle whose own test case fails is refused and the running bundle keeps deciding', async () => {
    const before = svc.service.activePolicy.current.hash;
    const rowsBefore = (await activations()).length;
    await addRuleWithCases(dir, 'reload-test.untested');
    await appendFile(
      path.join(dir, 'tests', 'no-secrets.yaml'),
      '  - name: a wrong expectation\n    input: { certificate: { status: ACTIVE } }\n    expect: { allowed: true }\n',
    );

    const result = await svc.service.policyReloader.reload('test');
    assert.equal(result.activated, false);
    assert.match(result.error ?? '', /1 policy test case\(s\) failed: .*no-secrets\.yaml "a wrong expectation": allowed: expected true, got false/);
    assert.equal(svc.service.activePolicy.current.hash, before);
    assert.equal((await activations()).length, rowsBefore);

    const one = svc.iot(demoOperatorOne);
    const cert = await createCertificate(one);
    await one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
    assert.deepEqual(await transferDecision(cert.certificateId), { policy_hash: before, decision: 'ALLOW', failing_rule_id: null });
  });
});

describe(`policy hot reload of the running service process (${testDatabaseKind})`, () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** A service process on its own bundle copy and database. */
  async function startProcess(extraEnv: Record<string, string>): Promise<{ service: ServiceProcess; dir: string }> {
    const dir = await mkdtemp(path.join(tmpdir(), 'certguard-reload-process-'));
    await resetBundle(dir);
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    let scratch: ScratchDatabase | undefined;
    if (testDatabaseKind === 'postgres') {
      scratch = await createScratchDatabase();
      cleanups.push(() => scratch!.drop());
    }
    const port = await freePort();
    const service = startServiceProcess({
      PORT: String(port),
      CERTGUARD_POLICIES_DIR: dir,
      LOG_LEVEL: 'info',
      ...(scratch ? { DATABASE_URL: scratch.url } : { CERTGUARD_DATA_DIR: 'memory://' }),
      ...extraEnv,
    });
    cleanups.push(async () => {
      if (service.child.exitCode === null) service.child.kill('SIGTERM');
      await service.exited;
    });
    await service.ready(port);
    return { service, dir };
  }

  test('SIGHUP reloads the edited bundle', async () => {
    const { service, dir } = await startProcess({});
    await addRuleWithCases(dir, 'reload-test.sighup');
    const expected = (await loadPolicyBundle(dir)).hash;
    service.child.kill('SIGHUP');
    const line = await logLine(service, (entry) => entry.message === 'policy bundle activated' && entry.hash === expected);
    assert.equal(line.reason, 'SIGHUP');
    assert.equal(line.revision, 'reload-test.sighup');
  });

  test('with CERTGUARD_POLICIES_WATCH=true a file change is picked up without a signal', async () => {
    const { service, dir } = await startProcess({ CERTGUARD_POLICIES_WATCH: 'true' });
    await addRuleWithCases(dir, 'reload-test.watch');
    const expected = (await loadPolicyBundle(dir)).hash;
    const line = await logLine(service, (entry) => entry.message === 'policy bundle activated' && entry.hash === expected);
    assert.equal(line.reason, 'file change');
  });
});

/** Waits for a JSON log line of the process that satisfies `match`. */
async function logLine(service: ServiceProcess, match: (entry: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const text of service.stdout().split('\n')) {
      if (!text.startsWith('{')) continue;
      const entry = JSON.parse(text) as Record<string, unknown>;
      if (match(entry)) return entry;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no matching log line within ${timeoutMs} ms:\n${service.stdout()}\n${service.stderr()}`);
}
