/**
 * GET /metrics: every metric of the process in the Prometheus text format, for scrapers. Served on the service's
 * own port (or on CERTGUARD_METRICS_PORT alone: src/http/metrics-server.ts) by the Prometheus reader that telemetry-sdk.ts registers (its separate server on :9464 is not
 * started). Unauthenticated, like /health: Prometheus scrapers do not sign requests with SigV4, and the labels
 * hold no certificate or account ids (decision-metrics.ts). OTEL_METRICS_EXPORTER without `prometheus` turns
 * it off.
 *
 * This file must not import express or the exporter at run time: register.ts loads it (via telemetry-sdk.ts)
 * before the instrumentations are enabled.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { withUnitSuffixes } from './prometheus-unit-suffix.ts';

let reader: PrometheusExporter | undefined;

/** Called by telemetry-sdk.ts with the reader it registered, and with undefined on shutdown. */
export function servePrometheusMetricsFrom(prometheusReader: PrometheusExporter | undefined): void {
  reader = prometheusReader;
}

const OFF_MESSAGE =
  '# certguard collects no metrics for Prometheus: the OpenTelemetry SDK is not running (OTEL_SDK_DISABLED=true, ' +
  'or started without --import ./src/telemetry/register.ts) or OTEL_METRICS_EXPORTER does not list prometheus.\n';

/** The exporter's text, with unit suffixes (prometheus-unit-suffix.ts); no target_info (resource attributes). */
async function prometheusText(from: PrometheusExporter): Promise<string> {
  // Loaded by metric-readers.ts long before the first scrape; imported here lazily, as the note above asks.
  const { PrometheusSerializer } = await import('@opentelemetry/exporter-prometheus');
  const { resourceMetrics } = await from.collect();
  return withUnitSuffixes(new PrometheusSerializer('', false, undefined, true).serialize(resourceMetrics));
}

/** A plain node:http handler, so it mounts on express (`app.get('/metrics', prometheusMetrics)`) or anywhere else. */
export function prometheusMetrics(_request: IncomingMessage, response: ServerResponse): void {
  const from = reader;
  if (from === undefined) {
    response.statusCode = 404;
    response.setHeader('content-type', 'text/plain; charset=utf-8');
    response.end(OFF_MESSAGE);
    return;
  }
  prometheusText(from).then(
    (text) => {
      response.statusCode = 200;
      response.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
      response.end(text);
    },
    (error: unknown) => {
      response.statusCode = 500;
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      response.end(`# failed to collect metrics: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  );
}

/** This process's metrics as Prometheus text (for the group's /metrics, src/cluster/); undefined when not collected. */
export function processPrometheusText(): Promise<string | undefined> {
  const current = reader;
  return current === undefined ? Promise.resolve(undefined) : prometheusText(current);
}
