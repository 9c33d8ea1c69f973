/** CreatePolicy, GetPolicy, DeletePolicy, AttachPolicy and DetachPolicy via the AWS SDK. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachPolicyCommand,
  GetPolicyCommand,
  TransferCertificateCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { attachedPolicyNames } from '../../src/certificates/certificate.repository.ts';
import { MAX_POLICIES_PER_CERTIFICATE } from '../../src/iot-policies/iot-policy-attachment.service.ts';
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
    const again = await rejectsWithAws(
      t.one.send(new CreatePolicyCommand({ policyName: 'Plant_Lyon-1.rw', policyDocument: ALLOW_ALL_DOCUMENT })),
      'ResourceAlreadyExistsException',
      409,
    );
    assert.equal((again as unknown as { resourceArn: string }).resourceArn, created.policyArn);
    // Policy names are per account.
    await t.two.send(new CreatePolicyCommand({ policyName: 'Plant_Lyon-1.rw', policyDocument: ALLOW_ALL_DOCUMENT }));
  });

  test('a document that is not a JSON IoT policy is MalformedPolicyException (400)', async () => {
    for (const policyDocument of [
      '{',
      '[]',
      '{"Statement":[]}',
      '{"Statement":[{"Effect":"Maybe","Action":"iot:*","Resource":"*"}]}',
      '{"Statement":[{"Effect":"Allow","Resource":"*"}]}',
    ]) {
      await rejectsWithAws(t.one.send(new CreatePolicyCommand({ policyName: 'bad-doc', policyDocument })), 'MalformedPolicyException', 400);
    }
  });

  test('an invalid policy name is InvalidRequestException (400)', async () => {
    await rejectsWithAws(t.one.send(new CreatePolicyCommand({ policyName: 'no spaces', policyDocument: ALLOW_ALL_DOCUMENT })), 'InvalidRequestException', 400);
  });

  test("AttachPolicy then DetachPolicy on the caller's certificate; attaching twice is idempotent", async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
    await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn.replace(cert.certificateId, cert.certificateId.toUpperCase()) }));
    assert.deepEqual(await attachedPolicyNames(t.svc.db, cert.certificateId), [policyName]);
    await t.one.send(new DetachPolicyCommand({ policyName, target: cert.certificateArn }));
    assert.deepEqual(await attachedPolicyNames(t.svc.db, cert.certificateId), []);
  });

  test("attaching to an unknown policy, an unknown certificate or another account's certificate is ResourceNotFoundException (404)", async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await rejectsWithAws(t.one.send(new AttachPolicyCommand({ policyName: 'no-such-policy', target: cert.certificateArn })), 'ResourceNotFoundException', 404);
    await rejectsWithAws(
      t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn.replace(cert.certificateId, 'ef'.repeat(32)) })),
      'ResourceNotFoundException',
      404,
    );
    const theirs = await createCertificate(t.two);
    await rejectsWithAws(t.one.send(new AttachPolicyCommand({ policyName, target: theirs.certificateArn })), 'ResourceNotFoundException', 404);
    assert.deepEqual(await attachedPolicyNames(t.svc.db, theirs.certificateId), []);
  });

  test('the attach-policy rule refuses a REVOKED certificate (InvalidRequestException, 400), naming the rule', async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await t.one.send(new UpdateCertificateCommand({ certificateId: cert.certificateId, newStatus: 'REVOKED' }));
    await rejectsWithAws(
      t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn })),
      'InvalidRequestException',
      400,
      /no-attach-to-revoked-certificate/,
    );
    assert.deepEqual(await attachedPolicyNames(t.svc.db, cert.certificateId), []);
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
    await rejectsWithAws(
      t.one.send(new AttachPolicyCommand({ policyName, target: 'arn:aws:iot:us-east-1:111111111111:thinggroup/x' })),
      'InvalidRequestException',
      400,
    );
  });

  test(`more than ${MAX_POLICIES_PER_CERTIFICATE} policies on one certificate is LimitExceededException (410)`, async () => {
    const cert = await createCertificate(t.one);
    for (let i = 0; i < MAX_POLICIES_PER_CERTIFICATE; i++) {
      await t.one.send(new AttachPolicyCommand({ policyName: await createPolicy(t.one, 'limit'), target: cert.certificateArn }));
    }
    await rejectsWithAws(
      t.one.send(new AttachPolicyCommand({ policyName: await createPolicy(t.one, 'limit'), target: cert.certificateArn })),
      'LimitExceededException',
      410,
    );
    assert.equal((await attachedPolicyNames(t.svc.db, cert.certificateId)).length, MAX_POLICIES_PER_CERTIFICATE);
  });

  const auditRowsOf = async (operation: string, policyName: string) => {
    const rows = await t.svc.db.selectFrom('audit_events').selectAll().where('operation', '=', operation).orderBy('sequence').execute();
    return rows.filter((r) => (r.request_parameters as { policyName?: string } | null)?.policyName === policyName);
  };

  test('GetPolicy returns the document, default version, epoch-second dates and generation id', async () => {
    const before = Math.floor(Date.now() / 1000);
    const policyName = await createPolicy(t.one, 'get');
    const got = await t.one.send(new GetPolicyCommand({ policyName }));
    assert.equal(got.policyName, policyName);
    assert.equal(got.policyArn, `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:policy/${policyName}`);
    assert.equal(got.policyDocument, ALLOW_ALL_DOCUMENT);
    assert.equal(got.defaultVersionId, '1');
    assert.match(got.generationId ?? '', /^[0-9a-f-]{36}$/);
    // The SDK only builds Dates from epoch numbers (an ISO string would fail to deserialise).
    assert.ok(got.creationDate instanceof Date && got.lastModifiedDate instanceof Date);
    assert.ok(got.creationDate.getTime() / 1000 >= before - 1 && got.creationDate.getTime() <= Date.now());
    assert.equal(got.lastModifiedDate.getTime(), got.creationDate.getTime());
  });

  test("GetPolicy of an unknown policy or another account's policy is ResourceNotFoundException (404)", async () => {
    await rejectsWithAws(
      t.one.send(new GetPolicyCommand({ policyName: 'no-such-policy' })),
      'ResourceNotFoundException',
      404,
      /Policy no-such-policy does not exist/,
    );
    const theirs = await createPolicy(t.two, 'theirs');
    await rejectsWithAws(
      t.one.send(new GetPolicyCommand({ policyName: theirs })),
      'ResourceNotFoundException',
      404,
      new RegExp(`Policy ${theirs} does not exist`),
    );
    await rejectsWithAws(t.one.send(new GetPolicyCommand({ policyName: 'bad name' })), 'InvalidRequestException', 400);
  });

  test('DeletePolicy deletes the policy and is audited as an ALLOW decision', async () => {
    const policyName = await createPolicy(t.one, 'delete');
    assert.deepEqual(await t.one.send(new DeletePolicyCommand({ policyName })).then(({ $metadata: _, ...rest }) => rest), {});
    await rejectsWithAws(t.one.send(new GetPolicyCommand({ policyName })), 'ResourceNotFoundException', 404);
    const [row, ...rest] = await auditRowsOf('DeletePolicy', policyName);
    assert.equal(rest.length, 0);
    assert.equal(row?.decision, 'ALLOW');
    assert.equal(row?.caller_account_id, demoOperatorOne.accountId);
    assert.deepEqual(row?.request_parameters, { policyName });
    // The name is free again.
    await t.one.send(new CreatePolicyCommand({ policyName, policyDocument: ALLOW_ALL_DOCUMENT }));
  });

  test('DeletePolicy while the policy is attached is DeleteConflictException (409); after DetachPolicy it succeeds', async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one, 'attached');
    await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
    await rejectsWithAws(t.one.send(new DeletePolicyCommand({ policyName })), 'DeleteConflictException', 409, new RegExp(`attached to ${cert.certificateArn}`));
    assert.equal((await t.one.send(new GetPolicyCommand({ policyName }))).policyName, policyName);
    await t.one.send(new DetachPolicyCommand({ policyName, target: cert.certificateArn }));
    await t.one.send(new DeletePolicyCommand({ policyName }));
    const rows = await auditRowsOf('DeletePolicy', policyName);
    assert.deepEqual(
      rows.map((r) => [r.decision, r.error_type]),
      [
        ['DENY', 'DeleteConflictException'],
        ['ALLOW', null],
      ],
    );
  });

  test("DeletePolicy of an unknown policy or another account's policy is ResourceNotFoundException (404), audited as DENY", async () => {
    await rejectsWithAws(t.one.send(new DeletePolicyCommand({ policyName: 'never-created' })), 'ResourceNotFoundException', 404);
    const theirs = await createPolicy(t.two, 'keep');
    await rejectsWithAws(t.one.send(new DeletePolicyCommand({ policyName: theirs })), 'ResourceNotFoundException', 404);
    assert.equal((await t.two.send(new GetPolicyCommand({ policyName: theirs }))).policyName, theirs);
    const [row] = await auditRowsOf('DeletePolicy', 'never-created');
    assert.equal(row?.decision, 'DENY');
    assert.equal(row?.error_type, 'ResourceNotFoundException');
  });

  test('an auditor cannot delete a policy (UnauthorizedException, 401)', async () => {
    const policyName = await createPolicy(t.one, 'audited');
    await rejectsWithAws(t.auditor.send(new DeletePolicyCommand({ policyName })), 'UnauthorizedException', 401);
    assert.equal((await t.one.send(new GetPolicyCommand({ policyName }))).policyName, policyName);
  });

  test('DeletePolicy racing AttachPolicy: the policy row lock lets exactly one side win, never a server error', async () => {
    const certs = await Promise.all(Array.from({ length: 6 }, () => createCertificate(t.one)));
    for (let round = 0; round < 5; round++) {
      const policyName = await createPolicy(t.one, 'race');
      const attaches = certs.map((cert) => t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn })));
      const [deleted, ...attached] = await Promise.allSettled([t.one.send(new DeletePolicyCommand({ policyName })), ...attaches]);
      for (const r of [deleted, ...attached]) {
        if (r?.status === 'rejected') assert.match((r.reason as Error).name, /^(DeleteConflictException|ResourceNotFoundException)$/);
      }
      const attachedCount = attached.filter((r) => r.status === 'fulfilled').length;
      // Deleted means no attachment got in; refused means at least one did, and every one that did is stored.
      assert.equal(deleted?.status === 'fulfilled', attachedCount === 0);
      const stored = await t.svc.db
        .selectFrom('policy_attachments')
        .select('target')
        .where('account_id', '=', demoOperatorOne.accountId)
        .where('policy_name', '=', policyName)
        .execute();
      assert.equal(stored.length, attachedCount);
    }
  });
});
