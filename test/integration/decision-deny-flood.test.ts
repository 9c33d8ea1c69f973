/**
 * The versioned decision path (docs/architecture.md, "The request path") under contention on ONE certificate: floods of
 * denied TransferCertificate interleaved with the status change that makes the certificate transferable. Denials
 * take no lock, so they must neither block the status change nor see a state that never existed; exactly one
 * transfer wins once the certificate is INACTIVE; every answered request has exactly one audit row, decided on the
 * state it names; and the chain over all of it verifies. Also: the retry bound answers ThrottlingException and is
 * audited rather than looping.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { CreateKeysAndCertificateCommand, TransferCertificateCommand, UpdateCertificateCommand } from '@aws-sdk/client-iot';
import { ownedCertificateFacts, readOwnedCertificate } from '../../src/certificates/certificate-access.ts';
import { MAX_VERSION_ATTEMPTS, runGuarded } from '../../src/decisions/guarded-operation.ts';
import type { Caller } from '../../src/request/caller.ts';
import { waitUntilSealed } from '../support/audit-chain-support.ts';
import { demoAuditor, demoOperatorOne, demoOperatorTwo, TEST_REGION } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

const ROUNDS = 4;
const WAVE = 12;

interface Attempt {
  requestId: string | undefined;
  ok: boolean;
  errorName?: string;
}

describe('deny floods on one certificate interleaved with a status change', () => {
  const t = useTestService();

  function transfer(certificateId: string): Promise<Attempt> {
    return t.one.send(new TransferCertificateCommand({ certificateId, targetAwsAccount: demoOperatorTwo.accountId })).then(
      (out) => ({ requestId: out.$metadata.requestId, ok: true }),
      (error: Error & { $metadata?: { requestId?: string } }) => ({ requestId: error.$metadata?.requestId, ok: false, errorName: error.name }),
    );
  }

  function wave(certificateId: string): Promise<Attempt[]> {
    return Promise.all(Array.from({ length: WAVE }, () => transfer(certificateId)));
  }

  test(`${ROUNDS} rounds of ${3 * WAVE} transfers around ACTIVE -> INACTIVE: one winner each, one audit row per answer`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { certificateId } = await t.one.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
      const before = await wave(certificateId!);
      // The status change races a second flood: it must get through (no row lock held by the denials).
      const [during, statusChange] = await Promise.all([
        wave(certificateId!),
        t.one.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' })).then(() => 'ok' as const),
      ]);
      assert.equal(statusChange, 'ok', 'the status change succeeds during the flood');
      const after = await wave(certificateId!);

      for (const attempt of before) assert.equal(attempt.errorName, 'CertificateStateException', 'ACTIVE: transfers refused');
      const attempts = [...before, ...during, ...after];
      const winners = attempts.filter((a) => a.ok);
      assert.equal(winners.length, 1, `round ${round}: exactly one transfer wins once the certificate is INACTIVE`);
      for (const loser of attempts.filter((a) => !a.ok)) {
        assert.ok(['CertificateStateException', 'TransferAlreadyCompletedException', 'InvalidRequestException'].includes(loser.errorName!), loser.errorName);
      }

      const row = await t.svc.db.selectFrom('certificates').selectAll().where('certificate_id', '=', certificateId!).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.transfer_target_account_id], ['PENDING_TRANSFER', demoOperatorTwo.accountId]);

      const audit = await t.svc.db
        .selectFrom('audit_events')
        .select(['request_id', 'decision', 'policy_input', 'rule_outcomes'])
        .where('certificate_id', '=', certificateId!)
        .where('operation', '=', 'TransferCertificate')
        .execute();
      assert.equal(audit.length, attempts.length, 'one audit row per answered transfer');
      assert.deepEqual(new Set(audit.map((a) => a.request_id)), new Set(attempts.map((a) => a.requestId)), 'each answer has its own row');
      const allowed = audit.filter((a) => a.decision === 'ALLOW');
      assert.equal(allowed.length, 1);
      assert.equal(allowed[0]!.request_id, winners[0]!.requestId);
      // Each row records the state it was decided on: the winner saw INACTIVE, a denial ACTIVE or the transfer pending.
      const statusSeen = (a: (typeof audit)[number]) => (a.policy_input as unknown as { certificate: { status: string } }).certificate.status;
      assert.equal(statusSeen(allowed[0]!), 'INACTIVE');
      for (const denied of audit.filter((a) => a.decision === 'DENY')) {
        assert.ok(['ACTIVE', 'PENDING_TRANSFER'].includes(statusSeen(denied)), statusSeen(denied));
      }
      // ... and the row version it was decided on: the winner's is the one its change replaced, every denial of
      // the pending transfer saw the version the winner wrote, and every ACTIVE denial an older one.
      const versionSeen = (a: (typeof audit)[number]) => BigInt((a.rule_outcomes as unknown as { decidedOnVersion: string }).decidedOnVersion);
      const { rows } = await sql<{ v: string }>`SELECT row_version::text AS v FROM certificates WHERE certificate_id = ${certificateId}`.execute(t.svc.db);
      const finalVersion = BigInt(rows[0]!.v);
      assert.equal(versionSeen(allowed[0]!), finalVersion - 1n);
      for (const denied of audit.filter((a) => a.decision === 'DENY')) {
        if (statusSeen(denied) === 'PENDING_TRANSFER') assert.equal(versionSeen(denied), finalVersion);
        else assert.ok(versionSeen(denied) < finalVersion - 1n, 'an ACTIVE denial saw a version before the status change');
      }
    }

    await waitUntilSealed(t.svc.db);
    const verify = await t.svc.send({ method: 'GET', path: '/v1/audit/verify', credential: demoAuditor });
    assert.equal(verify.status, 200);
    assert.equal(verify.json?.ok, true, 'the chain over the floods verifies');
  });

  test(`a decision that keeps losing to other writers stops after ${MAX_VERSION_ATTEMPTS} attempts: ThrottlingException, audited`, async () => {
    const { certificateId } = await t.one.send(new CreateKeysAndCertificateCommand({}));
    const requestId = `version-conflict-${certificateId}`;
    const caller: Caller = { accountId: '111111111111', accessKeyId: demoOperatorOne.accessKeyId, roles: ['operator'] };
    let writes = 0;
    const attempt = runGuarded(t.svc.service.context, {
      operation: 'UpdateCertificate',
      request: { requestId, caller, sourceIp: null, userAgent: null, warn: () => {} },
      parameters: { certificateId, newStatus: 'ACTIVE' },
      resource: { certificateId: certificateId! },
      // The real read and facts, so the rules allow and the write is reached; only the write is made to lose.
      read: readOwnedCertificate(caller, certificateId!),
      version: ({ version }) => version,
      facts: ownedCertificateFacts(TEST_REGION),
      // Another writer always got there first.
      write: async () => {
        writes++;
        return undefined;
      },
    });
    await assert.rejects(attempt, (error: Error & { errorType?: string }) => {
      assert.equal(error.name, 'ThrottlingException');
      assert.match(error.message, /retry/);
      return true;
    });
    assert.equal(writes, MAX_VERSION_ATTEMPTS);
    const rows = await t.svc.db.selectFrom('audit_events').select(['decision', 'error_type']).where('request_id', '=', requestId).execute();
    assert.deepEqual(rows, [{ decision: 'DENY', error_type: 'ThrottlingException' }]);
    const row = await t.svc.db.selectFrom('certificates').select('status').where('certificate_id', '=', certificateId!).executeTakeFirstOrThrow();
    assert.equal(row.status, 'INACTIVE', 'nothing changed');
  });
});
