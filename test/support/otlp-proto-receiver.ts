/**
 * An OTLP/HTTP receiver for protobuf bodies (POST /v1/traces, /v1/metrics), standing in for an OpenTelemetry
 * Collector in tests. It keeps every decoded span and every metrics push, with the time each request arrived.
 * (test/support/otlp-receiver.ts is the JSON counterpart.)
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeMetricsRequest, decodeTraceRequest, type DecodedMetric, type DecodedSpan } from './otlp-proto-schema.ts';

export interface MetricsPush {
  receivedAt: number;
  metrics: DecodedMetric[];
}

export interface OtlpProtoReceiver {
  endpoint: string;
  spans: DecodedSpan[];
  metricPushes: MetricsPush[];
  /** Requests that were not OTLP protobuf (wrong path or content type), as "<method> <url> <content-type>". */
  rejected: string[];
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

export async function startOtlpProtoReceiver(): Promise<OtlpProtoReceiver> {
  const spans: DecodedSpan[] = [];
  const metricPushes: MetricsPush[] = [];
  const rejected: string[] = [];
  const server = createServer((request, response) => {
    void body(request)
      .then((payload) => {
        const isProtobuf = request.headers['content-type'] === 'application/x-protobuf';
        if (request.method === 'POST' && isProtobuf && request.url === '/v1/traces') {
          spans.push(...decodeTraceRequest(payload));
        } else if (request.method === 'POST' && isProtobuf && request.url === '/v1/metrics') {
          metricPushes.push({ receivedAt: Date.now(), metrics: decodeMetricsRequest(payload) });
        } else {
          rejected.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
          response.writeHead(415).end();
          return;
        }
        // An empty Export*ServiceResponse: every field at its default, i.e. full success.
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      })
      .catch((error: unknown) => {
        rejected.push(`${request.method} ${request.url}: ${String(error)}`);
        response.writeHead(400).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    metricPushes,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
