/**
 * GET /v1/audit/events and GET /v1/audit/events/{eventId}: every filter returns exactly the rows whose column
 * matches (checked against the table itself), cursors walk every row once even while rows are appended, and
 * only auditors may read.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { AttachPolicyCommand, TransferCertificateCommand } from '@aws-sdk/client-iot';
import type { AuditEventView } from '../../src/audit/query/audit-event-view.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate, createPolicy, type CreatedCertificate } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorOne, demoOperatorTwo, type TestCredential } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

type Page = { events: AuditEventView[]; nextCursor?: string };

describe('audit query API', () => {
  const t = useTestService();
  const history = {} as {
    allowed: CreatedCertificate;
    inactive: CreatedCertificate;
    active: CreatedCertificate;
    attached: CreatedCertificate;
    fromTwo: CreatedCertificate;
  };

  const list = (query: Record<string, string>, credential: TestCredential = demoAuditor) =>
    t.svc.send({ method: 'GET', path: '/v1/audit/events', query, credential });

  async function page(query: Record<string, string>): Promise<Page> {
    const response = await list(query);
    assert.equal(response.status, 200, response.text);
    return response.json as unknown as Page;
  }

  async function walk(query: Record<string, string>, between?: () => Promise<void>): Promise<AuditEventView[]> {
    const events: AuditEventView[] = [];
    let cursor: string | undefined;
    do {
      const result = await page({ ...query, ...(cursor ? { cursor } : {}) });
      events.push(...result.events);
      cursor = result.nextCursor;
      if (cursor && between) await between();
    } while (cursor);
    return events;
  }

  /** The event ids the table itself holds for `column = value`, newest first. */
  async function idsWhere(
    column:
      | 'operation'
      | 'decision'
      | 'caller_account_id'
      | 'certificate_id'
      | 'target_account_id'
      | 'failing_rule_id'
      | 'policy_hash'
      | 'trace_id'
      | 'event_type',
    value: string,
  ): Promise<string[]> {
    const rows = await t.svc.db.selectFrom('audit_events').select('event_id').where(column, '=', value).orderBy('sequence', 'desc').execute();
    return rows.map((row) => row.event_id);
  }

  before(async () => {
    // Two accounts, transfers allowed and denied by different rules.
    history.allowed = await createCertificate(t.one);
    await t.one.send(
      new TransferCertificateCommand({ certificateId: history.allowed.certificateId, targetAwsAccount: demoOperatorTwo.accountId, transferMessage: 'to two' }),
    );
    history.active = await createCertificate(t.one, true);
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: history.active.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
      'CertificateStateException',
      406,
    );
    history.attached = await createCertificate(t.one);
    await t.one.send(new AttachPolicyCommand({ policyName: await createPolicy(t.one), target: history.attached.certificateArn }));
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: history.attached.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
      'TransferConflictException',
      409,
    );
    history.fromTwo = await createCertificate(t.two);
    await t.two.send(new TransferCertificateCommand({ certificateId: history.fromTwo.certificateId, targetAwsAccount: demoOperatorOne.accountId }));
    history.inactive = await createCertificate(t.one);
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: history.inactive.certificateId, targetAwsAccount: demoOperatorOne.accountId })),
      'InvalidRequestException',
      400,
    );
  });

  test('each equality filter returns exactly the events whose column matches, newest first', async () => {
    const denied = (await walk({ decision: 'DENY' }))[0]!;
    const cases: Array<[Record<string, string>, Parameters<typeof idsWhere>[0], string]> = [
      [{ operation: 'TransferCertificate' }, 'operation', 'TransferCertificate'],
      [{ decision: 'DENY' }, 'decision', 'DENY'],
      [{ callerAccountId: demoOperatorTwo.accountId }, 'caller_account_id', demoOperatorTwo.accountId],
      // Upper-case ids are accepted and matched against the lower-case stored form.
      [{ certificateId: history.active.certificateId.toUpperCase() }, 'certificate_id', history.active.certificateId],
      [{ targetAccountId: demoOperatorOne.accountId }, 'target_account_id', demoOperatorOne.accountId],
      [{ failingRuleId: 'certificate-not-active' }, 'failing_rule_id', 'certificate-not-active'],
      [{ failingRuleId: 'no-attached-policies' }, 'failing_rule_id', 'no-attached-policies'],
      [{ policyHash: denied.policy.hash! }, 'policy_hash', denied.policy.hash!],
      [{ traceId: denied.trace.traceId! }, 'trace_id', denied.trace.traceId!],
      [{ eventType: 'PolicyActivated' }, 'event_type', 'PolicyActivated'],
    ];
    const total = Number(
      (
        await t.svc.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    for (const [query, column, value] of cases) {
      const expected = await idsWhere(column, value);
      assert.ok(expected.length > 0, `the history has events for ${JSON.stringify(query)}`);
      const actual = (await walk({ ...query, limit: '2' })).map((event) => event.eventId);
      assert.deepEqual(actual, expected, `filter ${JSON.stringify(query)}`);
    }
    assert.ok((await idsWhere('decision', 'DENY')).length < total, 'a filter leaves rows out');
  });

  test('filters combine: denied transfers of account 111111111111 by rule are exactly the two expected events', async () => {
    const events = await walk({
      operation: 'TransferCertificate',
      decision: 'DENY',
      callerAccountId: demoOperatorOne.accountId,
      targetAccountId: demoOperatorTwo.accountId,
    });
    assert.deepEqual(
      events.map((e) => [e.resource.certificateId, e.failingRuleId]),
      [
        [history.attached.certificateId, 'no-attached-policies'],
        [history.active.certificateId, 'certificate-not-active'],
      ],
    );
  });

  test('from (inclusive) and to (exclusive) select the events of a time window, paged by event time in both orders', async () => {
    const all = await walk({ order: 'asc' });
    const first = all[2]!;
    const last = all[all.length - 2]!;
    const byTime = (a: AuditEventView, b: AuditEventView) => a.eventTime.localeCompare(b.eventTime) || Number(BigInt(a.sequence) - BigInt(b.sequence));
    const expected = all
      .filter((e) => e.eventTime >= first.eventTime && e.eventTime < last.eventTime)
      .sort(byTime)
      .map((e) => e.eventId);
    assert.ok(expected.length > 4);
    const ascending = await walk({ from: first.eventTime, to: last.eventTime, order: 'asc', limit: '2' });
    assert.deepEqual(
      ascending.map((e) => e.eventId),
      expected,
    );
    const descending = await walk({ from: first.eventTime, to: last.eventTime, limit: '2' });
    assert.deepEqual(
      descending.map((e) => e.eventId),
      [...expected].reverse(),
    );
    const onlyTo = await walk({ to: last.eventTime, limit: '3' });
    assert.deepEqual(
      onlyTo.map((e) => e.eventId),
      all
        .filter((e) => e.eventTime < last.eventTime)
        .sort(byTime)
        .reverse()
        .map((e) => e.eventId),
    );
    assert.equal((await list({ from: last.eventTime, to: first.eventTime })).status, 400);
  });

  test('a denied transfer is seen with caller, resource, rule outcomes, policy, masked parameters and its chain link once sealed', async () => {
    const [event] = (await page({ certificateId: history.active.certificateId, operation: 'TransferCertificate' })).events;
    assert.ok(event);
    assert.match(event.eventId, /^[0-9a-f-]{36}$/);
    assert.match(event.sequence, /^\d+$/);
    assert.match(event.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(event.eventType, 'Decision');
    assert.deepEqual(event.caller, { accountId: demoOperatorOne.accountId, accessKeyId: demoOperatorOne.accessKeyId, roles: ['operator'] });
    assert.deepEqual(event.resource, { certificateId: history.active.certificateId, certificateArn: history.active.certificateArn });
    assert.equal(event.targetAccountId, demoOperatorTwo.accountId);
    assert.equal(event.decision, 'DENY');
    assert.equal(event.errorType, 'CertificateStateException');
    assert.equal(event.failingRuleId, 'certificate-not-active');
    assert.equal(event.rules.find((r) => r.id === 'certificate-not-active')?.outcome, 'fail');
    assert.deepEqual(event.policy.name, 'certguard-default');
    assert.match(event.policy.hash ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(event.requestParameters, { certificateId: history.active.certificateId, targetAwsAccount: demoOperatorTwo.accountId });
    assert.match(event.trace.traceId ?? '', /^[0-9a-f]{32}$/);

    await t.svc.service.auditSealer.sealPending();
    const sealed = (await page({ certificateId: history.active.certificateId, operation: 'TransferCertificate' })).events[0]!;
    assert.ok(sealed.chain, 'sealed events carry their chain link');
    const link = await t.svc.db
      .withTables<{ audit_chain: { chain_seq: string; event_sequence: string; prev_hash: string; hash: string } }>()
      .selectFrom('audit_chain')
      .selectAll()
      .where('event_sequence', '=', sealed.sequence)
      .executeTakeFirstOrThrow();
    assert.deepEqual(sealed.chain, { chainSeq: String(link.chain_seq), prevHash: link.prev_hash, hash: link.hash });
  });

  test('a cursor walk visits every event exactly once while events are appended between pages, in both orders', async () => {
    // Decisions only: every page read is itself audited (AuditTrailRead), so the unfiltered trail grows as it is walked.
    for (const order of ['desc', 'asc'] as const) {
      const before = (await walk({ order, eventType: 'Decision' })).map((e) => e.sequence);
      const appended: string[] = [];
      const events = await walk({ order, eventType: 'Decision', limit: '3' }, async () => {
        const cert = await createCertificate(t.two);
        appended.push(cert.certificateId);
      });
      const sequences = events.map((e) => e.sequence);
      assert.equal(new Set(sequences).size, sequences.length, `${order}: no event twice`);
      const numbers = sequences.map(BigInt);
      assert.ok(
        numbers.every((n, i) => i === 0 || (order === 'asc' ? n > numbers[i - 1]! : n < numbers[i - 1]!)),
        `${order}: strictly ordered`,
      );
      assert.ok(appended.length >= 3, 'events were appended during the walk');
      // Newest first: rows appended after the walk began sort before its first page, so it sees exactly the rows
      // of its start. Oldest first: the walk runs into the appended rows and returns them at its end.
      if (order === 'desc') assert.deepEqual(sequences, before);
      else assert.deepEqual(sequences.slice(0, before.length), before);
    }
  });

  test('a cursor reused with other filters, another order or altered is InvalidRequestException (400)', async () => {
    const first = await page({ operation: 'CreateKeysAndCertificate', limit: '1' });
    assert.ok(first.nextCursor);
    const reused: Array<Record<string, string>> = [
      { operation: 'TransferCertificate', limit: '1', cursor: first.nextCursor },
      { limit: '1', cursor: first.nextCursor },
      { operation: 'CreateKeysAndCertificate', order: 'asc', limit: '1', cursor: first.nextCursor },
      { operation: 'CreateKeysAndCertificate', limit: '1', cursor: `${first.nextCursor}x` },
      { operation: 'CreateKeysAndCertificate', limit: '1', cursor: 'bm90LWEtY3Vyc29y' },
    ];
    for (const query of reused) {
      const response = await list(query);
      assert.equal(response.status, 400, JSON.stringify(query));
      assert.equal(response.headers.get('x-amzn-errortype'), 'InvalidRequestException');
    }
    // The same filters with another page size are fine.
    assert.equal((await list({ operation: 'CreateKeysAndCertificate', limit: '5', cursor: first.nextCursor })).status, 200);
  });

  test('limit defaults to 100, accepts 1 to 1000 and refuses anything else', async () => {
    assert.equal((await list({ limit: '0' })).status, 400);
    assert.equal((await list({ limit: '1001' })).status, 400);
    assert.equal((await list({ decision: 'MAYBE' })).status, 400);
    assert.equal((await list({ from: 'yesterday' })).status, 400);
    const one = await page({ limit: '1' });
    assert.equal(one.events.length, 1);
    assert.ok(one.nextCursor);
    const all = await page({ eventType: 'Decision' }); // not the AuditTrailRead rows of this file's many reads
    assert.ok(all.events.length > 1 && all.events.length <= 100);
    assert.equal(all.nextCursor, undefined, 'no nextCursor when nothing remains');
  });

  test('GET /v1/audit/events/{eventId} answers the event as listed; an unknown id is ResourceNotFoundException (404)', async () => {
    const [listed] = (await page({ decision: 'DENY', limit: '1' })).events;
    assert.ok(listed);
    const one = await t.svc.send({ method: 'GET', path: `/v1/audit/events/${listed.eventId}`, credential: demoAuditor });
    assert.equal(one.status, 200);
    assert.deepEqual(one.json, listed);
    const unknown = await t.svc.send({ method: 'GET', path: '/v1/audit/events/00000000-0000-4000-8000-000000000000', credential: demoAuditor });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assert.equal((await t.svc.send({ method: 'GET', path: '/v1/audit/events/not-a-uuid', credential: demoAuditor })).status, 400);
  });

  test('operators and unsigned callers are refused with UnauthorizedException (401)', async () => {
    const [listed] = (await page({ limit: '1' })).events;
    for (const path of ['/v1/audit/events', `/v1/audit/events/${listed!.eventId}`, '/v1/audit/export']) {
      for (const credential of [demoOperatorOne, demoOperatorTwo, null]) {
        const response = await t.svc.send({ method: 'GET', path, credential });
        assert.equal(response.status, 401, `${path} as ${credential?.accessKeyId ?? 'anonymous'}`);
        assert.equal(response.headers.get('x-amzn-errortype'), 'UnauthorizedException');
      }
    }
  });
});
