/**
 * The one place errors become HTTP. Every answer has the AWS rest-json error format the AWS CLI, boto3 and the
 * JS SDK all recognise: the modeled status, `x-amzn-ErrorType: <Shape>` and a JSON body `{"message": ...}`.
 * Never HTML, never a stack trace; a 5xx body says nothing about internals.
 */
import type { NextFunction, Request, Response } from 'express';
import type winston from 'winston';
import {
  InternalFailureError,
  InvalidRequestError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  ServiceError,
  ServiceUnavailableError,
  UnknownOperationError,
  UnsupportedMediaTypeError,
} from '../errors.ts';
import { isDatabaseUnavailable } from '../db/database-errors.ts';

export function sendError(res: Response, error: ServiceError): void {
  res.status(error.status);
  if (error instanceof MethodNotAllowedError && error.extra.allow) res.setHeader('Allow', error.extra.allow);
  res.setHeader('x-amzn-ErrorType', error.errorType);
  res.json({ message: error.message, ...error.extra });
}

/** express-openapi-validator's errors carry `status` and a list of `errors` with `path` and `message`. */
interface ValidatorError {
  status: number;
  message: string;
  headers?: Record<string, string>;
  errors?: Array<{ path?: string; message?: string }>;
}

function isValidatorError(err: unknown): err is ValidatorError {
  return typeof err === 'object' && err !== null && typeof (err as ValidatorError).status === 'number' && Array.isArray((err as ValidatorError).errors);
}

function fromValidator(err: ValidatorError, req: Request): ServiceError {
  if (err.status === 404) return new UnknownOperationError(`No operation matches ${req.method} ${req.path}`);
  if (err.status === 405) {
    return new MethodNotAllowedError(`${req.method} is not allowed on ${req.path}`, err.headers?.Allow ? { allow: err.headers.Allow } : {});
  }
  if (err.status === 415) return new UnsupportedMediaTypeError(err.message);
  const details = (err.errors ?? [])
    .map((e) => `${(e.path ?? '').replace(/^\/(params|query|body|headers)\/?/, '$1.').replace(/\.$/, '')} ${e.message ?? ''}`.trim())
    .join('; ');
  return new InvalidRequestError(details ? `Invalid request: ${details}` : err.message);
}

/** body-parser errors have a `type` such as 'entity.too.large'. */
function fromBodyParser(err: { type?: string; status?: number }): ServiceError | undefined {
  if (err.type === 'entity.too.large') return new PayloadTooLargeError('The request body is too large');
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
    return new UnsupportedMediaTypeError('Unsupported request body encoding');
  }
  if (err.type === 'request.aborted' || err.type === 'request.size.invalid') {
    return new InvalidRequestError('The request body was incomplete');
  }
  return undefined;
}

export function toServiceError(err: unknown, req: Request): ServiceError | undefined {
  if (err instanceof ServiceError) return err;
  if (isValidatorError(err)) return fromValidator(err, req);
  if (typeof err === 'object' && err !== null) return fromBodyParser(err as { type?: string });
  return undefined;
}

export function errorHandler(logger: winston.Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    let error = toServiceError(err, req);
    if (!error) {
      const unavailable = isDatabaseUnavailable(err);
      logger.error(unavailable ? 'database unavailable' : 'internal failure', {
        requestId: res.locals.requestId,
        method: req.method,
        path: req.path,
        error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
      });
      error = unavailable
        ? new ServiceUnavailableError('The service is temporarily unavailable; retry later')
        : new InternalFailureError('An unexpected error has occurred');
    }
    if (res.headersSent) return void res.end();
    sendError(res, error);
  };
}

/** Unknown routes: the validator answers those it knows; this catches what is left (e.g. outside the spec). */
export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new UnknownOperationError(`No operation matches ${req.method} ${req.path}`));
}
