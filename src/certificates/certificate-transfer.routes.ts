/** HTTP bindings of the transfer lifecycle. Input is read typed from the contract (src/request/operation-input.ts). */
import { Router } from 'express';
import type { ServiceContext } from './service-context.ts';
import { requestFacts } from '../request/request-context.ts';
import { operationInput } from '../request/operation-input.ts';
import { certificateIdOf } from './certificate-id.ts';
import { transferCertificate } from './certificate-transfer.service.ts';
import { acceptCertificateTransfer, cancelCertificateTransfer, rejectCertificateTransfer } from './transfer-lifecycle.service.ts';

export function certificateTransferRouter(ctx: ServiceContext): Router {
  const router = Router();

  router.patch('/transfer-certificate/:certificateId', async (req, res) => {
    const { path, query, body } = operationInput(req, 'TransferCertificate');
    res.json(
      await transferCertificate(ctx, requestFacts(req, res), {
        certificateId: certificateIdOf(path),
        targetAwsAccount: query.targetAwsAccount,
        transferMessage: body.transferMessage,
      }),
    );
  });

  router.patch('/accept-certificate-transfer/:certificateId', async (req, res) => {
    const { path, query } = operationInput(req, 'AcceptCertificateTransfer');
    res.json(
      await acceptCertificateTransfer(ctx, requestFacts(req, res), {
        certificateId: certificateIdOf(path),
        setAsActive: query.setAsActive ?? false,
      }),
    );
  });

  router.patch('/reject-certificate-transfer/:certificateId', async (req, res) => {
    const { path, body } = operationInput(req, 'RejectCertificateTransfer');
    res.json(
      await rejectCertificateTransfer(ctx, requestFacts(req, res), {
        certificateId: certificateIdOf(path),
        rejectReason: body.rejectReason,
      }),
    );
  });

  router.patch('/cancel-certificate-transfer/:certificateId', async (req, res) => {
    const { path } = operationInput(req, 'CancelCertificateTransfer');
    res.json(await cancelCertificateTransfer(ctx, requestFacts(req, res), { certificateId: certificateIdOf(path) }));
  });

  return router;
}
