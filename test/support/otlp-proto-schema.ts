/**
 * Decodes OTLP/HTTP protobuf bodies (ExportTraceServiceRequest, ExportMetricsServiceRequest) with protobufjs and
 * the subset of the OTLP .proto definitions (opentelemetry-proto v1, field numbers unchanged since 1.0) that the
 * tests read. Fields left out here are skipped by the decoder, as protobuf allows.
 *
 * protobufjs comes with the OpenTelemetry gRPC exporters (via @grpc/proto-loader); it is not a direct dependency.
 */
import protobuf from 'protobufjs';

const OTLP_PROTO = `
syntax = "proto3";
package otlp;

message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
                ArrayValue array_value = 5; bytes bytes_value = 7; }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; }
message Resource { repeated KeyValue attributes = 1; }

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5;
  int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
  repeated Event events = 11; Status status = 15;
}
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
message Status { string message = 2; int32 code = 3; }

message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; }
message Metric {
  string name = 1; string description = 2; string unit = 3;
  oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; }
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message NumberDataPoint {
  repeated KeyValue attributes = 7; fixed64 time_unix_nano = 3; double as_double = 4; sfixed64 as_int = 6;
}
message HistogramDataPoint {
  repeated KeyValue attributes = 9; fixed64 time_unix_nano = 3; fixed64 count = 4; double sum = 5;
  repeated fixed64 bucket_counts = 6; repeated double explicit_bounds = 7;
}
`;

const root = protobuf.parse(OTLP_PROTO).root;
const TraceRequest = root.lookupType('otlp.ExportTraceServiceRequest');
const MetricsRequest = root.lookupType('otlp.ExportMetricsServiceRequest');
const CONVERSION = { longs: Number, defaults: false, arrays: true, oneofs: true } as const;

export type AttributeValue = string | number | boolean | AttributeValue[];
export type DecodedAttributes = Record<string, AttributeValue>;

export interface DecodedSpan {
  resource: DecodedAttributes;
  scope: string;
  traceId: string;
  spanId: string;
  /** undefined for a root span. */
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: DecodedAttributes;
  events: Array<{ name: string; attributes: DecodedAttributes }>;
  status: { code: number; message?: string };
}

export interface DecodedPoint {
  attributes: DecodedAttributes;
  /** Sum and gauge points. */
  value?: number;
  /** Histogram points. */
  count?: number;
  sum?: number;
  explicitBounds?: number[];
}

export interface DecodedMetric {
  resource: DecodedAttributes;
  scope: string;
  name: string;
  unit: string;
  kind: 'sum' | 'gauge' | 'histogram';
  /** Sums only: true for a Counter (only goes up), false for an UpDownCounter. */
  monotonic?: boolean;
  points: DecodedPoint[];
}

// biome-ignore lint/suspicious/noExplicitAny: protobufjs toObject output, walked by shape in the functions below
type Plain = any;

const hex = (bytes: Uint8Array | undefined) => (bytes && bytes.length > 0 ? Buffer.from(bytes).toString('hex') : undefined);

function anyValue(value: Plain): AttributeValue {
  if (value === undefined || value === null) return '';
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(anyValue);
  if (value.bytesValue) return Buffer.from(value.bytesValue).toString('hex');
  const field = value.value as string | undefined;
  return field ? value[field] : '';
}

function attributes(list: Plain[] | undefined): DecodedAttributes {
  return Object.fromEntries((list ?? []).map((kv: Plain) => [kv.key, anyValue(kv.value)]));
}

function span(resource: DecodedAttributes, scope: string, s: Plain): DecodedSpan {
  const parentSpanId = hex(s.parentSpanId);
  return {
    resource,
    scope,
    traceId: hex(s.traceId) ?? '',
    spanId: hex(s.spanId) ?? '',
    ...(parentSpanId ? { parentSpanId } : {}),
    name: s.name,
    kind: s.kind ?? 0,
    attributes: attributes(s.attributes),
    events: (s.events ?? []).map((e: Plain) => ({ name: e.name, attributes: attributes(e.attributes) })),
    status: { code: s.status?.code ?? 0, ...(s.status?.message ? { message: s.status.message } : {}) },
  };
}

export function decodeTraceRequest(body: Uint8Array): DecodedSpan[] {
  const request: Plain = TraceRequest.toObject(TraceRequest.decode(body), CONVERSION);
  return (request.resourceSpans ?? []).flatMap((rs: Plain) =>
    (rs.scopeSpans ?? []).flatMap((ss: Plain) => (ss.spans ?? []).map((s: Plain) => span(attributes(rs.resource?.attributes), ss.scope?.name ?? '', s))),
  );
}

function point(p: Plain): DecodedPoint {
  if (p.count !== undefined || p.bucketCounts !== undefined) {
    return { attributes: attributes(p.attributes), count: p.count ?? 0, sum: p.sum ?? 0, explicitBounds: p.explicitBounds ?? [] };
  }
  return { attributes: attributes(p.attributes), value: p.asInt ?? p.asDouble ?? 0 };
}

function metric(resource: DecodedAttributes, scope: string, m: Plain): DecodedMetric {
  const kind = m.data as DecodedMetric['kind'];
  const monotonic = kind === 'sum' ? { monotonic: m.sum?.isMonotonic === true } : {};
  return { resource, scope, name: m.name, unit: m.unit ?? '', kind, ...monotonic, points: (m[kind]?.dataPoints ?? []).map(point) };
}

export function decodeMetricsRequest(body: Uint8Array): DecodedMetric[] {
  const request: Plain = MetricsRequest.toObject(MetricsRequest.decode(body), CONVERSION);
  return (request.resourceMetrics ?? []).flatMap((rm: Plain) =>
    (rm.scopeMetrics ?? []).flatMap((sm: Plain) => (sm.metrics ?? []).map((m: Plain) => metric(attributes(rm.resource?.attributes), sm.scope?.name ?? '', m))),
  );
}
