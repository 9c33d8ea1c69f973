/**
 * The audit hash chain on a live service: decisions are sealed by the background sealer on its own, the
 * chain verifies, rolled-back decisions leave sequence gaps but no chain gap, checkpoints are signed and
 * exported, and the chain tables refuse UPDATE, DELETE and TRUNCATE.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { checkpointSignatureProblem } from '../../src/audit/checkpoints/checkpoint-signature.ts';
import type { CheckpointsDocument } from '../../src/audit/checkpoints/checkpoints-document.ts';
import { chainEntries, deniedTransfers, waitUntilSealed } from '../support/audit-chain-support.ts';
import { demoAuditor, demoOperatorOne } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

describe('audit hash chain', () => {
  const t = useTestService();

  const eventCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_events`.execute(t.svc.db)).rows[0]?.n);

  // The sealing-delay target (p99 < 1 s under load) is measured by bench/audit-chain.bench.ts; here the bound only
  // proves the sealer runs by itself (every 200 ms), with room for a loaded CI machine.
  const SEALED_WITHIN_MS = 5000;

  test('every decision is sealed into the chain by the background sealer, without being asked', async () => {
    await deniedTransfers(t.one, 20);
    const waited = await waitUntilSealed(t.svc.db);
    assert.ok(waited < SEALED_WITHIN_MS, `sealed ${waited} ms after the last decision`);
    const { rows } = await sql<{ lag_ms: number }>`
      SELECT max(extract(epoch FROM c.sealed_at - e.event_time) * 1000)::float8 AS lag_ms
      FROM audit_chain c JOIN audit_events e ON e.sequence = c.event_sequence`.execute(t.svc.db);
    assert.ok((rows[0]?.lag_ms ?? Infinity) < SEALED_WITHIN_MS, `largest event-to-seal delay ${rows[0]?.lag_ms} ms`);
  });

  test('the chain is gap-free 1..N, starts at genesis and links every entry to the one before', async () => {
    await waitUntilSealed(t.svc.db);
    const entries = await chainEntries(t.svc.db);
    assert.equal(entries.length, await eventCount());
    assert.equal(entries[0]?.prev_hash, '0'.repeat(64));
    entries.forEach((entry, index) => {
      assert.equal(entry.chain_seq, String(index + 1));
      if (index > 0) assert.equal(entry.prev_hash, entries[index - 1]?.hash);
    });
  });

  test('GET /v1/audit/verify reports a clean chain as ok with every entry checked', async () => {
    await waitUntilSealed(t.svc.db);
    const response = await t.svc.send({ method: 'GET', path: '/v1/audit/verify', credential: demoAuditor });
    assert.equal(response.status, 200);
    assert.equal(response.json?.ok, true);
    // Minus one: the verify's own AuditTrailRead row, written with its verdict after the run.
    assert.equal(response.json?.checkedEntries, (await eventCount()) - 1);
    assert.equal(response.json?.unsealedRows, 0);
    assert.equal(response.json?.reason, undefined);
  });

  test('the audit endpoints refuse an operator with UnauthorizedException', async () => {
    for (const [method, path] of [
      ['GET', '/v1/audit/verify'],
      ['GET', '/v1/audit/checkpoints'],
      ['POST', '/v1/audit/checkpoints'],
    ] as const) {
      const response = await t.svc.send({ method, path, credential: demoOperatorOne });
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.equal(response.headers.get('x-amzn-errortype'), 'UnauthorizedException');
    }
  });

  test('a checkpoint on demand signs the sealed head, and the export carries a public key that verifies it', async () => {
    await deniedTransfers(t.one, 3);
    const created = await t.svc.send({ method: 'POST', path: '/v1/audit/checkpoints', credential: demoAuditor });
    assert.equal(created.status, 201, created.text);
    const head = (await chainEntries(t.svc.db)).at(-1);
    assert.equal(created.json?.chainSeq, head?.chain_seq, 'everything committed was sealed first');
    assert.equal(created.json?.hash, head?.hash);
    assert.equal(created.json?.reason, 'demand');

    const listed = await t.svc.send({ method: 'GET', path: '/v1/audit/checkpoints', credential: demoAuditor });
    const document = listed.json as unknown as CheckpointsDocument;
    assert.equal(document.format, 'certguard.audit.checkpoints');
    const checkpoint = document.checkpoints.find((c) => c.checkpointId === created.json?.checkpointId);
    assert.ok(checkpoint);
    const key = document.publicKeys.find((k) => k.keyId === checkpoint.keyId);
    assert.equal(checkpointSignatureProblem(checkpoint, checkpoint.signature, key?.publicKeyPem), undefined);
    assert.match(checkpointSignatureProblem({ ...checkpoint, chainSeq: '1' }, checkpoint.signature, key?.publicKeyPem) ?? '', /does not match/);
  });

  test('decisions rolled back after their audit insert leave sequence gaps, but the chain stays gap-free and verifies', async () => {
    await sql`CREATE FUNCTION fail_every_third_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.sequence % 3 = 0 THEN RAISE EXCEPTION 'provoked rollback'; END IF; RETURN NULL; END $$`.execute(t.svc.db);
    await sql`CREATE TRIGGER fail_every_third AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_every_third_audit_row()`.execute(t.svc.db);
    try {
      await deniedTransfers(t.one, 12).catch(() => {});
      for (let i = 0; i < 6; i++) await deniedTransfers(t.one, 1).catch(() => {});
    } finally {
      await sql`DROP TRIGGER fail_every_third ON audit_events`.execute(t.svc.db);
      await sql`DROP FUNCTION fail_every_third_audit_row()`.execute(t.svc.db);
    }
    await waitUntilSealed(t.svc.db);
    const { rows } = await sql<{ n: string; top: string }>`SELECT count(*) AS n, max(sequence) AS top FROM audit_events`.execute(t.svc.db);
    assert.ok(Number(rows[0]?.top) > Number(rows[0]?.n), 'rolled-back decisions left gaps in audit_events.sequence');
    const entries = await chainEntries(t.svc.db);
    assert.equal(entries.at(-1)?.chain_seq, String(entries.length));
    assert.equal(entries.length, Number(rows[0]?.n));
    const verified = await t.svc.send({ method: 'GET', path: '/v1/audit/verify', credential: demoAuditor });
    assert.equal(verified.json?.ok, true, verified.text);
  });

  for (const table of ['audit_chain', 'audit_checkpoints']) {
    for (const statement of ['UPDATE', 'DELETE', 'TRUNCATE']) {
      test(`${statement} of ${table} by the application fails: the table is append-only`, async () => {
        await t.svc.send({ method: 'POST', path: '/v1/audit/checkpoints', credential: demoAuditor });
        const query =
          statement === 'UPDATE'
            ? sql`UPDATE ${sql.table(table)} SET hash = hash`
            : statement === 'DELETE'
              ? sql`DELETE FROM ${sql.table(table)}`
              : sql`TRUNCATE ${sql.table(table)}`;
        await assert.rejects(query.execute(t.svc.db), new RegExp(`${table} is append-only: ${statement}`));
      });
    }
  }
});
