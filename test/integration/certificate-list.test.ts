/** ListCertificates via the AWS SDK: ownership, order, keyset pagination, and markers that stay exact. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { type Certificate, type IoTClient, ListCertificatesCommand } from '@aws-sdk/client-iot';
import { encodeMarker } from '../../src/request/pagination.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

interface Paged {
  pages: Certificate[][];
  lastMarker: string | undefined;
}

/** Follows nextMarker to the end, as the AWS CLI does. */
async function allPages(client: IoTClient, pageSize: number, ascendingOrder?: boolean): Promise<Paged> {
  const pages: Certificate[][] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListCertificatesCommand({ pageSize, marker, ascendingOrder }));
    pages.push(page.certificates ?? []);
    marker = page.nextMarker;
    assert.ok(pages.length <= 20, 'pagination must end');
  } while (marker !== undefined);
  return { pages, lastMarker: marker };
}

const idsOf = (pages: Certificate[][]) => pages.map((page) => page.map((c) => c.certificateId));

describe('ListCertificates', () => {
  const t = useTestService();
  const created: string[] = [];
  const createdByTwo: string[] = [];

  before(async () => {
    // One at a time, so creation order is creation-date order.
    for (let i = 0; i < 7; i++) created.push((await createCertificate(t.one, i % 2 === 0)).certificateId);
    for (let i = 0; i < 2; i++) createdByTwo.push((await createCertificate(t.two)).certificateId);
  });

  test('pages through 7 certificates 3 at a time, newest first by default; the last page has no nextMarker', async () => {
    const { pages } = await allPages(t.one, 3);
    const newestFirst = [...created].reverse();
    assert.deepEqual(idsOf(pages), [newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
  });

  test('isAscendingOrder=true pages through the same certificates oldest first', async () => {
    const { pages } = await allPages(t.one, 3, true);
    assert.deepEqual(idsOf(pages), [created.slice(0, 3), created.slice(3, 6), created.slice(6)]);
  });

  test('without pageSize one page holds up to 25 certificates and has no nextMarker', async () => {
    const page = await t.one.send(new ListCertificatesCommand({}));
    assert.equal(page.certificates?.length, 7);
    assert.equal(page.nextMarker, undefined);
  });

  test('each item has the ARN, id, status, mode and creation date (epoch seconds on the wire)', async () => {
    const page = await t.one.send(new ListCertificatesCommand({ pageSize: 1, ascendingOrder: true }));
    const [first] = page.certificates ?? [];
    assert.equal(first?.certificateId, created[0]);
    assert.equal(first?.certificateArn, `arn:aws:iot:us-east-1:${demoOperatorOne.accountId}:cert/${created[0]}`);
    assert.equal(first?.status, 'ACTIVE');
    assert.equal(first?.certificateMode, 'DEFAULT');
    assert.ok(first?.creationDate instanceof Date && Math.abs(first.creationDate.getTime() - Date.now()) < 600_000);
    const raw = await t.svc.send({ method: 'GET', path: '/certificates', query: { pageSize: '1' }, credential: demoOperatorOne });
    const item = (raw.json?.certificates as Array<Record<string, unknown>> | undefined)?.[0];
    assert.equal(typeof item?.creationDate, 'number');
    assert.equal(typeof raw.json?.nextMarker, 'string');
  });

  test("another account's certificates are never listed", async () => {
    const { pages } = await allPages(t.two, 1);
    assert.deepEqual(
      pages
        .flat()
        .map((c) => c.certificateId)
        .sort(),
      [...createdByTwo].sort(),
    );
    for (const c of pages.flat()) assert.match(c.certificateArn ?? '', new RegExp(`:${demoOperatorTwo.accountId}:cert/`));
  });

  test("an auditor lists every account's certificates", async () => {
    const { pages } = await allPages(t.auditor, 4);
    assert.deepEqual(
      pages
        .flat()
        .map((c) => c.certificateId)
        .sort(),
      [...created, ...createdByTwo].sort(),
    );
    assert.deepEqual(
      pages.map((p) => p.length),
      [4, 4, 1],
    );
  });

  test('a marker that certguard did not produce is InvalidRequestException (400)', async () => {
    const markers = [
      'abc',
      Buffer.from('not json').toString('base64'),
      encodeMarker(['only-one']),
      encodeMarker(['2026-02-30T00:00:00.000000Z', 'ab'.repeat(32)]),
      encodeMarker(['2026-01-01T00:00:00.000000Z', 'not-an-id']),
      '!!!not-base64!!!',
    ];
    for (const marker of markers) {
      await rejectsWithAws(t.one.send(new ListCertificatesCommand({ marker })), 'InvalidRequestException', 400);
    }
  });

  test('pageSize outside 1-250 is InvalidRequestException (400)', async () => {
    for (const pageSize of [0, 251, -1]) {
      await rejectsWithAws(t.one.send(new ListCertificatesCommand({ pageSize })), 'InvalidRequestException', 400);
    }
    const page = await t.one.send(new ListCertificatesCommand({ pageSize: 250 }));
    assert.equal(page.certificates?.length, 7);
  });
});

describe('ListCertificates markers', () => {
  const t = useTestService();

  test('a marker stays exact while certificates are created between pages', async () => {
    const originals: string[] = [];
    for (let i = 0; i < 4; i++) originals.push((await createCertificate(t.one)).certificateId);

    const first = await t.one.send(new ListCertificatesCommand({ pageSize: 2 }));
    const ascFirst = await t.one.send(new ListCertificatesCommand({ pageSize: 2, ascendingOrder: true }));
    const added = [(await createCertificate(t.one)).certificateId, (await createCertificate(t.one)).certificateId];

    const second = await t.one.send(new ListCertificatesCommand({ pageSize: 2, marker: first.nextMarker }));
    assert.deepEqual(idsOf([first.certificates!, second.certificates!]), [
      [originals[3], originals[2]],
      [originals[1], originals[0]],
    ]);
    assert.equal(second.nextMarker, undefined, 'the newer certificates sort before the marker, not after it');

    const ascRest = await t.one.send(new ListCertificatesCommand({ pageSize: 10, ascendingOrder: true, marker: ascFirst.nextMarker }));
    assert.deepEqual(idsOf([ascFirst.certificates!, ascRest.certificates!]), [originals.slice(0, 2), [...originals.slice(2), ...added]]);
  });

  test('certificates created in the same millisecond are each listed exactly once, in microsecond order', async () => {
    // Ids in the opposite order of their times: only the microseconds can order them correctly.
    const rows = [
      { id: 'f'.repeat(64), createdAt: '2030-01-01T00:00:00.000100Z' },
      { id: 'e'.repeat(64), createdAt: '2030-01-01T00:00:00.000200Z' },
      { id: 'd'.repeat(64), createdAt: '2030-01-01T00:00:00.000300Z' },
    ];
    for (const row of rows) {
      await t.svc.db
        .insertInto('certificates')
        .values({
          certificate_id: row.id,
          owner_account_id: demoOperatorTwo.accountId,
          previous_owner_account_id: null,
          status: 'INACTIVE',
          certificate_pem: 'test row',
          ca_certificate_id: null,
          generation_id: randomUUID(),
          not_before: '2029-01-01T00:00:00Z',
          not_after: '2031-01-01T00:00:00Z',
          created_at: row.createdAt,
          last_modified_at: row.createdAt,
          transfer_target_account_id: null,
          transfer_message: null,
          reject_reason: null,
          transfer_date: null,
          accept_date: null,
          reject_date: null,
        })
        .execute();
    }
    const ascending = await allPages(t.two, 1, true);
    assert.deepEqual(
      idsOf(ascending.pages),
      rows.map((r) => [r.id]),
    );
    const descending = await allPages(t.two, 1, false);
    assert.deepEqual(idsOf(descending.pages), rows.map((r) => [r.id]).reverse());
  });
});
