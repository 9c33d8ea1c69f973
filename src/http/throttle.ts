/**
 * Per-account request rate limit. A refused request answers 429 ThrottlingException (which AWS clients retry with
 * backoff) and is audited as a denial by the built-in rule `certguard.rate-limit`, under its operation's name.
 */
import type { NextFunction, Request, Response } from 'express';
import type winston from 'winston';
import { decisionAuditRow } from '../audit/audit.repository.ts';
import { type AuditSpool, appendOrSpool } from '../audit/spool/audit-spool.ts';
import type { Database } from '../db/database.ts';
import { builtinDenial } from '../decisions/builtin-decision.ts';
import type { PolicyBundle } from '../policy/policy-bundle.ts';
import { currentTraceIds } from '../telemetry/decision-span.ts';
import { ThrottlingError } from './errors.ts';
import type { OperationResolver } from './operation-resolver.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { requestFacts } from './request-context.ts';

export interface ThrottleContext {
  limiter: RateLimiter;
  ratePerSecond: number;
  resolveOperation: OperationResolver;
  db: Database;
  policy: () => PolicyBundle;
  logger: winston.Logger;
  /** The outage spool (src/audit/spool/): a refusal while the database is down is still audited, later. */
  auditSpool?: AuditSpool;
}

export function throttle(ctx: ThrottleContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const request = requestFacts(req, res);
    const account = request.caller.accountId;
    if (ctx.limiter.tryTake(account)) return next();

    const operation = ctx.resolveOperation(req) ?? `${req.method} ${req.path}`;
    const error = new ThrottlingError(`Rate exceeded: account ${account} is limited to ${ctx.ratePerSecond} requests per second`);
    res.setHeader('Retry-After', String(Math.max(1, ctx.limiter.secondsUntilNextToken(account))));
    try {
      await appendOrSpool(
        ctx.db,
        ctx.auditSpool,
        decisionAuditRow({
          decision: builtinDenial(operation, ctx.policy(), 'rate-limit', error),
          outcome: 'DENY',
          request,
          resource: {},
          requestParameters: { httpMethod: req.method, path: req.path },
          trace: currentTraceIds(),
        }),
      );
    } catch (auditError) {
      // The refusal changes nothing, so it is still answered; the lost audit row is logged for the operators.
      ctx.logger.error('could not audit a throttled request', {
        requestId: request.requestId,
        operation,
        error: auditError instanceof Error ? auditError.message : String(auditError),
      });
    }
    next(error);
  };
}
