/**
 * The metrics half of the SDK: a periodic OTLP push (when an endpoint is configured) and the Prometheus pull
 * reader behind GET /metrics. No reader at all means the SDK registers no meter provider and every certguard
 * instrument stays a no-op.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { type MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { otlpMetricExporter } from './otlp-exporters.ts';
import type { MetricExportOptions, MetricsOptions } from './telemetry-options.ts';

function otlpReader(otlp: MetricExportOptions): MetricReader {
  return new PeriodicExportingMetricReader({ exporter: otlpMetricExporter(otlp), exportIntervalMillis: otlp.intervalMs, exportTimeoutMillis: otlp.timeoutMs });
}

/**
 * Served by GET /metrics on the service port (prometheus-endpoint.ts), not on a port of its own. target_info is
 * left out: its resource attributes (host name, process command line) are not for an unauthenticated endpoint.
 */
function prometheusReader(): PrometheusExporter {
  return new PrometheusExporter({ preventServerStart: true, withoutTargetInfo: true });
}

export interface MetricReaders {
  readers: MetricReader[];
  prometheus: PrometheusExporter | undefined;
}

export function metricReaders(options: MetricsOptions): MetricReaders {
  const prometheus = options.prometheus ? prometheusReader() : undefined;
  const readers: MetricReader[] = [...(options.otlp ? [otlpReader(options.otlp)] : []), ...(prometheus ? [prometheus] : [])];
  return { readers, prometheus };
}
