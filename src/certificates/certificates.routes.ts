/** HTTP bindings of the certificate operations. Shapes are already validated against openapi/certguard.yaml. */
import { Router } from 'express';
import type { ServiceContext } from './service-context.ts';
import { requestFacts } from '../request/request-context.ts';
import { bodyOf, queryFlag } from '../request/request-input.ts';
import { describeCertificate } from './certificate-read.service.ts';
import { deleteCertificate } from './certificate-delete.service.ts';
import { createCertificateFromCsr, createKeysAndCertificate } from './certificate-issue.service.ts';
import { listCertificates } from './certificate-list.service.ts';
import { registerCertificate, registerCertificateWithoutCa } from './certificate-registration.service.ts';
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

  router.post('/certificate/register', async (req, res) => {
    const { certificatePem, caCertificatePem, status } = bodyOf(req) as { certificatePem: string; caCertificatePem?: string; status?: string };
    res.json(
      await registerCertificate(ctx, requestFacts(req, res), {
        certificatePem,
        ...(caCertificatePem !== undefined ? { caCertificatePem } : {}),
        ...(status ? { status } : {}),
        setAsActive: queryFlag(req, 'setAsActive'),
      }),
    );
  });

  // ListCertificates (GET) and CreateCertificateFromCsr (POST) share the path /certificates.
  router.get('/certificates', async (req, res) => {
    const { pageSize, marker } = req.query;
    res.json(
      await listCertificates(ctx, requestFacts(req, res), {
        ...(pageSize !== undefined ? { pageSize: Number(pageSize) } : {}),
        ...(typeof marker === 'string' ? { marker } : {}),
        ascendingOrder: queryFlag(req, 'isAscendingOrder'),
      }),
    );
  });

  router.post('/certificates', async (req, res) => {
    const { certificateSigningRequest } = bodyOf(req) as { certificateSigningRequest: string };
    res.json(
      await createCertificateFromCsr(ctx, requestFacts(req, res), {
        certificateSigningRequest,
        setAsActive: queryFlag(req, 'setAsActive'),
      }),
    );
  });

  router.get('/certificates/:certificateId', async (req, res) => {
    res.json(await describeCertificate(ctx, requestFacts(req, res), certificateIdOf(req)));
  });

  router.put('/certificates/:certificateId', async (req, res) => {
    res.json(
      await updateCertificate(ctx, requestFacts(req, res), {
        certificateId: certificateIdOf(req),
        newStatus: String(req.query.newStatus),
      }),
    );
  });

  router.delete('/certificates/:certificateId', async (req, res) => {
    res.json(
      await deleteCertificate(ctx, requestFacts(req, res), {
        certificateId: certificateIdOf(req),
        forceDelete: queryFlag(req, 'forceDelete'),
      }),
    );
  });

  return router;
}
