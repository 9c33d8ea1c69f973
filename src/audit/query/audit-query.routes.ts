/**
 * HTTP bindings of the auditor's read side of the audit trail: search (GET /v1/audit/events), one event
 * (GET /v1/audit/events/{eventId}) and the streamed export (GET /v1/audit/export). Auditor role only; input is
 * read typed from the contract (src/request/operation-input.ts).
 */
import { type Request, type Response, Router } from 'express';
import type winston from 'winston';
import type { CopyOut } from '../../db/copy-out.ts';
import type { Database } from '../../db/database.ts';
import { requireRole } from '../../request/require-role.ts';
import { InvalidRequestError } from '../../errors.ts';
import { operationInput } from '../../request/operation-input.ts';
import { prepareAuditExport } from '../export/audit-export.service.ts';
import { startExportResponse, streamExport } from '../export/stream-export.ts';
import { auditRefusedRole } from '../security/refused-role-audit.ts';
import { recordAccess } from '../security/trail-access-audit.ts';
import { auditFiltersOf } from './audit-filters.ts';
import { getAuditEvent, listAuditEvents } from './audit-query.service.ts';
import { auditStats } from './audit-stats.ts';

/** What this router uses (not the whole AppContext: a router never imports app.ts). */
export interface AuditQueryRoutesContext {
  db: Database;
  logger: winston.Logger;
  /** COPY reads of the Postgres server (absent on PGlite): the export's fast path. */
  copyOut?: CopyOut;
}

/** Prefixes: '/v1/audit/events' also covers '/v1/audit/events/{eventId}'. */
const AUDIT_READ_PATHS = ['/v1/audit/events', '/v1/audit/export', '/v1/audit/stats'];

/** Every read of the trail is on the trail, recorded before it is served (src/audit/security/trail-access-audit.ts). */
const recordRead = (ctx: AuditQueryRoutesContext, req: Request, res: Response, operation: string, parameters: Record<string, unknown>) =>
  recordAccess(ctx, req, res, { eventType: 'AuditTrailRead', operation, parameters });

async function exportHandler(ctx: AuditQueryRoutesContext, req: Request, res: Response): Promise<void> {
  const { query } = operationInput(req, 'ExportAuditEvents');
  const { fromChainSeq, toChainSeq, csvFormulaGuard } = query;
  const format = query.format ?? 'ndjson';
  if (csvFormulaGuard !== undefined && format !== 'csv') {
    throw new InvalidRequestError('csvFormulaGuard applies to format=csv only');
  }
  // Before the export's starting point is read: the export contains its own AuditTrailRead row (if its filters match it).
  await recordRead(ctx, req, res, 'ExportAuditEvents', { ...query });
  const prepared = await prepareAuditExport(
    { db: ctx.db, ...(ctx.copyOut ? { copyOut: ctx.copyOut } : {}) },
    {
      format,
      ...(csvFormulaGuard !== undefined ? { csvFormulaGuard } : {}),
      filters: auditFiltersOf(query),
      ...(fromChainSeq !== undefined ? { fromChainSeq } : {}),
      ...(toChainSeq !== undefined ? { toChainSeq } : {}),
    },
  );
  startExportResponse(res, prepared);
  const started = performance.now();
  try {
    const outcome = await streamExport(res, prepared);
    ctx.logger.info('audit export ended', {
      requestId: res.locals.requestId,
      format,
      records: outcome.records,
      outcome: outcome.complete ? 'complete' : 'client-disconnected',
      durationMs: Math.round(performance.now() - started),
    });
  } catch (error) {
    // The status line is sent: cut the connection so the client sees a broken transfer, never a short "complete" file.
    ctx.logger.error('audit export failed', { requestId: res.locals.requestId, error: error instanceof Error ? error.message : String(error) });
    res.destroy();
  }
}

export function auditQueryRouter(ctx: AuditQueryRoutesContext): Router {
  const router = Router();
  router.use(AUDIT_READ_PATHS, requireRole('auditor', '/v1/audit'));
  router.use(AUDIT_READ_PATHS, auditRefusedRole(ctx)); // who tried without the role

  router.get('/v1/audit/events', async (req, res) => {
    const { query } = operationInput(req, 'ListAuditEvents');
    const { limit, cursor, order } = query;
    await recordRead(ctx, req, res, 'ListAuditEvents', { ...query });
    res.json(
      await listAuditEvents(ctx.db, {
        filters: auditFiltersOf(query),
        ...(limit !== undefined ? { limit } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
        ...(order !== undefined ? { order } : {}),
      }),
    );
  });

  router.get('/v1/audit/events/:eventId', async (req, res) => {
    const { eventId } = operationInput(req, 'GetAuditEvent').path;
    await recordRead(ctx, req, res, 'GetAuditEvent', { eventId });
    res.json(await getAuditEvent(ctx.db, eventId));
  });

  router.get('/v1/audit/export', (req, res) => exportHandler(ctx, req, res));

  // Counts only, but still a read of the trail: recorded like the others. The console asks once per view, never polls.
  router.get('/v1/audit/stats', async (req, res) => {
    const { query } = operationInput(req, 'GetAuditStats');
    await recordRead(ctx, req, res, 'GetAuditStats', { ...query });
    const { from, to, groupBy = 'decision' } = query;
    res.json(await auditStats(ctx.db, { filters: { ...auditFiltersOf(query), from, to }, groupBy }));
  });

  return router;
}
