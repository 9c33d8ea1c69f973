/** HTTP bindings of the IoT policy operations. Shapes are already validated against openapi/certguard.yaml. */
import { type Request, Router } from 'express';
import type { IotPolicyContext } from './iot-policy-context.ts';
import { DEFAULT_PAGE_SIZE } from '../request/pagination.ts';
import { requestFacts } from '../request/request-context.ts';
import { bodyOf, queryFlag } from '../request/request-input.ts';
import { attachPolicy, attachPrincipalPolicy, detachPolicy, detachPrincipalPolicy } from './iot-policy-attachment.service.ts';
import { getPolicy, listAttachedPolicies, listPolicies, listPrincipalPolicies, listTargetsForPolicy, type PageInput } from './iot-policy-read.service.ts';
import { createPolicy, deletePolicy } from './iot-policy.service.ts';

function pageInput(req: Request): PageInput {
  const { pageSize, marker } = req.query;
  return {
    pageSize: pageSize === undefined ? DEFAULT_PAGE_SIZE : Number(pageSize),
    ...(typeof marker === 'string' ? { marker } : {}),
  };
}

/**
 * `isAscendingOrder` (SDK member `ascendingOrder`): "if true, the results are returned in ascending creation
 * order", so without it newest first, as ListCertificates does.
 */
const ascendingOrder = (req: Request) => queryFlag(req, 'isAscendingOrder');

const policyNameOf = (req: Request) => String(req.params.policyName);
/** The deprecated operations' principal; the validator has made sure the header is there. */
const principalOf = (req: Request) => String(req.get('x-amzn-iot-principal'));

export function iotPolicyRouter(ctx: IotPolicyContext): Router {
  const router = Router();

  router.get('/policies', async (req, res) => {
    res.json(await listPolicies(ctx, requestFacts(req, res), { ...pageInput(req), ascending: ascendingOrder(req) }));
  });

  router.post('/policies/:policyName', async (req, res) => {
    res.json(await createPolicy(ctx, requestFacts(req, res), { policyName: policyNameOf(req), policyDocument: String(bodyOf(req).policyDocument) }));
  });

  router.get('/policies/:policyName', async (req, res) => {
    res.json(await getPolicy(ctx, requestFacts(req, res), policyNameOf(req)));
  });

  router.delete('/policies/:policyName', async (req, res) => {
    res.json(await deletePolicy(ctx, requestFacts(req, res), { policyName: policyNameOf(req) }));
  });

  // AttachPolicy is PUT and DetachPolicy is POST on the same path (wire contract §2.3).
  router.put('/target-policies/:policyName', async (req, res) => {
    res.json(await attachPolicy(ctx, requestFacts(req, res), { policyName: policyNameOf(req), target: String(bodyOf(req).target) }));
  });

  router.post('/target-policies/:policyName', async (req, res) => {
    res.json(await detachPolicy(ctx, requestFacts(req, res), { policyName: policyNameOf(req), target: String(bodyOf(req).target) }));
  });

  // The deprecated principal operations: PUT attaches, DELETE detaches, the principal travels in a header.
  router.put('/principal-policies/:policyName', async (req, res) => {
    res.json(await attachPrincipalPolicy(ctx, requestFacts(req, res), { policyName: policyNameOf(req), principal: principalOf(req) }));
  });

  router.delete('/principal-policies/:policyName', async (req, res) => {
    res.json(await detachPrincipalPolicy(ctx, requestFacts(req, res), { policyName: policyNameOf(req), principal: principalOf(req) }));
  });

  router.get('/principal-policies', async (req, res) => {
    res.json(await listPrincipalPolicies(ctx, requestFacts(req, res), { ...pageInput(req), principal: principalOf(req), ascending: ascendingOrder(req) }));
  });

  // The two list operations below are POST with an empty body, reads despite the method.
  // `recursive` is accepted and ignored: it follows thing-group inheritance, and certguard's targets are certificates.
  router.post('/attached-policies/:target', async (req, res) => {
    res.json(await listAttachedPolicies(ctx, requestFacts(req, res), { ...pageInput(req), target: String(req.params.target) }));
  });

  router.post('/policy-targets/:policyName', async (req, res) => {
    res.json(await listTargetsForPolicy(ctx, requestFacts(req, res), { ...pageInput(req), policyName: policyNameOf(req) }));
  });

  return router;
}
