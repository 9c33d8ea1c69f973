/**
 * Fills an audit table fast for the audit-chain benchmark: INSERT … SELECT generate_series in chunks, rows shaped
 * like real TransferCertificate denials (rule outcomes, policy input, request parameters written as canonical JSON
 * text, as certguard writes them: docs/audit.md section 3), then seals
 * them all with the service's own sealing transaction.
 */
import { sql } from 'kysely';
import { sealBatch } from '../../src/audit/sealing/seal-batch.ts';
import type { Database } from '../../src/db/database.ts';
import { generateSigningKeyPem, signingKeyFromPem } from '../../src/audit/checkpoints/signing-key.ts';

const CHUNK = 100_000;

const ROW = sql`
  INSERT INTO audit_events (event_id, event_time, event_type, operation, request_id, caller_account_id, caller_access_key_id,
    caller_roles, source_ip, user_agent, certificate_id, certificate_arn, target_account_id, decision, error_type, error_message,
    failing_rule_id, rule_outcomes, policy_name, policy_revision, policy_hash, policy_input, request_parameters, trace_id, span_id)
  SELECT gen_random_uuid(), now() - make_interval(secs => n / 1000.0), 'Decision', 'TransferCertificate', gen_random_uuid()::text,
    '111111111111', 'AKIACERTGUARDDEMO001', ARRAY['operator'], '127.0.0.1', 'aws-sdk-js/3.1169.0 ua/2.1 os/linux lang/js',
    md5(n::text) || md5((n + 1)::text), 'arn:aws:iot:us-east-1:111111111111:cert/' || md5(n::text) || md5((n + 1)::text), '222222222222',
    'DENY', 'CertificateStateException', 'The certificate is ACTIVE: deactivate it before transferring it', 'certificate-not-active',
    ('{"decisionId":"' || gen_random_uuid() || '","rules":[{"id":"certificate-not-active","message":"The certificate is ACTIVE","outcome":"fail"},'
      || '{"id":"certificate-not-pending-transfer","outcome":"pass"},{"id":"no-attached-policies","outcome":"pass"}],"warnings":[]}')::json,
    'certguard-default', '2026-11-26.2', repeat('a', 64),
    ('{"attachedPolicies":[],"caller":{"accessKeyId":"AKIACERTGUARDDEMO001","accountId":"111111111111","roles":["operator"]},'
      || '"certificate":{"certificateId":"' || md5(n::text) || '","customerVersion":1,"notAfter":"2027-01-01T00:00:00Z","notBefore":"2026-01-01T00:00:00Z",'
      || '"ownerAccountId":"111111111111","status":"ACTIVE"},"now":' || to_json(now())::text || ','
      || '"request":{"certificateId":"' || md5(n::text) || '","targetAwsAccount":"222222222222","transferMessage":"benchmark"}}')::json,
    ('{"certificateId":"' || md5(n::text) || '","targetAwsAccount":"222222222222","transferMessage":"benchmark"}')::json,
    md5(n::text), substr(md5((n + 7)::text), 1, 16)`;

/** Inserts `count` audit rows (queued for sealing by the trigger, like any row). */
export async function fillAuditEvents(db: Database, count: number, log: (message: string) => void): Promise<void> {
  for (let done = 0; done < count; done += CHUNK) {
    const upTo = Math.min(count, done + CHUNK);
    await sql`${ROW} FROM generate_series(${done + 1}::int, ${upTo}::int) AS n`.execute(db);
    log(`audit-chain: inserted ${upTo}/${count} audit rows`);
  }
}

/** Seals everything queued, batch after batch, as the background sealer does (a checkpoint every 100k); returns how many. */
export async function sealAll(db: Database, log: (message: string) => void): Promise<number> {
  const key = signingKeyFromPem(generateSigningKeyPem(), 'ephemeral');
  let sealed = 0;
  for (;;) {
    const result = await sealBatch(db, { batchSize: 1000, wait: true, key, schedule: { every: 100_000, minutes: 0 } });
    sealed += result.sealed;
    if (sealed % 100_000 < 1000 && result.sealed > 0) log(`audit-chain: sealed ${sealed}`);
    if (result.sealed + result.orphans.length < 1000) return sealed;
  }
}
