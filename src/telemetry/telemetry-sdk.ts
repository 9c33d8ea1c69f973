/**
 * Builds, starts and stops the one OpenTelemetry NodeSDK of the process. register.ts starts it (loaded with
 * `node --import`); main.ts stops it on shutdown. Importing this file has no side effect.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston';
import type { TelemetryOptions, TraceExportOptions } from './telemetry-options.ts';

let runningSdk: NodeSDK | undefined;

function traceExporter(traces: TraceExportOptions) {
  return traces.protocol === 'http/json'
    ? new OTLPJsonTraceExporter({ url: traces.url })
    : new OTLPProtoTraceExporter({ url: traces.url });
}

/**
 * Without an endpoint a no-op processor still makes the SDK register a tracer provider: spans (and so trace ids
 * for log lines and audit rows) exist, but nothing is sent anywhere.
 */
function spanProcessors(options: TelemetryOptions): SpanProcessor[] {
  if (options.traces === undefined) return [new NoopSpanProcessor()];
  return [new BatchSpanProcessor(traceExporter(options.traces))];
}

function instrumentations(options: TelemetryOptions) {
  return [
    new HttpInstrumentation(),
    new ExpressInstrumentation(),
    // Only the query text with placeholders is recorded, never the bound values (they can hold PEMs).
    new PgInstrumentation({ enhancedDatabaseReporting: false }),
    // Correlation adds trace_id/span_id to log lines; sending would ship them over OTLP, which we do not do.
    new WinstonInstrumentation({ disableLogSending: options.logsExporter === 'none' }),
  ];
}

export function startTelemetry(options: TelemetryOptions): void {
  if (options.disabled || runningSdk !== undefined) return;
  const sdk = new NodeSDK({
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    spanProcessors: spanProcessors(options),
    // Empty lists (not undefined) stop the SDK from falling back to its default OTLP metrics and logs exporters.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentations(options),
  });
  sdk.start();
  runningSdk = sdk;
}

function reportShutdownProblem(problem: string): void {
  // The application logger is already closed at this point; one JSON line on stderr keeps the log format.
  process.stderr.write(`${JSON.stringify({ level: 'warn', message: `telemetry shutdown: ${problem}` })}\n`);
}

/**
 * Flushes pending spans and stops the SDK. Bounded by its own timeout and never rejects: an unreachable collector
 * would otherwise hold the process for 10 s and then fail it with exit code 1.
 */
export async function shutdownTelemetry(timeoutMs = 5000): Promise<void> {
  const sdk = runningSdk;
  runningSdk = undefined;
  if (sdk === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`did not finish within ${timeoutMs} ms, pending spans dropped`), timeoutMs);
    timer.unref();
  });
  // Settled into a value here, so a rejection arriving after the timeout is never unhandled.
  const stopped = Promise.resolve().then(() => sdk.shutdown()).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  const problem = await Promise.race([stopped, timedOut]);
  clearTimeout(timer);
  if (problem !== undefined) reportShutdownProblem(problem);
}
