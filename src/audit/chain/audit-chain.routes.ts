/**
 * certguard's audit-chain endpoints (auditor role): verify the chain, export the signed checkpoints, and sign
 * the head on demand. Shapes are validated by the OpenAPI contract before these handlers run.
 */
import { Router } from 'express';
import { requireRole } from '../../auth/require-role.ts';
import type { AppContext } from '../../app.ts';
import { InvalidRequestError, ServiceUnavailableError } from '../../http/errors.ts';
import { withChainTables } from './chain-schema.ts';
import { listCheckpoints } from './checkpoint.repository.ts';
import { checkpointsDocument } from './checkpoints-document.ts';
import { UnknownCheckpointError, verifyDatabaseChain } from './verify-database.ts';

const requireAuditor = requireRole('auditor', '/v1/audit');

export function auditChainRouter(ctx: AppContext): Router {
  const router = Router();
  router.use(['/v1/audit/verify', '/v1/audit/checkpoints'], requireAuditor);

  router.get('/v1/audit/verify', async (req, res) => {
    const fromCheckpoint = req.query.fromCheckpoint;
    try {
      res.json(await verifyDatabaseChain(ctx.db, typeof fromCheckpoint === 'string' ? { fromCheckpointId: fromCheckpoint } : {}));
    } catch (error) {
      if (error instanceof UnknownCheckpointError) throw new InvalidRequestError(error.message);
      throw error;
    }
  });

  router.get('/v1/audit/checkpoints', async (_req, res) => {
    res.json(checkpointsDocument(await listCheckpoints(withChainTables(ctx.db))));
  });

  router.post('/v1/audit/checkpoints', async (_req, res) => {
    if (!ctx.auditSealer) throw new ServiceUnavailableError('This certguard process has no audit sealer');
    res.status(201).json(await ctx.auditSealer.checkpointNow());
  });

  return router;
}
