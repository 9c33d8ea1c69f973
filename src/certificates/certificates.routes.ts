/** HTTP bindings of the certificate operations. Input is read typed from the contract (src/request/operation-input.ts). */
import { Router } from 'express';
import type { ServiceContext } from './service-context.ts';
import { requestFacts } from '../request/request-context.ts';
import { operationInput } from '../request/operation-input.ts';
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
    const { query } = operationInput(req, 'CreateKeysAndCertificate');
    res.json(await createKeysAndCertificate(ctx, requestFacts(req, res), { setAsActive: query.setAsActive ?? false }));
  });

  router.post('/certificate/register-no-ca', async (req, res) => {
    const { certificatePem, status } = operationInput(req, 'RegisterCertificateWithoutCA').body;
    res.json(await registerCertificateWithoutCa(ctx, requestFacts(req, res), { certificatePem, ...(status !== undefined ? { status } : {}) }));
  });

  router.post('/certificate/register', async (req, res) => {
    const { query, body } = operationInput(req, 'RegisterCertificate');
    const { certificatePem, caCertificatePem, status } = body;
    res.json(
      await registerCertificate(ctx, requestFacts(req, res), {
        certificatePem,
        ...(caCertificatePem !== undefined ? { caCertificatePem } : {}),
        ...(status !== undefined ? { status } : {}),
        setAsActive: query.setAsActive ?? false,
      }),
    );
  });

  // ListCertificates (GET) and CreateCertificateFromCsr (POST) share the path /certificates.
  router.get('/certificates', async (req, res) => {
    const { pageSize, marker, isAscendingOrder } = operationInput(req, 'ListCertificates').query;
    res.json(
      await listCertificates(ctx, requestFacts(req, res), {
        ...(pageSize !== undefined ? { pageSize } : {}),
        ...(marker !== undefined ? { marker } : {}),
        ascendingOrder: isAscendingOrder ?? false,
      }),
    );
  });

  router.post('/certificates', async (req, res) => {
    const { query, body } = operationInput(req, 'CreateCertificateFromCsr');
    res.json(
      await createCertificateFromCsr(ctx, requestFacts(req, res), {
        certificateSigningRequest: body.certificateSigningRequest,
        setAsActive: query.setAsActive ?? false,
      }),
    );
  });

  router.get('/certificates/:certificateId', async (req, res) => {
    const { path } = operationInput(req, 'DescribeCertificate');
    res.json(await describeCertificate(ctx, requestFacts(req, res), certificateIdOf(path)));
  });

  router.put('/certificates/:certificateId', async (req, res) => {
    const { path, query } = operationInput(req, 'UpdateCertificate');
    res.json(await updateCertificate(ctx, requestFacts(req, res), { certificateId: certificateIdOf(path), newStatus: query.newStatus }));
  });

  router.delete('/certificates/:certificateId', async (req, res) => {
    const { path, query } = operationInput(req, 'DeleteCertificate');
    res.json(await deleteCertificate(ctx, requestFacts(req, res), { certificateId: certificateIdOf(path), forceDelete: query.forceDelete ?? false }));
  });

  return router;
}
