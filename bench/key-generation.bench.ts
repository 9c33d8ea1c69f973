/**
 * What RSA-2048 key generation costs here, by every path available on this machine, and what the key pair pool
 * (CERTGUARD_KEY_POOL_SIZE, src/certificates/key-pair-pool.ts) buys CreateKeysAndCertificate.
 *
 * Part 1, keygen CPU per key, the paths interleaved round by round so drift hits all alike:
 *   node generateKeyPairSync / generateKeyPair (libuv thread) / WebCrypto subtle.generateKey, all Node's bundled
 *   OpenSSL; `openssl genpkey` from the system's OpenSSL (CPU of the children, from the shell's `times`); and
 *   Python's `cryptography` (its wheel bundles its own, newer OpenSSL), when python3 has it.
 *   Findings (why Node's OpenSSL 3.0 is ~3-4x slower than cryptography's): docs/operations.md#key-pair-pool.
 * Part 2, the real service (child process, scratch database), one at a time so neither steals the other's CPU:
 *   without a pool, a burst of 50 CreateKeysAndCertificate (8 concurrent clients); then with a pool of 50, waited
 *   until full (the service's CPU goes idle), the same burst, then a sustained run past the pool (keygen-bound).
 */
import { execFile } from 'node:child_process';
import { generateKeyPair, generateKeyPairSync, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import { demoOperatorOne } from '../test/support/sign-request.ts';
import type { BenchOptions, BenchResult } from './support/bench-module.ts';
import { createScratchDatabase } from './support/bench-database.ts';
import { startBenchService } from './support/bench-service.ts';
import { type ServiceSide, stopServiceSide } from './support/service-side.ts';
import { SignedHttpClient } from './support/signed-http.ts';
import { median, range, significant } from './support/stats.ts';

export const name = 'key-generation';

const run$ = promisify(execFile);
const generateKeyPairAsync = promisify(generateKeyPair);
const BURST = 50;
const CLIENTS = 8;
const REQUEST_TIMEOUT_MS = 60_000;

interface Plan {
  rounds: number;
  keysPerRound: number;
  sustainedRequests: number;
}
const plan = (quick: boolean): Plan => (quick ? { rounds: 1, keysPerRound: 3, sustainedRequests: 16 } : { rounds: 3, keysPerRound: 6, sustainedRequests: 60 });

// ---- Part 1: keygen paths ---------------------------------------------------------------------------------------

interface KeygenPath {
  label: string;
  /** CPU ms per key for `count` keys, or a reason it cannot run here. */
  measure(count: number): Promise<number | string>;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function inProcess(count: number, one: () => unknown): Promise<number> {
  const before = cpuMs();
  for (let i = 0; i < count; i++) await one();
  return (cpuMs() - before) / count;
}

const PYTHON_KEYGEN = `
import sys, time
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.backends.openssl.backend import backend
n = int(sys.argv[1]); t = time.process_time()
for _ in range(n): rsa.generate_private_key(65537, 2048)
print((time.process_time() - t) * 1000 / n, backend.openssl_version_text())
`;

/** The OpenSSL version each path links, for the table's detail column. */
const versions: Record<string, string> = {};

const PATHS: readonly KeygenPath[] = [
  { label: 'node generateKeyPairSync', measure: (n) => inProcess(n, () => generateKeyPairSync('rsa', { modulusLength: 2048 })) },
  {
    label: 'node generateKeyPair (libuv thread, what certguard uses)',
    measure: (n) => inProcess(n, () => generateKeyPairAsync('rsa', { modulusLength: 2048 })),
  },
  {
    label: 'node WebCrypto subtle.generateKey',
    measure: (n) =>
      inProcess(n, () =>
        webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, [
          'sign',
        ]),
      ),
  },
  {
    label: 'system `openssl genpkey`',
    async measure(n) {
      try {
        // `times` prints the CPU used by the shell's children: process start-up is included (a few ms).
        const loop = `for i in $(seq ${n}); do openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 >/dev/null 2>&1 || exit 3; done; times`;
        const { stdout } = await run$('sh', ['-c', loop], { timeout: 120_000 });
        const children = stdout
          .trim()
          .split('\n')
          .at(-1)
          ?.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
        if (!children) return 'could not read `times`';
        const seconds = Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]);
        versions[this.label] ??= (await run$('openssl', ['version'])).stdout.trim().split(' ').slice(0, 2).join(' ');
        return (seconds * 1000) / n;
      } catch (error) {
        return `openssl unavailable (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
      }
    },
  },
  {
    label: 'python3 `cryptography`',
    async measure(n) {
      try {
        const { stdout } = await run$('python3', ['-c', PYTHON_KEYGEN, String(n)], { timeout: 120_000 });
        const [ms, ...version] = stdout.trim().split(' ');
        versions[this.label] ??= version.slice(0, 2).join(' ');
        return Number(ms);
      } catch {
        return 'python3 with `cryptography` not available';
      }
    },
  },
];

async function measureKeygenPaths(p: Plan, log: (m: string) => void): Promise<Map<string, number[] | string>> {
  const samples = new Map<string, number[] | string>(PATHS.map((path) => [path.label, []]));
  versions['node generateKeyPairSync'] = `OpenSSL ${process.versions.openssl}`;
  for (let round = 0; round < p.rounds; round++) {
    // Reversed every other round: no path always runs right after another's cache and frequency effects.
    const order = round % 2 === 0 ? PATHS : [...PATHS].reverse();
    for (const path of order) {
      const kept = samples.get(path.label);
      if (typeof kept === 'string') continue;
      log(`key-generation: round ${round + 1}/${p.rounds}, ${path.label}`);
      const result = await path.measure(p.keysPerRound);
      if (typeof result === 'string') samples.set(path.label, result);
      else kept?.push(result);
    }
  }
  return samples;
}

function keygenRows(samples: Map<string, number[] | string>): { rows: BenchResult[]; nodeMs: number; pythonMs: number | undefined } {
  const nodeLabel = PATHS[1]!.label;
  const nodeMs = median(samples.get(nodeLabel) as number[]);
  const rows: BenchResult[] = [];
  let pythonMs: number | undefined;
  for (const [label, kept] of samples) {
    if (typeof kept === 'string') {
      rows.push({ name: `RSA-2048 keygen CPU per key: ${label}`, value: Number.NaN, unit: 'ms', detail: kept });
      continue;
    }
    const value = median(kept);
    if (label.startsWith('python3')) pythonMs = value;
    rows.push({
      name: `RSA-2048 keygen CPU per key: ${label}`,
      value,
      unit: 'ms',
      ...(label === nodeLabel ? {} : { baseline: { name: 'node generateKeyPair', value: nodeMs } }),
      detail: `${versions[label] ?? `OpenSSL ${process.versions.openssl} (bundled in Node)`}; rounds ${range(kept)}`,
    });
  }
  return { rows, nodeMs, pythonMs };
}

// ---- Part 2: the service, with and without the pool -----------------------------------------------------------------

interface Burst {
  count: number;
  elapsedMs: number;
  /** Service process CPU over the burst (NaN where /proc is missing). */
  serviceCpuMs: number;
  failed: number;
  privateKeys: Set<string>;
}

async function createKeys(side: ServiceSide, count: number): Promise<Burst> {
  const client = side.client;
  const burst: Burst = { count, elapsedMs: 0, serviceCpuMs: Number.NaN, failed: 0, privateKeys: new Set() };
  const cpuBefore = await side.service.cpuMs();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      const answer = await client.send(
        { method: 'POST', path: '/keys-and-certificate', query: { setAsActive: 'false' }, credential: demoOperatorOne },
        REQUEST_TIMEOUT_MS,
      );
      const privateKey = answer.status === 200 ? ((JSON.parse(answer.body) as { keyPair?: { PrivateKey?: string } }).keyPair?.PrivateKey ?? '') : '';
      if (privateKey === '') burst.failed++;
      else burst.privateKeys.add(privateKey);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  burst.elapsedMs = performance.now() - started;
  const cpuAfter = await side.service.cpuMs();
  if (cpuBefore !== undefined && cpuAfter !== undefined) burst.serviceCpuMs = cpuAfter - cpuBefore;
  return burst;
}

const rate = (burst: Burst) => burst.count / (burst.elapsedMs / 1000);

async function startSide(label: ServiceSide['label'], poolSize: number, options: BenchOptions): Promise<ServiceSide> {
  const scratch = await createScratchDatabase(options.database);
  try {
    const service = await startBenchService({ env: { ...scratch.serviceEnv, CERTGUARD_KEY_POOL_SIZE: String(poolSize) } });
    return { label, scratch, service, client: new SignedHttpClient(service.host, service.port, CLIENTS) };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

/** The pool fills one key at a time: once it is full the service's CPU goes (nearly) idle. */
async function waitUntilIdle(side: ServiceSide, log: (m: string) => void): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  let previous = await side.service.cpuMs();
  let quietSamples = 0;
  while (Date.now() < deadline && previous !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await side.service.cpuMs();
    if (now === undefined) return false;
    quietSamples = now - previous < 40 ? quietSamples + 1 : 0;
    previous = now;
    if (quietSamples >= 3) return true;
  }
  log('key-generation: the pooled service never went idle; its burst may include keygen');
  return false;
}

async function measureService(p: Plan, options: BenchOptions) {
  let side: ServiceSide | undefined;
  const keys = new Set<string>();
  const collect = (burst: Burst) => {
    for (const key of burst.privateKeys) keys.add(key);
  };
  try {
    side = await startSide('off', 0, options);
    // One request first: connections, the CA signer and the JIT warm, as in the pooled run below.
    collect(await createKeys(side, CLIENTS));
    options.log(`key-generation: burst of ${BURST} without a pool`);
    const withoutPool = await createKeys(side, BURST);
    collect(withoutPool);
    await stopServiceSide(side);
    side = undefined;

    side = await startSide('on', BURST, options);
    options.log(`key-generation: waiting for a pool of ${BURST} to fill`);
    const warm = await createKeys(side, CLIENTS);
    collect(warm);
    const idle = await waitUntilIdle(side, options.log);
    options.log(`key-generation: burst of ${BURST} from the pool`);
    const fromPool = await createKeys(side, BURST);
    collect(fromPool);
    options.log(`key-generation: ${p.sustainedRequests} more, past the pool`);
    // The rest of the pool drains within the first few; after that every answer waits for a key.
    const sustained = await createKeys(side, p.sustainedRequests);
    collect(sustained);
    const total = CLIENTS + BURST + CLIENTS + BURST + p.sustainedRequests;
    const failed = [withoutPool, fromPool, sustained, warm].reduce((sum, burst) => sum + burst.failed, 0);
    return { withoutPool, fromPool, sustained, idle, distinct: keys.size, total, failed };
  } finally {
    await stopServiceSide(side);
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const p = plan(options.quick);
  const keygen = keygenRows(await measureKeygenPaths(p, options.log));
  const service = await measureService(p, options);
  const burstDetail = (burst: Burst) =>
    `${burst.count} requests in ${significant(burst.elapsedMs)} ms, ${CLIENTS} clients, service CPU ${significant(burst.serviceCpuMs / burst.count)} ms/request`;
  const nodeRate = 1000 / keygen.nodeMs;
  return [
    ...keygen.rows,
    {
      name: `CreateKeysAndCertificate burst of ${BURST}, served from a full pool (CERTGUARD_KEY_POOL_SIZE=${BURST})`,
      value: rate(service.fromPool),
      unit: 'req/s',
      baseline: { name: 'same burst without a pool', value: rate(service.withoutPool) },
      target: { min: 200 },
      detail: `${burstDetail(service.fromPool)}${service.idle ? '' : '; pool may not have been full'}`,
    },
    {
      name: 'CreateKeysAndCertificate sustained, past the pool (keygen-bound)',
      value: rate(service.sustained),
      unit: 'req/s',
      ...(keygen.pythonMs === undefined ? {} : { baseline: { name: 'python3 `cryptography` keygen rate, one core', value: 1000 / keygen.pythonMs } }),
      detail: `${burstDetail(service.sustained)}; node generateKeyPair one core: ${significant(nodeRate)} keys/s; 2 cores shared with the database and the load generator`,
    },
    {
      name: 'distinct private keys among all answers',
      value: service.distinct,
      unit: 'keys',
      ok: service.distinct === service.total && service.failed === 0,
      detail: `${service.total} requests, ${service.failed} failed`,
    },
  ];
}
