/**
 * A token bucket per account: `ratePerSecond` tokens refill continuously up to `burst`; a request takes one.
 * In-process: with several certguard processes, each enforces the limit on the traffic it receives.
 */
export interface RateLimiterOptions {
  ratePerSecond: number;
  burst: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
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
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updatedAt: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#rate);
    bucket.updatedAt = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    return allowed;
  }

  /** Seconds until `key` has a token again (for Retry-After). */
  secondsUntilNextToken(key: string): number {
    const tokens = this.#buckets.get(key)?.tokens ?? this.#burst;
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.#rate);
  }
}
