/**
 * certguard's own guard-rule endpoints under /v1/policy: describe the bundle in force, dry-run a decision,
 * simulate a candidate bundle against recorded decisions. Auditors only; shapes are validated by the OpenAPI
 * contract before these handlers run.
 */
import { Router } from 'express';
import { requireRole } from '../auth/require-role.ts';
import type { ServiceContext } from '../decisions/service-context.ts';
import { bodyOf } from '../http/request-input.ts';
import { describeActivePolicy } from './policy-describe.service.ts';
import { evaluatePolicy, type EvaluateRequest } from './policy-evaluate.service.ts';
import { simulatePolicy, type SimulateRequest } from './policy-simulate.service.ts';

const requireAuditor = requireRole('auditor', '/v1/policy');

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
