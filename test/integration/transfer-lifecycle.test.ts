/**
 * The whole transfer lifecycle across two accounts, driven by the AWS JS SDK: accept, reject and cancel, every
 * 410 after a transfer settles, and what each wrong caller gets.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AcceptCertificateTransferCommand,
  AttachPolicyCommand,
  CancelCertificateTransferCommand,
  DescribeCertificateCommand,
  DetachPolicyCommand,
  RejectCertificateTransferCommand,
  TransferCertificateCommand,
  UpdateCertificateCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate, createPolicy, type CreatedCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

const SOURCE = demoOperatorOne.accountId;
const TARGET = demoOperatorTwo.accountId;

describe('certificate transfer lifecycle', () => {
  const t = useTestService();

  async function pendingTransfer(message = 'please take it'): Promise<CreatedCertificate> {
    const cert = await createCertificate(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET, transferMessage: message }));
    return cert;
  }

  const describeAs = (client: IoTClient, certificateId: string) =>
    client.send(new DescribeCertificateCommand({ certificateId })).then((r) => r.certificateDescription!);

  test('the story: deactivate, attach (refused 409), detach, transfer, target describes, accepts with setAsActive, source loses sight', async () => {
    const cert = await createCertificate(t.one, true);
    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'INACTIVE' }));
    const policyName = await createPolicy(t.one);
    await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET })),
      'TransferConflictException',
      409,
    );
    await t.one.send(new DetachPolicyCommand({ policyName, target: cert.certificateArn }));
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET, transferMessage: 'yours now' }));

    const pending = await describeAs(t.two, cert.certificateId);
    assert.equal(pending.status, 'PENDING_TRANSFER');
    assert.equal(pending.transferData?.transferMessage, 'yours now');

    await t.two.send(new AcceptCertificateTransferCommand({ certificateId: cert.certificateId, setAsActive: true }));
    const accepted = await describeAs(t.two, cert.certificateId);
    assert.equal(accepted.status, 'ACTIVE');
    assert.equal(accepted.ownedBy, TARGET);
    assert.equal(accepted.previousOwnedBy, SOURCE);
    assert.equal(accepted.certificateArn, `arn:aws:iot:us-east-1:${TARGET}:cert/${cert.certificateId}`);
    assert.ok(accepted.transferData?.acceptDate instanceof Date);
    assert.equal(accepted.transferData?.transferMessage, 'yours now');
    await rejectsWithAws(t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId })), 'ResourceNotFoundException', 404);
  });

  test('accept without setAsActive leaves the certificate INACTIVE with its new owner', async () => {
    const cert = await pendingTransfer();
    await t.two.send(new AcceptCertificateTransferCommand({ certificateId: cert.certificateId }));
    const d = await describeAs(t.two, cert.certificateId);
    assert.equal(d.status, 'INACTIVE');
    assert.equal(d.ownedBy, TARGET);
  });

  test('reject returns the certificate to the source as INACTIVE with the reason and date', async () => {
    const cert = await pendingTransfer();
    await t.two.send(new RejectCertificateTransferCommand({ certificateId: cert.certificateId, rejectReason: 'wrong plant' }));
    const d = await describeAs(t.one, cert.certificateId);
    assert.equal(d.status, 'INACTIVE');
    assert.equal(d.ownedBy, SOURCE);
    assert.equal(d.transferData?.rejectReason, 'wrong plant');
    assert.ok(d.transferData?.rejectDate instanceof Date);
    await rejectsWithAws(t.two.send(new DescribeCertificateCommand({ certificateId: cert.certificateId })), 'ResourceNotFoundException', 404);
  });

  test('cancel by the source while pending makes it INACTIVE; the target no longer sees it', async () => {
    const cert = await pendingTransfer();
    await t.one.send(new CancelCertificateTransferCommand({ certificateId: cert.certificateId }));
    assert.equal((await describeAs(t.one, cert.certificateId)).status, 'INACTIVE');
    await rejectsWithAws(t.two.send(new DescribeCertificateCommand({ certificateId: cert.certificateId })), 'ResourceNotFoundException', 404);
  });

  for (const settledBy of ['accept', 'reject', 'cancel'] as const) {
    test(`after a transfer is ${settledBy}ed, every further Accept, Reject and Cancel is TransferAlreadyCompletedException (410)`, async () => {
      const cert = await pendingTransfer();
      const id = { certificateId: cert.certificateId };
      if (settledBy === 'accept') await t.two.send(new AcceptCertificateTransferCommand(id));
      if (settledBy === 'reject') await t.two.send(new RejectCertificateTransferCommand(id));
      if (settledBy === 'cancel') await t.one.send(new CancelCertificateTransferCommand(id));
      const word = new RegExp(`already ${settledBy === 'cancel' ? 'cancelled' : `${settledBy}ed`}`);
      await rejectsWithAws(t.two.send(new AcceptCertificateTransferCommand(id)), 'TransferAlreadyCompletedException', 410, word);
      await rejectsWithAws(t.two.send(new RejectCertificateTransferCommand(id)), 'TransferAlreadyCompletedException', 410, word);
      await rejectsWithAws(t.one.send(new CancelCertificateTransferCommand(id)), 'TransferAlreadyCompletedException', 410, word);
    });
  }

  test('only the target accepts or rejects and only the source cancels (UnauthorizedException, 401), all audited', async () => {
    const cert = await pendingTransfer();
    const id = { certificateId: cert.certificateId };
    await rejectsWithAws(t.one.send(new AcceptCertificateTransferCommand(id)), 'UnauthorizedException', 401, /Only the target account/);
    await rejectsWithAws(t.one.send(new RejectCertificateTransferCommand(id)), 'UnauthorizedException', 401);
    await rejectsWithAws(t.two.send(new CancelCertificateTransferCommand(id)), 'UnauthorizedException', 401, /Only the source account/);
    assert.equal((await describeAs(t.one, cert.certificateId)).status, 'PENDING_TRANSFER', 'nothing changed');
    const rows = await t.svc.db
      .selectFrom('audit_events')
      .select(['operation', 'decision', 'error_type'])
      .where('certificate_id', '=', cert.certificateId)
      .where('decision', '=', 'DENY')
      .orderBy('sequence')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.operation, r.error_type]),
      [
        ['AcceptCertificateTransfer', 'UnauthorizedException'],
        ['RejectCertificateTransfer', 'UnauthorizedException'],
        ['CancelCertificateTransfer', 'UnauthorizedException'],
      ],
    );
  });

  test('an account that is no party to the transfer gets ResourceNotFoundException (404), as for an unknown certificate', async () => {
    const cert = await pendingTransfer();
    const third = t.auditor; // a reader, but not a party: it cannot act on the transfer either
    await rejectsWithAws(third.send(new AcceptCertificateTransferCommand({ certificateId: cert.certificateId })), 'UnauthorizedException', 401);
    await rejectsWithAws(t.two.send(new AcceptCertificateTransferCommand({ certificateId: 'ee'.repeat(32) })), 'ResourceNotFoundException', 404);
    const other = await createCertificate(t.two);
    await rejectsWithAws(t.one.send(new CancelCertificateTransferCommand({ certificateId: other.certificateId })), 'ResourceNotFoundException', 404);
  });

  test('acting on a certificate that was never transferred is InvalidRequestException (400)', async () => {
    const cert = await createCertificate(t.one);
    await rejectsWithAws(
      t.one.send(new CancelCertificateTransferCommand({ certificateId: cert.certificateId })),
      'InvalidRequestException',
      400,
      /no pending transfer/,
    );
  });

  test('a reject reason over 128 characters is InvalidRequestException (400)', async () => {
    const cert = await pendingTransfer();
    await rejectsWithAws(
      t.two.send(new RejectCertificateTransferCommand({ certificateId: cert.certificateId, rejectReason: 'r'.repeat(129) })),
      'InvalidRequestException',
      400,
    );
  });

  test("a reject without a reason is allowed; the warn rule's warning is returned in x-certguard-warning and audited", async () => {
    const cert = await pendingTransfer();
    const response = await t.svc.send({ method: 'PATCH', path: `/reject-certificate-transfer/${cert.certificateId}`, credential: demoOperatorTwo });
    assert.equal(response.status, 200, response.text);
    assert.match(response.headers.get('x-certguard-warning') ?? '', /^\[reject-reason-given\] No rejectReason was given/);
    const row = await t.svc.db
      .selectFrom('audit_events')
      .selectAll()
      .where('certificate_id', '=', cert.certificateId)
      .where('operation', '=', 'RejectCertificateTransfer')
      .executeTakeFirstOrThrow();
    assert.equal(row.decision, 'ALLOW');
    const outcomes = row.rule_outcomes as { warnings: string[]; rules: Array<{ id: string; outcome: string }> };
    assert.equal(outcomes.rules.find((r) => r.id === 'reject-reason-given')?.outcome, 'fail');
    assert.match(outcomes.warnings[0] ?? '', /reject-reason-given/);
  });

  test('a new transfer after a rejection starts clean: the old reason and outcome are gone', async () => {
    const cert = await pendingTransfer('first');
    await t.two.send(new RejectCertificateTransferCommand({ certificateId: cert.certificateId, rejectReason: 'no' }));
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET, transferMessage: 'second' }));
    const d = await describeAs(t.two, cert.certificateId);
    assert.equal(d.transferData?.transferMessage, 'second');
    assert.equal(d.transferData?.rejectReason, undefined);
    await t.two.send(new AcceptCertificateTransferCommand({ certificateId: cert.certificateId }));
  });
});
