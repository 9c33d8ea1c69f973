/**
 * GET /v1/audit/export?format=cloudtrail: every line is a CloudTrail record — checked against the field list and
 * types of the CloudTrail record reference — filled from its audit row, certguard's own fields under
 * additionalEventData. Both ways lines are produced: the unfiltered export (COPY on a Postgres server) and a
 * filtered one (ordinary queries).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { TransferCertificateCommand } from '@aws-sdk/client-iot';
import type { AuditEventView } from '../../src/audit/query/audit-event-view.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorTwo } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

// biome-ignore lint/suspicious/noExplicitAny: a record read field by field by the assertions; a missing field fails them
type CloudTrailRecord = Record<string, any>;

type FieldType = 'string' | 'boolean' | 'object' | 'object|null' | 'array';

/**
 * The record fields of the CloudTrail record reference and their JSON types
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * `always`: CloudTrail's "Optional: False", and the fields certguard always writes; the others only when they apply
 * (errorCode/errorMessage on a denial, requestID when the call had one).
 */
const CLOUDTRAIL_FIELDS: Record<string, { type: FieldType; always: boolean }> = {
  eventVersion: { type: 'string', always: true },
  userIdentity: { type: 'object', always: true },
  eventTime: { type: 'string', always: true },
  eventSource: { type: 'string', always: true },
  eventName: { type: 'string', always: true },
  awsRegion: { type: 'string', always: true },
  sourceIPAddress: { type: 'string', always: true },
  userAgent: { type: 'string', always: true },
  errorCode: { type: 'string', always: false },
  errorMessage: { type: 'string', always: false },
  requestParameters: { type: 'object|null', always: true },
  responseElements: { type: 'object|null', always: true },
  additionalEventData: { type: 'object', always: true },
  requestID: { type: 'string', always: false },
  eventID: { type: 'string', always: true },
  readOnly: { type: 'boolean', always: true },
  resources: { type: 'array', always: true },
  eventType: { type: 'string', always: true },
  managementEvent: { type: 'boolean', always: true },
  recipientAccountId: { type: 'string', always: false },
  eventCategory: { type: 'string', always: true },
};

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return value === null ? 'null' : typeof value;
}

function assertReferenceShape(record: Record<string, unknown>): void {
  for (const key of Object.keys(record)) assert.ok(key in CLOUDTRAIL_FIELDS, `${key} is a CloudTrail record field`);
  for (const [key, { type, always }] of Object.entries(CLOUDTRAIL_FIELDS)) {
    if (!(key in record)) {
      assert.ok(!always, `${key} is always present`);
      continue;
    }
    assert.ok(type.split('|').includes(typeOf(record[key])), `${key} is ${type}, got ${typeOf(record[key])}`);
  }
}

describe('audit export, format=cloudtrail', () => {
  const t = useTestService({ auditSealIntervalMs: 0 });
  let transferred: string;

  before(async () => {
    transferred = (await createCertificate(t.one)).certificateId;
    await t.one.send(new TransferCertificateCommand({ certificateId: transferred, targetAwsAccount: demoOperatorTwo.accountId }));
    const active = await createCertificate(t.one, true);
    await rejectsWithAws(
      t.one.send(new TransferCertificateCommand({ certificateId: active.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
      'CertificateStateException',
      406,
    );
    assert.equal((await t.svc.send({ method: 'POST', path: '/v1/audit/checkpoints', credential: demoAuditor })).status, 201);
  });

  async function eventsById(): Promise<Map<string, AuditEventView>> {
    const response = await t.svc.send({ method: 'GET', path: '/v1/audit/events', query: { order: 'asc', limit: '1000' }, credential: demoAuditor });
    return new Map((response.json as { events: AuditEventView[] }).events.map((e) => [e.eventId, e]));
  }

  async function exported(query: Record<string, string>) {
    const response = await t.svc.send({ method: 'GET', path: '/v1/audit/export', query: { format: 'cloudtrail', ...query }, credential: demoAuditor });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    assert.match(response.headers.get('content-disposition') ?? '', /\.cloudtrail\.ndjson"$/);
    return response.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as CloudTrailRecord);
  }

  test('every record has the reference fields and types, filled from its audit row', async () => {
    const records = await exported({});
    const events = await eventsById();
    assert.ok(records.length >= 5);
    for (const record of records) {
      assertReferenceShape(record);
      const event = events.get(record.eventID);
      assert.ok(event, 'eventID is the audit event id');
      assert.equal(record.eventVersion, '1.08');
      assert.equal(record.eventSource, 'iot.amazonaws.com');
      assert.equal(record.eventName, event.operation);
      assert.equal(record.eventTime, `${event.eventTime.slice(0, 19)}Z`);
      assert.equal(record.additionalEventData.eventTimeUtc, event.eventTime);
      assert.equal(record.additionalEventData.sequence, event.sequence);
      assert.equal(record.additionalEventData.decision, event.decision);
      assert.deepEqual(record.additionalEventData.ruleOutcomes.rules, event.rules);
      assert.equal(record.additionalEventData.chain?.chainSeq ?? null, event.chain?.chainSeq ?? null);
      assert.equal(record.additionalEventData.policy.hash, event.policy?.hash ?? null);
      assert.deepEqual(record.requestParameters, event.requestParameters);
      if (event.requestId !== null) assert.equal(record.requestID, event.requestId);
      if (event.caller.accessKeyId !== null) {
        assert.deepEqual(record.userIdentity, { type: 'IAMUser', accountId: event.caller.accountId, accessKeyId: event.caller.accessKeyId });
        assert.equal(record.eventType, 'AwsApiCall');
        assert.equal(record.recipientAccountId, event.targetAccountId ?? event.caller.accountId);
      } else {
        assert.deepEqual(record.userIdentity, { type: 'AWSService', invokedBy: 'certguard' });
        assert.equal(record.eventType, 'AwsServiceEvent');
      }
      assert.doesNotMatch(JSON.stringify(record.userIdentity), /secret/i, 'never a secret');
      if (event.decision === 'ALLOW') {
        assert.ok(!('errorCode' in record) && !('errorMessage' in record));
      } else {
        assert.equal(record.errorCode, event.errorType);
        assert.equal(record.errorMessage, event.errorMessage);
      }
      if (event.sourceIp !== null) assert.match(record.sourceIPAddress, /^[0-9a-f.:]+$/);
      const readOperations = ['ListAuditEvents', 'ListAuditCheckpoints', 'ExportAuditEvents'];
      assert.equal(record.readOnly, readOperations.includes(event.operation), `readOnly of ${event.operation}`);
    }
    const denial = records.find((record) => record.errorCode === 'CertificateStateException');
    assert.ok(denial, 'the refused transfer is there, with its AWS error type');
    assert.equal(denial.readOnly, false);
    const transfer = records.find((record) => record.eventName === 'TransferCertificate' && record.errorCode === undefined)!;
    assert.equal(transfer.responseElements.certificateId, transferred);
    assert.equal(transfer.awsRegion, transfer.resources[0].ARN.split(':')[3]);
    assert.equal(transfer.resources[0].type, 'AWS::IoT::Certificate');
  });

  test('a filtered export (ordinary queries, not COPY) writes the same records', async () => {
    const all = await exported({});
    const filtered = await exported({ operation: 'TransferCertificate' });
    assert.equal(filtered.length, 2);
    for (const record of filtered) {
      assertReferenceShape(record);
      assert.deepEqual(
        record,
        all.find((other) => other.eventID === record.eventID),
      );
    }
  });
});
