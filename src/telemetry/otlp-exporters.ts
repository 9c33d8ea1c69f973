/**
 * The OTLP exporter of each signal for the chosen protocol: http/protobuf, http/json or grpc (many Collectors
 * listen on gRPC :4317 only). One place, so traces, metrics and logs pick their transport the same way.
 */
import { OTLPLogExporter as OTLPGrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as OTLPGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as OTLPJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OTLPGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpExportOptions } from './otlp-export-options.ts';

export function otlpTraceExporter({ protocol, url }: OtlpExportOptions): SpanExporter {
  if (protocol === 'grpc') return new OTLPGrpcTraceExporter({ url });
  return protocol === 'http/json' ? new OTLPJsonTraceExporter({ url }) : new OTLPProtoTraceExporter({ url });
}

export function otlpMetricExporter({ protocol, url }: OtlpExportOptions): PushMetricExporter {
  if (protocol === 'grpc') return new OTLPGrpcMetricExporter({ url });
  return protocol === 'http/json' ? new OTLPJsonMetricExporter({ url }) : new OTLPProtoMetricExporter({ url });
}

export function otlpLogExporter({ protocol, url }: OtlpExportOptions): LogRecordExporter {
  if (protocol === 'grpc') return new OTLPGrpcLogExporter({ url });
  return protocol === 'http/json' ? new OTLPJsonLogExporter({ url }) : new OTLPProtoLogExporter({ url });
}
