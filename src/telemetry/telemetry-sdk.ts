/**
 * Builds, starts and stops the one OpenTelemetry NodeSDK of the process. register.ts starts it (loaded with
 * `node --import`); main.ts stops it on shutdown. Importing this file has no side effect.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston';
import { registerAuditMetrics } from './audit-metrics.ts';
import { registerDecisionMetrics } from './decision-metrics.ts';
import { logRecordProcessors } from './log-pipeline.ts';
import { metricReaders } from './metric-readers.ts';
import { servePrometheusMetricsFrom } from './prometheus-endpoint.ts';
import { registerProcessMetrics, runtimeMetricsInstrumentation } from './runtime-metrics.ts';
import type { TelemetryOptions } from './telemetry-options.ts';
import { sampler, spanProcessors } from './trace-pipeline.ts';

let runningSdk: NodeSDK | undefined;

/** Exported for test/unit/telemetry-instrumentations.test.ts. */
export function instrumentations(options: TelemetryOptions) {
  return [
    new HttpInstrumentation(),
    // No Express instrumentation: its middleware, router and request-handler spans added 4-12 spans to every
    // request for no insight, and even with them off its layer wrappers cost ~3% of a decision's CPU. http.route
    // comes from src/http/route-attribute.ts; the decision span is the server span's direct child.
    ...(options.traceDatabase ? [databaseInstrumentation()] : []),
    // Correlation only: log lines reach OTLP through the transport src/logger.ts adds (OTEL_LOGS_EXPORTER=otlp).
    new WinstonInstrumentation({ disableLogSending: true }),
    runtimeMetricsInstrumentation(),
  ];
}

/**
 * Opt-in (CERTGUARD_TRACE_DATABASE=true): one span per query plus the db.client.* metrics cost more CPU per
 * decision than everything else in tracing together (docs/telemetry.md#what-it-costs). When on: only the query
 * text with placeholders is recorded, never the bound values (they can hold PEMs); only queries made for a traced
 * request (the audit sealer's polls, 5 a second, would otherwise each start a trace of their own); no
 * pool-checkout spans, which say nothing a query span does not.
 */
function databaseInstrumentation() {
  return new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, ignoreConnectSpans: true });
}

export function startTelemetry(options: TelemetryOptions): void {
  if (options.disabled || runningSdk !== undefined) return;
  const metrics = metricReaders(options.metrics);
  const sdk = new NodeSDK({
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    sampler: sampler(options.sampler),
    spanProcessors: spanProcessors(options),
    // Explicit lists (even empty) stop the SDK from falling back to its own reading of OTEL_*_EXPORTER.
    metricReaders: metrics.readers,
    logRecordProcessors: logRecordProcessors(options),
    instrumentations: instrumentations(options),
  });
  sdk.start();
  runningSdk = sdk;
  // Only now is the meter provider registered: instruments created earlier would be no-ops (certguard-meter.ts).
  registerDecisionMetrics();
  registerAuditMetrics();
  registerProcessMetrics();
  servePrometheusMetricsFrom(metrics.prometheus);
}

function reportShutdownProblem(problem: string): void {
  // The application logger is already closed at this point; one JSON line on stderr keeps the log format.
  process.stderr.write(`${JSON.stringify({ level: 'warn', message: `telemetry shutdown: ${problem}` })}\n`);
}

/**
 * Flushes pending spans and metrics (a last OTLP metrics push) and stops the SDK. Bounded by its own timeout and
 * never rejects: an unreachable collector would otherwise hold the process for 10 s and then fail it with exit
 * code 1.
 */
export async function shutdownTelemetry(timeoutMs = 5000): Promise<void> {
  const sdk = runningSdk;
  runningSdk = undefined;
  if (sdk === undefined) return;
  servePrometheusMetricsFrom(undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`did not finish within ${timeoutMs} ms, pending spans and metrics dropped`), timeoutMs);
    timer.unref();
  });
  // Settled into a value here, so a rejection arriving after the timeout is never unhandled.
  const stopped = Promise.resolve()
    .then(() => sdk.shutdown())
    .then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
  const problem = await Promise.race([stopped, timedOut]);
  clearTimeout(timer);
  if (problem !== undefined) reportShutdownProblem(problem);
}
