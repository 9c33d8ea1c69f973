/**
 * The one-statement creation write (src/certificates/certificate-creation-write.ts): certificate and audit row
 * together or not at all, concurrent creations grouped, a duplicate failing alone. Against PGlite and Postgres.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { CreateKeysAndCertificateCommand } from '@aws-sdk/client-iot';
import { newAuditRow } from '../../src/audit/audit.repository.ts';
import { canonicalJsonText } from '../../src/audit/canonical-json.ts';
import { type CertificateCreation, insertCertificateWithAudit } from '../../src/certificates/certificate-creation-write.ts';
import { isUniqueViolation } from '../../src/db/database-errors.ts';
import { demoOperatorOne } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

function creation(certificateId: string): CertificateCreation {
  const now = new Date();
  return {
    certificate: {
      certificate_id: certificateId,
      owner_account_id: demoOperatorOne.accountId,
      previous_owner_account_id: null,
      status: 'INACTIVE',
      certificate_pem: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n',
      ca_certificate_id: null,
      generation_id: randomUUID(),
      not_before: now,
      not_after: new Date(now.getTime() + 86_400_000),
      created_at: now,
      last_modified_at: now,
      transfer_target_account_id: null,
      transfer_message: null,
      reject_reason: null,
      transfer_date: null,
      accept_date: null,
      reject_date: null,
    },
    audit: newAuditRow({
      event_type: 'Decision',
      operation: 'CreateKeysAndCertificate',
      request_id: randomUUID(),
      certificate_id: certificateId,
      decision: 'ALLOW',
      rule_outcomes: canonicalJsonText({ rules: [], warnings: [] }),
      request_parameters: canonicalJsonText({ setAsActive: false }),
    }),
  };
}

const certificateId = () => randomUUID().replaceAll('-', '').repeat(2);

describe('certificate creation write', () => {
  const t = useTestService();

  test('concurrent creations each insert their certificate and their one ALLOW audit row, with distinct sequences', async () => {
    const creations = Array.from({ length: 12 }, () => creation(certificateId()));
    const appended = await Promise.all(creations.map((one) => insertCertificateWithAudit(t.svc.db, one)));
    assert.deepEqual(
      appended.map((event) => event.eventId),
      creations.map((one) => one.audit.event_id),
    );
    assert.equal(new Set(appended.map((event) => event.sequence)).size, creations.length);
    const ids = creations.map((one) => one.certificate.certificate_id);
    const certificates = await t.svc.db.selectFrom('certificates').select('certificate_id').where('certificate_id', 'in', ids).execute();
    assert.equal(certificates.length, creations.length);
    const audits = await t.svc.db.selectFrom('audit_events').select(['certificate_id', 'decision']).where('certificate_id', 'in', ids).execute();
    assert.deepEqual(
      audits.map((row) => row.decision).sort(),
      creations.map(() => 'ALLOW'),
    );
  });

  test('a duplicate certificate id fails alone with a unique violation and writes no audit row; its batch-mates commit', async () => {
    const existing = creation(certificateId());
    await insertCertificateWithAudit(t.svc.db, existing);
    const duplicate = creation(existing.certificate.certificate_id);
    const others = [creation(certificateId()), creation(certificateId())];
    const results = await Promise.allSettled([others[0], duplicate, others[1]].map((one) => insertCertificateWithAudit(t.svc.db, one!)));
    assert.equal(results[1]?.status, 'rejected');
    assert.ok(results[1]?.status === 'rejected' && isUniqueViolation(results[1].reason), 'the duplicate is a unique violation');
    assert.deepEqual([results[0]?.status, results[2]?.status], ['fulfilled', 'fulfilled']);
    const duplicateAudit = await t.svc.db.selectFrom('audit_events').select('event_id').where('event_id', '=', duplicate.audit.event_id).execute();
    assert.equal(duplicateAudit.length, 0, 'no audit row without its certificate');
    const written = await t.svc.db
      .selectFrom('audit_events')
      .select('event_id')
      .where(
        'event_id',
        'in',
        others.map((one) => one.audit.event_id),
      )
      .execute();
    assert.equal(written.length, 2);
  });

  test('a burst of CreateKeysAndCertificate answers each request with its own certificate, audited with its id and ARN', async () => {
    const created = await Promise.all(Array.from({ length: 6 }, () => t.one.send(new CreateKeysAndCertificateCommand({ setAsActive: true }))));
    const ids = created.map((answer) => answer.certificateId!);
    assert.equal(new Set(ids).size, ids.length);
    const rows = await t.svc.db
      .selectFrom('audit_events')
      .select(['certificate_id', 'certificate_arn', 'decision', 'operation'])
      .where('certificate_id', 'in', ids)
      .execute();
    assert.equal(rows.length, ids.length);
    for (const answer of created) {
      const row = rows.find((one) => one.certificate_id === answer.certificateId);
      assert.deepEqual(row, {
        certificate_id: answer.certificateId,
        certificate_arn: answer.certificateArn,
        decision: 'ALLOW',
        operation: 'CreateKeysAndCertificate',
      });
    }
    const statuses = await t.svc.db.selectFrom('certificates').select('status').where('certificate_id', 'in', ids).execute();
    assert.deepEqual(
      statuses.map((row) => row.status),
      ids.map(() => 'ACTIVE'),
    );
  });
});
