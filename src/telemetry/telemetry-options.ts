/**
 * Decides, from the standard OTEL_* variables, what the OpenTelemetry SDK exports. Pure (the environment is a
 * parameter) so every branch is unit-testable; telemetry-sdk.ts turns the result into SDK components.
 *
 * certguard exports nothing over OTLP unless an endpoint is given: a service started for a try-out must not
 * spend CPU on, or log errors about, a collector that does not exist. The Prometheus `/metrics` endpoint is on
 * by default (it is pulled, so it costs nothing until scraped) and off with OTEL_METRICS_EXPORTER.
 */
import { otlpExport, type OtlpExportOptions } from './otlp-export-options.ts';
import { samplerFromEnv, type SamplerOptions } from './sampler-options.ts';
import { type Env, isTrue, list, milliseconds, read, TelemetryConfigError } from './telemetry-env.ts';

export { TelemetryConfigError } from './telemetry-env.ts';
export type { OtlpProtocol } from './otlp-export-options.ts';
export type { SamplerName, SamplerOptions } from './sampler-options.ts';

const DEFAULT_SERVICE_NAME = 'certguard';

export interface TraceExportOptions extends OtlpExportOptions {
  /** OTEL_BSP_SCHEDULE_DELAY: longest wait before queued spans are sent. */
  scheduleDelayMs: number;
  /** OTEL_BSP_EXPORT_TIMEOUT: time limit of one batch export. */
  exportTimeoutMs: number;
}

export interface MetricExportOptions extends OtlpExportOptions {
  /** OTEL_METRIC_EXPORT_INTERVAL: time between two pushes of every metric. */
  intervalMs: number;
  /** OTEL_METRIC_EXPORT_TIMEOUT, capped at the interval (the SDK refuses a longer one). */
  timeoutMs: number;
}

export interface MetricsOptions {
  /** undefined: no OTLP metrics push (no endpoint, or OTEL_METRICS_EXPORTER without otlp). */
  otlp: MetricExportOptions | undefined;
  /** Serve the Prometheus text format on GET /metrics. */
  prometheus: boolean;
}

export interface TelemetryOptions {
  /** OTEL_SDK_DISABLED=true: no SDK at all, so no spans, no trace ids and no metrics. */
  disabled: boolean;
  /** undefined: leave service.name to OTEL_RESOURCE_ATTRIBUTES. */
  serviceName: string | undefined;
  sampler: SamplerOptions;
  /** undefined: spans are still created (trace ids for logs and audit rows) but go nowhere. */
  traces: TraceExportOptions | undefined;
  metrics: MetricsOptions;
  /**
   * OTEL_LOGS_EXPORTER=otlp (and an endpoint): log lines are also sent over OTLP. undefined (the default, or
   * `none`): stdout only. Lines always go to stdout as well, so `kubectl logs` keeps working.
   */
  logs: OtlpExportOptions | undefined;
  /**
   * CERTGUARD_TRACE_DATABASE=true: a span per SQL query (instrumentation-pg), and its db.client.* metrics. Off by
   * default: the query spans were the largest part of tracing's CPU cost per decision (docs/telemetry.md).
   */
  traceDatabase: boolean;
}

function serviceName(env: Env): string | undefined {
  const explicit = read(env, 'OTEL_SERVICE_NAME');
  if (explicit !== undefined) return explicit;
  const resourceAttributes = read(env, 'OTEL_RESOURCE_ATTRIBUTES') ?? '';
  const namedThere = resourceAttributes.split(',').some((pair) => pair.trim().startsWith('service.name='));
  return namedThere ? undefined : DEFAULT_SERVICE_NAME;
}

function exporters<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T[]): T[] {
  const chosen = list(env, name, [...allowed, 'none'] as readonly (T | 'none')[]) ?? fallback;
  if (chosen.includes('none') && chosen.length > 1) throw new TelemetryConfigError(name, 'cannot combine none with other exporters');
  return chosen.filter((entry): entry is T => entry !== 'none');
}

function traces(env: Env): TraceExportOptions | undefined {
  if (exporters(env, 'OTEL_TRACES_EXPORTER', ['otlp'], ['otlp']).length === 0) return undefined;
  const target = otlpExport(env, 'traces');
  if (target === undefined) return undefined;
  return {
    ...target,
    scheduleDelayMs: milliseconds(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000),
    exportTimeoutMs: milliseconds(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000, 1),
  };
}

function metricsOtlp(env: Env): MetricExportOptions | undefined {
  const target = otlpExport(env, 'metrics');
  if (target === undefined) return undefined;
  const intervalMs = milliseconds(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, 1);
  return { ...target, intervalMs, timeoutMs: Math.min(milliseconds(env, 'OTEL_METRIC_EXPORT_TIMEOUT', 30_000, 1), intervalMs) };
}

/** OTEL_METRICS_EXPORTER: `otlp` (pushed when an endpoint is set) and/or `prometheus` (GET /metrics); default both. */
function metrics(env: Env): MetricsOptions {
  const chosen = exporters(env, 'OTEL_METRICS_EXPORTER', ['otlp', 'prometheus'], ['otlp', 'prometheus']);
  return { otlp: chosen.includes('otlp') ? metricsOtlp(env) : undefined, prometheus: chosen.includes('prometheus') };
}

/** Unlike traces and metrics, logs are sent only when asked: stdout is the default log destination. */
function logs(env: Env): OtlpExportOptions | undefined {
  if (exporters(env, 'OTEL_LOGS_EXPORTER', ['otlp'], []).length === 0) return undefined;
  const target = otlpExport(env, 'logs');
  if (target === undefined)
    throw new TelemetryConfigError('OTEL_LOGS_EXPORTER', 'is otlp but no endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or _LOGS_ENDPOINT)');
  return target;
}

/** Throws TelemetryConfigError naming the variable when a value cannot be used. */
export function telemetryOptionsFromEnv(env: Env): TelemetryOptions {
  return {
    disabled: isTrue(env, 'OTEL_SDK_DISABLED'),
    serviceName: serviceName(env),
    sampler: samplerFromEnv(env),
    traces: traces(env),
    metrics: metrics(env),
    logs: logs(env),
    traceDatabase: isTrue(env, 'CERTGUARD_TRACE_DATABASE'),
  };
}
