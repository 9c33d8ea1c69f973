/**
 * The primary of a group of workers (CERTGUARD_WORKERS > 1, node:cluster): the workers share the API port; the
 * primary serves no request. It runs, once for the group and before any worker starts:
 * - the migrations, so workers never race each other to migrate;
 * - the partition maintainer and the background audit sealer (one of each for the group);
 * - the rate limit's buckets, from which workers lease tokens (src/http/rate-limit-leases.ts);
 * - the metrics port (CERTGUARD_METRICS_PORT), answering for the whole group (group-metrics.ts).
 * A worker failing before any worker listened stops the group (exit 1). A worker that dies later is logged and replaced after a backoff (0.5 s doubling to 30 s while deaths keep coming).
 * SIGTERM/SIGINT: every worker drains (src/http/graceful-shutdown.ts) and exits, then the sealer's last round runs,
 * the database closes and the primary exits 0. SIGHUP is passed to every worker (each reloads its rule bundle).
 */
import cluster, { type Worker } from 'node:cluster';
import type winston from 'winston';
import { PartitionMaintainer } from '../audit/retention/partition-maintainer.ts';
import { startAuditSealer } from '../audit/sealing/start-audit-sealer.ts';
import type { Config } from '../config.ts';
import { databaseReachable } from '../bootstrap.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { createMetricsServer } from '../http/metrics-server.ts';
import { isLeaseMessage, RateLimitBank } from '../http/rate-limit-leases.ts';
import { shutdownTelemetry } from '../telemetry/telemetry-sdk.ts';
import { groupMetrics } from './group-metrics.ts';

const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** A worker that lived this long resets the backoff: its death is not part of a crash loop. */
const HEALTHY_UPTIME_MS = 60_000;
/** Beyond the drain timeout, how long a worker may take to close its database before it is killed. */
const WORKER_EXIT_GRACE_MS = 10_000;

export async function runClusterPrimary(config: Readonly<Config>, logger: winston.Logger): Promise<void> {
  const database = await openDatabase(config);
  // Postgres may come up after certguard: the primary waits like a single process does (CERTGUARD_DB_WAIT_SECONDS).
  await databaseReachable(config, database, logger);
  if (config.migrateOnStart) await migrateToLatest(database.db);
  const partitionMaintainer = new PartitionMaintainer(database.db, logger);
  await partitionMaintainer.start();
  const auditSealer = await startAuditSealer(config, database.db, logger);
  const bank = config.rateLimitPerSecond > 0 ? new RateLimitBank({ ratePerSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst }) : undefined;

  let stopping = false;
  let restartDelayMs = FIRST_RESTART_DELAY_MS;
  const startedAt = new Map<Worker, number>();
  let listening = 0;

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.on('message', (message: unknown) => {
      if (bank && isLeaseMessage(message)) bank.handle(message, (grant) => worker.isConnected() && worker.send(grant));
    });
    worker.once('listening', () => {
      listening += 1;
      if (listening === config.workers) logger.info('certguard group listening', { workers: config.workers, port: config.port });
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const livedMs = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    if (stopping) return;
    if (listening === 0) {
      // Never started (invalid rules, unreachable database…): restarting would loop; fail like a single process.
      logger.error('a certguard worker failed during start-up; stopping the group', { pid: worker.process.pid, code, signal });
      void stop('start-up failure', 1);
      return;
    }
    if (livedMs >= HEALTHY_UPTIME_MS) restartDelayMs = FIRST_RESTART_DELAY_MS;
    logger.error('certguard worker died; replacing it', { pid: worker.process.pid, code, signal, livedMs, restartInMs: restartDelayMs });
    setTimeout(() => !stopping && fork(), restartDelayMs).unref();
    restartDelayMs = Math.min(MAX_RESTART_DELAY_MS, restartDelayMs * 2);
  });

  const metricsServer = config.metricsPort === undefined ? undefined : createMetricsServer((request, response) => void groupMetrics(request, response));
  if (metricsServer) {
    await new Promise<void>((resolve, reject) => {
      metricsServer.once('error', reject);
      metricsServer.listen(config.metricsPort, config.metricsHost, () => resolve());
    });
    logger.info('certguard metrics listening', { host: config.metricsHost, port: config.metricsPort, group: true });
  }

  logger.info('certguard primary starting workers', { workers: config.workers, database: database.kind });
  for (let i = 0; i < config.workers; i += 1) fork();

  const workers = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info('certguard stopping', { signal, workers: workers().length });
    const exits = workers().map((worker) => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      if (worker.isDead()) return Promise.resolve();
      worker.process.kill('SIGTERM'); // each worker drains its connections, closes its database, exits 0
      const killer = setTimeout(() => worker.process.kill('SIGKILL'), config.drainTimeoutMs + WORKER_EXIT_GRACE_MS);
      return exited.finally(() => clearTimeout(killer));
    });
    await Promise.all(exits);
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    partitionMaintainer.stop();
    await auditSealer.stop(); // the last round seals what the workers committed
    await database.close().catch((error: unknown) => logger.error('closing the database failed', { error: String(error) }));
    await shutdownTelemetry();
    logger.info('certguard stopped', { signal });
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGHUP', () => {
    for (const worker of workers()) worker.process.kill('SIGHUP');
  });
}
