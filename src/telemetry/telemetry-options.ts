/**
 * Decides, from the standard OTEL_* variables, what the OpenTelemetry SDK exports. Pure (the environment is a
 * parameter) so every branch is unit-testable; register.ts turns the result into SDK components.
 *
 * certguard exports nothing unless an OTLP endpoint is given: a service started for a try-out must not spend
 * CPU on, or log errors about, a collector that does not exist.
 */
type Env = Readonly<Record<string, string | undefined>>;

export type OtlpProtocol = 'http/protobuf' | 'http/json';
const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const DEFAULT_SERVICE_NAME = 'certguard';
const TRACES_PATH = 'v1/traces';

export interface TraceExportOptions {
  protocol: OtlpProtocol;
  /** Full URL the spans are POSTed to (…/v1/traces). */
  url: string;
}

export interface TelemetryOptions {
  /** OTEL_SDK_DISABLED=true: no SDK at all, so no spans and no trace ids. */
  disabled: boolean;
  /** undefined: leave service.name to OTEL_RESOURCE_ATTRIBUTES. */
  serviceName: string | undefined;
  /** undefined: spans are still created (trace ids for logs and audit rows) but go nowhere. */
  traces: TraceExportOptions | undefined;
  /** Always 'none' for now: certguard logs to stdout and ships no logs over OTLP. */
  logsExporter: 'none';
  /** Always 'none' for now: certguard defines no metrics yet. */
  metricsExporter: 'none';
}

export class TelemetryConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid telemetry configuration: ${variable} ${problem}`);
    this.name = 'TelemetryConfigError';
  }
}

/** The spec says an empty variable means unset. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function isTrue(env: Env, name: string): boolean {
  return read(env, name)?.toLowerCase() === 'true';
}

function serviceName(env: Env): string | undefined {
  const explicit = read(env, 'OTEL_SERVICE_NAME');
  if (explicit !== undefined) return explicit;
  const resourceAttributes = read(env, 'OTEL_RESOURCE_ATTRIBUTES') ?? '';
  const namedThere = resourceAttributes.split(',').some((pair) => pair.trim().startsWith('service.name='));
  return namedThere ? undefined : DEFAULT_SERVICE_NAME;
}

function protocol(env: Env): OtlpProtocol {
  const name = read(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const value = read(env, name) ?? 'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(value)) {
    throw new TelemetryConfigError(name, `must be one of ${OTLP_PROTOCOLS.join(', ')}, got "${value}"`);
  }
  return value as OtlpProtocol;
}

function parseUrl(name: string, value: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // fall through to the error below, which names the variable
  }
  throw new TelemetryConfigError(name, `must be an http:// or https:// URL, got "${value}"`);
}

/**
 * The signal-specific endpoint is used as given; the general one is a base URL to which /v1/traces is appended
 * (OTLP exporter specification).
 */
function tracesUrl(env: Env): string | undefined {
  const specific = read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (specific !== undefined) return parseUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', specific).toString();
  const base = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base === undefined) return undefined;
  parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base);
  return `${base.endsWith('/') ? base : `${base}/`}${TRACES_PATH}`;
}

function traces(env: Env): TraceExportOptions | undefined {
  if (read(env, 'OTEL_TRACES_EXPORTER') === 'none') return undefined;
  const url = tracesUrl(env);
  return url === undefined ? undefined : { protocol: protocol(env), url };
}

/** Throws TelemetryConfigError naming the variable when a value cannot be used. */
export function telemetryOptionsFromEnv(env: Env): TelemetryOptions {
  return {
    disabled: isTrue(env, 'OTEL_SDK_DISABLED'),
    serviceName: serviceName(env),
    traces: traces(env),
    logsExporter: 'none',
    metricsExporter: 'none',
  };
}
