/**
 * The only reader of process.env (besides the OpenTelemetry bootstrap, which reads the standard OTEL_* variables).
 * Every variable is validated here, so a bad value stops the service at start-up with a message naming it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding package.json, openapi/, policies/ and config/: the nearest ancestor with a package.json, so
 * the same code finds them from src/config.ts (tsx) and from dist/src/config.js (the compiled build, npm start).
 */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

export const PROJECT_ROOT = projectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const DEMO_CREDENTIALS_FILE = path.join(PROJECT_ROOT, 'config', 'demo-credentials.json');

export type LogLevel = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';
const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

export interface Config {
  port: number;
  /** Postgres URL; undefined means the embedded PGlite database. */
  databaseUrl: string | undefined;
  /** PGlite data directory, or `memory://` for an in-memory database. */
  dataDir: string;
  /**
   * A migrated PGlite data-dir tarball an in-memory database starts from (src/db/pglite-template.ts); not read from
   * the environment: the test runner builds one per run and test-config.ts passes it. Absent = plain initdb.
   */
  pgliteTemplate?: string;
  credentialsFile: string;
  /** True when no CERTGUARD_CREDENTIALS_FILE was given and the shipped demo file is used. */
  usingDemoCredentials: boolean;
  policiesDir: string;
  /** Reload the rule bundle when a file in policiesDir changes (SIGHUP always reloads). */
  policiesWatch: boolean;
  region: string;
  logLevel: LogLevel;
  /** How long start-up retries an unreachable Postgres (with backoff) before it exits; 0 = one attempt. */
  dbWaitSeconds: number;
  /** Run migrations at start-up (CERTGUARD_MIGRATE=false turns it off). */
  migrateOnStart: boolean;
  /** Allowed clock skew for SigV4 X-Amz-Date, in seconds. */
  maxClockSkewSeconds: number;
  /** Requests per second each account may make (token bucket); 0 turns the limit off. */
  rateLimitPerSecond: number;
  /** How many requests an account may make at once after being idle. */
  rateLimitBurst: number;
  /** How often the audit sealer chains committed audit rows (docs/audit.md); 0 = no sealer in this process. */
  auditSealIntervalMs: number;
  /** Sign the audit chain head after this many sealed entries; 0 = never by count. */
  auditCheckpointEvery: number;
  /** Sign the audit chain head when it moved and this many minutes passed; 0 = never by time. */
  auditCheckpointMinutes: number;
  /** Ed25519 private key (PKCS#8 PEM) signing audit checkpoints; undefined = generated (see docs/audit.md). */
  auditSigningKeyFile: string | undefined;
  /** Where refused attempts' audit rows wait while the database is down (docs/security.md); one file per process. */
  auditSpoolDir: string;
  /** This process's bound on unreplayed spool bytes; past it, attempts are only counted. */
  auditSpoolMaxBytes: number;
  /** Interface the API listens on (HOST): loopback unless set; the Docker image sets 0.0.0.0. */
  host: string;
  /** CERTGUARD_METRICS_PORT: serve GET /metrics on this port only (not on the API port); undefined = on the API port. */
  metricsPort: number | undefined;
  /** Interface of the metrics listener (CERTGUARD_METRICS_HOST). */
  metricsHost: string;
  /** NODE_ENV=production: insecure defaults stop the service unless CERTGUARD_ALLOW_INSECURE_DEFAULTS=true. */
  production: boolean;
  /** The insecure defaults production mode accepted because of CERTGUARD_ALLOW_INSECURE_DEFAULTS (logged loudly). */
  insecureDefaults: readonly string[];
  /** CERTGUARD_KEY_POOL_SIZE: RSA key pairs kept generated ahead for CreateKeysAndCertificate (memory only); 0 = none. */
  keyPoolSize: number;
  /** Server timeouts (src/http/api-server.ts) and the shutdown drain (src/http/graceful-shutdown.ts), in ms. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  bodyTimeoutMs: number;
  drainTimeoutMs: number;
  /** Audit failed authentications (bounded, docs/security.md); false turns it off (e.g. to measure its cost). */
  auditAuthFailures: boolean;
  /** Failed authentications recorded individually per (source IP, access key id) and window; the rest are summed. */
  auditAuthFailuresPerSource: number;
  /** Failed authentications recorded individually per window across all sources; beyond: one global summary. */
  auditAuthFailuresGlobal: number;
  /** The aggregation window of failed authentications, in milliseconds. */
  auditAuthFailureWindowMs: number;
  /** Record certificate and IoT policy reads (Describe*, List*, Get*) as DataRead audit rows, like CloudTrail data events. */
  auditDataEvents: boolean;
  /**
   * CERTGUARD_TRACE_URL_TEMPLATE: where the console links a trace id, `{traceId}` replaced (e.g. a Grafana Tempo or
   * Jaeger URL); undefined: the console shows the id without a link.
   */
  traceUrlTemplate?: string;
  /**
   * CERTGUARD_WORKERS: worker processes sharing the API port (src/cluster/); default the number of cores with
   * Postgres, and always 1 with the embedded PGlite database (a single-process database).
   */
  workers: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL (expected postgres://user@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must use postgres:// or postgresql://, got "${url.protocol}"`);
  }
  return raw;
}

function traceUrlTemplate(env: Env): string | undefined {
  const raw = env.CERTGUARD_TRACE_URL_TEMPLATE;
  if (raw === undefined || raw === '') return undefined;
  // Only http(s): the console puts it in an href, where javascript: would run in the signed-in page.
  if (!raw.includes('{traceId}')) throw new ConfigError('CERTGUARD_TRACE_URL_TEMPLATE', 'must contain {traceId}');
  let url: URL;
  try {
    url = new URL(raw.replaceAll('{traceId}', '0'));
  } catch {
    throw new ConfigError('CERTGUARD_TRACE_URL_TEMPLATE', 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('CERTGUARD_TRACE_URL_TEMPLATE', `must use http:// or https://, got "${url.protocol}"`);
  }
  return raw;
}

function optionalTraceUrlTemplate(env: Env): Pick<Config, 'traceUrlTemplate'> {
  const template = traceUrlTemplate(env);
  return template === undefined ? {} : { traceUrlTemplate: template };
}

function region(env: Env): string {
  const value = env.AWS_REGION || 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(value)) {
    throw new ConfigError('AWS_REGION', `must look like us-east-1, got "${value}"`);
  }
  return value;
}

function logLevel(env: Env): LogLevel {
  const value = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(value)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return value;
}

function rateLimit(env: Env): Pick<Config, 'rateLimitPerSecond' | 'rateLimitBurst'> {
  const rateLimitPerSecond = integer(env, 'CERTGUARD_RATE_LIMIT', 100, 0, 1_000_000);
  const rateLimitBurst = integer(env, 'CERTGUARD_RATE_LIMIT_BURST', Math.max(1, rateLimitPerSecond * 2), 1, 10_000_000);
  return { rateLimitPerSecond, rateLimitBurst };
}

function auditChain(env: Env): Pick<Config, 'auditSealIntervalMs' | 'auditCheckpointEvery' | 'auditCheckpointMinutes' | 'auditSigningKeyFile'> {
  return {
    auditSealIntervalMs: integer(env, 'CERTGUARD_AUDIT_SEAL_INTERVAL_MS', 200, 0, 60_000),
    auditCheckpointEvery: integer(env, 'CERTGUARD_AUDIT_CHECKPOINT_EVERY', 1000, 0, 100_000_000),
    auditCheckpointMinutes: integer(env, 'CERTGUARD_AUDIT_CHECKPOINT_MINUTES', 10, 0, 10_080),
    auditSigningKeyFile: env.CERTGUARD_AUDIT_SIGNING_KEY_FILE || undefined,
  };
}

function auditSpool(env: Env, dataDir: string): Pick<Config, 'auditSpoolDir' | 'auditSpoolMaxBytes'> {
  return {
    auditSpoolDir: env.CERTGUARD_AUDIT_SPOOL_DIR || path.join(dataDir === 'memory://' ? './data' : dataDir, 'spool'),
    auditSpoolMaxBytes: integer(env, 'CERTGUARD_AUDIT_SPOOL_MAX_BYTES', 64 * 1024 * 1024, 4096, 1024 ** 4),
  };
}

function host(env: Env, name: string): string {
  const value = env[name] || '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(value)) throw new ConfigError(name, `must be an IP address or host name, got "${value}"`);
  return value;
}

type ServerSettings = Pick<
  Config,
  'host' | 'metricsPort' | 'metricsHost' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'bodyTimeoutMs' | 'drainTimeoutMs'
>;

/** Listeners and timeouts suited to an API: a slow or oversize client is cut within seconds (docs/security.md). */
function server(env: Env): ServerSettings {
  const metricsPort = env.CERTGUARD_METRICS_PORT ? integer(env, 'CERTGUARD_METRICS_PORT', 0, 1, 65535) : undefined;
  const requestTimeoutMs = integer(env, 'CERTGUARD_REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000);
  const headersTimeoutMs = integer(env, 'CERTGUARD_HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs), 100, 3_600_000);
  // Node refuses a headers timeout longer than the request timeout; say so here rather than at listen().
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('CERTGUARD_HEADERS_TIMEOUT_MS', `must not exceed CERTGUARD_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  return {
    host: host(env, 'HOST'),
    metricsPort,
    metricsHost: host(env, 'CERTGUARD_METRICS_HOST'),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'CERTGUARD_KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 600_000),
    bodyTimeoutMs: integer(env, 'CERTGUARD_BODY_TIMEOUT_MS', 10_000, 100, 3_600_000),
    drainTimeoutMs: integer(env, 'CERTGUARD_DRAIN_TIMEOUT_MS', 25_000, 0, 3_600_000),
  };
}

/**
 * Production mode (NODE_ENV=production) refuses the defaults made for trying certguard on a laptop: the demo
 * credentials (their secrets are in the README), a generated checkpoint signing key (each replica would sign with
 * its own) and the embedded PGlite database (it never fsyncs). CERTGUARD_ALLOW_INSECURE_DEFAULTS=true turns the
 * refusal into warnings, for a trial of the production image.
 */
function productionSafety(env: Env): Pick<Config, 'production' | 'insecureDefaults'> {
  const production = env.NODE_ENV === 'production';
  const allowInsecure = boolean(env, 'CERTGUARD_ALLOW_INSECURE_DEFAULTS', false);
  if (!production) return { production, insecureDefaults: [] };
  const missing: Array<[string, string]> = [];
  if (!env.CERTGUARD_CREDENTIALS_FILE) missing.push(['CERTGUARD_CREDENTIALS_FILE', 'the demo credentials, whose secrets are public']);
  if (!env.CERTGUARD_AUDIT_SIGNING_KEY_FILE) missing.push(['CERTGUARD_AUDIT_SIGNING_KEY_FILE', 'a generated audit checkpoint signing key']);
  if (!env.DATABASE_URL) missing.push(['DATABASE_URL', 'the embedded PGlite database, which never fsyncs']);
  const insecureDefaults = missing.map(([name, used]) => `${name} is not set: using ${used}`);
  if (missing.length > 0 && !allowInsecure) {
    throw new ConfigError(
      missing[0]![0],
      `must be set when NODE_ENV=production (${insecureDefaults.join('; ')}). ` +
        'Set every one of them, or CERTGUARD_ALLOW_INSECURE_DEFAULTS=true for a trial',
    );
  }
  return { production, insecureDefaults };
}

function auditCoverage(
  env: Env,
): Pick<Config, 'auditAuthFailures' | 'auditAuthFailuresPerSource' | 'auditAuthFailuresGlobal' | 'auditAuthFailureWindowMs' | 'auditDataEvents'> {
  return {
    auditAuthFailures: boolean(env, 'CERTGUARD_AUDIT_AUTH_FAILURES', true),
    auditAuthFailuresPerSource: integer(env, 'CERTGUARD_AUDIT_AUTH_FAILURES_PER_SOURCE', 10, 0, 10_000),
    auditAuthFailuresGlobal: integer(env, 'CERTGUARD_AUDIT_AUTH_FAILURES_GLOBAL', 100, 0, 100_000),
    auditAuthFailureWindowMs: integer(env, 'CERTGUARD_AUDIT_AUTH_FAILURE_WINDOW_MS', 60_000, 100, 3_600_000),
    auditDataEvents: boolean(env, 'CERTGUARD_AUDIT_DATA_EVENTS', false),
  };
}

/** PGlite is one process's database: several workers need Postgres (docs/operations.md#workers). */
function workers(env: Env, usesPostgres: boolean): number {
  if (!usesPostgres) {
    const requested = integer(env, 'CERTGUARD_WORKERS', 1, 1, 1024);
    if (requested > 1) throw new ConfigError('CERTGUARD_WORKERS', `must be 1 with the embedded PGlite database (set DATABASE_URL for ${requested} workers)`);
    return 1;
  }
  return integer(env, 'CERTGUARD_WORKERS', availableParallelism(), 1, 1024);
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const credentialsFile = env.CERTGUARD_CREDENTIALS_FILE;
  return Object.freeze({
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl: databaseUrl(env),
    dataDir: env.CERTGUARD_DATA_DIR || './data',
    credentialsFile: credentialsFile || DEMO_CREDENTIALS_FILE,
    usingDemoCredentials: !credentialsFile,
    policiesDir: env.CERTGUARD_POLICIES_DIR || path.join(PROJECT_ROOT, 'policies'),
    policiesWatch: boolean(env, 'CERTGUARD_POLICIES_WATCH', false),
    region: region(env),
    logLevel: logLevel(env),
    dbWaitSeconds: integer(env, 'CERTGUARD_DB_WAIT_SECONDS', 60, 0, 3600),
    migrateOnStart: boolean(env, 'CERTGUARD_MIGRATE', true),
    maxClockSkewSeconds: integer(env, 'CERTGUARD_MAX_CLOCK_SKEW_SECONDS', 900, 0, 86400),
    keyPoolSize: integer(env, 'CERTGUARD_KEY_POOL_SIZE', 8, 0, 256),
    ...rateLimit(env),
    ...auditChain(env),
    ...auditSpool(env, env.CERTGUARD_DATA_DIR || './data'),
    ...server(env),
    ...productionSafety(env),
    ...auditCoverage(env),
    ...optionalTraceUrlTemplate(env),
    workers: workers(env, databaseUrl(env) !== undefined),
  });
}
