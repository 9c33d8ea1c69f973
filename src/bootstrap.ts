/**
 * Builds everything the service needs from a config, in the order main.ts and the tests share:
 * database -> migrations (if asked) -> credentials -> guard rules -> certificate authority.
 * Anything invalid stops here with a message that names what is wrong.
 */
import type winston from 'winston';
import type { AppContext } from './app.ts';
import type { AuditSealer } from './audit/sealing/audit-sealer.ts';
import { startAuditSealer } from './audit/sealing/start-audit-sealer.ts';
import { PartitionMaintainer } from './audit/retention/partition-maintainer.ts';
import { AuditSpool } from './audit/spool/audit-spool.ts';
import { SpoolReplayer } from './audit/spool/spool-replayer.ts';
import { AuthFailureAuditor } from './auth/auth-failure-audit.ts';
import { loadCredentialsFile } from './auth/credentials-store.ts';
import { syncCredentials } from './auth/credentials.repository.ts';
import { loadOrCreateCertificateAuthority } from './certificates/certificate-authority.store.ts';
import { KeyPairPool } from './certificates/key-pair-pool.ts';
import type { Config } from './config.ts';
import type { RequestRateLimiter } from './http/rate-limiter.ts';
import { type DatabaseHandle, openDatabase } from './db/database.ts';
import { migrateToLatest, pendingMigrations } from './db/migrator.ts';
import { databaseAddress, waitForDatabase } from './db/wait-for-database.ts';
import { createReadiness, type Readiness } from './http/readiness.ts';
import { loadPolicyBundle } from './rules/engine/policy-bundle.ts';
import { describeFailedCases } from './rules/testing/policy-test-report.ts';
import { runPolicyTests } from './rules/testing/policy-test-runner.ts';
import { ActivePolicy } from './rules/runtime/active-policy.ts';
import { type BundleVerifier, PolicyReloader } from './rules/runtime/policy-reloader.ts';

export interface Service {
  context: AppContext;
  database: DatabaseHandle;
  activePolicy: ActivePolicy;
  policyReloader: PolicyReloader;
  /** Chains committed audit rows in the background (docs/audit.md); stopped by close(). */
  auditSealer: AuditSealer;
  /** Replays the outage spool (src/audit/spool/); stopped by close(). */
  spoolReplayer: SpoolReplayer;
  close(): Promise<void>;
}

/** What a bundle must pass before it is activated, at start-up and on every reload. */
const verifyBundle: BundleVerifier = async (bundle) => {
  // Loading already compiled and type-checked every rule; the bundle's own test cases (tests/*.yaml) must pass too.
  const report = await runPolicyTests(bundle);
  if (report.failed > 0) throw new Error(describeFailedCases(report));
};

/** Postgres may come up after certguard (compose, Kubernetes): retry for CERTGUARD_DB_WAIT_SECONDS, logging each wait. */
export async function databaseReachable(config: Readonly<Config>, database: DatabaseHandle, logger: winston.Logger): Promise<void> {
  if (database.kind !== 'postgres' || config.databaseUrl === undefined) return;
  const address = databaseAddress(config.databaseUrl);
  await waitForDatabase(database.db, {
    waitSeconds: config.dbWaitSeconds,
    address,
    onRetry: (attempt, error, delayMs) =>
      logger.warn('waiting for the database', { address, attempt, retryInMs: delayMs, error: error.message, waitSeconds: config.dbWaitSeconds }),
  });
}

/** With CERTGUARD_MIGRATE=false a separate step migrates; ready only once it has (checked at start-up). */
async function migrationsApplied(config: Readonly<Config>, database: DatabaseHandle, logger: winston.Logger): Promise<boolean> {
  if (config.migrateOnStart) {
    await migrateToLatest(database.db);
    return true;
  }
  const pending = await pendingMigrations(database.db);
  if (pending.length > 0) logger.warn('migrations pending: not ready until they are applied (npm run migrate)', { pending });
  return pending.length === 0;
}

/** A worker of a group (CERTGUARD_WORKERS > 1, src/cluster/): its primary migrated and runs the group's singletons. */
export interface GroupMember {
  /** Leases tokens from the primary's buckets (src/http/rate-limit-leases.ts). */
  rateLimiter: RequestRateLimiter;
}

/**
 * `member` absent: a process on its own (migrations, partition maintainer, background sealer, its spool replayer).
 * `member` given: a worker; its primary ran the migrations and runs the one partition maintainer and audit sealer of
 * the group. Each worker still replays its own spool: a file is claimed by an atomic rename, never replayed twice.
 */
export async function bootstrap(
  config: Readonly<Config>,
  logger: winston.Logger,
  member?: GroupMember,
  readiness: Readiness = createReadiness(),
): Promise<Service> {
  if (config.usingDemoCredentials) {
    logger.warn('CERTGUARD_CREDENTIALS_FILE is not set: using the DEMO credentials shipped in config/demo-credentials.json. Never use them in production.');
  }
  const credentials = await loadCredentialsFile(config.credentialsFile);
  const bundle = await loadPolicyBundle(config.policiesDir);
  await verifyBundle(bundle);
  const database = await openDatabase(config);
  try {
    await databaseReachable(config, database, logger);
    // A worker's primary ran the migrations before forking; the worker only checks that none is pending.
    const applied = member ? (await pendingMigrations(database.db)).length === 0 : await migrationsApplied(config, database, logger);
    if (applied) readiness.mark('migrations');
    await syncCredentials(database.db, credentials);
    // A new database generates the CA's RSA key (~0.3-0.6 s, on libuv's thread pool) while the steps below run; the
    // service is handed over (and /ready says 200) only once it is there. Caught here so that a step failing
    // first leaves no unhandled rejection; the await below still throws.
    const loadingCertificateAuthority = loadOrCreateCertificateAuthority(database.db);
    loadingCertificateAuthority.catch(() => {});
    const activePolicy = await ActivePolicy.start(database.db, bundle);
    readiness.mark('bundle');
    const policyReloader = new PolicyReloader({ db: database.db, active: activePolicy, dir: config.policiesDir, verify: verifyBundle, logger });
    const partitionMaintainer = member ? undefined : new PartitionMaintainer(database.db, logger);
    await partitionMaintainer?.start();
    const auditSealer = await startAuditSealer(config, database.db, logger, !member);
    readiness.mark('sealer'); // started (or, with CERTGUARD_AUDIT_SEAL_INTERVAL_MS=0 or in a worker, left to another process)
    // Replays what a killed process left in the outage spool, then whatever this one spools (docs/security.md).
    const auditSpool = new AuditSpool({ dir: config.auditSpoolDir, maxBytes: config.auditSpoolMaxBytes, logger });
    const spoolReplayer = new SpoolReplayer(database.db, auditSpool, logger);
    await spoolReplayer.start();
    const authFailureAudit = config.auditAuthFailures
      ? new AuthFailureAuditor(
          { db: database.db, logger, accountOf: (accessKeyId) => credentials.lookup(accessKeyId)?.accountId, spool: auditSpool },
          { perSource: config.auditAuthFailuresPerSource, global: config.auditAuthFailuresGlobal, windowMs: config.auditAuthFailureWindowMs },
        )
      : undefined;
    // Fresh key pairs generated ahead, one at a time, so a burst of CreateKeysAndCertificate does not wait for them.
    const keyPairs =
      config.keyPoolSize > 0
        ? new KeyPairPool(config.keyPoolSize, undefined, (error) =>
            logger.warn('key pair pool: background generation failed', { error: String(error) }),
          ).start()
        : undefined;
    const certificateAuthority = await loadingCertificateAuthority;
    const context: AppContext = {
      config,
      credentials,
      db: database.db,
      logger,
      region: config.region,
      policy: () => activePolicy.current,
      certificateAuthority,
      ...(keyPairs ? { keyPairs } : {}),
      auditSealer,
      auditSpool,
      readiness,
      ...(authFailureAudit ? { authFailureAudit } : {}),
      ...(database.copyOut ? { copyOut: database.copyOut } : {}),
      ...(member ? { rateLimiter: member.rateLimiter } : {}),
    };
    logger.info('certguard ready', { database: database.kind, policy: bundle.reference() });
    const close = async () => {
      await keyPairs?.stop(); // drops unused pairs and waits for the generation in flight
      partitionMaintainer?.stop();
      await authFailureAudit?.close(); // the open window's summaries, before the sealer's last round
      await spoolReplayer.stop();
      await auditSpool.close();
      await auditSealer.stop();
      await database.close();
    };
    return { context, database, activePolicy, policyReloader, auditSealer, spoolReplayer, close };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}
