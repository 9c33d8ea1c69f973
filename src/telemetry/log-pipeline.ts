/**
 * The logs half of the SDK: with OTEL_LOGS_EXPORTER=otlp, a batch processor sending log records over OTLP.
 * The records come from the OpenTelemetry winston transport that src/logger.ts adds to the one logger; without
 * a processor here the SDK's logger provider drops them, and stdout stays the only destination.
 */
import { BatchLogRecordProcessor, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { otlpLogExporter } from './otlp-exporters.ts';
import type { TelemetryOptions } from './telemetry-options.ts';

export function logRecordProcessors(options: TelemetryOptions): LogRecordProcessor[] {
  return options.logs === undefined ? [] : [new BatchLogRecordProcessor({ exporter: otlpLogExporter(options.logs) })];
}
