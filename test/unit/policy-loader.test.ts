import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyBundle, PolicyLoadError } from '../../src/rules/engine/policy-bundle.ts';

const SHIPPED = fileURLToPath(new URL('../../policies', import.meta.url));
const MANIFEST = 'name: test\nrevision: "t1"\n';

const tempDirs: string[] = [];
after(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Writes `files` (name -> content) into a fresh directory; a manifest is added unless one is given or null. */
async function writeBundle(files: Record<string, string | null>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'certguard-policy-'));
  tempDirs.push(dir);
  const all: Record<string, string | null> = { 'manifest.yaml': MANIFEST, ...files };
  for (const [name, content] of Object.entries(all)) {
    if (content !== null) await writeFile(path.join(dir, name), content);
  }
  return dir;
}

interface ExpectedLoadError {
  file: string;
  ruleId?: string;
  line?: number;
  column?: number;
  detail: RegExp;
}

/** Loads the bundle and checks the error's fields and that its message leads with file:line:column rule "id": */
async function assertLoadError(files: Record<string, string | null>, expected: ExpectedLoadError): Promise<void> {
  const dir = await writeBundle(files);
  const error = await loadPolicyBundle(dir).then(
    () => assert.fail('the bundle loaded but should not have'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof PolicyLoadError, `expected a PolicyLoadError, got ${String(error)}`);
  const file = path.join(dir, expected.file);
  assert.equal(error.file, file);
  assert.equal(error.ruleId, expected.ruleId);
  assert.equal(error.line, expected.line);
  assert.equal(error.column, expected.column);
  let prefix = file;
  if (expected.line !== undefined) prefix += `:${expected.line}`;
  if (expected.column !== undefined) prefix += `:${expected.column}`;
  if (expected.ruleId !== undefined) prefix += ` rule "${expected.ruleId}"`;
  assert.ok(error.message.startsWith(`${prefix}: `), `message "${error.message}" should start with "${prefix}: "`);
  assert.match(error.message.slice(prefix.length + 2), expected.detail);
}

function transferFile(rulesYaml: string): string {
  return `operation: TransferCertificate\nrules:\n${rulesYaml}`;
}

/** A valid rule whose lines can be overridden; line 3 of the file is `  - id: ...`, each key one line below. */
function ruleYaml(fields: Record<string, string>): string {
  const all = { id: 'r1', expression: 'caller.accountId != ""', message: 'm', errorType: 'CertificateStateException', ...fields };
  const lines = Object.entries(all).map(([key, value]) => `${key}: ${value}`);
  return `  - ${lines.join('\n    ')}\n`;
}

describe('loading the shipped bundle', () => {
  test('reads the manifest, params and the TransferCertificate rules in file order with their positions', async () => {
    const bundle = await loadPolicyBundle(SHIPPED);
    assert.equal(bundle.name, 'certguard-default');
    assert.equal(bundle.revision, '2026-11-26.3');
    assert.equal(bundle.dir, SHIPPED);
    assert.deepEqual(bundle.params, {});
    assert.deepEqual(bundle.operations().sort(), [
      'AcceptCertificateTransfer',
      'AttachPolicy',
      'CancelCertificateTransfer',
      'DeleteCertificate',
      'RejectCertificateTransfer',
      'TransferCertificate',
      'UpdateCertificate',
    ]);
    const rules = bundle.rulesFor('TransferCertificate');
    assert.deepEqual(
      rules.map((r) => r.id),
      ['certificate-not-active', 'certificate-not-pending-transfer', 'no-attached-policies', 'valid-target-account', 'transfer-not-under-legal-hold'],
    );
    assert.ok(rules.every((r) => r.action === 'enforce' && r.source.file.endsWith('transfer-certificate.yaml')));
    assert.ok(rules.every((r, i) => i === 0 || r.source.line > rules[i - 1]!.source.line));
    assert.deepEqual(bundle.rulesFor('CreateKeysAndCertificate'), [], 'an operation without a rule file has no rules');
  });
});

describe('bundle load errors name the file, rule and position', () => {
  test('a missing manifest', async () => {
    await assertLoadError({ 'manifest.yaml': null }, { file: 'manifest.yaml', detail: /missing manifest/ });
  });

  test('a manifest without a revision', async () => {
    await assertLoadError({ 'manifest.yaml': 'name: test\n' }, { file: 'manifest.yaml', line: 1, column: 1, detail: /missing required key "revision"/ });
  });

  test('a revision YAML reads as a number', async () => {
    await assertLoadError(
      { 'manifest.yaml': 'name: test\nrevision: 3\n' },
      { file: 'manifest.yaml', line: 2, column: 11, detail: /revision: must be a string/ },
    );
  });

  test('an unknown key in the manifest', async () => {
    await assertLoadError({ 'manifest.yaml': `${MANIFEST}owner: me\n` }, { file: 'manifest.yaml', line: 3, column: 1, detail: /unknown key "owner"/ });
  });

  test('a YAML syntax error', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile('  - id: r1\n    expression: [true\n') },
      { file: 'a.yaml', line: 5, column: 1, detail: /^YAML: Flow sequence/ },
    );
  });

  test('a CEL syntax error points inside the expression', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({ expression: 'certificate.status == ) "x"' })) },
      { file: 'a.yaml', ruleId: 'r1', line: 4, column: 39, detail: /^expression: Unexpected token/ },
    );
  });

  test('an unknown variable (a misspelt certificate)', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({ expression: 'certficate.status != "ACTIVE"' })) },
      { file: 'a.yaml', ruleId: 'r1', line: 4, column: 17, detail: /^expression: Unknown variable: certficate$/ },
    );
  });

  test('an unknown field (certificate.statuz) on the second line of a block expression', async () => {
    const expression = '|\n      size(attachedPolicies) == 0\n        && certificate.statuz != "ACTIVE"';
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({ expression })) },
      { file: 'a.yaml', ruleId: 'r1', line: 6, column: 24, detail: /^expression: No such key: statuz$/ },
    );
  });

  test('a type error', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({ expression: 'certificate.status == 1' })) },
      { file: 'a.yaml', ruleId: 'r1', line: 4, column: 17, detail: /no such overload: string == int/ },
    );
  });

  test('an expression that is not a bool', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({ expression: 'size(attachedPolicies)' })) },
      { file: 'a.yaml', ruleId: 'r1', line: 4, column: 17, detail: /^expression: must evaluate to bool, but its type is int$/ },
    );
  });

  test('a messageExpression that is not a string', async () => {
    const rule = '  - id: r1\n    expression: "false"\n    messageExpression: size(attachedPolicies)\n    errorType: CertificateStateException\n';
    await assertLoadError(
      { 'a.yaml': transferFile(rule) },
      { file: 'a.yaml', ruleId: 'r1', line: 5, column: 24, detail: /^messageExpression: must evaluate to string/ },
    );
  });

  test('an unknown errorType', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({ errorType: 'CertificateExploded' })) },
      { file: 'a.yaml', ruleId: 'r1', line: 6, column: 16, detail: /^errorType: unknown error type "CertificateExploded"/ },
    );
  });

  test('an unknown action', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({ action: 'deny' })) },
      { file: 'a.yaml', ruleId: 'r1', line: 7, column: 13, detail: /^action: "deny" is not one of enforce, warn, audit$/ },
    );
  });

  test('a duplicate rule id across two files', async () => {
    const update = `operation: UpdateCertificate\nrules:\n${ruleYaml({})}`;
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({})), 'b.yaml': update },
      { file: 'b.yaml', ruleId: 'r1', line: 3, column: 9, detail: /^id: duplicate rule id \(first defined at .*a\.yaml:3:9\)$/ },
    );
  });

  test('a rule id outside [a-z0-9-]', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({ id: 'No_Underscores' })) },
      { file: 'a.yaml', line: 3, column: 9, ruleId: 'No_Underscores', detail: /must match \[a-z0-9-\]\+/ },
    );
  });

  test('a rule missing its expression', async () => {
    const rule = '  - id: r1\n    message: m\n    errorType: CertificateStateException\n';
    await assertLoadError(
      { 'a.yaml': transferFile(rule) },
      { file: 'a.yaml', ruleId: 'r1', line: 3, column: 5, detail: /^missing required key "expression"$/ },
    );
  });

  test('a rule with neither message nor messageExpression', async () => {
    const rule = '  - id: r1\n    expression: "true"\n    errorType: CertificateStateException\n';
    await assertLoadError({ 'a.yaml': transferFile(rule) }, { file: 'a.yaml', ruleId: 'r1', line: 3, column: 5, detail: /missing required key "message"/ });
  });

  test('a rule with both message and messageExpression', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({ messageExpression: '"m"' })) },
      { file: 'a.yaml', ruleId: 'r1', line: 7, column: 24, detail: /either message or messageExpression/ },
    );
  });

  test('an unknown key in a rule (a misspelt expression)', async () => {
    const rule = '  - id: r1\n    expresion: "true"\n    message: m\n    errorType: CertificateStateException\n';
    await assertLoadError(
      { 'a.yaml': transferFile(rule) },
      { file: 'a.yaml', ruleId: 'r1', line: 4, column: 5, detail: /^unknown key "expresion" \(allowed: / },
    );
  });

  test('an unknown key in a rule file', async () => {
    await assertLoadError(
      { 'a.yaml': `operation: TransferCertificate\nversion: 2\nrules: []\n` },
      { file: 'a.yaml', line: 2, column: 1, detail: /^unknown key "version"/ },
    );
  });

  test('a rule file without an operation', async () => {
    await assertLoadError({ 'a.yaml': 'rules: []\n' }, { file: 'a.yaml', line: 1, column: 1, detail: /missing required key "operation"/ });
  });

  test('an operation with no input schema', async () => {
    await assertLoadError(
      { 'a.yaml': 'operation: LaunchRocket\nrules: []\n' },
      { file: 'a.yaml', line: 1, column: 12, detail: /^operation: no input schema for "LaunchRocket" \(known: TransferCertificate, / },
    );
  });

  test('two rule files for the same operation', async () => {
    await assertLoadError(
      { 'a.yaml': transferFile(ruleYaml({})), 'b.yaml': transferFile(ruleYaml({ id: 'r2' })) },
      { file: 'b.yaml', line: 1, column: 12, detail: /already has a rule file/ },
    );
  });

  test('rules that is not a list', async () => {
    await assertLoadError(
      { 'a.yaml': 'operation: TransferCertificate\nrules:\n  id: r1\n' },
      { file: 'a.yaml', line: 3, column: 3, detail: /^rules: must be a YAML list/ },
    );
  });

  test('a certificate fact used by an operation that has none', async () => {
    const file = `operation: CreatePolicy\nrules:\n${ruleYaml({ expression: 'certificate.status == "ACTIVE"' })}`;
    await assertLoadError({ 'a.yaml': file }, { file: 'a.yaml', ruleId: 'r1', line: 4, column: 17, detail: /Unknown variable: certificate/ });
  });

  test('params.yaml that is not a mapping', async () => {
    await assertLoadError({ 'params.yaml': '- 1\n' }, { file: 'params.yaml', line: 1, column: 1, detail: /params must be a YAML mapping/ });
  });
});
