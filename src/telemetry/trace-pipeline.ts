/**
 * The tracing half of the SDK: sampler, span processor and OTLP trace exporter, built from TelemetryOptions.
 */
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
import { otlpTraceExporter } from './otlp-exporters.ts';
import type { SamplerOptions, TelemetryOptions } from './telemetry-options.ts';

/**
 * Without an endpoint a no-op processor still makes the SDK register a tracer provider: spans (and so trace ids
 * for log lines and audit rows) exist, but nothing is sent anywhere.
 */
export function spanProcessors(options: TelemetryOptions): SpanProcessor[] {
  const { traces } = options;
  if (traces === undefined) return [new NoopSpanProcessor()];
  return [
    new BatchSpanProcessor(otlpTraceExporter(traces), {
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
