/**
 * Optional "data events" (CERTGUARD_AUDIT_DATA_EVENTS=true, off by default as in CloudTrail): every certificate
 * and IoT policy read (Describe/Get/List) becomes a DataRead row — who, which operation, the path and query,
 * and how it ended. Written when the response has finished and without holding it up (a read changes nothing);
 * a failed write is logged. Reads of the audit trail itself are audited separately and always (trail-access-audit.ts).
 */
import type { NextFunction, Request, Response } from 'express';
import type winston from 'winston';
import type { Caller } from '../../request/caller.ts';
import type { Database } from '../../db/database.ts';
import type { OperationResolver } from '../../request/operation-resolver.ts';
import { currentTraceIds } from '../../telemetry/decision-span.ts';
import { appendSecurityEvent } from './security-event.repository.ts';

export const DATA_READ_OPERATIONS: ReadonlySet<string> = new Set([
  'DescribeCertificate',
  'ListCertificates',
  'GetPolicy',
  'ListPolicies',
  'ListPrincipalPolicies',
  'ListAttachedPolicies',
  'ListTargetsForPolicy',
]);

function outcomeOf(status: number): 'ALLOW' | 'DENY' | 'ERROR' {
  return status < 400 ? 'ALLOW' : status < 500 ? 'DENY' : 'ERROR';
}

export function auditDataReads(ctx: { db: Database; logger: winston.Logger }, resolveOperation: OperationResolver) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const operation = req.method === 'GET' || req.method === 'POST' ? resolveOperation(req) : undefined;
    const caller = res.locals.caller as Caller | undefined;
    if (operation === undefined || !DATA_READ_OPERATIONS.has(operation) || caller === undefined) return next();
    const queryStart = req.originalUrl.indexOf('?');
    const parameters = {
      httpMethod: req.method,
      path: req.path,
      // X-Amz-* query members (a presigning attempt: Signature, Credential...) are never stored.
      query:
        queryStart === -1 ? {} : Object.fromEntries([...new URLSearchParams(req.originalUrl.slice(queryStart + 1))].filter(([name]) => !/^x-amz-/i.test(name))),
    };
    const trace = currentTraceIds();
    res.once('finish', () => {
      const errorType = res.getHeader('x-amzn-ErrorType');
      appendSecurityEvent(ctx.db, {
        eventType: 'DataRead',
        operation,
        decision: outcomeOf(res.statusCode),
        requestId: (res.locals.requestId as string | undefined) ?? null,
        caller,
        sourceIp: req.socket.remoteAddress ?? null,
        userAgent: req.get('user-agent') ?? null,
        errorType: typeof errorType === 'string' ? errorType : null,
        parameters: { ...parameters, status: res.statusCode },
        trace,
      }).catch((error: unknown) =>
        ctx.logger.error('could not audit a data read', {
          operation,
          requestId: res.locals.requestId,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    });
    next();
  };
}
