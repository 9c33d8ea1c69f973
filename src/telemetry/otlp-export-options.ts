/**
 * Where and how one signal (traces or metrics) is sent over OTLP/HTTP, from the standard variables: a
 * signal-specific variable (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT...) wins over the general one.
 */
import { type Env, firstSet, parseUrl, read, TelemetryConfigError } from './telemetry-env.ts';

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type OtlpSignal = 'traces' | 'metrics';

const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

export interface OtlpExportOptions {
  protocol: OtlpProtocol;
  /** Full URL the signal is POSTed to (…/v1/traces, …/v1/metrics). */
  url: string;
}

function variable(signal: OtlpSignal, setting: 'ENDPOINT' | 'PROTOCOL'): string {
  return `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_${setting}`;
}

function protocol(env: Env, signal: OtlpSignal): OtlpProtocol {
  const { name, value = 'http/protobuf' } = firstSet(env, [variable(signal, 'PROTOCOL'), 'OTEL_EXPORTER_OTLP_PROTOCOL']);
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(value)) {
    throw new TelemetryConfigError(name, `must be one of ${OTLP_PROTOCOLS.join(', ')}, got "${value}"`);
  }
  return value as OtlpProtocol;
}

/**
 * The signal-specific endpoint is used as given; the general one is a base URL to which /v1/<signal> is appended
 * (OTLP exporter specification).
 */
function url(env: Env, signal: OtlpSignal): string | undefined {
  const specificName = variable(signal, 'ENDPOINT');
  const specific = read(env, specificName);
  if (specific !== undefined) return parseUrl(specificName, specific).toString();
  const base = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base === undefined) return undefined;
  parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base);
  return `${base.endsWith('/') ? base : `${base}/`}v1/${signal}`;
}

/** undefined when no endpoint is configured for the signal: nothing is exported. */
export function otlpExport(env: Env, signal: OtlpSignal): OtlpExportOptions | undefined {
  const target = url(env, signal);
  return target === undefined ? undefined : { protocol: protocol(env, signal), url: target };
}
