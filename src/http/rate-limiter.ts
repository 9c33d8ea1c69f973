/**
 * A token bucket per account: `ratePerSecond` tokens refill continuously up to `burst`; a request takes one.
 * In-process: with workers (CERTGUARD_WORKERS), the primary holds these buckets and workers lease tokens from them
 * in batches (leased-rate-limiter.ts); separate replicas each enforce the limit on the traffic they receive.
 */

/** What the throttle middleware needs: an answer now when it can, a promise when a lease must be asked for. */
export interface RequestRateLimiter {
  tryTake(key: string): boolean | Promise<boolean>;
  /** Seconds until `key` has a token again (for Retry-After). */
  secondsUntilNextToken(key: string): number;
}
export interface RateLimiterOptions {
  ratePerSecond: number;
  burst: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter implements RequestRateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;

  constructor(options: RateLimiterOptions) {
    this.#rate = options.ratePerSecond;
    this.#burst = Math.max(1, options.burst);
    this.#now = options.now ?? (() => performance.now());
  }

  /** Takes a token for `key`; false when its bucket is empty. */
  tryTake(key: string): boolean {
    return this.takeUpTo(key, 1) === 1;
  }

  /** Takes up to `count` whole tokens for `key` (a worker's lease); returns how many it took. */
  takeUpTo(key: string, count: number): number {
    const bucket = this.#refilled(key);
    const taken = Math.max(0, Math.min(count, Math.floor(bucket.tokens)));
    bucket.tokens -= taken;
    return taken;
  }

  /** Puts back tokens a worker leased and did not use (capped at the burst, as if never taken). */
  giveBack(key: string, count: number): void {
    const bucket = this.#refilled(key);
    bucket.tokens = Math.min(this.#burst, bucket.tokens + count);
  }

  #refilled(key: string): Bucket {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updatedAt: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#rate);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    return bucket;
  }

  /** Seconds until `key` has a token again (for Retry-After). */
  secondsUntilNextToken(key: string): number {
    const tokens = this.#buckets.get(key)?.tokens ?? this.#burst;
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.#rate);
  }
}
