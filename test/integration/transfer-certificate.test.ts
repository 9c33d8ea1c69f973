/**
 * TransferCertificate end to end: a real certguard (real database, real HTTP) driven by the AWS JS SDK.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  DescribeCertificateCommand,
  DetachPolicyCommand,
  TransferCertificateCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate, createPolicy } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

const TARGET = demoOperatorTwo.accountId;

describe('TransferCertificate', () => {
  const t = useTestService();

  test('an INACTIVE certificate with no policies moves to PENDING_TRANSFER with its transfer data', async () => {
    const cert = await createCertificate(t.one);
    const before = Date.now() / 1000;
    const result = await t.one.send(
      new TransferCertificateCommand({
        certificateId: cert.certificateId,
        targetAwsAccount: TARGET,
        transferMessage: 'for the plant in Lyon',
      }),
    );
    assert.equal(result.transferredCertificateArn, cert.certificateArn);

    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.status, 'PENDING_TRANSFER');
    assert.equal(d?.ownedBy, demoOperatorOne.accountId);
    assert.equal(d?.transferData?.transferMessage, 'for the plant in Lyon');
    assert.ok(d?.transferData?.transferDate instanceof Date);
    assert.ok(d.transferData.transferDate.getTime() / 1000 >= before - 1);
  });

  test('the target account can describe the pending certificate; a third party cannot', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET }));
    const seen = await t.two.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(seen.certificateDescription?.status, 'PENDING_TRANSFER');
  });

  test('an ACTIVE certificate is refused with CertificateStateException (406) naming the rule', async () => {
    const cert = await createCertificate(t.one, true);
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET })),
      'CertificateStateException',
      406,
      /certificate-not-active/,
    );
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.status, 'ACTIVE');
  });

  test('a certificate with an attached policy is refused with TransferConflictException (409); detached, it transfers', async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET })),
      'TransferConflictException',
      409,
      new RegExp(policyName),
    );
    await t.one.send(new DetachPolicyCommand({ policyName, target: cert.certificateArn }));
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET }));
  });

  test("a transfer to the owner's own account is refused with InvalidRequestException (400)", async () => {
    const cert = await createCertificate(t.one);
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorOne.accountId })),
      'InvalidRequestException',
      400,
      /valid-target-account/,
    );
  });

  test('a certificate already PENDING_TRANSFER cannot be transferred again', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET }));
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: '333333333333' })),
      'CertificateStateException',
      406,
    );
  });

  test('a REVOKED certificate cannot be transferred', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'REVOKED' }));
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: TARGET })),
      'CertificateStateException',
      406,
    );
  });

  test('an unknown certificate is ResourceNotFoundException (404)', async () => {
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: 'ab'.repeat(32), targetAwsAccount: TARGET })),
      'ResourceNotFoundException',
      404,
    );
  });

  test("another account's certificate is ResourceNotFoundException (404), exactly like an unknown one", async () => {
    const cert = await createCertificate(t.one);
    const error = await rejectsWithAws(
      t.two.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorOne.accountId })),
      'ResourceNotFoundException',
      404,
    );
    assert.equal(error.message, `Certificate ${cert.certificateId} does not exist`);
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.status, 'INACTIVE');
  });

  test('invalid certificate id, target account and message length are InvalidRequestException (400)', async () => {
    const cert = await createCertificate(t.one);
    const cases = [
      { certificateId: 'abc', targetAwsAccount: TARGET },
      { certificateId: 'zz'.repeat(32), targetAwsAccount: TARGET },
      { certificateId: cert.certificateId, targetAwsAccount: '12345678901' },
      { certificateId: cert.certificateId, targetAwsAccount: '1234567890123' },
      { certificateId: cert.certificateId, targetAwsAccount: '12345678901a' },
      { certificateId: cert.certificateId, targetAwsAccount: TARGET, transferMessage: 'x'.repeat(129) },
    ];
    for (const input of cases) {
      await rejectsWithAws(t.one.send(new TransferCertificateCommand(input)), 'InvalidRequestException', 400);
    }
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.status, 'INACTIVE', 'no invalid request changed the certificate');
  });

  test('a message of exactly 128 characters and an upper-case certificate id are accepted', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(
      new TransferCertificateCommand({
        certificateId: cert.certificateId.toUpperCase(),
        targetAwsAccount: TARGET,
        transferMessage: 'm'.repeat(128),
      }),
    );
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.transferData?.transferMessage?.length, 128);
  });
});
