/**
 * Entry point: config -> listen (answering probes: starting-handler.ts) -> bootstrap (database, migrations,
 * credentials, rules) -> the app takes over the port.
 * CERTGUARD_WORKERS > 1: this process becomes the group's primary (src/cluster/cluster-primary.ts) and each worker
 * it forks runs this same file, as a member of the group (src/cluster/group-member.ts).
 * SIGTERM/SIGINT drain (src/http/graceful-shutdown.ts): stop accepting, answer in-flight requests with
 * `Connection: close`, close idle connections, then close the database and flush telemetry.
 */
import cluster from 'node:cluster';
import type { RequestListener, Server } from 'node:http';
import { createApp } from './app.ts';
import { bootstrap, type Service } from './bootstrap.ts';
import { runClusterPrimary } from './cluster/cluster-primary.ts';
import { joinGroup } from './cluster/group-member.ts';
import { answerMetricsRequests } from './cluster/group-metrics.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { createApiServer } from './http/api-server.ts';
import { gracefulShutdown } from './http/graceful-shutdown.ts';
import { startingHandler } from './http/starting-handler.ts';
import { createMetricsServer } from './http/metrics-server.ts';
import { createLogger } from './logger.ts';
import { shutdownTelemetry } from './telemetry/telemetry-sdk.ts';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fail(message: string): never {
  process.stderr.write(`${JSON.stringify({ level: 'error', message, timestamp: new Date().toISOString() })}\n`);
  process.exit(1);
}

/** Binds; resolves only once the port is bound, so "listening" is logged only for a bound port. */
function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (cluster.isPrimary) {
    for (const warning of config.insecureDefaults) {
      logger.warn(`INSECURE (CERTGUARD_ALLOW_INSECURE_DEFAULTS=true): ${warning}. Never run production like this.`);
    }
    if (config.databaseUrl === undefined) logger.info('embedded PGlite database: one process serves (CERTGUARD_WORKERS is 1 with PGlite)');
  }
  if (cluster.isPrimary && config.workers > 1) {
    try {
      await runClusterPrimary(config, logger);
    } catch (error) {
      fail(`certguard could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    return;
  }
  const member = cluster.isWorker ? joinGroup(config) : undefined;
  // A process on its own binds first and answers probes while it starts (src/http/starting-handler.ts): /ready
  // says 503 while it waits for Postgres. A worker of a group binds only once it can serve: the primary's
  // round-robin would otherwise hand it requests it can only refuse.
  let handler: RequestListener = startingHandler;
  const server = createApiServer((req, res) => handler(req, res), config);
  const shutdown = gracefulShutdown(server);
  let port = config.port;
  if (!member) port = await listen(server, config.port, config.host).catch((error: unknown) => fail(`cannot listen: ${errorMessage(error)}`));
  let service: Service;
  try {
    service = await bootstrap(config, logger, member);
  } catch (error) {
    fail(`certguard could not start: ${errorMessage(error)}`);
  }
  handler = createApp(service.context);
  // A worker of a group answers its primary, which owns the metrics port (src/cluster/group-metrics.ts).
  if (member) answerMetricsRequests();
  const metricsServer = config.metricsPort === undefined || member ? undefined : createMetricsServer();
  try {
    // The metrics listener first: "certguard listening" is the last line, once everything is bound and serving.
    if (metricsServer && config.metricsPort !== undefined) {
      const metricsPort = await listen(metricsServer, config.metricsPort, config.metricsHost);
      logger.info('certguard metrics listening', { host: config.metricsHost, port: metricsPort });
    }
    if (member) port = await listen(server, config.port, config.host);
    logger.info('certguard listening', { host: config.host, port, ...(member ? { pid: process.pid, worker: cluster.worker?.id } : {}) });
  } catch (error) {
    metricsServer?.close();
    await service.close().catch(() => {});
    fail(`cannot listen: ${errorMessage(error)}`);
  }
  server.on('error', (error) => logger.error('server error', { error: error.message }));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('certguard stopping', { signal });
    if (service.context.readiness) service.context.readiness.draining = true; // /ready: 503 while draining
    stopWatching();
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    const { forced } = await shutdown.drain(config.drainTimeoutMs);
    if (forced) logger.warn('drain timeout: connections still open were reset', { drainTimeoutMs: config.drainTimeoutMs });
    member?.close(); // unspent leased tokens back to the primary
    await service.close().catch((error: unknown) => logger.error('closing the database failed', { error: String(error) }));
    await shutdownTelemetry();
    process.exit(0);
  };
  process.on('SIGHUP', () => void service.policyReloader.reload('SIGHUP'));
  const stopWatching = config.policiesWatch ? service.policyReloader.watch() : () => {};
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // A worker whose primary is gone (killed) drains and exits rather than serve on without its group.
  if (member) process.on('disconnect', () => void stop('primary gone'));
}

await main();
