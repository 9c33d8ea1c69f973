/**
 * certguard's own guard-rule endpoints under /v1/policy: describe the bundle in force, dry-run a decision,
 * simulate a candidate bundle against recorded decisions. Auditors only; bodies are read typed from the contract
 * (src/request/operation-input.ts).
 */
import { Router } from 'express';
import { auditRefusedRole } from '../../audit/security/refused-role-audit.ts';
import { auditedCall } from '../../audit/security/trail-access-audit.ts';
import { requireRole } from '../../request/require-role.ts';
import type { PolicyApiContext } from './policy-api-context.ts';
import { operationInput } from '../../request/operation-input.ts';
import { describeActivePolicy } from './policy-describe.service.ts';
import { evaluatePolicy } from './policy-evaluate.service.ts';
import { simulatePolicy } from './policy-simulate.service.ts';
import { evaluationParameters, simulationParameters } from './policy-call-audit.ts';

const requireAuditor = requireRole('auditor', '/v1/policy');

export function policyApiRouter(ctx: PolicyApiContext): Router {
  const router = Router();
  router.use('/v1/policy', requireAuditor);
  router.use('/v1/policy', auditRefusedRole(ctx)); // who tried without the role

  router.get('/v1/policy', async (_req, res) => {
    res.json(await describeActivePolicy(ctx));
  });

  // Dry runs are audited (PolicyEvaluation rows, src/audit/security/trail-access-audit.ts): they read recorded decisions.
  router.post('/v1/policy/evaluate', async (req, res) => {
    const { body } = operationInput(req, 'EvaluatePolicy');
    const access = {
      eventType: 'PolicyEvaluation',
      operation: 'EvaluatePolicy',
      parameters: evaluationParameters(body),
      policy: ctx.policy().reference(),
    } as const;
    res.json(
      await auditedCall(
        ctx,
        req,
        res,
        access,
        () => evaluatePolicy(ctx, body),
        (decision) => ({ allowed: decision.allowed, failingRuleId: decision.failingRuleId ?? null, policyHash: decision.policy.hash }),
      ),
    );
  });

  router.post('/v1/policy/simulate', async (req, res) => {
    const { body } = operationInput(req, 'SimulatePolicy');
    const access = {
      eventType: 'PolicyEvaluation',
      operation: 'SimulatePolicy',
      parameters: simulationParameters(body),
      policy: ctx.policy().reference(),
    } as const;
    res.json(
      await auditedCall(
        ctx,
        req,
        res,
        access,
        () => simulatePolicy(ctx, body),
        (report) => ({
          candidateHash: report.candidate.hash,
          evaluated: report.evaluated,
          changed: report.changed,
          unchanged: report.unchanged,
          skipped: report.skipped,
        }),
      ),
    );
  });

  return router;
}
