/**
 * The target accepting while the source cancels, at the same moment, 50 times over on fresh certificates: each
 * race has exactly one winner, leaves a consistent certificate, and every attempt has its audit row.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AcceptCertificateTransferCommand,
  CancelCertificateTransferCommand,
  CreateKeysAndCertificateCommand,
  TransferCertificateCommand,
} from '@aws-sdk/client-iot';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

const RACES = 50;

describe('accept racing cancel', () => {
  const t = useTestService();

  test(`${RACES} races: exactly one winner each, a consistent certificate, an audit row per attempt`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < RACES; i++) {
      const { certificateId } = await t.one.send(new CreateKeysAndCertificateCommand({}));
      await t.one.send(new TransferCertificateCommand({ certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
      ids.push(certificateId!);
    }
    for (const certificateId of ids) {
      const [accept, cancel] = await Promise.allSettled([
        t.two.send(new AcceptCertificateTransferCommand({ certificateId, setAsActive: true })),
        t.one.send(new CancelCertificateTransferCommand({ certificateId })),
      ]);
      const winners = [accept, cancel].filter((r) => r.status === 'fulfilled').length;
      assert.equal(winners, 1, `race on ${certificateId}: exactly one winner`);
      const loser = [accept, cancel].find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      assert.equal((loser.reason as Error).name, 'TransferAlreadyCompletedException');

      const row = await t.svc.db.selectFrom('certificates').selectAll().where('certificate_id', '=', certificateId).executeTakeFirstOrThrow();
      if (accept.status === 'fulfilled') {
        assert.deepEqual(
          [row.status, row.owner_account_id, row.previous_owner_account_id, row.transfer_outcome],
          ['ACTIVE', demoOperatorTwo.accountId, demoOperatorOne.accountId, 'ACCEPTED'],
        );
        assert.ok(row.accept_date);
      } else {
        assert.deepEqual([row.status, row.owner_account_id, row.transfer_outcome], ['INACTIVE', demoOperatorOne.accountId, 'CANCELLED']);
        assert.equal(row.accept_date, null);
      }
      const audit = await t.svc.db
        .selectFrom('audit_events')
        .select(['operation', 'decision'])
        .where('certificate_id', '=', certificateId)
        .where('operation', 'in', ['AcceptCertificateTransfer', 'CancelCertificateTransfer'])
        .execute();
      assert.equal(audit.length, 2, 'both attempts audited');
      assert.deepEqual(audit.map((a) => a.decision).sort(), ['ALLOW', 'DENY']);
      const allowed = audit.find((a) => a.decision === 'ALLOW')!;
      assert.equal(allowed.operation, accept.status === 'fulfilled' ? 'AcceptCertificateTransfer' : 'CancelCertificateTransfer');
    }
  });
});
