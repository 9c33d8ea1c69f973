import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { availableParallelism } from 'node:os';
import { ConfigError, DEMO_CREDENTIALS_FILE, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  test('defaults: port 3000, embedded database in ./data, demo credentials, us-east-1, migrations at start', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.dataDir, './data');
    assert.equal(config.credentialsFile, DEMO_CREDENTIALS_FILE);
    assert.equal(config.usingDemoCredentials, true);
    assert.equal(config.region, 'us-east-1');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.migrateOnStart, true);
    assert.equal(config.rateLimitPerSecond, 100);
    assert.equal(config.rateLimitBurst, 200);
    assert.equal(config.policiesWatch, false);
    assert.equal(config.auditSealIntervalMs, 200);
    assert.equal(config.auditCheckpointEvery, 1000);
    assert.equal(config.auditCheckpointMinutes, 10);
    assert.equal(config.auditSigningKeyFile, undefined);
    assert.equal(config.auditSpoolDir, 'data/spool');
    assert.equal(config.auditSpoolMaxBytes, 64 * 1024 * 1024);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.metricsPort, undefined);
    assert.equal(config.metricsHost, '127.0.0.1');
    assert.equal(config.production, false);
    assert.deepEqual(config.insecureDefaults, []);
    assert.deepEqual(
      [config.headersTimeoutMs, config.requestTimeoutMs, config.keepAliveTimeoutMs, config.bodyTimeoutMs, config.drainTimeoutMs],
      [10_000, 30_000, 5000, 10_000, 25_000],
    );
    assert.equal(config.auditAuthFailures, true);
    assert.equal(config.auditAuthFailuresPerSource, 10);
    assert.equal(config.auditAuthFailuresGlobal, 100);
    assert.equal(config.auditAuthFailureWindowMs, 60_000);
    assert.equal(config.auditDataEvents, false);
    assert.equal(config.keyPoolSize, 8);
    assert.ok(Object.isFrozen(config));
  });

  test('CERTGUARD_KEY_POOL_SIZE: 0 turns the pool off; negative, fractional or above 256 stops the service', () => {
    assert.equal(loadConfig({ CERTGUARD_KEY_POOL_SIZE: '0' }).keyPoolSize, 0);
    assert.equal(loadConfig({ CERTGUARD_KEY_POOL_SIZE: '256' }).keyPoolSize, 256);
    for (const value of ['-1', '1.5', '257', 'eight']) {
      assert.throws(() => loadConfig({ CERTGUARD_KEY_POOL_SIZE: value }), /CERTGUARD_KEY_POOL_SIZE/);
    }
  });

  test('the audit spool defaults to spool/ under CERTGUARD_DATA_DIR, and to ./data/spool with an in-memory database', () => {
    assert.equal(loadConfig({ CERTGUARD_DATA_DIR: '/var/lib/certguard' }).auditSpoolDir, '/var/lib/certguard/spool');
    assert.equal(loadConfig({ CERTGUARD_DATA_DIR: 'memory://' }).auditSpoolDir, 'data/spool');
  });

  test('every variable is read', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/certguard',
      CERTGUARD_DATA_DIR: 'memory://',
      CERTGUARD_CREDENTIALS_FILE: '/etc/certguard/keys.json',
      CERTGUARD_POLICIES_DIR: '/etc/certguard/policies',
      AWS_REGION: 'eu-west-3',
      LOG_LEVEL: 'debug',
      CERTGUARD_MIGRATE: 'false',
      CERTGUARD_MAX_CLOCK_SKEW_SECONDS: '60',
      CERTGUARD_KEY_POOL_SIZE: '3',
      CERTGUARD_RATE_LIMIT: '5',
      CERTGUARD_RATE_LIMIT_BURST: '7',
      CERTGUARD_POLICIES_WATCH: 'true',
      CERTGUARD_AUDIT_SEAL_INTERVAL_MS: '0',
      CERTGUARD_AUDIT_CHECKPOINT_EVERY: '50',
      CERTGUARD_AUDIT_CHECKPOINT_MINUTES: '3',
      CERTGUARD_AUDIT_SIGNING_KEY_FILE: '/etc/certguard/audit-key.pem',
      CERTGUARD_AUDIT_SPOOL_DIR: '/var/spool/certguard',
      CERTGUARD_AUDIT_SPOOL_MAX_BYTES: '1048576',
      HOST: '0.0.0.0',
      CERTGUARD_METRICS_PORT: '9464',
      CERTGUARD_METRICS_HOST: '10.0.0.5',
      NODE_ENV: 'production',
      CERTGUARD_HEADERS_TIMEOUT_MS: '2000',
      CERTGUARD_REQUEST_TIMEOUT_MS: '20000',
      CERTGUARD_KEEP_ALIVE_TIMEOUT_MS: '4000',
      CERTGUARD_BODY_TIMEOUT_MS: '3000',
      CERTGUARD_DRAIN_TIMEOUT_MS: '15000',
      CERTGUARD_DB_WAIT_SECONDS: '30',
      CERTGUARD_AUDIT_AUTH_FAILURES: 'false',
      CERTGUARD_AUDIT_AUTH_FAILURES_PER_SOURCE: '3',
      CERTGUARD_AUDIT_AUTH_FAILURES_GLOBAL: '40',
      CERTGUARD_AUDIT_AUTH_FAILURE_WINDOW_MS: '5000',
      CERTGUARD_AUDIT_DATA_EVENTS: 'true',
      CERTGUARD_WORKERS: '4',
    });
    assert.deepEqual(
      { ...config },
      {
        port: 8080,
        databaseUrl: 'postgres://u@db:5432/certguard',
        dataDir: 'memory://',
        credentialsFile: '/etc/certguard/keys.json',
        usingDemoCredentials: false,
        workers: 4,
        policiesDir: '/etc/certguard/policies',
        region: 'eu-west-3',
        logLevel: 'debug',
        migrateOnStart: false,
        maxClockSkewSeconds: 60,
        keyPoolSize: 3,
        rateLimitPerSecond: 5,
        rateLimitBurst: 7,
        policiesWatch: true,
        auditSealIntervalMs: 0,
        auditCheckpointEvery: 50,
        auditCheckpointMinutes: 3,
        auditSigningKeyFile: '/etc/certguard/audit-key.pem',
        auditSpoolDir: '/var/spool/certguard',
        auditSpoolMaxBytes: 1048576,
        host: '0.0.0.0',
        metricsPort: 9464,
        metricsHost: '10.0.0.5',
        production: true,
        insecureDefaults: [],
        headersTimeoutMs: 2000,
        requestTimeoutMs: 20000,
        keepAliveTimeoutMs: 4000,
        bodyTimeoutMs: 3000,
        drainTimeoutMs: 15000,
        dbWaitSeconds: 30,
        auditAuthFailures: false,
        auditAuthFailuresPerSource: 3,
        auditAuthFailuresGlobal: 40,
        auditAuthFailureWindowMs: 5000,
        auditDataEvents: true,
      },
    );
  });

  const invalid: Array<[string, string]> = [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['AWS_REGION', 'moon'],
    ['LOG_LEVEL', 'loud'],
    ['CERTGUARD_MIGRATE', 'maybe'],
    ['CERTGUARD_MAX_CLOCK_SKEW_SECONDS', '-5'],
    ['CERTGUARD_RATE_LIMIT', 'fast'],
    ['CERTGUARD_RATE_LIMIT_BURST', '0'],
    ['CERTGUARD_AUDIT_SEAL_INTERVAL_MS', 'often'],
    ['CERTGUARD_AUDIT_SEAL_INTERVAL_MS', '3600000'],
    ['CERTGUARD_AUDIT_CHECKPOINT_EVERY', '-1'],
    ['CERTGUARD_AUDIT_CHECKPOINT_MINUTES', 'ten'],
    ['CERTGUARD_AUDIT_SPOOL_MAX_BYTES', 'big'],
    ['CERTGUARD_AUDIT_SPOOL_MAX_BYTES', '100'],
    ['HOST', 'a host; rm -rf'],
    ['CERTGUARD_METRICS_PORT', '0'],
    ['CERTGUARD_METRICS_PORT', 'nine'],
    ['CERTGUARD_METRICS_HOST', 'local host'],
    ['CERTGUARD_REQUEST_TIMEOUT_MS', '10'],
    ['CERTGUARD_HEADERS_TIMEOUT_MS', '60000'],
    ['CERTGUARD_KEEP_ALIVE_TIMEOUT_MS', 'long'],
    ['CERTGUARD_BODY_TIMEOUT_MS', '5'],
    ['CERTGUARD_DRAIN_TIMEOUT_MS', '-1'],
    ['CERTGUARD_DB_WAIT_SECONDS', '-1'],
    ['CERTGUARD_ALLOW_INSECURE_DEFAULTS', 'yes'],
    ['CERTGUARD_AUDIT_AUTH_FAILURES', 'yes'],
    ['CERTGUARD_AUDIT_AUTH_FAILURES_PER_SOURCE', 'many'],
    ['CERTGUARD_AUDIT_AUTH_FAILURE_WINDOW_MS', '10'],
    ['CERTGUARD_AUDIT_DATA_EVENTS', 'on'],
  ];
  for (const [variable, value] of invalid) {
    test(`${variable}=${value} is refused with a message naming ${variable}`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.variable, variable);
          assert.match(error.message, new RegExp(variable));
          return true;
        },
      );
    });
  }

  describe('production mode (NODE_ENV=production)', () => {
    const secure = {
      NODE_ENV: 'production',
      CERTGUARD_CREDENTIALS_FILE: '/etc/certguard/keys.json',
      CERTGUARD_AUDIT_SIGNING_KEY_FILE: '/etc/certguard/audit-key.pem',
      DATABASE_URL: 'postgres://u@db:5432/certguard',
    };

    test('starts when credentials, signing key and database are all configured', () => {
      const config = loadConfig(secure);
      assert.equal(config.production, true);
      assert.deepEqual(config.insecureDefaults, []);
    });

    for (const variable of ['CERTGUARD_CREDENTIALS_FILE', 'CERTGUARD_AUDIT_SIGNING_KEY_FILE', 'DATABASE_URL'] as const) {
      test(`without ${variable} it refuses to start, naming ${variable} and the opt-in`, () => {
        assert.throws(
          () => loadConfig({ ...secure, [variable]: '' }),
          (error: unknown) => {
            assert.ok(error instanceof ConfigError);
            assert.equal(error.variable, variable);
            assert.match(error.message, new RegExp(`${variable} must be set when NODE_ENV=production`));
            assert.match(error.message, /CERTGUARD_ALLOW_INSECURE_DEFAULTS=true/);
            return true;
          },
        );
      });
    }

    test('with nothing configured the refusal names all three variables', () => {
      assert.throws(
        () => loadConfig({ NODE_ENV: 'production' }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          for (const name of ['CERTGUARD_CREDENTIALS_FILE', 'CERTGUARD_AUDIT_SIGNING_KEY_FILE', 'DATABASE_URL']) assert.match(error.message, new RegExp(name));
          return true;
        },
      );
    });

    test('CERTGUARD_ALLOW_INSECURE_DEFAULTS=true turns the refusal into the list of warnings to log', () => {
      const config = loadConfig({ NODE_ENV: 'production', CERTGUARD_ALLOW_INSECURE_DEFAULTS: 'true' });
      assert.equal(config.usingDemoCredentials, true);
      assert.equal(config.insecureDefaults.length, 3);
      assert.match(config.insecureDefaults.join('\n'), /CERTGUARD_CREDENTIALS_FILE.*\n.*CERTGUARD_AUDIT_SIGNING_KEY_FILE.*\n.*DATABASE_URL/);
    });

    test('outside production the defaults are accepted without warnings', () => {
      assert.deepEqual(loadConfig({ NODE_ENV: 'development' }).insecureDefaults, []);
    });
  });
});

describe('CERTGUARD_WORKERS', () => {
  const postgres = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/certguard' };

  test('defaults to the number of cores with Postgres, and takes an explicit count', () => {
    assert.equal(loadConfig(postgres).workers, availableParallelism());
    assert.equal(loadConfig({ ...postgres, CERTGUARD_WORKERS: '3' }).workers, 3);
  });

  test('is 1 with the embedded PGlite database, and more is refused with a message naming the variable', () => {
    assert.equal(loadConfig({}).workers, 1);
    assert.equal(loadConfig({ CERTGUARD_WORKERS: '1' }).workers, 1);
    assert.throws(
      () => loadConfig({ CERTGUARD_WORKERS: '2' }),
      (error: unknown) => error instanceof ConfigError && /CERTGUARD_WORKERS must be 1 with the embedded PGlite/.test(error.message),
    );
  });

  test('refuses 0 and non-numbers', () => {
    assert.throws(() => loadConfig({ ...postgres, CERTGUARD_WORKERS: '0' }), ConfigError);
    assert.throws(() => loadConfig({ ...postgres, CERTGUARD_WORKERS: 'all' }), ConfigError);
  });
});
