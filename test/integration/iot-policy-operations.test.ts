/** CreatePolicy, AttachPolicy and DetachPolicy via the AWS SDK. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AttachPolicyCommand, CreatePolicyCommand, DetachPolicyCommand, TransferCertificateCommand } from '@aws-sdk/client-iot';
import { attachedPolicyNames } from '../../src/certificates/certificate.repository.ts';
import { MAX_POLICIES_PER_CERTIFICATE } from '../../src/policies/iot-policy.service.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { ALLOW_ALL_DOCUMENT, createCertificate, createPolicy } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

describe('IoT policy operations', () => {
  const t = useTestService();

  test('CreatePolicy returns the name, ARN, document and version 1', async () => {
    const created = await t.one.send(new CreatePolicyCommand({ policyName: 'Plant_Lyon-1.rw', policyDocument: ALLOW_ALL_DOCUMENT }));
    assert.equal(created.policyName, 'Plant_Lyon-1.rw');
    assert.equal(created.policyArn, `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:policy/Plant_Lyon-1.rw`);
    assert.equal(created.policyDocument, ALLOW_ALL_DOCUMENT);
    assert.equal(created.policyVersionId, '1');
    const again = await rejectsWithAws(t.one.send(new CreatePolicyCommand({ policyName: 'Plant_Lyon-1.rw', policyDocument: ALLOW_ALL_DOCUMENT })), 'ResourceAlreadyExistsException', 409);
    assert.equal((again as unknown as { resourceArn: string }).resourceArn, created.policyArn);
    // Policy names are per account.
    await t.two.send(new CreatePolicyCommand({ policyName: 'Plant_Lyon-1.rw', policyDocument: ALLOW_ALL_DOCUMENT }));
  });

  test('a document that is not a JSON IoT policy is MalformedPolicyException (400)', async () => {
    for (const policyDocument of ['{', '[]', '{"Statement":[]}', '{"Statement":[{"Effect":"Maybe","Action":"iot:*","Resource":"*"}]}', '{"Statement":[{"Effect":"Allow","Resource":"*"}]}']) {
      await rejectsWithAws(t.one.send(new CreatePolicyCommand({ policyName: 'bad-doc', policyDocument })), 'MalformedPolicyException', 400);
    }
  });

  test('an invalid policy name is InvalidRequestException (400)', async () => {
    await rejectsWithAws(t.one.send(new CreatePolicyCommand({ policyName: 'no spaces', policyDocument: ALLOW_ALL_DOCUMENT })), 'InvalidRequestException', 400);
  });

  test('AttachPolicy then DetachPolicy on the caller\'s certificate; attaching twice is idempotent', async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
    await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn.replace(cert.certificateId, cert.certificateId.toUpperCase()) }));
    assert.deepEqual(await attachedPolicyNames(t.svc.db, cert.certificateId), [policyName]);
    await t.one.send(new DetachPolicyCommand({ policyName, target: cert.certificateArn }));
    assert.deepEqual(await attachedPolicyNames(t.svc.db, cert.certificateId), []);
  });

  test('attaching to an unknown policy, an unknown certificate or another account\'s certificate is ResourceNotFoundException (404)', async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await rejectsWithAws(t.one.send(new AttachPolicyCommand({ policyName: 'no-such-policy', target: cert.certificateArn })), 'ResourceNotFoundException', 404);
    await rejectsWithAws(t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn.replace(cert.certificateId, 'ef'.repeat(32)) })), 'ResourceNotFoundException', 404);
    const theirs = await createCertificate(t.two);
    await rejectsWithAws(t.one.send(new AttachPolicyCommand({ policyName, target: theirs.certificateArn })), 'ResourceNotFoundException', 404);
    assert.deepEqual(await attachedPolicyNames(t.svc.db, theirs.certificateId), []);
  });

  test('no policy can be attached to a certificate with a pending transfer (InvalidRequestException, 400)', async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
    await rejectsWithAws(t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn })), 'InvalidRequestException', 400, /pending transfer/);
    assert.deepEqual(await attachedPolicyNames(t.svc.db, cert.certificateId), []);
  });

  test('a target that is not a certificate ARN is InvalidRequestException (400)', async () => {
    const policyName = await createPolicy(t.one);
    await rejectsWithAws(t.one.send(new AttachPolicyCommand({ policyName, target: 'arn:aws:iot:us-east-1:111111111111:thinggroup/x' })), 'InvalidRequestException', 400);
  });

  test(`more than ${MAX_POLICIES_PER_CERTIFICATE} policies on one certificate is LimitExceededException (410)`, async () => {
    const cert = await createCertificate(t.one);
    for (let i = 0; i < MAX_POLICIES_PER_CERTIFICATE; i++) {
      await t.one.send(new AttachPolicyCommand({ policyName: await createPolicy(t.one, 'limit'), target: cert.certificateArn }));
    }
    await rejectsWithAws(t.one.send(new AttachPolicyCommand({ policyName: await createPolicy(t.one, 'limit'), target: cert.certificateArn })), 'LimitExceededException', 410);
    assert.equal((await attachedPolicyNames(t.svc.db, cert.certificateId)).length, MAX_POLICIES_PER_CERTIFICATE);
  });
});
