/** HTTP bindings of the IoT policy operations. Shapes are already validated against openapi/certguard.yaml. */
import { Router } from 'express';
import type { ServiceContext } from '../decisions/service-context.ts';
import { requestFacts } from '../http/request-context.ts';
import { bodyOf } from '../http/request-input.ts';
import { attachPolicy, createPolicy, detachPolicy } from './iot-policy.service.ts';

export function iotPolicyRouter(ctx: ServiceContext): Router {
  const router = Router();

  router.post('/policies/:policyName', async (req, res) => {
    res.json(await createPolicy(ctx, requestFacts(req, res), {
      policyName: String(req.params.policyName),
      policyDocument: String(bodyOf(req).policyDocument),
    }));
  });

  // AttachPolicy is PUT and DetachPolicy is POST on the same path (wire contract §2.3).
  router.put('/target-policies/:policyName', async (req, res) => {
    res.json(await attachPolicy(ctx, requestFacts(req, res), { policyName: String(req.params.policyName), target: String(bodyOf(req).target) }));
  });

  router.post('/target-policies/:policyName', async (req, res) => {
    res.json(await detachPolicy(ctx, requestFacts(req, res), { policyName: String(req.params.policyName), target: String(bodyOf(req).target) }));
  });

  return router;
}
