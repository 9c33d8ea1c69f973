/** HTTP bindings of the certificate operations. Shapes are already validated against openapi/certguard.yaml. */
import { Router } from 'express';
import type { ServiceContext } from '../decisions/service-context.ts';
import { requestFacts } from '../http/request-context.ts';
import { bodyOf, queryFlag } from '../http/request-input.ts';
import { describeCertificate } from './certificate-read.service.ts';
import { createKeysAndCertificate, registerCertificateWithoutCa } from './certificate-issue.service.ts';
import { updateCertificate } from './certificate-status.service.ts';

import { certificateIdOf } from './certificate-id.ts';

export function certificatesRouter(ctx: ServiceContext): Router {
  const router = Router();

  router.post('/keys-and-certificate', async (req, res) => {
    res.json(await createKeysAndCertificate(ctx, requestFacts(req, res), { setAsActive: queryFlag(req, 'setAsActive') }));
  });

  router.post('/certificate/register-no-ca', async (req, res) => {
    const { certificatePem, status } = bodyOf(req) as { certificatePem: string; status?: string };
    res.json(await registerCertificateWithoutCa(ctx, requestFacts(req, res), { certificatePem, ...(status ? { status } : {}) }));
  });

  router.get('/certificates/:certificateId', async (req, res) => {
    res.json(await describeCertificate(ctx, requestFacts(req, res), certificateIdOf(req)));
  });

  router.put('/certificates/:certificateId', async (req, res) => {
    res.json(await updateCertificate(ctx, requestFacts(req, res), {
      certificateId: certificateIdOf(req),
      newStatus: String(req.query.newStatus),
    }));
  });

  return router;
}
