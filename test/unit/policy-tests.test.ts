import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyBundle, PolicyLoadError } from '../../src/rules/engine/policy-bundle.ts';
import { loadPolicyTests } from '../../src/rules/testing/policy-test-case.ts';
import { formatPolicyTestReport, type PolicyTestReport } from '../../src/rules/testing/policy-test-report.ts';
import { runPolicyTests } from '../../src/rules/testing/policy-test-runner.ts';

const SHIPPED = fileURLToPath(new URL('../../policies', import.meta.url));

const RULES = `operation: TransferCertificate
rules:
  - id: not-active
    expression: certificate.status != "ACTIVE"
    message: the certificate is ACTIVE
    errorType: CertificateStateException
  - id: short-message
    expression: size(request.transferMessage) <= 5
    message: long message
    errorType: InvalidRequestException
    action: warn
  - id: not-denied
    expression: '!("denied" in params) || !(request.targetAwsAccount in params.denied)'
    messageExpression: '"denied: " + request.targetAwsAccount'
    errorType: InvalidRequestException
`;

const tempDirs: string[] = [];
after(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A bundle with RULES (unless replaced), params.yaml and the given case files under tests/ (null = no tests dir). */
async function bundleWith(cases: Record<string, string> | null, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'certguard-policy-tests-'));
  tempDirs.push(dir);
  const all = { 'manifest.yaml': 'name: t\nrevision: "1"\n', 'params.yaml': 'denied: ["999999999999"]\nother: 1\n', 'transfer.yaml': RULES, ...files };
  for (const [name, text] of Object.entries(all)) await writeFile(path.join(dir, name), text);
  if (cases) {
    await mkdir(path.join(dir, 'tests'));
    for (const [name, text] of Object.entries(cases)) await writeFile(path.join(dir, 'tests', name), text);
  }
  return dir;
}

async function reportFor(cases: Record<string, string> | null, files?: Record<string, string>): Promise<PolicyTestReport> {
  const dir = await bundleWith(cases, files);
  return runPolicyTests(await loadPolicyBundle(dir));
}

/** One case file for TransferCertificate with the given cases (YAML list items). */
function casesFile(...cases: string[]): string {
  return `operation: TransferCertificate\ncases:\n${cases.join('')}`;
}

describe('the shipped bundle', () => {
  test('every shipped case passes and every shipped rule is exercised both ways', async () => {
    const bundle = await loadPolicyBundle(SHIPPED);
    const report = await runPolicyTests(bundle);
    assert.deepEqual(
      report.cases.filter((c) => !c.passed),
      [],
    );
    assert.ok(report.passed >= 20, `only ${report.passed} cases`);
    assert.equal(report.failed, 0);
    assert.deepEqual(report.unexercisedRules, []);
    const tested = new Set(report.cases.map((c) => c.operation));
    assert.deepEqual([...tested].sort(), bundle.operations());
  });
});

describe('running cases', () => {
  test('a case whose decision matches passes; one that does not fails with a line per unmet expectation', async () => {
    const report = await reportFor({
      'a.yaml': casesFile(
        '  - name: inactive is allowed\n    input: { request: { targetAwsAccount: "222222222222" } }\n    expect: { allowed: true, rules: { not-active: pass }, warnings: 0 }\n',
        '  - name: wrong about everything\n    input: { certificate: { status: ACTIVE }, request: { transferMessage: too long } }\n' +
          '    expect: { allowed: true, rules: { not-active: pass, not-denied: fail }, warnings: [] }\n',
        '  - name: wrong failing rule and message\n    input: { certificate: { status: ACTIVE } }\n' +
          '    expect: { allowed: false, failingRule: not-denied, errorType: InvalidRequestException, message: nope }\n',
      ),
    });
    assert.equal(report.passed, 1);
    assert.equal(report.failed, 2);
    const [ok, wrong, wrongRule] = report.cases;
    assert.deepEqual(
      { passed: ok?.passed, failures: ok?.failures, operation: ok?.operation },
      { passed: true, failures: [], operation: 'TransferCertificate' },
    );
    assert.match(ok!.file, /tests[/\\]a\.yaml$/);
    assert.deepEqual(wrong?.failures, [
      'allowed: expected true, got false ([not-active] the certificate is ACTIVE)',
      'rule "not-active": expected pass, got fail (the certificate is ACTIVE)',
      'rule "not-denied": expected fail, got pass',
      'warnings: expected [], got [short-message]',
    ]);
    assert.deepEqual(wrongRule?.failures, [
      'failingRule: expected "not-denied", got "not-active"',
      'errorType: expected InvalidRequestException, got CertificateStateException',
      'message: expected it to contain "nope", got "[not-active] the certificate is ACTIVE"',
    ]);
  });

  test('a case without input gets the documented defaults', async () => {
    const rules = `operation: UpdateCertificate
rules:
  - id: defaults
    expression: >-
      caller.accountId == "111111111111" && caller.roles == ["operator"] && certificate.ownedBy == "111111111111"
      && certificate.status == "INACTIVE" && certificate.id == "${'c0de'.repeat(16)}"
      && certificate.arn == "arn:aws:iot:us-east-1:111111111111:cert/" + certificate.id
      && certificate.pendingTransferTo == "" && certificate.mode == "DEFAULT" && size(attachedPolicies) == 0
      && now == timestamp("2026-01-01T00:00:00Z") && certificate.notAfter - now == duration("8760h")
      && now - certificate.notBefore == duration("24h") && request.newStatus == ""
    message: not the defaults
    errorType: InvalidRequestException
`;
    const report = await reportFor(
      { 'u.yaml': 'cases:\n  - name: defaults\n    operation: UpdateCertificate\n    expect: { allowed: true }\n' },
      { 'update.yaml': rules },
    );
    assert.deepEqual(report.cases[0]?.failures, []);
  });

  test('case params replace only the params.yaml keys they name, for that case only', async () => {
    const rule = `operation: UpdateCertificate
rules:
  - id: params-seen
    expression: params.denied == ["111111111111"] && params.other == 1
    message: other params
    errorType: InvalidRequestException
`;
    const report = await reportFor(
      {
        'u.yaml':
          'operation: UpdateCertificate\ncases:\n' +
          '  - name: overridden\n    params: { denied: ["111111111111"] }\n    expect: { allowed: true }\n' +
          '  - name: bundle params\n    expect: { allowed: false, failingRule: params-seen }\n',
      },
      { 'update.yaml': rule },
    );
    assert.deepEqual(
      report.cases.map((c) => c.failures),
      [[], []],
    );
  });

  test('certificate: null leaves the facts unbound, so a rule reading them errors and denies', async () => {
    const report = await reportFor({
      'a.yaml': casesFile(
        '  - name: no facts\n    input: { certificate: null }\n    expect: { allowed: false, failingRule: not-active, rules: { not-active: error } }\n',
      ),
    });
    assert.deepEqual(report.cases[0]?.failures, []);
  });

  test('a failing rule whose messageExpression cannot be rendered fails the case', async () => {
    const rules = RULES.replace(`'"denied: " + request.targetAwsAccount'`, `'"denied: " + params.missing'`);
    const report = await reportFor(
      {
        'a.yaml': casesFile(
          '  - name: denied\n    input: { request: { targetAwsAccount: "999999999999" } }\n    expect: { allowed: false, failingRule: not-denied }\n',
        ),
      },
      { 'transfer.yaml': rules },
    );
    assert.equal(report.failed, 1);
    assert.match(report.cases[0]!.failures[0]!, /^rule "not-denied": Rule not-denied failed \(its messageExpression could not be rendered/);
  });

  test('a bundle without a tests directory has no cases and every rule unexercised', async () => {
    const report = await reportFor(null);
    assert.deepEqual({ cases: report.cases, passed: report.passed, failed: report.failed }, { cases: [], passed: 0, failed: 0 });
    assert.equal(report.unexercisedRules.length, 3);
  });

  test('a rule is exercised only once some case sees it pass and some case sees it fail or error', async () => {
    const report = await reportFor({
      'a.yaml': casesFile(
        '  - name: allowed\n    input: { request: { targetAwsAccount: "222222222222" } }\n    expect: { allowed: true }\n',
        '  - name: active\n    input: { certificate: { status: ACTIVE }, request: { targetAwsAccount: "222222222222" } }\n    expect: { allowed: false }\n',
      ),
    });
    // not-active passed and failed; short-message and not-denied only passed.
    assert.deepEqual(report.unexercisedRules, [
      { operation: 'TransferCertificate', ruleId: 'short-message' },
      { operation: 'TransferCertificate', ruleId: 'not-denied' },
    ]);
  });

  test('testsDir can point elsewhere than <bundle>/tests', async () => {
    const dir = await bundleWith(null);
    await mkdir(path.join(dir, 'other'));
    await writeFile(path.join(dir, 'other', 'x.yml'), casesFile('  - name: x\n    expect: { allowed: false }\n'));
    const report = await runPolicyTests(await loadPolicyBundle(dir), path.join(dir, 'other'));
    assert.deepEqual(
      report.cases.map((c) => [c.name, c.passed]),
      [['x', false]],
    );
  });
});

describe('case file errors', () => {
  async function assertCaseError(text: string, line: number, column: number, detail: RegExp): Promise<void> {
    const dir = await bundleWith({ 'bad.yaml': text });
    const bundle = await loadPolicyBundle(dir);
    const error = await loadPolicyTests(bundle).then(
      () => assert.fail('the cases loaded'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof PolicyLoadError, String(error));
    const file = path.join(dir, 'tests', 'bad.yaml');
    assert.deepEqual({ file: error.file, line: error.line, column: error.column }, { file, line, column });
    assert.ok(error.message.startsWith(`${file}:${line}:${column}: `), error.message);
    assert.match(error.detail, detail);
    await assert.rejects(runPolicyTests(bundle), PolicyLoadError);
  }

  const valid = '  - name: ok\n    expect: { allowed: true }\n';

  test('an unknown key in expect is refused at the key', () =>
    assertCaseError(
      casesFile(valid, '  - name: typo\n    expect:\n      allowed: true\n      rulez: {}\n'),
      8,
      7,
      /^unknown key "rulez" \(allowed: allowed, failingRule/,
    ));

  test('an unknown key in a case is refused at the key', () =>
    assertCaseError(casesFile('  - name: typo\n    inptu: {}\n    expect: { allowed: true }\n'), 4, 5, /^unknown key "inptu"/));

  test('an unquoted account id is refused: request string fields need strings', () =>
    assertCaseError(
      casesFile('  - name: n\n    input:\n      request: { targetAwsAccount: 222222222222 }\n    expect: { allowed: true }\n'),
      5,
      36,
      /^input\.request\.targetAwsAccount: must be a string/,
    ));

  test('a request field the operation does not have is refused', () =>
    assertCaseError(
      casesFile('  - name: n\n    input:\n      request: { target: "x" }\n    expect: { allowed: true }\n'),
      5,
      18,
      /^input\.request: unknown field "target" for TransferCertificate \(fields: targetAwsAccount, transferMessage\)/,
    ));

  test('a rule id that is not a rule of the operation is refused', () =>
    assertCaseError(
      casesFile('  - name: n\n    expect:\n      allowed: true\n      rules: { not-activ: pass }\n'),
      6,
      16,
      /^expect\.rules: "not-activ" is not a rule of TransferCertificate \(rules: not-active, short-message, not-denied\)/,
    ));

  test('skipped is not an outcome a case can expect', () =>
    assertCaseError(
      casesFile('  - name: n\n    expect:\n      allowed: true\n      rules: { not-active: skipped }\n'),
      6,
      28,
      /^expect\.rules\.not-active: must be one of pass, fail, error \(skipped only happens in the service/,
    ));

  test('a warn rule cannot be the failing rule', () =>
    assertCaseError(
      casesFile('  - name: n\n    expect: { allowed: false, failingRule: short-message }\n'),
      4,
      44,
      /^expect\.failingRule: "short-message" is a warn rule; only an enforce rule denies/,
    ));

  test('a failing rule cannot be expected of an allowed decision', () =>
    assertCaseError(
      casesFile('  - name: n\n    expect: { allowed: true, failingRule: not-active }\n'),
      4,
      43,
      /^expect\.failingRule: only an expected denial \(allowed: false\) has one/,
    ));

  test('a timestamp that is not RFC 3339 is refused', () =>
    assertCaseError(
      casesFile('  - name: n\n    input: { now: yesterday }\n    expect: { allowed: true }\n'),
      4,
      19,
      /^input\.now: "yesterday" is not an RFC 3339 timestamp/,
    ));

  test('certificate facts for an operation that has none are refused', () =>
    assertCaseError(
      'cases:\n  - name: n\n    operation: CreatePolicy\n    input: { certificate: { status: ACTIVE } }\n    expect: { allowed: true }\n',
      4,
      27,
      /^input\.certificate: CreatePolicy has no certificate facts/,
    ));

  test('an operation without an input schema is refused', () =>
    assertCaseError('operation: LaunchRocket\ncases: []\n', 1, 12, /^operation: no input schema for "LaunchRocket"/));

  test('a case without expect is refused', () => assertCaseError(casesFile('  - name: n\n    input: {}\n'), 3, 5, /^missing required key "expect"/));

  test('two cases with the same name in one file are refused at the second name', () =>
    assertCaseError(casesFile(valid, valid), 5, 11, /^name: duplicate case name "ok" in this file \(first at line 3\)/));

  test('a YAML syntax error is reported at its position', () => assertCaseError('cases:\n  - name: "unterminated\n', 3, 1, /^YAML: Missing closing "quote/));
});

describe('formatPolicyTestReport', () => {
  const report: PolicyTestReport = {
    cases: [
      { file: 'tests/a.yaml', name: 'first', operation: 'TransferCertificate', passed: true, failures: [] },
      {
        file: 'tests/longer.yaml',
        name: 'second',
        operation: 'UpdateCertificate',
        passed: false,
        failures: ['allowed: expected true, got false (x)', 'rule "r": expected pass, got fail'],
      },
    ],
    passed: 1,
    failed: 1,
    unexercisedRules: [{ operation: 'UpdateCertificate', ruleId: 'r' }],
  };

  test('prints one aligned line per case with failures indented beneath, the unexercised rules, and the summary last', () => {
    const lines = formatPolicyTestReport(report).split('\n');
    assert.deepEqual(lines, [
      'PASS  tests/a.yaml       TransferCertificate  first',
      'FAIL  tests/longer.yaml  UpdateCertificate    second',
      '      - allowed: expected true, got false (x)',
      '      - rule "r": expected pass, got fail',
      '',
      '1 rule(s) not exercised both ways (need a case where the rule passes and one where it fails or errors):',
      '  UpdateCertificate  r',
      '1 passed, 1 failed',
      '',
    ]);
  });

  test('-v adds each decision, --coverage the per-rule table, --run the skipped count', () => {
    const text = formatPolicyTestReport(
      {
        ...report,
        cases: [{ ...report.cases[0]!, allowed: false, failingRuleId: 'r', rules: [{ id: 'r', outcome: 'fail' }] }],
        skipped: 3,
        coverage: [{ operation: 'UpdateCertificate', ruleId: 'r', pass: 2, fail: 1, error: 0, skipped: 0, covered: true }],
      },
      { verbose: true, coverage: true },
    );
    assert.match(text, /^ {6}decision: denied by r; rules: r=fail$/m);
    assert.match(text, /^coverage \(.*\): 1\/1 rules \(100%\)$/m);
    assert.match(text, /^ {2}UpdateCertificate\s+r\s+2\s+1\s+0\s+yes$/m);
    assert.match(text, /^1 passed, 1 failed, 3 skipped \(--run\)$/m);
    assert.doesNotMatch(formatPolicyTestReport(report), /decision:|coverage \(/, 'neither without the options');
  });

  test('the summary line stands alone and says when every rule is exercised', () => {
    const text = formatPolicyTestReport({ ...report, cases: report.cases.slice(0, 1), failed: 0, unexercisedRules: [] });
    assert.match(text, /^every rule is exercised/m);
    assert.match(text, /^1 passed, 0 failed$/m);
  });
});
