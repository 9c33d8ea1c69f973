/**
 * The per-account rate limit for a group of workers (CERTGUARD_WORKERS > 1), enforced for the whole group.
 *
 * The primary holds the only token buckets (RateLimitBank). A worker does not ask it per request: it leases a
 * batch of tokens for an account (about 20 ms of that account's rate, and never more than its share of the burst),
 * spends them locally without any IPC, and asks again when they run out. Tokens a worker has not spent within
 * LEASE_TTL_MS go back to the bank, so an idle worker does not hold tokens another needs. Every admitted request
 * spent a token taken from the one bank, so the group never admits more than burst + rate x seconds; it may refuse
 * slightly early while unspent tokens sit in another worker (at most one lease per worker, for LEASE_TTL_MS).
 */
import { RateLimiter, type RequestRateLimiter } from './rate-limiter.ts';

/** How long a worker keeps unspent leased tokens before returning them to the bank. */
export const LEASE_TTL_MS = 200;

export interface LeaseRequest {
  type: 'certguard:rate-lease';
  id: number;
  account: string;
  want: number;
}
export interface LeaseGrant {
  type: 'certguard:rate-grant';
  id: number;
  granted: number;
  retryAfterSeconds: number;
}
export interface LeaseReturn {
  type: 'certguard:rate-return';
  account: string;
  tokens: number;
}
export type LeaseMessage = LeaseRequest | LeaseGrant | LeaseReturn;

export function isLeaseMessage(message: unknown): message is LeaseMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('certguard:rate-');
}

/** Tokens a worker asks for at once. */
export function leaseSize(ratePerSecond: number, burst: number, workers: number): number {
  return Math.max(1, Math.min(Math.ceil(ratePerSecond / 50), Math.floor(burst / (2 * workers))));
}

/** The primary's side: the group's buckets, answering leases and taking returns. */
export class RateLimitBank {
  readonly #limiter: RateLimiter;

  constructor(options: { ratePerSecond: number; burst: number; now?: () => number }) {
    this.#limiter = new RateLimiter(options);
  }

  /** Answers a worker's message; `reply` is called for a lease request. */
  handle(message: LeaseMessage, reply: (grant: LeaseGrant) => void): void {
    if (message.type === 'certguard:rate-return') {
      this.#limiter.giveBack(message.account, message.tokens);
    } else if (message.type === 'certguard:rate-lease') {
      const granted = this.#limiter.takeUpTo(message.account, message.want);
      const retryAfterSeconds = granted > 0 ? 0 : this.#limiter.secondsUntilNextToken(message.account);
      reply({ type: 'certguard:rate-grant', id: message.id, granted, retryAfterSeconds });
    }
  }
}

interface Lease {
  tokens: number;
  expiresAt: number;
}

/** The worker's side: spends leased tokens locally; asks the bank (one message, answered by one) when out. */
export class LeasedRateLimiter implements RequestRateLimiter {
  readonly #leases = new Map<string, Lease>();
  readonly #pending = new Map<number, (grant: LeaseGrant) => void>();
  readonly #retryAfter = new Map<string, number>();
  /** The lease request in flight per account: true when it brought tokens. */
  readonly #inFlight = new Map<string, Promise<boolean>>();
  readonly #sweeper: NodeJS.Timeout;
  #nextId = 1;

  constructor(
    private readonly options: {
      leaseSize: number;
      send: (message: LeaseRequest | LeaseReturn) => void;
      now?: () => number;
    },
  ) {
    // Returns unspent tokens of expired leases; unref'd: it never keeps the process alive.
    this.#sweeper = setInterval(() => this.#returnExpired(), LEASE_TTL_MS / 2);
    this.#sweeper.unref();
  }

  /** Feed the bank's answers here (process.on('message')). */
  receive(message: LeaseMessage): void {
    if (message.type !== 'certguard:rate-grant') return;
    const resolve = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    resolve?.(message);
  }

  tryTake(key: string): boolean | Promise<boolean> {
    return this.#takeLocal(key) || this.#lease(key);
  }

  secondsUntilNextToken(key: string): number {
    return this.#retryAfter.get(key) ?? 1;
  }

  /** Returns every unspent token (at shutdown) and stops the sweeper. */
  close(): void {
    clearInterval(this.#sweeper);
    for (const [account, lease] of this.#leases) if (lease.tokens >= 1) this.#send({ type: 'certguard:rate-return', account, tokens: lease.tokens });
    this.#leases.clear();
    for (const resolve of this.#pending.values()) resolve({ type: 'certguard:rate-grant', id: 0, granted: 0, retryAfterSeconds: 1 });
    this.#pending.clear();
  }

  #takeLocal(key: string): boolean {
    const lease = this.#leases.get(key);
    if (!lease || lease.tokens < 1) return false;
    lease.tokens -= 1;
    return true;
  }

  /**
   * One lease request per account at a time: requests that find the local tokens spent while one is in flight wait
   * for it and take from what it brought; only when that is spent too is another asked for. Refused only when the
   * bank had nothing and nothing is left locally.
   */
  async #lease(key: string): Promise<boolean> {
    for (;;) {
      const inFlight = this.#inFlight.get(key) ?? this.#request(key);
      const granted = await inFlight;
      if (this.#takeLocal(key)) return true;
      if (!granted) return false;
    }
  }

  #request(key: string): Promise<boolean> {
    const id = this.#nextId++;
    const request = new Promise<LeaseGrant>((resolve) => {
      this.#pending.set(id, resolve);
      this.#send({ type: 'certguard:rate-lease', id, account: key, want: this.options.leaseSize });
    }).then((grant) => {
      this.#inFlight.delete(key);
      if (grant.granted < 1) {
        this.#retryAfter.set(key, Math.max(1, grant.retryAfterSeconds));
        return false;
      }
      const lease = this.#leases.get(key) ?? { tokens: 0, expiresAt: 0 };
      lease.tokens += grant.granted;
      lease.expiresAt = this.#now() + LEASE_TTL_MS;
      this.#leases.set(key, lease);
      return true;
    });
    this.#inFlight.set(key, request);
    return request;
  }

  #returnExpired(): void {
    const now = this.#now();
    for (const [account, lease] of this.#leases) {
      if (lease.expiresAt > now) continue;
      this.#leases.delete(account);
      if (lease.tokens >= 1) this.#send({ type: 'certguard:rate-return', account, tokens: Math.floor(lease.tokens) });
    }
  }

  #send(message: LeaseRequest | LeaseReturn): void {
    try {
      this.options.send(message);
    } catch {
      // The primary is gone (the worker is stopping): nothing to return tokens to.
    }
  }

  #now(): number {
    return (this.options.now ?? (() => performance.now()))();
  }
}
