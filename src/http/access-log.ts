/**
 * One access log line per request, at `info`, when the response is finished or the connection closes: method,
 * route, path, status, duration, request id and the access key id the caller claimed. A refused signature (401)
 * thus leaves a trace in the log and not only in a metric. Never logged: the Authorization header, the
 * signature, the query string (a presigned URL carries X-Amz-Signature there) or any body.
 * Probes and scrapes (/health, /ready, /metrics) are logged at `debug`: an orchestrator polls them every few
 * seconds, which would drown the lines that matter.
 */
import type { NextFunction, Request, Response } from 'express';
import type winston from 'winston';
import type { Caller } from '../request/caller.ts';

const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

/** The key id of `Credential=AKID/date/region/service/aws4_request` (header or presigned query): not a secret. */
export function claimedAccessKeyId(req: Request): string | undefined {
  const header = req.headers.authorization;
  const fromHeader = typeof header === 'string' ? /Credential=([A-Za-z0-9]{1,128})\//.exec(header)?.[1] : undefined;
  if (fromHeader !== undefined) return fromHeader;
  const fromQuery = req.query?.['X-Amz-Credential'];
  return typeof fromQuery === 'string' ? /^([A-Za-z0-9]{1,128})\//.exec(fromQuery)?.[1] : undefined;
}

export function accessLog(logger: winston.Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const path = req.originalUrl.split('?', 1)[0] ?? '';
      const caller = res.locals.caller as Caller | undefined;
      const accessKeyId = caller?.accessKeyId ?? claimedAccessKeyId(req);
      logger.log(QUIET_PATHS.has(path) ? 'debug' : 'info', 'request', {
        method: req.method,
        // The route pattern when a router matched (low cardinality, like http.route on the span).
        route: req.route?.path === undefined ? undefined : String(req.route.path),
        path,
        status: res.headersSent ? res.statusCode : 0,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        requestId: res.locals.requestId as string | undefined,
        ...(accessKeyId === undefined ? {} : { accessKeyId }),
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    };
    res.once('finish', log);
    res.once('close', log);
    next();
  };
}
