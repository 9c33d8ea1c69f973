/**
 * Error middleware mounted right after `authenticate`: it sees the UnauthorizedError of a refused signature
 * (and nothing raised later, e.g. role checks, which are audited with their decisions), hands it to the
 * bounded failure audit and passes the error on unchanged to the error handler.
 */
import type { ErrorRequestHandler } from 'express';
import { ServiceError } from '../errors.ts';
import type { OperationResolver } from '../request/operation-resolver.ts';
import type { AuthFailureAuditor } from './auth-failure-audit.ts';

export function auditAuthFailures(auditor: AuthFailureAuditor, resolveOperation: OperationResolver): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (err instanceof ServiceError && err.errorType === 'UnauthorizedException') {
      auditor.record(req, err.message, res.locals.requestId as string | undefined, resolveOperation);
    }
    next(err);
  };
}
