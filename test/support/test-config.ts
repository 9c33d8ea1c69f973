/**
 * A config for tests: in-memory PGlite, demo credentials, shipped policies, and no rate limit (so a test's pace
 * never decides its outcome; the throttling tests set one explicitly). Built with the service's own loadConfig,
 * so a test runs with the defaults production would get; kept out of src/ because only tests use it. One exception:
 * no key pair pool (each test service would spend ~1 s of CPU filling it); test/integration/key-pair-pool.test.ts
 * turns it on.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/config.ts';

/** Set by test/run.ts on PGlite: the migrated template every in-memory test database starts from. */
export const PGLITE_TEMPLATE_ENV = 'CERTGUARD_TEST_PGLITE_TEMPLATE';

export function testConfig(overrides: Partial<Config> = {}): Readonly<Config> {
  // The spool in a per-process temporary folder: test processes never take each other's spooled rows.
  const spool = path.join(tmpdir(), `certguard-test-spool-${process.pid}`);
  return Object.freeze({
    ...loadConfig({
      CERTGUARD_DATA_DIR: 'memory://',
      LOG_LEVEL: 'error',
      CERTGUARD_RATE_LIMIT: '0',
      CERTGUARD_AUDIT_SPOOL_DIR: spool,
      CERTGUARD_KEY_POOL_SIZE: '0',
    }),
    // Without it (a file run on its own with node --test) each database runs initdb and the migrations itself.
    ...(process.env[PGLITE_TEMPLATE_ENV] ? { pgliteTemplate: process.env[PGLITE_TEMPLATE_ENV] } : {}),
    ...overrides,
  });
}
