import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyBundle, type CertificateFacts, type PolicyBundle, type PolicyInput } from '../../src/rules/engine/policy-bundle.ts';

const SHIPPED = fileURLToPath(new URL('../../policies', import.meta.url));
const OWNER = '111111111111';
const TARGET = '123456789012';
const NOW = new Date('2026-11-26T12:00:00Z');

function certificate(overrides: Partial<CertificateFacts> = {}): CertificateFacts {
  return {
    id: 'abab01',
    arn: `arn:aws:iot:us-east-1:${OWNER}:cert/abab01`,
    status: 'INACTIVE',
    ownedBy: OWNER,
    previousOwnedBy: null,
    pendingTransferTo: null,
    mode: 'DEFAULT',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'),
    ...overrides,
  };
}

function transferInput(overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    request: { targetAwsAccount: TARGET, transferMessage: 'hi' },
    caller: { accountId: OWNER, accessKeyId: 'AKIDEXAMPLE', roles: ['operator'] },
    certificate: certificate(),
    attachedPolicies: [],
    now: NOW,
    ...overrides,
  };
}

const tempDirs: string[] = [];
after(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'certguard-policy-'));
  tempDirs.push(dir);
  return dir;
}

/** A bundle of one TransferCertificate rule file (plus optional params) in a fresh temp directory. */
async function bundleWithRules(rulesYaml: string, paramsYaml?: string): Promise<PolicyBundle> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'manifest.yaml'), 'name: test\nrevision: "t1"\n');
  await writeFile(path.join(dir, 'transfer.yaml'), `operation: TransferCertificate\nrules:\n${rulesYaml}`);
  if (paramsYaml !== undefined) await writeFile(path.join(dir, 'params.yaml'), paramsYaml);
  return loadPolicyBundle(dir);
}

function rule(id: string, expression: string, extra = ''): string {
  return `  - id: ${id}\n    expression: '${expression}'\n    message: ${id} failed\n    errorType: CertificateStateException\n${extra}`;
}

describe('shipped TransferCertificate rules', () => {
  let bundle: PolicyBundle;
  before(async () => {
    bundle = await loadPolicyBundle(SHIPPED);
  });

  test('an INACTIVE certificate without policies, sent to another valid account, is allowed by every rule', () => {
    const decision = bundle.evaluate('TransferCertificate', transferInput());
    assert.equal(decision.allowed, true);
    assert.deepEqual(
      decision.rules.map((r) => [r.id, r.outcome]),
      [
        ['certificate-not-active', 'pass'],
        ['certificate-not-pending-transfer', 'pass'],
        ['no-attached-policies', 'pass'],
        ['valid-target-account', 'pass'],
        ['transfer-not-under-legal-hold', 'pass'],
      ],
    );
    assert.equal(decision.failingRuleId, undefined);
    assert.equal(decision.errorType, undefined);
    assert.deepEqual(decision.warnings, []);
  });

  test('an ACTIVE certificate is refused with CertificateStateException naming it and UpdateCertificate', () => {
    const decision = bundle.evaluate('TransferCertificate', transferInput({ certificate: certificate({ status: 'ACTIVE' }) }));
    assert.equal(decision.allowed, false);
    assert.equal(decision.failingRuleId, 'certificate-not-active');
    assert.equal(decision.errorType, 'CertificateStateException');
    assert.match(decision.message ?? '', /^\[certificate-not-active\] The certificate abab01 is ACTIVE: .*UpdateCertificate/);
  });

  test('a certificate already PENDING_TRANSFER is refused with CertificateStateException', () => {
    const pending = certificate({ status: 'PENDING_TRANSFER', pendingTransferTo: '222222222222' });
    const decision = bundle.evaluate('TransferCertificate', transferInput({ certificate: pending }));
    assert.equal(decision.failingRuleId, 'certificate-not-pending-transfer');
    assert.equal(decision.errorType, 'CertificateStateException');
    assert.match(decision.message ?? '', /PENDING_TRANSFER to account 222222222222/);
  });

  test('a REVOKED certificate is refused with CertificateStateException', () => {
    const decision = bundle.evaluate('TransferCertificate', transferInput({ certificate: certificate({ status: 'REVOKED' }) }));
    assert.equal(decision.failingRuleId, 'certificate-not-pending-transfer');
    assert.match(decision.message ?? '', /is REVOKED/);
  });

  test('a certificate with attached policies is refused with TransferConflictException listing them', () => {
    const decision = bundle.evaluate('TransferCertificate', transferInput({ attachedPolicies: ['iot-read', 'iot-write'] }));
    assert.equal(decision.failingRuleId, 'no-attached-policies');
    assert.equal(decision.errorType, 'TransferConflictException');
    assert.match(decision.message ?? '', /\(iot-read, iot-write\)/);
  });

  test('a target account that is not 12 digits is refused with InvalidRequestException', () => {
    const decision = bundle.evaluate('TransferCertificate', transferInput({ request: { targetAwsAccount: '12345' } }));
    assert.equal(decision.failingRuleId, 'valid-target-account');
    assert.equal(decision.errorType, 'InvalidRequestException');
    assert.match(decision.message ?? '', /12-digit.*"12345"/);
  });

  test('a missing target account becomes an empty string and is refused, not an evaluation error', () => {
    const decision = bundle.evaluate('TransferCertificate', transferInput({ request: {} }));
    const outcome = decision.rules.find((r) => r.id === 'valid-target-account');
    assert.equal(outcome?.outcome, 'fail');
    assert.equal(decision.errorType, 'InvalidRequestException');
  });

  test("a transfer to the caller's own account is refused with InvalidRequestException", () => {
    const decision = bundle.evaluate('TransferCertificate', transferInput({ request: { targetAwsAccount: OWNER } }));
    assert.equal(decision.failingRuleId, 'valid-target-account');
    assert.match(decision.message ?? '', /cannot be transferred to the account that owns it/);
  });

  test('the first failing enforce rule in file order decides, and every outcome is listed with its message', () => {
    const input = transferInput({
      certificate: certificate({ status: 'ACTIVE' }),
      attachedPolicies: ['p1'],
      request: { targetAwsAccount: 'nope' },
    });
    const decision = bundle.evaluate('TransferCertificate', input);
    assert.equal(decision.failingRuleId, 'certificate-not-active');
    assert.deepEqual(
      decision.rules.map((r) => [r.id, r.outcome, r.errorType]),
      [
        ['certificate-not-active', 'fail', 'CertificateStateException'],
        ['certificate-not-pending-transfer', 'pass', undefined],
        ['no-attached-policies', 'fail', 'TransferConflictException'],
        ['valid-target-account', 'fail', 'InvalidRequestException'],
        ['transfer-not-under-legal-hold', 'pass', undefined],
      ],
    );
    assert.ok(decision.rules.filter((r) => r.outcome === 'fail').every((r) => r.message && r.message.length > 0));
    assert.equal(decision.rules[1]?.message, undefined);
  });

  test('a decision names the bundle, its revision and content hash, and has a fresh UUID', () => {
    const first = bundle.evaluate('TransferCertificate', transferInput());
    const second = bundle.evaluate('TransferCertificate', transferInput());
    assert.deepEqual(first.policy, { name: 'certguard-default', revision: '2026-11-26.3', hash: bundle.hash });
    assert.match(bundle.hash, /^[0-9a-f]{64}$/);
    assert.equal(first.operation, 'TransferCertificate');
    assert.match(first.decisionId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(first.decisionId, second.decisionId);
  });

  test('an operation without a rule file is allowed with no rules', () => {
    const decision = bundle.evaluate('CreateKeysAndCertificate', transferInput({ request: { setAsActive: true } }));
    assert.equal(decision.allowed, true);
    assert.deepEqual(decision.rules, []);
  });

  test('params.deniedTargetAccounts refuses a listed target and lets others through', async () => {
    const dir = await tempDir();
    await cp(SHIPPED, dir, { recursive: true });
    await writeFile(path.join(dir, 'params.yaml'), 'deniedTargetAccounts: ["999999999999"]\n');
    const withParams = await loadPolicyBundle(dir);
    const denied = withParams.evaluate('TransferCertificate', transferInput({ request: { targetAwsAccount: '999999999999' } }));
    assert.equal(denied.failingRuleId, 'valid-target-account');
    assert.match(denied.message ?? '', /Transfers to account 999999999999 are not allowed/);
    assert.equal(withParams.evaluate('TransferCertificate', transferInput()).allowed, true);
  });
});

describe('rule actions', () => {
  test('a failing warn rule does not deny and its message is listed as a warning', async () => {
    const bundle = await bundleWithRules(rule('must-be-active', 'certificate.status == "ACTIVE"', '    action: warn\n'));
    const decision = bundle.evaluate('TransferCertificate', transferInput());
    assert.equal(decision.allowed, true);
    assert.deepEqual(decision.rules, [
      { id: 'must-be-active', outcome: 'fail', action: 'warn', message: 'must-be-active failed', errorType: 'CertificateStateException' },
    ]);
    assert.deepEqual(decision.warnings, ['[must-be-active] must-be-active failed']);
    assert.equal(decision.failingRuleId, undefined);
  });

  test('a failing audit rule does not deny and is recorded only in the rule outcomes', async () => {
    const bundle = await bundleWithRules(rule('must-be-active', 'certificate.status == "ACTIVE"', '    action: audit\n'));
    const decision = bundle.evaluate('TransferCertificate', transferInput());
    assert.equal(decision.allowed, true);
    assert.equal(decision.rules[0]?.outcome, 'fail');
    assert.equal(decision.rules[0]?.action, 'audit');
    assert.deepEqual(decision.warnings, []);
  });

  test('an enforce rule after a failing warn rule still decides the denial', async () => {
    const rules = rule('warn-first', 'false', '    action: warn\n') + rule('enforce-second', 'false');
    const decision = (await bundleWithRules(rules)).evaluate('TransferCertificate', transferInput());
    assert.equal(decision.allowed, false);
    assert.equal(decision.failingRuleId, 'enforce-second');
    assert.equal(decision.message, '[enforce-second] enforce-second failed');
  });
});

describe('evaluation errors fail closed', () => {
  test('an enforce rule indexing past the end of a list denies with outcome error and its own errorType', async () => {
    const bundle = await bundleWithRules(rule('first-policy', 'attachedPolicies[0] == "x"'));
    const decision = bundle.evaluate('TransferCertificate', transferInput({ attachedPolicies: [] }));
    assert.equal(decision.allowed, false);
    assert.equal(decision.failingRuleId, 'first-policy');
    assert.equal(decision.errorType, 'CertificateStateException');
    const outcome = decision.rules[0];
    assert.equal(outcome?.outcome, 'error');
    assert.match(outcome?.error ?? '', /index out of bounds/);
    assert.match(decision.message ?? '', /^\[first-policy\] The guard rule could not be evaluated: /);
  });

  test('a rule reading a params key that does not exist errors and denies', async () => {
    const bundle = await bundleWithRules(rule('limit', 'size(attachedPolicies) <= params.maxPolicies'));
    const decision = bundle.evaluate('TransferCertificate', transferInput());
    assert.equal(decision.allowed, false);
    assert.match(decision.rules[0]?.error ?? '', /No such key: maxPolicies/);
  });

  test('an erroring warn rule does not deny but is listed as a warning', async () => {
    const bundle = await bundleWithRules(rule('first-policy', 'attachedPolicies[0] == "x"', '    action: warn\n'));
    const decision = bundle.evaluate('TransferCertificate', transferInput());
    assert.equal(decision.allowed, true);
    assert.equal(decision.rules[0]?.outcome, 'error');
    assert.equal(decision.warnings.length, 1);
  });

  test('certificate facts the service did not supply make rules that read them error, not pass', async () => {
    const bundle = await bundleWithRules(rule('not-active', 'certificate.status != "ACTIVE"'));
    const { certificate: _omitted, ...withoutCertificate } = transferInput();
    const decision = bundle.evaluate('TransferCertificate', withoutCertificate);
    assert.equal(decision.allowed, false);
    assert.match(decision.rules[0]?.error ?? '', /Unknown variable: certificate/);
  });

  test('input that cannot be converted makes every rule an error instead of throwing', async () => {
    const bundle = await bundleWithRules(rule('always', 'true'));
    const broken = { ...transferInput(), caller: { accountId: OWNER, accessKeyId: 'AK', roles: 'operator' } };
    const decision = bundle.evaluate('TransferCertificate', broken as unknown as PolicyInput);
    assert.equal(decision.allowed, false);
    assert.match(decision.rules[0]?.error ?? '', /input could not be converted/);
  });
});

describe('messages and params', () => {
  test('messageExpression is rendered with the same input, timestamps included', async () => {
    const bundle = await bundleWithRules(
      '  - id: expiry\n' +
        '    expression: certificate.notAfter - now > duration("8760h")\n' +
        '    messageExpression: \'"Certificate " + certificate.id + " expires at " + string(certificate.notAfter)\'\n' +
        '    errorType: CertificateValidationException\n',
    );
    const decision = bundle.evaluate('TransferCertificate', transferInput());
    assert.equal(decision.errorType, 'CertificateValidationException');
    assert.equal(decision.message, '[expiry] Certificate abab01 expires at 2027-01-01T00:00:00.000Z');
  });

  test('a messageExpression that cannot be rendered still reports the failure', async () => {
    const bundle = await bundleWithRules(
      '  - id: deny\n    expression: "false"\n    messageExpression: attachedPolicies[3]\n    errorType: TransferConflictException\n',
    );
    const decision = bundle.evaluate('TransferCertificate', transferInput());
    assert.equal(decision.rules[0]?.outcome, 'fail');
    assert.match(decision.message ?? '', /^\[deny\] Rule deny failed \(its messageExpression could not be rendered: /);
  });

  test('params.yaml integers are CEL ints and lists are lists', async () => {
    const bundle = await bundleWithRules(
      rule('limit', 'size(attachedPolicies) <= params.maxPolicies && !(caller.accountId in params.blocked)'),
      'maxPolicies: 1\nblocked: ["000000000000"]\n',
    );
    assert.equal(bundle.evaluate('TransferCertificate', transferInput({ attachedPolicies: ['a'] })).allowed, true);
    assert.equal(bundle.evaluate('TransferCertificate', transferInput({ attachedPolicies: ['a', 'b'] })).allowed, false);
  });

  test('request fields the operation does not declare are dropped and booleans default to false', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'manifest.yaml'), 'name: test\nrevision: "t1"\n');
    await writeFile(path.join(dir, 'accept.yaml'), `operation: AcceptCertificateTransfer\nrules:\n${rule('must-activate', 'request.setAsActive')}`);
    const bundle = await loadPolicyBundle(dir);
    const input = transferInput({ request: { extra: 'ignored' } });
    assert.equal(bundle.evaluate('AcceptCertificateTransfer', input).allowed, false);
    const activating = transferInput({ request: { setAsActive: true } });
    assert.equal(bundle.evaluate('AcceptCertificateTransfer', activating).allowed, true);
  });
});
