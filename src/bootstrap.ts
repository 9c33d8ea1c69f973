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
import { type DatabaseHandle, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
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

export async function bootstrap(config: Readonly<Config>, logger: winston.Logger): Promise<Service> {
  if (config.usingDemoCredentials) {
    logger.warn('CERTGUARD_CREDENTIALS_FILE is not set: using the DEMO credentials shipped in config/demo-credentials.json. Never use them in production.');
  }
  const credentials = await loadCredentialsFile(config.credentialsFile);
  const bundle = await loadPolicyBundle(config.policiesDir);
  await verifyBundle(bundle);
  const database = await openDatabase(config);
  try {
    if (config.migrateOnStart) await migrateToLatest(database.db);
    await syncCredentials(database.db, credentials);
    const certificateAuthority = await loadOrCreateCertificateAuthority(database.db);
    const activePolicy = await ActivePolicy.start(database.db, bundle);
    const policyReloader = new PolicyReloader({ db: database.db, active: activePolicy, dir: config.policiesDir, verify: verifyBundle, logger });
    const partitionMaintainer = new PartitionMaintainer(database.db, logger);
    await partitionMaintainer.start();
    const auditSealer = await startAuditSealer(config, database.db, logger);
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
      ...(authFailureAudit ? { authFailureAudit } : {}),
      ...(database.copyOut ? { copyOut: database.copyOut } : {}),
    };
    logger.info('certguard ready', { database: database.kind, policy: bundle.reference() });
    const close = async () => {
      await keyPairs?.stop(); // drops unused pairs and waits for the generation in flight
      partitionMaintainer.stop();
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
