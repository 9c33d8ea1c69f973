/**
 * `certguard audit lookup`: the trail as `aws cloudtrail lookup-events` shows CloudTrail — read from the
 * configured database by the command alone (the service stopped), newest first, one CloudTrail record per line,
 * the same records as GET /v1/audit/export?format=cloudtrail.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deniedTransfers } from '../support/audit-chain-support.ts';
import { certguardCli } from '../support/certguard-cli.ts';
import { demoAuditor, demoOperatorOne } from '../support/sign-request.ts';
import { createScratchDatabase, type ScratchDatabase, testDatabaseKind } from '../support/test-database.ts';
import { startTestService } from '../support/test-service.ts';

// biome-ignore lint/suspicious/noExplicitAny: CloudTrail records read field by field by the assertions
type Record_ = Record<string, any>;

describe(`certguard audit lookup (${testDatabaseKind})`, () => {
  let dir: string;
  let env: Record<string, string>;
  let scratch: ScratchDatabase | undefined;
  /** The whole trail as the export wrote it, by event id, without the chain links (the sealer adds them later). */
  let exported: Map<string, Record_>;

  const withoutChain = (record: Record_): Record_ => ({ ...record, additionalEventData: { ...record.additionalEventData, chain: undefined } });

  const lookup = async (...args: string[]) => {
    const run = await certguardCli(['audit', 'lookup', ...args], env);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    return lines.map((line) => {
      const record = JSON.parse(line) as Record_;
      assert.deepEqual(withoutChain(record), exported.get(record.eventID), 'the same record as the export writes');
      return record;
    });
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'certguard-audit-lookup-'));
    scratch = testDatabaseKind === 'postgres' ? await createScratchDatabase() : undefined;
    const dataDir = path.join(dir, 'data');
    env = scratch ? { DATABASE_URL: scratch.url } : { CERTGUARD_DATA_DIR: dataDir };
    // PGlite is one process's database: the service must be closed before the CLI opens the folder.
    const svc = await startTestService(scratch ? { databaseUrl: scratch.url } : { dataDir });
    try {
      await deniedTransfers(svc.iot(demoOperatorOne), 3);
      const response = await svc.send({ method: 'GET', path: '/v1/audit/export', query: { format: 'cloudtrail' }, credential: demoAuditor });
      assert.equal(response.status, 200);
      const lines = response.text.split('\n').filter((line) => line !== '');
      exported = new Map(lines.map((line) => [(JSON.parse(line) as Record_).eventID, withoutChain(JSON.parse(line) as Record_)]));
    } finally {
      await svc.close();
    }
  });
  after(async () => {
    await scratch?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('without filters: the newest events first, at most --max-results', async () => {
    const records = await lookup('--max-results', '1000');
    // The export's own AuditTrailRead row is written before its snapshot: the export holds the whole trail.
    assert.equal(records.length, exported.size);
    assert.equal(records[0]!.eventName, 'ExportAuditEvents');
    const sequences = records.map((record) => BigInt(record.additionalEventData.sequence));
    assert.deepEqual(
      sequences,
      [...sequences].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)),
      'newest first',
    );
    const two = await lookup('--max-results', '2');
    assert.deepEqual(
      two.map((record) => record.eventID),
      records.slice(0, 2).map((record) => record.eventID),
    );
  });

  test('--lookup-attributes: EventName, EventId, AccessKeyId, ReadOnly, ResourceName, in both spellings', async () => {
    const denied = await lookup('--lookup-attributes', 'EventName=TransferCertificate');
    assert.equal(denied.length, 3);
    assert.ok(denied.every((record) => record.eventName === 'TransferCertificate' && record.errorCode === 'CertificateStateException'));
    const long = await lookup('--lookup-attributes', 'AttributeKey=EventName,AttributeValue=TransferCertificate');
    assert.deepEqual(long, denied);
    const one = await lookup('--lookup-attributes', `EventId=${denied[1]!.eventID}`);
    assert.deepEqual(one, [denied[1]]);
    const byKey = await lookup('--lookup-attributes', `AccessKeyId=${demoOperatorOne.accessKeyId}`, '--max-results', '1000');
    assert.ok(byKey.length >= 4 && byKey.every((record) => record.userIdentity.accessKeyId === demoOperatorOne.accessKeyId));
    const certificateId = denied[0]!.responseElements?.certificateId ?? denied[0]!.resources[0].ARN.split('/').at(-1);
    const byResource = await lookup('--lookup-attributes', `ResourceName=${certificateId}`, '--max-results', '1000');
    assert.equal(byResource.length, 4, 'the three refused transfers and the creation');
    const both = await lookup('--lookup-attributes', `ResourceName=${certificateId}`, '--lookup-attributes', 'EventName=CreateKeysAndCertificate');
    assert.equal(both.length, 1);
    const reads = await lookup('--lookup-attributes', 'ReadOnly=true', '--max-results', '1000');
    assert.ok(reads.length > 0 && reads.every((record) => record.readOnly === true));
    assert.deepEqual(await lookup('--lookup-attributes', 'EventSource=s3.amazonaws.com'), []);
  });

  test('--start-time and --end-time bound the event time, both inclusive', async () => {
    const denied = await lookup('--lookup-attributes', 'EventName=TransferCertificate');
    const middle = denied[1]!.additionalEventData.eventTimeUtc as string;
    const window = await lookup('--lookup-attributes', 'EventName=TransferCertificate', '--start-time', middle, '--end-time', middle);
    assert.deepEqual(
      window.map((record) => record.eventID),
      [denied[1]!.eventID],
    );
    assert.deepEqual(await lookup('--start-time', '2999-01-01T00:00:00Z'), []);
  });
});
