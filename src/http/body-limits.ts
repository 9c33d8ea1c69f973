/**
 * Cuts oversize and slow request bodies before they cost anything (docs/security.md, "Safe defaults and shutdown").
 *
 * - A declared Content-Length over MAX_BODY_BYTES is answered 413 at once, before a body byte is read, and the
 *   connection is closed after the answer: express.raw would otherwise read (drain) the whole declared body first,
 *   at whatever pace the unauthenticated client chooses.
 * - A body must arrive completely within `bodyTimeoutMs` of the headers: a slow upload (chunked, or under its
 *   Content-Length) is answered 408 and its connection closed within seconds. Node's requestTimeout is the backstop.
 * Mounted before the raw body is read, so it applies to every route, authenticated or not.
 */
import type { NextFunction, Request, Response } from 'express';
import { PayloadTooLargeError, RequestTimeoutError, type ServiceError } from '../errors.ts';
import { sendError } from './error-handler.ts';

/** Large enough for the biggest modeled member (PolicyDocument, 404,600 characters) plus JSON framing. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Answers with the AWS error and closes the connection once the answer is written: the body is never read. */
export function refuseAndClose(req: Request, res: Response, error: ServiceError): void {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  res.setHeader('Connection', 'close');
  sendError(res, error);
  // Node closes a `Connection: close` response's socket when it is written; destroy it if the client never reads it.
  res.once('finish', () => req.socket.end(() => req.socket.destroy()));
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export function bodyLimits(options: { bodyTimeoutMs: number; maxBodyBytes?: number }) {
  const max = options.maxBodyBytes ?? MAX_BODY_BYTES;
  return (req: Request, res: Response, next: NextFunction): void => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > max) {
      return refuseAndClose(req, res, new PayloadTooLargeError(`The request body is too large: at most ${max} bytes`));
    }
    if (hasBody(req) && !req.complete) {
      const timer = setTimeout(() => {
        if (!req.complete) refuseAndClose(req, res, new RequestTimeoutError('The request body was not received in time'));
      }, options.bodyTimeoutMs);
      timer.unref();
      const clear = () => clearTimeout(timer);
      req.once('end', clear);
      req.once('close', clear);
    }
    next();
  };
}
