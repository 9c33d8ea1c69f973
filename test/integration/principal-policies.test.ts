/**
 * The deprecated principal-policy operations via the AWS SDK: the principal (header x-amzn-iot-principal) is a
 * certificate ARN; attach and detach behave like AttachPolicy/DetachPolicy and are audited under their own names.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  AttachPrincipalPolicyCommand,
  DetachPrincipalPolicyCommand,
  type IoTClient,
  ListAttachedPoliciesCommand,
  ListPrincipalPoliciesCommand,
  TransferCertificateCommand,
} from '@aws-sdk/client-iot';
import { attachedPolicyNames } from '../../src/certificates/certificate.repository.ts';
import { MAX_POLICIES_PER_CERTIFICATE } from '../../src/iot-policies/iot-policy-attachment.service.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate, createPolicy } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

/** A Cognito identity id, a principal AWS accepts and certguard does not manage. */
const COGNITO_PRINCIPAL = 'us-east-1:7d3a4c2e-1111-2222-3333-444455556666';

describe('AttachPrincipalPolicy and DetachPrincipalPolicy', () => {
  const t = useTestService();

  const auditRows = (operation: string, certificateId: string) =>
    t.svc.db
      .selectFrom('audit_events')
      .selectAll()
      .where('operation', '=', operation)
      .where('certificate_id', '=', certificateId)
      .orderBy('sequence')
      .execute();

  test('attach then detach a certificate principal, each audited under its own operation name', async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await t.one.send(new AttachPrincipalPolicyCommand({ policyName, principal: cert.certificateArn }));
    assert.deepEqual(await attachedPolicyNames(t.svc.db, cert.certificateId), [policyName]);
    // The same attachment AttachPolicy would have made.
    const attached = await t.one.send(new ListAttachedPoliciesCommand({ target: cert.certificateArn }));
    assert.deepEqual(
      attached.policies?.map((p) => p.policyName),
      [policyName],
    );

    await t.one.send(new DetachPrincipalPolicyCommand({ policyName, principal: cert.certificateArn }));
    assert.deepEqual(await attachedPolicyNames(t.svc.db, cert.certificateId), []);

    for (const operation of ['AttachPrincipalPolicy', 'DetachPrincipalPolicy']) {
      const [row, ...rest] = await auditRows(operation, cert.certificateId);
      assert.equal(rest.length, 0, operation);
      assert.equal(row?.decision, 'ALLOW');
      assert.equal(row?.certificate_arn, cert.certificateArn);
      assert.equal(row?.caller_account_id, demoOperatorOne.accountId);
      assert.deepEqual(row?.request_parameters, { policyName, principal: cert.certificateArn });
    }
    assert.deepEqual(await auditRows('AttachPolicy', cert.certificateId), []);
  });

  test('a principal that is not a certificate ARN is InvalidRequestException (400), audited as DENY', async () => {
    const policyName = await createPolicy(t.one);
    for (const send of [
      () => t.one.send(new AttachPrincipalPolicyCommand({ policyName, principal: COGNITO_PRINCIPAL })),
      () => t.one.send(new DetachPrincipalPolicyCommand({ policyName, principal: COGNITO_PRINCIPAL })),
    ]) {
      await rejectsWithAws(send(), 'InvalidRequestException', 400, /certguard supports certificate principals only/);
    }
    const rows = await t.svc.db
      .selectFrom('audit_events')
      .select(['operation', 'decision', 'error_type', 'request_parameters'])
      .where('operation', 'in', ['AttachPrincipalPolicy', 'DetachPrincipalPolicy'])
      .orderBy('sequence')
      .execute();
    const denied = rows.filter((r) => (r.request_parameters as { principal?: string }).principal === COGNITO_PRINCIPAL);
    assert.deepEqual(
      denied.map((r) => [r.operation, r.decision, r.error_type]),
      [
        ['AttachPrincipalPolicy', 'DENY', 'InvalidRequestException'],
        ['DetachPrincipalPolicy', 'DENY', 'InvalidRequestException'],
      ],
    );
  });

  test("an unknown policy, an unknown certificate or another account's certificate is ResourceNotFoundException (404)", async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await rejectsWithAws(
      t.one.send(new AttachPrincipalPolicyCommand({ policyName: 'no-such-policy', principal: cert.certificateArn })),
      'ResourceNotFoundException',
      404,
    );
    const unknown = cert.certificateArn.replace(cert.certificateId, 'cd'.repeat(32));
    await rejectsWithAws(t.one.send(new AttachPrincipalPolicyCommand({ policyName, principal: unknown })), 'ResourceNotFoundException', 404);
    const theirs = await createCertificate(t.two);
    await rejectsWithAws(t.one.send(new AttachPrincipalPolicyCommand({ policyName, principal: theirs.certificateArn })), 'ResourceNotFoundException', 404);
    await rejectsWithAws(t.one.send(new DetachPrincipalPolicyCommand({ policyName, principal: theirs.certificateArn })), 'ResourceNotFoundException', 404);
    assert.deepEqual(await attachedPolicyNames(t.svc.db, theirs.certificateId), []);
  });

  test('the rules of AttachPolicy hold: no attach during a pending transfer (400), at most 10 policies (410)', async () => {
    const pending = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await t.one.send(new TransferCertificateCommand({ certificateId: pending.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
    await rejectsWithAws(
      t.one.send(new AttachPrincipalPolicyCommand({ policyName, principal: pending.certificateArn })),
      'InvalidRequestException',
      400,
      /pending transfer/,
    );

    const full = await createCertificate(t.one);
    for (let i = 0; i < MAX_POLICIES_PER_CERTIFICATE; i++) {
      await t.one.send(new AttachPolicyCommand({ policyName: await createPolicy(t.one, 'limit'), target: full.certificateArn }));
    }
    await rejectsWithAws(t.one.send(new AttachPrincipalPolicyCommand({ policyName, principal: full.certificateArn })), 'LimitExceededException', 410);
  });

  test('an auditor cannot attach or detach (UnauthorizedException, 401)', async () => {
    const cert = await createCertificate(t.one);
    const policyName = await createPolicy(t.one);
    await rejectsWithAws(t.auditor.send(new AttachPrincipalPolicyCommand({ policyName, principal: cert.certificateArn })), 'UnauthorizedException', 401);
    await rejectsWithAws(t.auditor.send(new DetachPrincipalPolicyCommand({ policyName, principal: cert.certificateArn })), 'UnauthorizedException', 401);
  });
});

describe('ListPrincipalPolicies', () => {
  const t = useTestService();

  async function listAll(client: IoTClient, principal: string, ascendingOrder?: boolean) {
    const pages: Array<{ names: Array<string | undefined>; nextMarker: string | undefined }> = [];
    let marker: string | undefined;
    do {
      const r = await client.send(
        new ListPrincipalPoliciesCommand({
          principal,
          pageSize: 3,
          ...(ascendingOrder !== undefined ? { ascendingOrder } : {}),
          ...(marker ? { marker } : {}),
        }),
      );
      pages.push({ names: (r.policies ?? []).map((p) => p.policyName), nextMarker: r.nextMarker });
      marker = r.nextMarker;
    } while (marker !== undefined && pages.length < 20);
    return pages;
  }

  async function certificateWithSevenPolicies() {
    const cert = await createCertificate(t.one);
    const names: string[] = [];
    for (let i = 0; i < 7; i++) {
      names.push(await createPolicy(t.one, `principal-${i}`));
      await t.one.send(new AttachPrincipalPolicyCommand({ policyName: names[i]!, principal: cert.certificateArn }));
    }
    return { cert, names };
  }

  test('pages through the 7 policies of a certificate principal 3 at a time, ascending or descending', async () => {
    const { cert, names } = await certificateWithSevenPolicies();
    const ascending = await listAll(t.one, cert.certificateArn, true);
    assert.deepEqual(
      ascending.map((p) => [p.names.length, p.nextMarker !== undefined]),
      [
        [3, true],
        [3, true],
        [1, false],
      ],
    );
    assert.deepEqual(
      ascending.flatMap((p) => p.names),
      names,
    );
    const descending = await listAll(t.one, cert.certificateArn, false);
    assert.deepEqual(
      descending.map((p) => [p.names.length, p.nextMarker !== undefined]),
      [
        [3, true],
        [3, true],
        [1, false],
      ],
    );
    assert.deepEqual(
      descending.flatMap((p) => p.names),
      [...names].reverse(),
    );
    // Without isAscendingOrder: newest first.
    const first = await t.one.send(new ListPrincipalPoliciesCommand({ principal: cert.certificateArn, pageSize: 1 }));
    assert.equal(first.policies?.[0]?.policyArn, `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:policy/${names[6]}`);
  });

  test("another account's certificate is ResourceNotFoundException (404); an auditor may list it", async () => {
    const { cert, names } = await certificateWithSevenPolicies();
    await rejectsWithAws(t.two.send(new ListPrincipalPoliciesCommand({ principal: cert.certificateArn })), 'ResourceNotFoundException', 404);
    const audited = await listAll(t.auditor, cert.certificateArn, true);
    assert.deepEqual(
      audited.flatMap((p) => p.names),
      names,
    );
  });

  test('a Cognito principal or an invalid marker is InvalidRequestException (400)', async () => {
    await rejectsWithAws(
      t.one.send(new ListPrincipalPoliciesCommand({ principal: COGNITO_PRINCIPAL })),
      'InvalidRequestException',
      400,
      /certificate principals only/,
    );
    const cert = await createCertificate(t.one);
    await t.one.send(new AttachPrincipalPolicyCommand({ policyName: await createPolicy(t.one), principal: cert.certificateArn }));
    for (const marker of ['bad marker', Buffer.from('{}').toString('base64')]) {
      await rejectsWithAws(t.one.send(new ListPrincipalPoliciesCommand({ principal: cert.certificateArn, marker })), 'InvalidRequestException', 400);
    }
  });

  test('a certificate without policies lists none and no marker', async () => {
    const cert = await createCertificate(t.one);
    const r = await t.one.send(new ListPrincipalPoliciesCommand({ principal: cert.certificateArn }));
    assert.deepEqual(r.policies, []);
    assert.equal(r.nextMarker, undefined);
  });
});
