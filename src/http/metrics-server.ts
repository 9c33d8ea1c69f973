/**
 * The separate /metrics listener (CERTGUARD_METRICS_PORT, CERTGUARD_METRICS_HOST, loopback by default): the
 * unauthenticated metrics stay off the API's interface, reachable only by the scraper's network. Nothing but
 * GET /metrics is served here.
 */
import { createServer, type Server } from 'node:http';
import { prometheusMetrics } from '../telemetry/prometheus-endpoint.ts';

export function createMetricsServer(): Server {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === '/metrics' && (request.method === 'GET' || request.method === 'HEAD')) return prometheusMetrics(request, response);
    response.statusCode = 404;
    response.setHeader('content-type', 'application/json');
    response.setHeader('x-amzn-ErrorType', 'UnknownOperationException');
    response.end(JSON.stringify({ message: 'This listener serves only GET /metrics' }));
  });
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  return server;
}
