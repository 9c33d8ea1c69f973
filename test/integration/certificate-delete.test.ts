/** DeleteCertificate via the AWS SDK: the guard rules, forceDelete, the pending-transfer invariant and the audit trail. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  TransferCertificateCommand,
} from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate, createPolicy } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

describe('DeleteCertificate', () => {
  const t = useTestService();

  const auditRows = (certificateId: string) =>
    t.svc.db.selectFrom('audit_events').selectAll().where('certificate_id', '=', certificateId).orderBy('sequence').execute();

  const attachmentCount = async (certificateId: string) =>
    (await t.svc.db.selectFrom('policy_attachments').select('policy_name').where('certificate_id', '=', certificateId).execute()).length;

  test('an INACTIVE certificate without policies is deleted: 200 {}, then no longer described or listed', async () => {
    const cert = await createCertificate(t.one);
    const raw = await t.svc.send({ method: 'DELETE', path: `/certificates/${cert.certificateId}`, credential: demoOperatorOne });
    assert.equal(raw.status, 200);
    assert.deepEqual(raw.json, {});
    await rejectsWithAws(t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId })), 'ResourceNotFoundException', 404);
    const listed = await t.one.send(new ListCertificatesCommand({ pageSize: 250 }));
    assert.ok(!listed.certificates?.some((c) => c.certificateId === cert.certificateId));
  });

  test('an ACTIVE certificate is refused with CertificateStateException (406), even with forceDelete', async () => {
    const cert = await createCertificate(t.one, true);
    for (const forceDelete of [false, true]) {
      await rejectsWithAws(
        t.one.send(new DeleteCertificateCommand({ certificateId: cert.certificateId, forceDelete })),
        'CertificateStateException',
        406,
        /certificate-not-active-on-delete/,
      );
    }
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.status, 'ACTIVE');
  });

  test('a certificate with a policy attached is refused with DeleteConflictException (409) naming the policy', async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
    const error = await rejectsWithAws(
      t.one.send(new DeleteCertificateCommand({ certificateId: cert.certificateId })),
      'DeleteConflictException',
      409,
      /no-attached-policies-unless-forced/,
    );
    assert.match(error.message, new RegExp(policyName));
    assert.equal(await attachmentCount(cert.certificateId), 1, 'a refused delete detaches nothing');
  });

  test('forceDelete deletes a certificate with policies attached and removes its attachments, not the policies', async () => {
    const cert = await createCertificate(t.one);
    const policies = [await createPolicy(t.one), await createPolicy(t.one)];
    for (const policyName of policies) await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
    await t.one.send(new DeleteCertificateCommand({ certificateId: cert.certificateId, forceDelete: true }));
    await rejectsWithAws(t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId })), 'ResourceNotFoundException', 404);
    assert.equal(await attachmentCount(cert.certificateId), 0);
    const kept = await t.svc.db.selectFrom('iot_policies').select('policy_name').where('policy_name', 'in', policies).execute();
    assert.equal(kept.length, 2);
  });

  test('a certificate with a pending transfer is refused with CertificateStateException (406) by the state machine', async () => {
    const cert = await createCertificate(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
    await rejectsWithAws(
      t.one.send(new DeleteCertificateCommand({ certificateId: cert.certificateId, forceDelete: true })),
      'CertificateStateException',
      406,
      /pending transfer/,
    );
    const rows = await auditRows(cert.certificateId);
    assert.equal(rows.at(-1)?.failing_rule_id, 'certguard.invariant');
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.status, 'PENDING_TRANSFER');
  });

  test("another account's certificate is ResourceNotFoundException (404), exactly like an unknown one", async () => {
    const cert = await createCertificate(t.one);
    const foreign = await rejectsWithAws(t.two.send(new DeleteCertificateCommand({ certificateId: cert.certificateId })), 'ResourceNotFoundException', 404);
    assert.equal(foreign.message, `Certificate ${cert.certificateId} does not exist`);
    const unknownId = 'ab'.repeat(32);
    const unknown = await rejectsWithAws(t.one.send(new DeleteCertificateCommand({ certificateId: unknownId })), 'ResourceNotFoundException', 404);
    assert.equal(unknown.message, `Certificate ${unknownId} does not exist`);
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.certificateId, cert.certificateId);
  });

  test('an invalid certificate id is InvalidRequestException (400)', async () => {
    for (const certificateId of ['abc', 'zz'.repeat(32)]) {
      await rejectsWithAws(t.one.send(new DeleteCertificateCommand({ certificateId })), 'InvalidRequestException', 400);
    }
  });

  test('an auditor cannot delete: UnauthorizedException (401), audited', async () => {
    const cert = await createCertificate(t.one);
    await rejectsWithAws(t.auditor.send(new DeleteCertificateCommand({ certificateId: cert.certificateId })), 'UnauthorizedException', 401);
    const rows = await auditRows(cert.certificateId);
    assert.equal(rows.at(-1)?.failing_rule_id, 'certguard.caller-may-write');
    const { certificateDescription: d } = await t.one.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    assert.equal(d?.status, 'INACTIVE');
  });

  test("every delete decision is audited, and the certificate's audit rows outlive it", async () => {
    const cert = await createCertificate(t.one, true);
    await rejectsWithAws(t.one.send(new DeleteCertificateCommand({ certificateId: cert.certificateId })), 'CertificateStateException', 406);
    await t.svc.send({ method: 'PUT', path: `/certificates/${cert.certificateId}`, query: { newStatus: 'INACTIVE' }, credential: demoOperatorOne });
    await t.one.send(new DeleteCertificateCommand({ certificateId: cert.certificateId, forceDelete: true }));

    const rows = await auditRows(cert.certificateId);
    assert.deepEqual(
      rows.map((r) => [r.operation, r.decision]),
      [
        ['CreateKeysAndCertificate', 'ALLOW'],
        ['DeleteCertificate', 'DENY'],
        ['UpdateCertificate', 'ALLOW'],
        ['DeleteCertificate', 'ALLOW'],
      ],
    );
    const [denied, allowed] = rows.filter((r) => r.operation === 'DeleteCertificate');
    assert.equal(denied?.failing_rule_id, 'certificate-not-active-on-delete');
    assert.equal(denied?.error_type, 'CertificateStateException');
    assert.equal(denied?.certificate_arn, cert.certificateArn);
    assert.deepEqual(allowed?.request_parameters, { certificateId: cert.certificateId, forceDelete: true });
    assert.equal(allowed?.caller_account_id, demoOperatorOne.accountId);
  });
});
