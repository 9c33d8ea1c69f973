import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RateLimiter } from '../../src/http/rate-limiter.ts';

describe('RateLimiter (token bucket per account)', () => {
  test('allows a burst, then refills at the configured rate, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerSecond: 2, burst: 3, now: () => now });
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.tryTake('a')),
      [true, true, true, false],
    );
    assert.equal(limiter.tryTake('b'), true, 'another account has its own bucket');
    assert.equal(limiter.secondsUntilNextToken('a'), 1);
    now += 500; // half a second: one token at 2/s
    assert.deepEqual([limiter.tryTake('a'), limiter.tryTake('a')], [true, false]);
    now += 10_000; // long idle: refills to the burst, not beyond
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.tryTake('a')),
      [true, true, true, false],
    );
  });
});
