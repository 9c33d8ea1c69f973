/**
 * CreateKeysAndCertificate served from the key pair pool (CERTGUARD_KEY_POOL_SIZE) through the real service: every
 * answer carries a distinct, matching key pair; the pool refills after a burst; no key reaches logs or the audit
 * trail; close() stops the pool (the test process exits, so no timer or generation is left behind).
 */
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { CreateKeysAndCertificateCommand } from '@aws-sdk/client-iot';
import { KeyPairPool } from '../../src/certificates/key-pair-pool.ts';
import { useTestService } from '../support/test-service.ts';

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('CreateKeysAndCertificate with the key pair pool', () => {
  const t = useTestService({ keyPoolSize: 3 });
  const pool = () => {
    const source = t.svc.service.context.keyPairs;
    assert.ok(source instanceof KeyPairPool, 'CERTGUARD_KEY_POOL_SIZE=3 gives the service a pool');
    return source;
  };

  test('a burst larger than the pool gets distinct, matching key pairs, and the pool refills', async () => {
    await until(() => pool().stats().ready === 3, 'the pool filled at start-up');
    const created = await Promise.all(Array.from({ length: 5 }, () => t.one.send(new CreateKeysAndCertificateCommand({}))));
    const privateKeys = created.map((answer) => answer.keyPair?.PrivateKey ?? '');
    assert.equal(new Set(privateKeys).size, 5, 'a key pair was handed out twice');
    assert.equal(new Set(created.map((answer) => answer.certificateId)).size, 5);
    for (const answer of created) {
      assert.match(answer.keyPair?.PrivateKey ?? '', /^-----BEGIN RSA PRIVATE KEY-----/);
      assert.ok(new X509Certificate(answer.certificatePem ?? '').checkPrivateKey(createPrivateKey(answer.keyPair?.PrivateKey ?? '')));
    }
    const stats = pool().stats();
    assert.equal(stats.servedFromPool + stats.servedOnDemand, 5);
    assert.ok(stats.servedFromPool >= 3, `only ${stats.servedFromPool} of 5 came from a full pool of 3`);
    await until(() => pool().stats().ready === 3, 'the pool refilled after the burst');
  });

  test('no private key reaches the logs or the audit trail', async () => {
    const created = await t.one.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const body = (created.keyPair?.PrivateKey ?? '').split('\n')[1] ?? '';
    assert.ok(body.length > 20);
    assert.doesNotMatch(JSON.stringify(t.svc.logs), /PRIVATE KEY/);
    assert.ok(!JSON.stringify(t.svc.logs).includes(body));
    const rows = await t.svc.db.selectFrom('audit_events').selectAll().execute();
    assert.ok(!JSON.stringify(rows).includes(body));
  });

  test('close() empties the pool and stops refilling', async () => {
    const source = pool();
    await t.svc.service.close();
    assert.equal(source.stats().ready, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(source.stats().ready, 0, 'a closed service refilled its pool');
  });
});
