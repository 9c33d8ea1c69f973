/**
 * certguard's own guard-rule endpoints under /v1/policy: describe the bundle in force, dry-run a decision,
 * simulate a candidate bundle against recorded decisions. Auditors only; shapes are validated by the OpenAPI
 * contract before these handlers run.
 */
import { type NextFunction, type Request, type Response, Router } from 'express';
import { hasRole } from '../auth/caller.ts';
import type { ServiceContext } from '../decisions/service-context.ts';
import { UnauthorizedError } from '../http/errors.ts';
import { requestFacts } from '../http/request-context.ts';
import { bodyOf } from '../http/request-input.ts';
import { describeActivePolicy } from './policy-describe.service.ts';
import { evaluatePolicy, type EvaluateRequest } from './policy-evaluate.service.ts';
import { simulatePolicy, type SimulateRequest } from './policy-simulate.service.ts';

function requireAuditor(req: Request, res: Response, next: NextFunction): void {
  const { caller } = requestFacts(req, res);
  if (hasRole(caller, 'auditor')) return next();
  next(new UnauthorizedError(`Access key ${caller.accessKeyId} has no auditor role: the /v1/policy endpoints are for auditors`));
}

export function policyApiRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.use('/v1/policy', requireAuditor);

  router.get('/v1/policy', async (_req, res) => {
    res.json(await describeActivePolicy(ctx));
  });

  router.post('/v1/policy/evaluate', async (req, res) => {
    res.json(await evaluatePolicy(ctx, bodyOf(req) as unknown as EvaluateRequest));
  });

  router.post('/v1/policy/simulate', async (req, res) => {
    res.json(await simulatePolicy(ctx, bodyOf(req) as unknown as SimulateRequest));
  });

  return router;
}
