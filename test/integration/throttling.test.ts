/** The per-account rate limit: 429 ThrottlingException past the burst, audited, other accounts unaffected. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DescribeCertificateCommand } from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { demoOperatorOne } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

describe('per-account throttling', () => {
  const t = useTestService({ rateLimitPerSecond: 0.01, rateLimitBurst: 3 }); // a token per 100 s: no refill during the test;

  test('past its burst an account gets ThrottlingException (429) with Retry-After, and each refusal is audited', async () => {
    const certificateId = 'ab'.repeat(32);
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        await t.one.send(new DescribeCertificateCommand({ certificateId })).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    }
    assert.deepEqual(outcomes, [
      'ResourceNotFoundException',
      'ResourceNotFoundException',
      'ResourceNotFoundException',
      'ThrottlingException',
      'ThrottlingException',
    ]);
    await rejectsWithAws(t.one.send(new DescribeCertificateCommand({ certificateId })), 'ThrottlingException', 429, /Rate exceeded/);

    const raw = await t.svc.send({ method: 'GET', path: `/certificates/${certificateId}`, credential: demoOperatorOne });
    assert.equal(raw.status, 429);
    assert.equal(raw.headers.get('x-amzn-errortype'), 'ThrottlingException');
    assert.ok(Number(raw.headers.get('retry-after')) >= 1);

    const rows = await t.svc.db.selectFrom('audit_events').selectAll().where('failing_rule_id', '=', 'certguard.rate-limit').orderBy('sequence').execute();
    assert.equal(rows.length, 4);
    for (const row of rows) {
      assert.equal(row.operation, 'DescribeCertificate');
      assert.equal(row.decision, 'DENY');
      assert.equal(row.error_type, 'ThrottlingException');
      assert.equal(row.caller_account_id, demoOperatorOne.accountId);
    }
  });

  test('another account has its own budget', async () => {
    await rejectsWithAws(t.two.send(new DescribeCertificateCommand({ certificateId: 'cd'.repeat(32) })), 'ResourceNotFoundException', 404);
  });
});
