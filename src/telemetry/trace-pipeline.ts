/**
 * The tracing half of the SDK: sampler, span processor and OTLP trace exporter, built from TelemetryOptions.
 */
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { SamplerOptions, TelemetryOptions, TraceExportOptions } from './telemetry-options.ts';

function traceExporter(traces: TraceExportOptions) {
  return traces.protocol === 'http/json' ? new OTLPJsonTraceExporter({ url: traces.url }) : new OTLPProtoTraceExporter({ url: traces.url });
}

/**
 * Without an endpoint a no-op processor still makes the SDK register a tracer provider: spans (and so trace ids
 * for log lines and audit rows) exist, but nothing is sent anywhere.
 */
export function spanProcessors(options: TelemetryOptions): SpanProcessor[] {
  const { traces } = options;
  if (traces === undefined) return [new NoopSpanProcessor()];
  return [
    new BatchSpanProcessor(traceExporter(traces), {
      scheduledDelayMillis: traces.scheduleDelayMs,
      exportTimeoutMillis: traces.exportTimeoutMs,
    }),
  ];
}

function rootSampler({ name, ratio = 1 }: SamplerOptions): Sampler {
  if (name.endsWith('always_off')) return new AlwaysOffSampler();
  if (name.endsWith('traceidratio')) return new TraceIdRatioBasedSampler(ratio);
  return new AlwaysOnSampler();
}

export function sampler(options: SamplerOptions): Sampler {
  const root = rootSampler(options);
  return options.name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}
