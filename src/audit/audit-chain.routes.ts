/**
 * certguard's audit-chain endpoints (auditor role): verify the chain, export the signed checkpoints, and sign
 * the head on demand. Input is read typed from the contract (src/request/operation-input.ts).
 */
import { Router } from 'express';
import type winston from 'winston';
import { operationInput } from '../request/operation-input.ts';
import { requireRole } from '../request/require-role.ts';
import { InvalidRequestError, ServiceUnavailableError } from '../errors.ts';
import { auditRefusedRole } from './security/refused-role-audit.ts';
import { auditedCall, recordAccess } from './security/trail-access-audit.ts';
import type { Database } from '../db/database.ts';
import type { AuditSealer } from './sealing/audit-sealer.ts';
import { withChainTables } from './chain/chain-schema.ts';
import { listCheckpoints } from './checkpoints/checkpoint.repository.ts';
import { checkpointsDocument } from './checkpoints/checkpoints-document.ts';
import { UnknownCheckpointError, verifyDatabaseChain } from './verification/verify-database.ts';

const requireAuditor = requireRole('auditor', '/v1/audit');

/** What this router uses (not the whole AppContext: a router never imports app.ts). */
export interface AuditChainRoutesContext {
  db: Database;
  logger: winston.Logger;
  /** The audit sealer (POST /v1/audit/checkpoints); absent: checkpoints on demand answer 503. */
  auditSealer?: AuditSealer;
}

export function auditChainRouter(ctx: AuditChainRoutesContext): Router {
  const router = Router();
  router.use(['/v1/audit/verify', '/v1/audit/checkpoints'], requireAuditor);
  router.use(['/v1/audit/verify', '/v1/audit/checkpoints'], auditRefusedRole(ctx)); // who tried without the role

  router.get('/v1/audit/verify', async (req, res) => {
    const { query } = operationInput(req, 'VerifyAuditChain');
    // Audited with its verdict, after the run and before the answer (src/audit/security/trail-access-audit.ts).
    const access = { eventType: 'AuditTrailRead', operation: 'VerifyAuditChain', parameters: { ...query } } as const;
    res.json(
      await auditedCall(
        ctx,
        req,
        res,
        access,
        async () => {
          try {
            return await verifyDatabaseChain(ctx.db, query.fromCheckpoint !== undefined ? { fromCheckpointId: query.fromCheckpoint } : {});
          } catch (error) {
            if (error instanceof UnknownCheckpointError) throw new InvalidRequestError(error.message);
            throw error;
          }
        },
        (report) => ({
          ok: report.ok,
          checkedEntries: report.checkedEntries,
          unsealedRows: report.unsealedRows,
          checkpointsVerified: report.checkpointsVerified,
          headChainSeq: report.headChainSeq,
          reason: report.reason ?? null,
          firstBrokenChainSeq: report.firstBrokenChainSeq ?? null,
        }),
      ),
    );
  });

  router.get('/v1/audit/checkpoints', async (req, res) => {
    await recordAccess(ctx, req, res, { eventType: 'AuditTrailRead', operation: 'ListAuditCheckpoints', parameters: {} });
    res.json(checkpointsDocument(await listCheckpoints(withChainTables(ctx.db))));
  });

  router.post('/v1/audit/checkpoints', async (_req, res) => {
    if (!ctx.auditSealer) throw new ServiceUnavailableError('This certguard process has no audit sealer');
    res.status(201).json(await ctx.auditSealer.checkpointNow());
  });

  return router;
}
