/**
 * The key pair pool (src/certificates/key-pair-pool.ts): bounded, each pair handed out once, refilled one at a
 * time in the background, empty and idle after stop(). A counting generator stands in for OpenSSL where only the
 * bookkeeping is under test; one test uses real RSA generation for distinctness.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, test } from 'node:test';
import { generateDeviceKeyPair, KeyPairPool, REFILL_QUIET_MS, type RsaKeyPairPem } from '../../src/certificates/key-pair-pool.ts';

/** A generator whose pairs are numbered and which records how many generations ran at once. */
function countingGenerator(delayMs = 2) {
  const state = { started: 0, running: 0, maxRunning: 0 };
  const generate = async (): Promise<RsaKeyPairPem> => {
    const n = ++state.started;
    state.running++;
    state.maxRunning = Math.max(state.maxRunning, state.running);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    state.running--;
    return { publicKey: `public-${n}`, privateKey: `private-${n}` };
  };
  return { state, generate };
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('key pair pool', () => {
  test('fills to its capacity in the background, one generation at a time, and no further', async () => {
    const { state, generate } = countingGenerator();
    const pool = new KeyPairPool(4, generate).start();
    await until(() => pool.stats().ready === 4, 'a full pool');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(state.started, 4, 'stops generating once full');
    assert.equal(state.maxRunning, 1, 'never more than one background generation at once');
    await pool.stop();
  });

  test('generates nothing while takes keep coming; refills once they pause for REFILL_QUIET_MS', async () => {
    const { state, generate } = countingGenerator();
    const pool = new KeyPairPool(6, generate).start();
    await until(() => pool.stats().ready === 6, 'a full pool');
    const startedBefore = state.started;
    // A burst spread over ~3 quiet periods: takes never pause for REFILL_QUIET_MS.
    const spacingMs = REFILL_QUIET_MS / 4;
    for (let i = 0; i < 5; i++) {
      await pool.take();
      await new Promise((resolve) => setTimeout(resolve, spacingMs));
    }
    assert.equal(state.started, startedBefore, 'no background generation during the burst');
    assert.equal(pool.stats().ready, 1);
    await until(() => pool.stats().ready === 6, 'refilled after the pause');
    assert.equal(state.started, startedBefore + 5);
    await pool.stop();
  });

  test('drains under a burst, serves the rest on demand, then refills', async () => {
    const { generate } = countingGenerator();
    const pool = new KeyPairPool(3, generate).start();
    await until(() => pool.stats().ready === 3, 'a full pool');
    const burst = await Promise.all(Array.from({ length: 5 }, () => pool.take()));
    const stats = pool.stats();
    assert.equal(stats.servedFromPool, 3);
    assert.equal(stats.servedOnDemand, 2);
    await until(() => pool.stats().ready === 3, 'the pool refilled');
    const privateKeys = burst.map((pair) => pair.privateKey);
    assert.equal(new Set(privateKeys).size, privateKeys.length, 'every pair is distinct');
    await pool.stop();
  });

  test('hands each pair out once: no pair comes back across many takes', async () => {
    const { generate } = countingGenerator(0);
    const pool = new KeyPairPool(2, generate).start();
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const pair = await pool.take();
      assert.ok(!seen.has(pair.privateKey), `pair ${pair.privateKey} handed out twice`);
      seen.add(pair.privateKey);
    }
    await pool.stop();
  });

  test('real RSA-2048 pairs from the pool are distinct, matching, PKCS#1 private and SPKI public', async () => {
    const pool = new KeyPairPool(2).start();
    await until(() => pool.stats().ready === 2, 'two real pairs', 30_000);
    const pairs = [await pool.take(), await pool.take(), await pool.take()];
    await pool.stop();
    assert.equal(new Set(pairs.map((pair) => pair.privateKey)).size, 3);
    for (const pair of pairs) {
      assert.match(pair.privateKey, /^-----BEGIN RSA PRIVATE KEY-----/);
      assert.match(pair.publicKey, /^-----BEGIN PUBLIC KEY-----/);
      const derived = createPublicKey(createPrivateKey(pair.privateKey)).export({ type: 'spki', format: 'pem' });
      assert.equal(derived, pair.publicKey);
      assert.equal(createPublicKey(pair.publicKey).asymmetricKeyDetails?.modulusLength, 2048);
    }
  });

  test('stop() empties the pool, waits for the generation in flight and starts no other', async () => {
    const { state, generate } = countingGenerator(20);
    const pool = new KeyPairPool(8, generate).start();
    await until(() => state.started === 2, 'a generation in flight');
    await pool.stop();
    assert.equal(state.running, 0, 'stop() returned before the generation in flight finished');
    assert.equal(pool.stats().ready, 0);
    const startedAtStop = state.started;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(state.started, startedAtStop, 'a stopped pool generated again');
    // Still usable after stop (a request racing shutdown): generated on demand, nothing kept.
    await pool.take();
    assert.equal(pool.stats().ready, 0);
  });

  test('a failing background generation is reported, and the pool recovers on the next take', async () => {
    let fail = true;
    let n = 0;
    const errors: unknown[] = [];
    const pool = new KeyPairPool(
      2,
      async () => {
        if (fail) throw new Error('entropy source unavailable');
        n++;
        return { publicKey: `p${n}`, privateKey: `k${n}` };
      },
      (error) => errors.push(error),
    ).start();
    await until(() => errors.length === 1, 'the error reported');
    fail = false;
    await pool.take();
    await until(() => pool.stats().ready === 2, 'refilled after recovery');
    await pool.stop();
  });

  test('rejects a capacity below 1 (size 0 means no pool at all)', () => {
    assert.throws(() => new KeyPairPool(0), RangeError);
    assert.throws(() => new KeyPairPool(1.5), RangeError);
  });

  test('generateDeviceKeyPair gives a fresh pair each call', async () => {
    const [a, b] = await Promise.all([generateDeviceKeyPair(), generateDeviceKeyPair()]);
    assert.notEqual(a.privateKey, b.privateKey);
  });
});
