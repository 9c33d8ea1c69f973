/**
 * certguard's audit-chain endpoints (auditor role): verify the chain (one JSON report, or with
 * `Accept: application/x-ndjson` progress lines then the report: verification/verify-progress-stream.ts), export
 * the signed checkpoints, and sign the head on demand. Input is read typed from the contract (src/request/operation-input.ts).
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
import { streamErrorOf, VERIFY_NDJSON_TYPE, VerifyProgressStream } from './verification/verify-progress-stream.ts';
import type { VerifyReport } from './verification/verify-report.ts';

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
    // The contract's two answers (openapi/certguard.yaml): the JSON report, or NDJSON progress lines and then the
    // report for a client that asks for them. Content negotiation is the Accept header's job, not a parameter's.
    const stream = req.accepts(['application/json', VERIFY_NDJSON_TYPE]) === VERIFY_NDJSON_TYPE ? new VerifyProgressStream(res) : undefined;
    // Audited with its verdict, after the run and before the answer (src/audit/security/trail-access-audit.ts).
    const access = { eventType: 'AuditTrailRead', operation: 'VerifyAuditChain', parameters: { ...query } } as const;
    const run = async () => {
      try {
        return await verifyDatabaseChain(ctx.db, {
          ...(query.fromCheckpoint !== undefined ? { fromCheckpointId: query.fromCheckpoint } : {}),
          ...(stream ? { onProgress: stream.progress } : {}),
        });
      } catch (error) {
        if (error instanceof UnknownCheckpointError) throw new InvalidRequestError(error.message);
        throw error;
      }
    };
    let report: VerifyReport;
    try {
      report = await auditedCall(ctx, req, res, access, run, (verified) => ({
        ok: verified.ok,
        checkedEntries: verified.checkedEntries,
        unsealedRows: verified.unsealedRows,
        checkpointsVerified: verified.checkpointsVerified,
        headChainSeq: verified.headChainSeq,
        reason: verified.reason ?? null,
        firstBrokenChainSeq: verified.firstBrokenChainSeq ?? null,
      }));
    } catch (error) {
      if (!stream?.started) throw error; // nothing sent yet: the error handler answers it as usual
      const { internal, ...line } = streamErrorOf(error);
      if (internal) ctx.logger.error('audit verify failed', { requestId: res.locals.requestId, error: error instanceof Error ? error.message : String(error) });
      stream.fail(line);
      return;
    }
    if (stream) stream.finish(report);
    else res.json(report);
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
