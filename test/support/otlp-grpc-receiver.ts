/**
 * An OTLP/gRPC receiver (the Collector's :4317) for tests: the three Export services of the OTLP protocol,
 * served by @grpc/grpc-js with raw bytes in and out. Metrics are decoded with the protobuf schema of
 * otlp-proto-schema.ts; traces and logs are kept as raw requests (their strings are UTF-8 in the bytes).
 */
import { type ServerUnaryCall, type sendUnaryData, Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { decodeMetricsRequest, type DecodedMetric } from './otlp-proto-schema.ts';

export interface OtlpGrpcReceiver {
  /** http://127.0.0.1:<port>: plain text, as the exporter reads an http:// endpoint. */
  endpoint: string;
  metricPushes: DecodedMetric[][];
  traceRequests: Buffer[];
  logRequests: Buffer[];
  close(): Promise<void>;
}

const identity = (value: Buffer) => value;

function exportMethod(path: string) {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

export async function startOtlpGrpcReceiver(): Promise<OtlpGrpcReceiver> {
  const metricPushes: DecodedMetric[][] = [];
  const traceRequests: Buffer[] = [];
  const logRequests: Buffer[] = [];
  const server = new Server();
  const handler =
    (keep: (body: Buffer) => void) =>
    (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      keep(call.request);
      callback(null, Buffer.alloc(0)); // an empty Export*ServiceResponse: full success
    };
  const services: Array<[string, (body: Buffer) => void]> = [
    ['opentelemetry.proto.collector.metrics.v1.MetricsService', (body) => metricPushes.push(decodeMetricsRequest(body))],
    ['opentelemetry.proto.collector.trace.v1.TraceService', (body) => traceRequests.push(body)],
    ['opentelemetry.proto.collector.logs.v1.LogsService', (body) => logRequests.push(body)],
  ];
  for (const [service, keep] of services) {
    server.addService({ Export: exportMethod(`/${service}/Export`) }, { Export: handler(keep) } as UntypedServiceImplementation);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    endpoint: `http://127.0.0.1:${port}`,
    metricPushes,
    traceRequests,
    logRequests,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
