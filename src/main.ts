/**
 * Entry point: config -> bootstrap (database, migrations, credentials, rules) -> app -> listen.
 * SIGTERM/SIGINT drain: stop accepting, finish in-flight requests, close the database, flush telemetry.
 */
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { bootstrap } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { answerClientErrorsInAwsFormat } from './http/client-error.ts';
import { createLogger } from './logger.ts';
import { shutdownTelemetry } from './telemetry/telemetry-sdk.ts';

const DRAIN_TIMEOUT_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`${JSON.stringify({ level: 'error', message, timestamp: new Date().toISOString() })}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let service;
  try {
    service = await bootstrap(config, logger);
  } catch (error) {
    fail(`certguard could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const app = createApp(service.context);
  const server: Server = app.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info('certguard listening', { port });
  });
  server.on('error', (error) => fail(`cannot listen on port ${config.port}: ${error.message}`));
  answerClientErrorsInAwsFormat(server); // requests Node's parser refuses get the AWS error format too

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('certguard stopping', { signal });
    stopWatching();
    const forced = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    clearTimeout(forced);
    await service.close().catch((error: unknown) => logger.error('closing the database failed', { error: String(error) }));
    await shutdownTelemetry();
    process.exit(0);
  };
  process.on('SIGHUP', () => void service.policyReloader.reload('SIGHUP'));
  const stopWatching = config.policiesWatch ? service.policyReloader.watch() : () => {};
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
