/** HTTP bindings of the transfer lifecycle. Shapes are already validated against openapi/certguard.yaml. */
import { Router } from 'express';
import type { ServiceContext } from './service-context.ts';
import { requestFacts } from '../request/request-context.ts';
import { bodyOf, queryFlag } from '../request/request-input.ts';
import { certificateIdOf } from './certificate-id.ts';
import { transferCertificate } from './certificate-transfer.service.ts';
import { acceptCertificateTransfer, cancelCertificateTransfer, rejectCertificateTransfer } from './transfer-lifecycle.service.ts';

export function certificateTransferRouter(ctx: ServiceContext): Router {
  const router = Router();

  router.patch('/transfer-certificate/:certificateId', async (req, res) => {
    res.json(
      await transferCertificate(ctx, requestFacts(req, res), {
        certificateId: certificateIdOf(req),
        targetAwsAccount: String(req.query.targetAwsAccount),
        transferMessage: bodyOf(req).transferMessage as string | undefined,
      }),
    );
  });

  router.patch('/accept-certificate-transfer/:certificateId', async (req, res) => {
    res.json(
      await acceptCertificateTransfer(ctx, requestFacts(req, res), {
        certificateId: certificateIdOf(req),
        setAsActive: queryFlag(req, 'setAsActive'),
      }),
    );
  });

  router.patch('/reject-certificate-transfer/:certificateId', async (req, res) => {
    res.json(
      await rejectCertificateTransfer(ctx, requestFacts(req, res), {
        certificateId: certificateIdOf(req),
        rejectReason: bodyOf(req).rejectReason as string | undefined,
      }),
    );
  });

  router.patch('/cancel-certificate-transfer/:certificateId', async (req, res) => {
    res.json(await cancelCertificateTransfer(ctx, requestFacts(req, res), { certificateId: certificateIdOf(req) }));
  });

  return router;
}
