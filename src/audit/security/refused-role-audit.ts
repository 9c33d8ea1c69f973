/**
 * An authenticated caller without the auditor role trying to read the audit trail or run a policy dry run is
 * refused with 401 by requireRole; this error middleware, mounted right after it, records the attempt
 * (AuditTrailRead / PolicyEvaluation, decision DENY, UnauthorizedException) so the trail shows who tried, not
 * only who succeeded. The refusal changes nothing, so it is answered even if the row cannot be written (logged).
 */
import type { ErrorRequestHandler, Request } from 'express';
import type winston from 'winston';
import type { Caller } from '../../request/caller.ts';
import type { Database } from '../../db/database.ts';
import { ServiceError } from '../../errors.ts';
import { currentTraceIds } from '../../telemetry/decision-span.ts';
import { appendSecurityEvent } from './security-event.repository.ts';

const AUDITED: Readonly<Record<string, 'AuditTrailRead' | 'PolicyEvaluation'>> = {
  ListAuditEvents: 'AuditTrailRead',
  GetAuditEvent: 'AuditTrailRead',
  ExportAuditEvents: 'AuditTrailRead',
  VerifyAuditChain: 'AuditTrailRead',
  ListAuditCheckpoints: 'AuditTrailRead',
  EvaluatePolicy: 'PolicyEvaluation',
  SimulatePolicy: 'PolicyEvaluation',
};

/** The operationId express-openapi-validator matched (it ran before the routers). */
function operationOf(req: Request): string | undefined {
  return (req as { openapi?: { schema?: { operationId?: string } } }).openapi?.schema?.operationId;
}

export function auditRefusedRole(ctx: { db: Database; logger: winston.Logger }): ErrorRequestHandler {
  return async (err, req, res, next) => {
    const operation = operationOf(req);
    const eventType = operation === undefined ? undefined : AUDITED[operation];
    const caller = res.locals.caller as Caller | undefined;
    if (!(err instanceof ServiceError) || err.errorType !== 'UnauthorizedException' || !eventType || !operation || !caller) return next(err);
    try {
      await appendSecurityEvent(ctx.db, {
        eventType,
        operation,
        decision: 'DENY',
        requestId: (res.locals.requestId as string | undefined) ?? null,
        caller,
        sourceIp: req.socket.remoteAddress ?? null,
        userAgent: req.get('user-agent') ?? null,
        errorType: err.errorType,
        errorMessage: err.message,
        parameters: { httpMethod: req.method, path: req.path },
        trace: currentTraceIds(),
      });
    } catch (error) {
      ctx.logger.error('could not audit a refused read of the audit trail', { operation, error: error instanceof Error ? error.message : String(error) });
    }
    next(err);
  };
}
