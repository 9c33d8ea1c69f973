/**
 * A small bounded stock of fresh RSA-2048 key pairs for CreateKeysAndCertificate, generated ahead in the
 * background so a burst of requests does not each wait ~130-160 ms of CPU for OpenSSL 3.0's key generation
 * (docs/operations.md#key-pair-pool explains why it costs that much here).
 *
 * Rules the class keeps:
 * - In memory only: a pair is a pair of PEM strings held in an array; nothing is logged, written or exported.
 * - Each pair is handed out once: take() removes it from the array before returning it, so the pool keeps no
 *   reference and the strings are garbage once the request is answered.
 * - Refilled at low priority: ONE generation at a time (libuv has 4 threads, shared with fs and dns; a burst of
 *   refills would take them all), and only once takes have paused for REFILL_QUIET_MS: a generation costs
 *   ~150-300 ms of a core here, so refilling DURING a burst took one of the machine's two cores from the requests
 *   the pool exists to serve (the pooled burst measured ~58/s with it, docs/operations.md#key-pair-pool).
 * - When empty, take() generates on demand exactly as without a pool: a pool never makes a request slower.
 * - stop() empties it and waits for the one generation in flight (it cannot be cancelled inside OpenSSL); the
 *   quiet-period timer is unref'd and cleared, so nothing keeps a stopped process alive.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

export interface RsaKeyPairPem {
  /** SPKI, "BEGIN PUBLIC KEY". */
  publicKey: string;
  /** PKCS#1, "BEGIN RSA PRIVATE KEY", as AWS IoT returns it. */
  privateKey: string;
}

/** Where CreateKeysAndCertificate gets its key pair: the pool, or generateDeviceKeyPair directly. */
export interface KeyPairSource {
  take(): Promise<RsaKeyPairPem>;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** One fresh device key pair, on a libuv thread. */
export function generateDeviceKeyPair(): Promise<RsaKeyPairPem> {
  return generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}

export const onDemandKeyPairs: KeyPairSource = { take: generateDeviceKeyPair };

export interface KeyPairPoolStats {
  /** Pairs ready now. */
  ready: number;
  capacity: number;
  /** Pairs handed out from stock / generated on demand because the stock was empty. */
  servedFromPool: number;
  servedOnDemand: number;
}

/** How long takes must pause before the background refill resumes. */
export const REFILL_QUIET_MS = 100;

export class KeyPairPool implements KeyPairSource {
  private readonly ready: RsaKeyPairPem[] = [];
  private lastTakeAt = Number.NEGATIVE_INFINITY;
  private quietTimer: NodeJS.Timeout | undefined;
  private refilling: Promise<void> | undefined;
  private refillQueued = false;
  private stopped = false;
  private servedFromPool = 0;
  private servedOnDemand = 0;

  /**
   * @param capacity how many pairs to keep ready (>= 1; a size of 0 means no pool: use onDemandKeyPairs).
   * @param generate injectable for tests; production uses generateDeviceKeyPair.
   * @param onError called when a background generation fails (the refill stops until the next take()).
   */
  constructor(
    private readonly capacity: number,
    private readonly generate: () => Promise<RsaKeyPairPem> = generateDeviceKeyPair,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`key pair pool capacity must be an integer >= 1, got ${capacity}`);
  }

  /** Starts filling in the background; returns at once. */
  start(): this {
    this.scheduleRefill();
    return this;
  }

  async take(): Promise<RsaKeyPairPem> {
    if (this.stopped) return this.generate();
    this.lastTakeAt = performance.now();
    const pair = this.ready.shift();
    this.scheduleRefill();
    if (pair !== undefined) {
      this.servedFromPool++;
      return pair;
    }
    this.servedOnDemand++;
    return this.generate();
  }

  stats(): KeyPairPoolStats {
    return { ready: this.ready.length, capacity: this.capacity, servedFromPool: this.servedFromPool, servedOnDemand: this.servedOnDemand };
  }

  /** Drops every ready pair and waits for the generation in flight (its result is dropped too). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    this.ready.length = 0;
    await this.refilling;
    this.ready.length = 0;
  }

  private scheduleRefill(): void {
    if (this.stopped || this.refilling !== undefined || this.refillQueued || this.ready.length >= this.capacity) return;
    const wait = this.lastTakeAt + REFILL_QUIET_MS - performance.now();
    if (wait > 0) {
      // Takes are still coming: look again when they may have paused (one timer at a time).
      this.quietTimer ??= setTimeout(() => {
        this.quietTimer = undefined;
        this.scheduleRefill();
      }, wait).unref();
      return;
    }
    this.refillQueued = true;
    // setImmediate, not a timer: runs after pending I/O callbacks, so requests already waiting go first.
    setImmediate(() => {
      this.refillQueued = false;
      if (this.stopped || this.refilling !== undefined) return;
      this.refilling = this.refill().then((outcome) => {
        this.refilling = undefined;
        // Stopped early because takes resumed: resume once they pause again (after a failure: on the next take).
        if (outcome === 'paused') this.scheduleRefill();
      });
    });
  }

  /** One pair at a time until full: at most one libuv thread busy with background keygen. */
  private async refill(): Promise<'full' | 'paused' | 'failed' | 'stopped'> {
    while (!this.stopped && this.ready.length < this.capacity) {
      if (performance.now() - this.lastTakeAt < REFILL_QUIET_MS) return 'paused';
      let pair: RsaKeyPairPem;
      try {
        pair = await this.generate();
      } catch (error) {
        this.onError(error);
        return 'failed';
      }
      if (this.stopped) return 'stopped';
      this.ready.push(pair);
      // Yield to the event loop between generations: a request callback queued meanwhile runs first.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.stopped ? 'stopped' : 'full';
  }
}
