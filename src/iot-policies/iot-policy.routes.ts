/** HTTP bindings of the IoT policy operations. Input is read typed from the contract (src/request/operation-input.ts). */
import { Router } from 'express';
import type { IotPolicyContext } from './iot-policy-context.ts';
import { DEFAULT_PAGE_SIZE } from '../request/pagination.ts';
import { requestFacts } from '../request/request-context.ts';
import { operationInput } from '../request/operation-input.ts';
import { attachPolicy, attachPrincipalPolicy, detachPolicy, detachPrincipalPolicy } from './iot-policy-attachment.service.ts';
import { getPolicy, listAttachedPolicies, listPolicies, listPrincipalPolicies, listTargetsForPolicy, type PageInput } from './iot-policy-read.service.ts';
import { createPolicy, deletePolicy } from './iot-policy.service.ts';

/** The paging members every list operation shares (the contract's PageSizeQuery and MarkerQuery). */
function pageInput(query: { pageSize?: number; marker?: string }): PageInput {
  return { pageSize: query.pageSize ?? DEFAULT_PAGE_SIZE, ...(query.marker !== undefined ? { marker: query.marker } : {}) };
}

/**
 * `isAscendingOrder` (SDK member `ascendingOrder`): "if true, the results are returned in ascending creation
 * order", so without it newest first, as ListCertificates does.
 */
const ascending = (query: { isAscendingOrder?: boolean }) => query.isAscendingOrder ?? false;

export function iotPolicyRouter(ctx: IotPolicyContext): Router {
  const router = Router();

  router.get('/policies', async (req, res) => {
    const { query } = operationInput(req, 'ListPolicies');
    res.json(await listPolicies(ctx, requestFacts(req, res), { ...pageInput(query), ascending: ascending(query) }));
  });

  router.post('/policies/:policyName', async (req, res) => {
    const { path, body } = operationInput(req, 'CreatePolicy');
    res.json(await createPolicy(ctx, requestFacts(req, res), { policyName: path.policyName, policyDocument: body.policyDocument }));
  });

  router.get('/policies/:policyName', async (req, res) => {
    res.json(await getPolicy(ctx, requestFacts(req, res), operationInput(req, 'GetPolicy').path.policyName));
  });

  router.delete('/policies/:policyName', async (req, res) => {
    res.json(await deletePolicy(ctx, requestFacts(req, res), { policyName: operationInput(req, 'DeletePolicy').path.policyName }));
  });

  // AttachPolicy is PUT and DetachPolicy is POST on the same path (wire contract §2.3).
  router.put('/target-policies/:policyName', async (req, res) => {
    const { path, body } = operationInput(req, 'AttachPolicy');
    res.json(await attachPolicy(ctx, requestFacts(req, res), { policyName: path.policyName, target: body.target }));
  });

  router.post('/target-policies/:policyName', async (req, res) => {
    const { path, body } = operationInput(req, 'DetachPolicy');
    res.json(await detachPolicy(ctx, requestFacts(req, res), { policyName: path.policyName, target: body.target }));
  });

  // The deprecated principal operations: PUT attaches, DELETE detaches, the principal travels in a header.
  router.put('/principal-policies/:policyName', async (req, res) => {
    const { path, header } = operationInput(req, 'AttachPrincipalPolicy');
    res.json(await attachPrincipalPolicy(ctx, requestFacts(req, res), { policyName: path.policyName, principal: header['x-amzn-iot-principal'] }));
  });

  router.delete('/principal-policies/:policyName', async (req, res) => {
    const { path, header } = operationInput(req, 'DetachPrincipalPolicy');
    res.json(await detachPrincipalPolicy(ctx, requestFacts(req, res), { policyName: path.policyName, principal: header['x-amzn-iot-principal'] }));
  });

  router.get('/principal-policies', async (req, res) => {
    const { query, header } = operationInput(req, 'ListPrincipalPolicies');
    res.json(
      await listPrincipalPolicies(ctx, requestFacts(req, res), {
        ...pageInput(query),
        principal: header['x-amzn-iot-principal'],
        ascending: ascending(query),
      }),
    );
  });

  // The two list operations below are POST with an empty body, reads despite the method.
  // `recursive` is accepted and ignored: it follows thing-group inheritance, and certguard's targets are certificates.
  router.post('/attached-policies/:target', async (req, res) => {
    const { path, query } = operationInput(req, 'ListAttachedPolicies');
    res.json(await listAttachedPolicies(ctx, requestFacts(req, res), { ...pageInput(query), target: path.target }));
  });

  router.post('/policy-targets/:policyName', async (req, res) => {
    const { path, query } = operationInput(req, 'ListTargetsForPolicy');
    res.json(await listTargetsForPolicy(ctx, requestFacts(req, res), { ...pageInput(query), policyName: path.policyName }));
  });

  return router;
}
