/**
 * The separate /metrics listener (CERTGUARD_METRICS_PORT, CERTGUARD_METRICS_HOST, loopback by default): the
 * unauthenticated metrics stay off the API's interface, reachable only by the scraper's network. Nothing but
 * GET /metrics is served here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { prometheusMetrics } from '../telemetry/prometheus-endpoint.ts';

/** `serve`: this process's metrics, or (the primary of a group) the group's (src/cluster/group-metrics.ts). */
export function createMetricsServer(serve: (request: IncomingMessage, response: ServerResponse) => void = prometheusMetrics): Server {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === '/metrics' && (request.method === 'GET' || request.method === 'HEAD')) return serve(request, response);
    response.statusCode = 404;
    response.setHeader('content-type', 'application/json');
    response.setHeader('x-amzn-ErrorType', 'UnknownOperationException');
    response.end(JSON.stringify({ message: 'This listener serves only GET /metrics' }));
  });
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  return server;
}
