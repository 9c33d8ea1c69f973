/** ListPolicies, ListAttachedPolicies and ListTargetsForPolicy via the AWS SDK: contents, order, pagination, access. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  type IoTClient,
  ListAttachedPoliciesCommand,
  ListPoliciesCommand,
  ListTargetsForPolicyCommand,
} from '@aws-sdk/client-iot';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { ALLOW_ALL_DOCUMENT, createCertificate, createPolicy } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

interface ListPage<T> {
  items: T[];
  nextMarker?: string | undefined;
}

/** Pages through a list with pageSize 3, returning every page so a test can check their sizes and markers. */
async function allPages<T>(fetch: (marker: string | undefined) => Promise<ListPage<T>>): Promise<Array<ListPage<T>>> {
  const pages: Array<ListPage<T>> = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    pages.push(page);
    marker = page.nextMarker;
  } while (marker !== undefined && pages.length < 20);
  return pages;
}

const namesOf = (pages: Array<ListPage<{ policyName?: string | undefined }>>) => pages.flatMap((p) => p.items.map((i) => i.policyName));

/** Creates `count` policies one after another, so their creation order is their index order. */
async function createPolicies(client: IoTClient, prefix: string, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const policyName = `${prefix}-${i}`;
    await client.send(new CreatePolicyCommand({ policyName, policyDocument: ALLOW_ALL_DOCUMENT }));
    names.push(policyName);
  }
  return names;
}

/** Markers certguard never issued: not base64 (refused by the contract), not a cursor, a cursor with a bad date. */
const INVALID_MARKERS = ['not a marker!', Buffer.from('not-a-cursor').toString('base64'), Buffer.from('["yesterday","p"]').toString('base64')];

describe('ListPolicies', () => {
  const t = useTestService();
  const listPolicies = (client: IoTClient, input: { ascendingOrder?: boolean; pageSize?: number } = {}) =>
    allPages(async (marker) => {
      const r = await client.send(new ListPoliciesCommand({ pageSize: 3, ...input, ...(marker ? { marker } : {}) }));
      return { items: r.policies ?? [], nextMarker: r.nextMarker };
    });

  test('pages through 7 policies 3 at a time in ascending creation order, with nextMarker only while more remain', async () => {
    // Account two holds only these seven policies in this service.
    const names = await createPolicies(t.two, 'seven', 7);
    const pages = await listPolicies(t.two, { ascendingOrder: true });
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [3, 3, 1],
    );
    assert.ok(pages[0]?.nextMarker && pages[1]?.nextMarker);
    assert.equal(pages[2]?.nextMarker, undefined);
    assert.deepEqual(namesOf(pages), names);
    assert.equal(pages[0]?.items[0]?.policyArn, `arn:aws:iot:us-east-1:${demoOperatorTwo.accountId}:policy/seven-0`);
  });

  test('isAscendingOrder=true lists oldest first; false or absent, newest first', async () => {
    const names = await createPolicies(t.one, 'order', 4);
    const mine = (pages: Array<ListPage<{ policyName?: string | undefined }>>) => namesOf(pages).filter((n) => n?.startsWith('order-'));
    assert.deepEqual(mine(await listPolicies(t.one, { ascendingOrder: true })), names);
    assert.deepEqual(mine(await listPolicies(t.one, { ascendingOrder: false })), [...names].reverse());
    const unpaged = await t.one.send(new ListPoliciesCommand({}));
    assert.deepEqual(
      unpaged.policies?.map((p) => p.policyName).filter((n) => n?.startsWith('order-')),
      [...names].reverse(),
    );
  });

  test("another account's policies are never listed", async () => {
    const theirs = await createPolicy(t.two, 'hidden');
    const mine = await createPolicy(t.one, 'visible');
    const listed = namesOf(await listPolicies(t.one));
    assert.ok(listed.includes(mine));
    assert.ok(!listed.includes(theirs));
    assert.ok(!namesOf(await listPolicies(t.two)).includes(mine));
  });

  test('an invalid marker or page size is InvalidRequestException (400)', async () => {
    for (const marker of INVALID_MARKERS) {
      await rejectsWithAws(t.one.send(new ListPoliciesCommand({ marker })), 'InvalidRequestException', 400);
    }
    await rejectsWithAws(t.one.send(new ListPoliciesCommand({ pageSize: 0 })), 'InvalidRequestException', 400);
    await rejectsWithAws(t.one.send(new ListPoliciesCommand({ pageSize: 251 })), 'InvalidRequestException', 400);
  });
});

describe('ListAttachedPolicies', () => {
  const t = useTestService();
  const listAttached = (client: IoTClient, target: string, recursive?: boolean) =>
    allPages(async (marker) => {
      const r = await client.send(
        new ListAttachedPoliciesCommand({ target, pageSize: 3, ...(recursive !== undefined ? { recursive } : {}), ...(marker ? { marker } : {}) }),
      );
      return { items: r.policies ?? [], nextMarker: r.nextMarker };
    });

  test('pages through the 7 policies attached to a certificate, in creation order, recursive or not', async () => {
    const cert = await createCertificate(t.one);
    const names = await createPolicies(t.one, 'attached', 7);
    for (const policyName of [...names].reverse()) await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
    await createPolicy(t.one, 'not-attached');
    const pages = await listAttached(t.one, cert.certificateArn);
    assert.deepEqual(
      pages.map((p) => [p.items.length, p.nextMarker !== undefined]),
      [
        [3, true],
        [3, true],
        [1, false],
      ],
    );
    assert.deepEqual(namesOf(pages), names);
    assert.equal(pages[0]?.items[0]?.policyArn, `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:policy/attached-0`);
    // recursive concerns thing groups: accepted, and changes nothing for a certificate.
    assert.deepEqual(namesOf(await listAttached(t.one, cert.certificateArn, true)), names);
    // An upper-case certificate id names the same certificate.
    assert.deepEqual(namesOf(await listAttached(t.one, cert.certificateArn.replace(cert.certificateId, cert.certificateId.toUpperCase()))), names);
  });

  test('a certificate without policies lists none', async () => {
    const cert = await createCertificate(t.one);
    const pages = await listAttached(t.one, cert.certificateArn);
    assert.deepEqual(pages, [{ items: [], nextMarker: undefined }]);
  });

  test("an unknown certificate or another account's certificate is ResourceNotFoundException (404); an auditor may list any", async () => {
    const theirs = await createCertificate(t.two);
    const policyName = await createPolicy(t.two);
    await t.two.send(new AttachPolicyCommand({ policyName, target: theirs.certificateArn }));
    await rejectsWithAws(t.one.send(new ListAttachedPoliciesCommand({ target: theirs.certificateArn })), 'ResourceNotFoundException', 404);
    // The ARN of their certificate under the caller's own account is not the caller's certificate either.
    const disguised = theirs.certificateArn.replace(demoOperatorTwo.accountId, demoOperatorOne.accountId);
    await rejectsWithAws(t.one.send(new ListAttachedPoliciesCommand({ target: disguised })), 'ResourceNotFoundException', 404);
    const unknown = `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:cert/${'ab'.repeat(32)}`;
    await rejectsWithAws(t.one.send(new ListAttachedPoliciesCommand({ target: unknown })), 'ResourceNotFoundException', 404);
    assert.deepEqual(namesOf(await listAttached(t.auditor, theirs.certificateArn)), [policyName]);
  });

  test('a target that is not a certificate ARN, or an invalid marker, is InvalidRequestException (400)', async () => {
    const target = `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:thinggroup/plants`;
    await rejectsWithAws(t.one.send(new ListAttachedPoliciesCommand({ target })), 'InvalidRequestException', 400, /certificate targets only/);
    const cert = await createCertificate(t.one);
    for (const marker of INVALID_MARKERS) {
      await rejectsWithAws(t.one.send(new ListAttachedPoliciesCommand({ target: cert.certificateArn, marker })), 'InvalidRequestException', 400);
    }
  });
});

describe('ListTargetsForPolicy', () => {
  const t = useTestService();
  const listTargets = (client: IoTClient, policyName: string) =>
    allPages(async (marker) => {
      const r = await client.send(new ListTargetsForPolicyCommand({ policyName, pageSize: 3, ...(marker ? { marker } : {}) }));
      return { items: r.targets ?? [], nextMarker: r.nextMarker };
    });

  test('pages through the 7 certificates a policy is attached to, in ARN order', async () => {
    const policyName = await createPolicy(t.one);
    const certs = await Promise.all(Array.from({ length: 7 }, () => createCertificate(t.one)));
    for (const cert of certs) await t.one.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
    const pages = await listTargets(t.one, policyName);
    assert.deepEqual(
      pages.map((p) => [p.items.length, p.nextMarker !== undefined]),
      [
        [3, true],
        [3, true],
        [1, false],
      ],
    );
    assert.deepEqual(
      pages.flatMap((p) => p.items),
      certs.map((c) => c.certificateArn).sort(),
    );
  });

  test('a policy attached to nothing has no targets', async () => {
    const policyName = await createPolicy(t.one);
    assert.deepEqual(await listTargets(t.one, policyName), [{ items: [], nextMarker: undefined }]);
  });

  test("an unknown policy or another account's policy is ResourceNotFoundException (404)", async () => {
    await rejectsWithAws(t.one.send(new ListTargetsForPolicyCommand({ policyName: 'no-such-policy' })), 'ResourceNotFoundException', 404);
    const theirs = await createPolicy(t.two);
    const cert = await createCertificate(t.two);
    await t.two.send(new AttachPolicyCommand({ policyName: theirs, target: cert.certificateArn }));
    await rejectsWithAws(t.one.send(new ListTargetsForPolicyCommand({ policyName: theirs })), 'ResourceNotFoundException', 404);
  });

  test('an invalid marker is InvalidRequestException (400)', async () => {
    const policyName = await createPolicy(t.one);
    for (const marker of [...INVALID_MARKERS, Buffer.from('["a","b"]').toString('base64')]) {
      await rejectsWithAws(t.one.send(new ListTargetsForPolicyCommand({ policyName, marker })), 'InvalidRequestException', 400);
    }
  });
});
