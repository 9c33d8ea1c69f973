/** HTTP bindings of the transfer lifecycle. Shapes are already validated against openapi/certguard.yaml. */
import { Router } from 'express';
import type { ServiceContext } from '../decisions/service-context.ts';
import { requestFacts } from '../http/request-context.ts';
import { bodyOf } from '../http/request-input.ts';
import { certificateIdOf } from './certificate-id.ts';
import { transferCertificate } from './certificate-transfer.service.ts';

export function certificateTransferRouter(ctx: ServiceContext): Router {
  const router = Router();

  router.patch('/transfer-certificate/:certificateId', async (req, res) => {
    res.json(await transferCertificate(ctx, requestFacts(req, res), {
      certificateId: certificateIdOf(req),
      targetAwsAccount: String(req.query.targetAwsAccount),
      transferMessage: bodyOf(req).transferMessage as string | undefined,
    }));
  });

  return router;
}
