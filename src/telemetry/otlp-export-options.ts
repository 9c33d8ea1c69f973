/**
 * Where and how one signal (traces, metrics or logs) is sent over OTLP (HTTP or gRPC), from the standard
 * variables: a signal-specific variable (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT...) wins over the general one.
 */
import { type Env, firstSet, parseUrl, read, TelemetryConfigError } from './telemetry-env.ts';

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';
export type OtlpSignal = 'traces' | 'metrics' | 'logs';

const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

export interface OtlpExportOptions {
  protocol: OtlpProtocol;
  /** HTTP: the full URL the signal is POSTed to (…/v1/traces, …/v1/metrics). gRPC: the Collector's address. */
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
 * over HTTP, and used as given over gRPC (OTLP exporter specification: gRPC has no paths).
 */
function url(env: Env, signal: OtlpSignal, grpc: boolean): string | undefined {
  const specificName = variable(signal, 'ENDPOINT');
  const specific = read(env, specificName);
  if (specific !== undefined) return parseUrl(specificName, specific).toString();
  const base = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base === undefined) return undefined;
  parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base);
  if (grpc) return base;
  return `${base.endsWith('/') ? base : `${base}/`}v1/${signal}`;
}

/** undefined when no endpoint is configured for the signal: nothing is exported. */
export function otlpExport(env: Env, signal: OtlpSignal): OtlpExportOptions | undefined {
  const chosen = protocol(env, signal);
  const target = url(env, signal, chosen === 'grpc');
  return target === undefined ? undefined : { protocol: chosen, url: target };
}
