/**
 * What the API port answers while the service is still starting (waiting for Postgres, migrating, loading the
 * rules): an orchestrator's probes get an answer instead of a refused connection — GET /health 200 (the process is
 * alive), GET /ready 503 (not ready yet) — and every other request an AWS-format 503 the SDKs retry. main.ts swaps
 * in the app once bootstrap has finished.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ALL_STEPS } from './readiness.ts';

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function startingHandler(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/health') return json(res, 200, { status: 'ok' });
  if (req.method === 'GET' && path === '/ready') {
    const checks = Object.fromEntries(['database', ...ALL_STEPS].map((step) => [step, false]));
    return json(res, 503, { status: 'not ready', checks });
  }
  // The body is not read: drop it, and close the connection so a client does not keep sending into a starting process.
  req.resume();
  json(
    res,
    503,
    { message: 'certguard is starting; retry shortly' },
    { 'x-amzn-ErrorType': 'ServiceUnavailableException', connection: 'close', 'retry-after': '1' },
  );
}
