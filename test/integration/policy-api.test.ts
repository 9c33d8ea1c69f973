/**
 * certguard's guard-rule endpoints (/v1/policy): describe the active bundle, dry-run decisions (with the active
 * bundle or a candidate), and replay recorded decisions against a candidate. Auditors only; nothing changes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { AttachPolicyCommand, TransferCertificateCommand, UpdateCertificateCommand } from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate, createPolicy } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorOne, demoOperatorTwo, type TestCredential } from '../support/sign-request.ts';
import { useTestService, type RawResponse } from '../support/test-service.ts';

const ONE = demoOperatorOne.accountId;
const TWO = demoOperatorTwo.accountId;
const ELSEWHERE = '333333333333';
const TRANSFER_RULES = [
  'certificate-not-active',
  'certificate-not-pending-transfer',
  'no-attached-policies',
  'valid-target-account',
  'transfer-not-under-legal-hold',
];

const DENY_TWO_RULE = `
  - id: no-transfers-to-two
    expression: request.targetAwsAccount != "${TWO}"
    message: Transfers to account ${TWO} are suspended.
    errorType: InvalidRequestException
`;

interface Decision {
  allowed: boolean;
  operation: string;
  decisionId: string;
  failingRuleId?: string;
  errorType?: string;
  message?: string;
  warnings: string[];
  rules: Array<{ id: string; outcome: string; action: string }>;
  policy: { name: string; revision: string; hash: string };
  input: {
    request: Record<string, unknown>;
    caller: { accountId: string; roles: string[] };
    certificate?: { status: string };
    attachedPolicies?: string[];
    now: string;
  };
}

/** The shipped bundle's files by name, as a candidate starts from them. */
function shippedFiles(dir: string): Record<string, string> {
  const names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  return Object.fromEntries(names.map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]));
}

/** The shipped TransferCertificate rules with `certificate-not-active` removed. */
function withoutCertificateNotActive(text: string): string {
  const start = text.indexOf('  - id: certificate-not-active');
  const end = text.indexOf('  - id: certificate-not-pending-transfer');
  assert.ok(start > 0 && end > start);
  return text.slice(0, start) + text.slice(end);
}

function factsOf(status: string) {
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

describe('certguard policy API (/v1/policy)', () => {
  const t = useTestService();

  const call = (method: string, route: string, body?: unknown, credential: TestCredential = demoAuditor): Promise<RawResponse> =>
    t.svc.send({
      method,
      path: route,
      credential,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
  const evaluate = async (body: unknown): Promise<Decision> => {
    const response = await call('POST', '/v1/policy/evaluate', body);
    assert.equal(response.status, 200, response.text);
    return response.json as unknown as Decision;
  };
  const files = () => shippedFiles(t.svc.service.context.config.policiesDir);
  // Decision rows: a dry run is itself audited as a PolicyEvaluation row (test/integration/audit-coverage-reads.test.ts), never as a decision.
  const auditCount = async () => (await t.svc.db.selectFrom('audit_events').select('event_id').where('event_type', '=', 'Decision').execute()).length;
  const assertInvalid = (response: RawResponse, message: RegExp) => {
    assert.equal(response.status, 400, response.text);
    assert.equal(response.headers.get('x-amzn-errortype'), 'InvalidRequestException');
    assert.match(String(response.json?.message), message);
  };

  test('GET /v1/policy describes the active bundle: identity, activation time, every rule with its source, params', async () => {
    const active = t.svc.service.activePolicy.current;
    const response = await call('GET', '/v1/policy');
    assert.equal(response.status, 200, response.text);
    const body = response.json as Record<string, unknown> & { operations: Array<{ operation: string; rules: Array<Record<string, unknown>> }> };
    assert.deepEqual([body.name, body.revision, body.hash], [active.name, active.revision, active.hash]);
    assert.equal(body.description, active.description);
    assert.ok(Date.now() - Date.parse(String(body.activatedAt)) < 10 * 60_000, `activatedAt ${String(body.activatedAt)}`);
    assert.deepEqual(body.params, {});
    assert.deepEqual(
      body.operations.map((o) => o.operation),
      active.operations(),
    );
    const transfer = body.operations.find((o) => o.operation === 'TransferCertificate');
    assert.deepEqual(
      transfer?.rules.map((r) => r.id),
      TRANSFER_RULES,
    );
    const first = active.rulesFor('TransferCertificate')[0]!;
    assert.deepEqual(transfer?.rules[0], {
      id: first.id,
      description: first.description,
      expression: first.expression,
      messageExpression: first.messageExpression,
      errorType: 'CertificateStateException',
      action: 'enforce',
      source: { file: 'transfer-certificate.yaml', line: first.source.line, column: first.source.column },
    });
  });

  test('an operator (not an auditor) gets UnauthorizedException (401) from every /v1/policy endpoint', async () => {
    const body = { operation: 'TransferCertificate', input: { request: {}, caller: { accountId: ONE } } };
    for (const [method, route, payload] of [
      ['GET', '/v1/policy', undefined],
      ['POST', '/v1/policy/evaluate', body],
      ['POST', '/v1/policy/simulate', { bundle: { files: files() } }],
    ] as const) {
      const response = await call(method, route, payload, demoOperatorOne);
      assert.equal(response.status, 401, `${method} ${route}: ${response.text}`);
      assert.equal(response.headers.get('x-amzn-errortype'), 'UnauthorizedException');
      assert.match(String(response.json?.message), /auditor/);
    }
  });

  test('evaluate with a full input allows, listing every rule as passed', async () => {
    const input = {
      request: { targetAwsAccount: TWO },
      caller: { accountId: ONE, roles: ['operator'] },
      certificate: factsOf('INACTIVE'),
      attachedPolicies: [],
      now: '2026-06-01T00:00:00.000Z',
    };
    const decision = await evaluate({ operation: 'TransferCertificate', input });
    assert.equal(decision.allowed, true);
    assert.deepEqual(
      decision.rules.map((r) => [r.id, r.outcome]),
      TRANSFER_RULES.map((id) => [id, 'pass']),
    );
    assert.deepEqual(decision.policy, t.svc.service.activePolicy.current.reference());
    assert.equal(decision.failingRuleId, undefined);
    assert.equal(decision.input.now, '2026-06-01T00:00:00.000Z');
  });

  test('evaluate with a full input denies by the first failing rule and records every outcome', async () => {
    const input = { request: { targetAwsAccount: TWO }, caller: { accountId: ONE }, certificate: factsOf('ACTIVE'), attachedPolicies: ['iot-read'] };
    const decision = await evaluate({ operation: 'TransferCertificate', input });
    assert.equal(decision.allowed, false);
    assert.equal(decision.failingRuleId, 'certificate-not-active');
    assert.equal(decision.errorType, 'CertificateStateException');
    assert.match(decision.message ?? '', /^\[certificate-not-active\] The certificate a/);
    assert.deepEqual(
      decision.rules.map((r) => [r.id, r.outcome]),
      [
        ['certificate-not-active', 'fail'],
        ['certificate-not-pending-transfer', 'pass'],
        ['no-attached-policies', 'fail'],
        ['valid-target-account', 'pass'],
        ['transfer-not-under-legal-hold', 'pass'],
      ],
    );
    assert.ok(Math.abs(Date.parse(decision.input.now) - Date.now()) < 60_000, 'now defaults to the current time');
  });

  test('evaluate by certificateId builds the input from the database; a hypothetical transfer changes nothing', async () => {
    const cert = await createCertificate(t.one);
    const before = await auditCount();
    const rowBefore = await t.svc.db.selectFrom('certificates').selectAll().where('certificate_id', '=', cert.certificateId).executeTakeFirstOrThrow();
    const hypothetical = { operation: 'TransferCertificate', certificateId: cert.certificateId.toUpperCase(), request: { targetAwsAccount: TWO } };

    const allowed = await evaluate(hypothetical);
    assert.equal(allowed.allowed, true, allowed.message);
    assert.equal(allowed.input.certificate?.status, 'INACTIVE');
    assert.deepEqual(allowed.input.caller, { accountId: ONE, accessKeyId: '', roles: ['operator'] });
    assert.deepEqual(allowed.input.attachedPolicies, []);
    assert.deepEqual(allowed.input.request, { certificateId: cert.certificateId, targetAwsAccount: TWO });
    assert.equal(await auditCount(), before, 'a dry run writes no decision row');
    const rowAfter = await t.svc.db.selectFrom('certificates').selectAll().where('certificate_id', '=', cert.certificateId).executeTakeFirstOrThrow();
    assert.deepEqual(rowAfter, rowBefore);

    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'ACTIVE' }));
    const denied = await evaluate(hypothetical);
    assert.equal(denied.allowed, false);
    assert.equal(denied.failingRuleId, 'certificate-not-active');
    assert.equal(denied.errorType, 'CertificateStateException');
    assert.equal(await auditCount(), before + 1, 'only the real UpdateCertificate was audited');
  });

  test("evaluate builds each operation's input as the operation does: accept sees no attached policies; issuing sees no certificate", async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TWO }));
    const accept = await evaluate({
      operation: 'AcceptCertificateTransfer',
      certificateId: cert.certificateId,
      caller: { accountId: TWO },
      request: { setAsActive: true },
    });
    assert.equal(accept.allowed, true, accept.message);
    assert.equal(accept.input.certificate?.status, 'PENDING_TRANSFER');
    assert.equal(accept.input.attachedPolicies, undefined);
    assert.deepEqual(accept.input.caller, { accountId: TWO, accessKeyId: '', roles: ['operator'] });

    const issue = await evaluate({ operation: 'CreateKeysAndCertificate', caller: { accountId: ONE }, request: { setAsActive: true } });
    assert.deepEqual([issue.allowed, issue.rules, issue.input.certificate], [true, [], undefined]);
    assertInvalid(await call('POST', '/v1/policy/evaluate', { operation: 'CreateKeysAndCertificate', request: {} }), /give a caller/);
    assertInvalid(
      await call('POST', '/v1/policy/evaluate', { operation: 'CreateKeysAndCertificate', certificateId: cert.certificateId, caller: { accountId: ONE } }),
      /leave out certificateId/,
    );
    assertInvalid(
      await call('POST', '/v1/policy/evaluate', { operation: 'TransferCertificate', request: { targetAwsAccount: TWO } }),
      /give its certificateId/,
    );
  });

  test('evaluate of an unknown certificate is ResourceNotFoundException (404); an unknown operation or mixed input is 400', async () => {
    const missing = await call('POST', '/v1/policy/evaluate', {
      operation: 'TransferCertificate',
      certificateId: 'cd'.repeat(32),
      request: { targetAwsAccount: TWO },
    });
    assert.equal(missing.status, 404, missing.text);
    assert.equal(missing.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assertInvalid(
      await call('POST', '/v1/policy/evaluate', { operation: 'LaunchRocket', input: { request: {}, caller: { accountId: ONE } } }),
      /Unknown operation "LaunchRocket".*TransferCertificate/,
    );
    assertInvalid(
      await call('POST', '/v1/policy/evaluate', {
        operation: 'TransferCertificate',
        certificateId: 'cd'.repeat(32),
        input: { request: {}, caller: { accountId: ONE } },
      }),
      /either input/,
    );
  });

  test('evaluate with a candidate bundle that adds a rule changes the outcome; the active bundle is untouched', async () => {
    const input = { request: { targetAwsAccount: TWO }, caller: { accountId: ONE }, certificate: factsOf('INACTIVE'), attachedPolicies: [] };
    const candidateFiles = { ...files() };
    candidateFiles['transfer-certificate.yaml'] += DENY_TWO_RULE;
    const withCandidate = await evaluate({ operation: 'TransferCertificate', input, bundle: { files: candidateFiles } });
    assert.equal(withCandidate.allowed, false);
    assert.equal(withCandidate.failingRuleId, 'no-transfers-to-two');
    assert.equal(withCandidate.message, `[no-transfers-to-two] Transfers to account ${TWO} are suspended.`);
    assert.notEqual(withCandidate.policy.hash, t.svc.service.activePolicy.current.hash);

    const withActive = await evaluate({ operation: 'TransferCertificate', input });
    assert.equal(withActive.allowed, true);
    assert.equal(withActive.policy.hash, t.svc.service.activePolicy.current.hash);
  });

  test('a candidate that does not load is InvalidRequestException naming file, line and column; its directory is removed', async () => {
    const temporary = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('certguard-candidate-')));
    const before = temporary();
    const broken = {
      ...files(),
      'transfer-certificate.yaml': files()['transfer-certificate.yaml']!.replace('certificate.status != "ACTIVE"', 'certficate.status != "ACTIVE"'),
    };
    const response = await call('POST', '/v1/policy/evaluate', {
      operation: 'TransferCertificate',
      input: { request: {}, caller: { accountId: ONE } },
      bundle: { files: broken },
    });
    assertInvalid(
      response,
      /^The candidate bundle does not load: transfer-certificate\.yaml:\d+:\d+ rule "certificate-not-active": expression: Unknown variable: certficate/,
    );
    assert.deepEqual(
      [...temporary()].filter((name) => !before.has(name)),
      [],
    );
  });

  test('candidate file names with paths or ".." are refused with InvalidRequestException', async () => {
    for (const name of ['../evil.yaml', 'sub/rules.yaml', '..yaml', 'a..yaml', '/etc/x.yaml', 'notes.txt']) {
      const response = await call('POST', '/v1/policy/simulate', { bundle: { files: { ...files(), [name]: 'operation: TransferCertificate\nrules: []\n' } } });
      assertInvalid(response, /Invalid bundle file name/);
    }
  });

  describe('simulate', () => {
    const decisionsSince = (sequence: string) =>
      t.svc.db
        .selectFrom('audit_events')
        .selectAll()
        .where('event_type', '=', 'Decision')
        .where('sequence', '>', sequence)
        .orderBy('sequence', 'desc')
        .execute();
    const transferRow = async (certificateId: string, caller = ONE) => {
      const rows = await t.svc.db
        .selectFrom('audit_events')
        .selectAll()
        .where('operation', '=', 'TransferCertificate')
        .where('certificate_id', '=', certificateId)
        .where('caller_account_id', '=', caller)
        .execute();
      assert.equal(rows.length, 1);
      return rows[0]!;
    };
    const transfer = (certificateId: string, target: string) => t.one.send(new TransferCertificateCommand({ certificateId, targetAwsAccount: target }));

    test('reports exactly the recorded decisions a candidate would change; built-in refusals are skipped', async () => {
      const start = (
        await t.svc.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.max('sequence').as('latest'))
          .executeTakeFirstOrThrow()
      ).latest;
      const [a, b, c, d, e] = [
        await createCertificate(t.one),
        await createCertificate(t.one),
        await createCertificate(t.one, true),
        await createCertificate(t.one, true),
        await createCertificate(t.one),
      ];
      await transfer(a.certificateId, TWO); // allowed -> the candidate denies it
      await transfer(b.certificateId, ELSEWHERE); // allowed -> unchanged
      await rejectsWithAws(transfer(c.certificateId, ELSEWHERE), 'CertificateStateException', 406); // -> the candidate allows it
      await rejectsWithAws(transfer(d.certificateId, TWO), 'CertificateStateException', 406); // -> denied by another rule
      await rejectsWithAws(transfer(b.certificateId, '444444444444'), 'CertificateStateException', 406); // pending: unchanged
      const policyName = await createPolicy(t.one);
      await t.one.send(new AttachPolicyCommand({ policyName, target: e.certificateArn }));
      await rejectsWithAws(transfer(e.certificateId, ELSEWHERE), 'TransferConflictException', 409); // unchanged
      await rejectsWithAws(transfer('ab'.repeat(32), ELSEWHERE), 'ResourceNotFoundException', 404); // skipped
      await rejectsWithAws(
        t.two.send(new TransferCertificateCommand({ certificateId: a.certificateId, targetAwsAccount: ONE })),
        'ResourceNotFoundException',
        404,
      ); // skipped
      await rejectsWithAws(
        t.auditor.send(new TransferCertificateCommand({ certificateId: b.certificateId, targetAwsAccount: TWO })),
        'UnauthorizedException',
        401,
      ); // skipped
      await t.one.send(new UpdateCertificateCommand({ certificateId: d.certificateId, newStatus: 'REVOKED' }));
      // The rules allow reactivation; the state machine (a built-in invariant) refuses it after they ran.
      await rejectsWithAws(t.one.send(new UpdateCertificateCommand({ certificateId: d.certificateId, newStatus: 'ACTIVE' })), 'CertificateStateException', 406);

      const history = await decisionsSince(String(start));
      const invariantRow = history.find((row) => row.failing_rule_id === 'certguard.invariant');
      assert.ok(invariantRow && invariantRow.policy_input !== null, 'an invariant refusal records the input its rules saw');
      const candidateFiles = { ...files() };
      candidateFiles['transfer-certificate.yaml'] = withoutCertificateNotActive(candidateFiles['transfer-certificate.yaml']!) + DENY_TWO_RULE;
      const [rowA, rowC, rowD] = [await transferRow(a.certificateId), await transferRow(c.certificateId), await transferRow(d.certificateId)];

      const transfers = history.filter((row) => row.operation === 'TransferCertificate');
      const byOperation = await call('POST', '/v1/policy/simulate', {
        bundle: { files: candidateFiles },
        operation: 'TransferCertificate',
        limit: transfers.length,
      });
      assert.equal(byOperation.status, 200, byOperation.text);
      const report = byOperation.json as {
        candidate: { hash: string };
        evaluated: number;
        changed: number;
        unchanged: number;
        skipped: number;
        changes: Array<Record<string, unknown>>;
      };
      assert.deepEqual([report.evaluated, report.changed, report.unchanged, report.skipped], [6, 3, 3, 3]);
      assert.notEqual(report.candidate.hash, t.svc.service.activePolicy.current.hash);
      assert.deepEqual(
        report.changes.map((change) => change.eventId),
        [rowD.event_id, rowC.event_id, rowA.event_id],
        'newest first',
      );
      const [changeD, changeC, changeA] = report.changes;
      assert.deepEqual(changeA, {
        eventId: rowA.event_id,
        sequence: String(rowA.sequence),
        operation: 'TransferCertificate',
        eventTime: new Date(rowA.event_time).toISOString(),
        before: { allowed: true },
        after: {
          allowed: false,
          failingRuleId: 'no-transfers-to-two',
          errorType: 'InvalidRequestException',
          message: `[no-transfers-to-two] Transfers to account ${TWO} are suspended.`,
        },
      });
      assert.deepEqual([changeC?.before, changeC?.after], [{ allowed: false, failingRuleId: 'certificate-not-active' }, { allowed: true }]);
      assert.deepEqual(changeD?.before, { allowed: false, failingRuleId: 'certificate-not-active' });
      assert.equal((changeD?.after as { failingRuleId?: string } | undefined)?.failingRuleId, 'no-transfers-to-two');

      // Every operation: the same three changes; the invariant refusal is replayed and unchanged (the candidate's
      // UpdateCertificate rules allow, so the state machine would refuse again); only input-less rows are skipped.
      const everything = await call('POST', '/v1/policy/simulate', { bundle: { files: candidateFiles }, limit: history.length });
      const all = everything.json as typeof report;
      const withoutInput = history.filter((row) => row.policy_input === null).length;
      assert.deepEqual(
        [all.changed, all.skipped, all.evaluated, all.unchanged],
        [3, withoutInput, history.length - withoutInput, history.length - withoutInput - 3],
      );
      assert.equal(withoutInput, 3);
      assert.deepEqual(
        all.changes.map((change) => change.eventId),
        [rowD.event_id, rowC.event_id, rowA.event_id],
      );
    });

    test('simulate writes nothing; limit 1 replays one decision; limit and operation are validated', async () => {
      const before = await auditCount();
      const response = await call('POST', '/v1/policy/simulate', { bundle: { files: files() }, limit: 1 });
      assert.equal(response.status, 200, response.text);
      const report = response.json as { evaluated: number; skipped: number; changed: number };
      assert.equal(report.evaluated + report.skipped, 1);
      assert.equal(report.changed, 0, 'the active bundle itself changes no decision');
      assert.equal(await auditCount(), before);
      assertInvalid(await call('POST', '/v1/policy/simulate', { bundle: { files: files() }, limit: 10001 }), /limit/);
      assertInvalid(await call('POST', '/v1/policy/simulate', { bundle: { files: files() }, operation: 'LaunchRocket' }), /Unknown operation/);
    });
  });
});
