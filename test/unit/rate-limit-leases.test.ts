/**
 * The group-wide rate limit (src/http/rate-limit-leases.ts): workers leasing from one bank never admit more than
 * the bank's buckets hold, tokens a worker leaves unspent go back, and most requests need no message at all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LEASE_TTL_MS, LeasedRateLimiter, leaseSize, RateLimitBank } from '../../src/http/rate-limit-leases.ts';

/** A bank and `count` workers, their messages delivered asynchronously as over IPC; a clock the test moves. */
function group(options: { ratePerSecond: number; burst: number; count: number }) {
  let now = 0;
  let messages = 0;
  const bank = new RateLimitBank({ ratePerSecond: options.ratePerSecond, burst: options.burst, now: () => now });
  const size = leaseSize(options.ratePerSecond, options.burst, options.count);
  const workers: LeasedRateLimiter[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const worker: LeasedRateLimiter = new LeasedRateLimiter({
      leaseSize: size,
      now: () => now,
      send: (message) => {
        messages += 1;
        setImmediate(() => bank.handle(message, (grant) => setImmediate(() => worker.receive(grant))));
      },
    });
    workers.push(worker);
  }
  return {
    workers,
    size,
    messages: () => messages,
    advance: (ms: number) => {
      now += ms;
    },
    close: () => {
      for (const worker of workers) worker.close();
    },
  };
}

async function admittedOf(results: Array<boolean | Promise<boolean>>): Promise<number> {
  return (await Promise.all(results)).filter(Boolean).length;
}

describe('rate-limit leases', () => {
  test('two workers together admit exactly the burst when the clock stands still', async () => {
    const g = group({ ratePerSecond: 1000, burst: 100, count: 2 });
    const results: Array<boolean | Promise<boolean>> = [];
    for (let i = 0; i < 150; i += 1) results.push(g.workers[i % 2]!.tryTake('111111111111'));
    assert.equal(await admittedOf(results), 100);
    g.close();
  });

  test('the refill is shared: after one second the group admits the rate again, not twice the rate', async () => {
    const g = group({ ratePerSecond: 50, burst: 50, count: 2 });
    const drain: Array<boolean | Promise<boolean>> = [];
    for (let i = 0; i < 60; i += 1) drain.push(g.workers[i % 2]!.tryTake('a'));
    assert.equal(await admittedOf(drain), 50);
    g.advance(1000);
    const next: Array<boolean | Promise<boolean>> = [];
    for (let i = 0; i < 200; i += 1) next.push(g.workers[i % 2]!.tryTake('a'));
    assert.equal(await admittedOf(next), 50);
    g.close();
  });

  test('accounts are separate', async () => {
    const g = group({ ratePerSecond: 10, burst: 10, count: 2 });
    const a = [];
    const b = [];
    for (let i = 0; i < 20; i += 1) {
      a.push(g.workers[0]!.tryTake('a'));
      b.push(g.workers[1]!.tryTake('b'));
    }
    assert.equal(await admittedOf(a), 10);
    assert.equal(await admittedOf(b), 10);
    g.close();
  });

  test('tokens a worker leased and did not spend go back after the lease expires', async () => {
    const g = group({ ratePerSecond: 1000, burst: 40, count: 2 });
    assert.equal(g.size, 10);
    assert.equal(await g.workers[0]!.tryTake('a'), true); // worker 0 now holds 9 unspent tokens
    const first: Array<boolean | Promise<boolean>> = [];
    for (let i = 0; i < 40; i += 1) first.push(g.workers[1]!.tryTake('a'));
    assert.equal(await admittedOf(first), 30, 'worker 1 gets what worker 0 does not hold');
    g.advance(LEASE_TTL_MS + 1); // the clock moves: the lease expires (and 201 ms refill ~201 tokens, capped at 40)
    await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS)); // the sweeper returns worker 0's 9 tokens
    const second: Array<boolean | Promise<boolean>> = [];
    for (let i = 0; i < 60; i += 1) second.push(g.workers[1]!.tryTake('a'));
    assert.equal(await admittedOf(second), 40, 'capped at the burst: returned tokens never exceed it');
    g.close();
  });

  test('most requests need no message: one lease serves a batch', async () => {
    const g = group({ ratePerSecond: 100_000, burst: 200_000, count: 2 });
    const results: Array<boolean | Promise<boolean>> = [];
    for (let i = 0; i < 10_000; i += 1) results.push(g.workers[i % 2]!.tryTake('a'));
    assert.equal(await admittedOf(results), 10_000);
    assert.ok(g.messages() <= 10_000 / g.size + 4, `${g.messages()} messages for 10000 requests (lease ${g.size})`);
    g.close();
  });

  test("a refusal carries the bank's Retry-After", async () => {
    const g = group({ ratePerSecond: 1, burst: 1, count: 2 });
    assert.equal(await g.workers[0]!.tryTake('a'), true);
    assert.equal(await g.workers[1]!.tryTake('a'), false);
    assert.equal(g.workers[1]!.secondsUntilNextToken('a'), 1);
    g.close();
  });
});
