/**
 * First middleware of every request: gives it an id (returned as x-amzn-RequestId, as AWS does), and returns
 * the W3C traceparent of the server span so a caller can jump from its own trace to certguard's audit row.
 */
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { Caller } from './caller.ts';

/** What the audit trail needs to know about the request, whatever the operation. */
export interface RequestFacts {
  requestId: string;
  caller: Caller;
  sourceIp: string | null;
  userAgent: string | null;
  /** Returns a `warn` rule's message to the caller (x-certguard-warning header), the request still being allowed. */
  warn(message: string): void;
}

/** Header values must be printable ASCII on one line; a warning is also kept short. */
function headerSafe(message: string): string {
  return message.replace(/[^\x20-\x7e]/g, '?').slice(0, 512);
}

export function requestContext(_req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID();
  res.locals.requestId = requestId;
  res.setHeader('x-amzn-RequestId', requestId);
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && trace.isSpanContextValid(spanContext)) {
    const flags = spanContext.traceFlags.toString(16).padStart(2, '0');
    res.setHeader('traceparent', `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`);
  }
  next();
}

export function requestFacts(req: Request, res: Response): RequestFacts {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error('requestFacts called before authentication');
  return {
    requestId: res.locals.requestId as string,
    caller,
    sourceIp: req.socket.remoteAddress ?? null,
    userAgent: req.get('user-agent') ?? null,
    warn: (message) => {
      if (!res.headersSent) res.append('x-certguard-warning', headerSafe(message));
    },
  };
}
