/**
 * Per-account request rate limit. A refused request answers 429 ThrottlingException (which AWS clients retry with
 * backoff) and is audited as a denial by the built-in rule `certguard.rate-limit`, under its operation's name.
 */
import type { NextFunction, Request, Response } from 'express';
import type { GuardContext } from '../decisions/guarded-operation.ts';
import { auditThrottleDenial } from '../decisions/throttle-denial.ts';
import { ThrottlingError } from '../errors.ts';
import type { OperationResolver } from '../request/operation-resolver.ts';
import { requestFacts } from '../request/request-context.ts';
import type { RequestRateLimiter } from './rate-limiter.ts';

/** The decision floor's GuardContext (db, policy, logger, spool) plus the limiter. */
export interface ThrottleContext extends GuardContext {
  limiter: RequestRateLimiter;
  ratePerSecond: number;
  resolveOperation: OperationResolver;
}

export function throttle(ctx: ThrottleContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const request = requestFacts(req, res);
    const account = request.caller.accountId;
    // Synchronous unless a worker must lease tokens from the primary (rate-limit-leases.ts).
    const taken = ctx.limiter.tryTake(account);
    if (taken === true || (taken !== false && (await taken))) return next();

    const operation = ctx.resolveOperation(req) ?? `${req.method} ${req.path}`;
    const error = new ThrottlingError(`Rate exceeded: account ${account} is limited to ${ctx.ratePerSecond} requests per second`);
    res.setHeader('Retry-After', String(Math.max(1, ctx.limiter.secondsUntilNextToken(account))));
    await auditThrottleDenial(ctx, req, request, operation, error);
    next(error);
  };
}
