/**
 * Reads of the audit trail (query, one event, export, verify, checkpoints) and policy dry runs (evaluate,
 * simulate) are audited like CloudTrail's management reads: who (caller account, access key id, roles), which
 * operation, with which parameters. The row is written BEFORE the answer is served and, unlike a refusal, a read
 * is never served unrecorded: if the row cannot be written the request is refused with 503.
 * - recordAccess: the row first, then the read (query, export — the export's row is therefore inside the export's
 *   own snapshot when its filters match it — and checkpoints);
 * - auditedCall: the call first, then the row with its verdict (verify's ok/first broken position, evaluate's
 *   decision, simulate's counts), then the answer; a call refused with a client error is recorded as DENY.
 */
import type { Request, Response } from 'express';
import type winston from 'winston';
import type { Database } from '../../db/database.ts';
import { ServiceError, ServiceUnavailableError } from '../../errors.ts';
import { requestFacts } from '../../request/request-context.ts';
import type { PolicyReference } from '../../rules/engine/decision.ts';
import { currentTraceIds } from '../../telemetry/decision-span.ts';
import type { AuditOutcome } from '../audit.repository.ts';
import { appendSecurityEvent } from './security-event.repository.ts';

export interface TrailAccess {
  eventType: 'AuditTrailRead' | 'PolicyEvaluation';
  /** The API operation (operationId in openapi/certguard.yaml). */
  operation: string;
  parameters: Record<string, unknown>;
  policy?: PolicyReference;
}

interface AuditContext {
  db: Database;
  logger: winston.Logger;
}

export async function recordAccess(
  ctx: AuditContext,
  req: Request,
  res: Response,
  access: TrailAccess,
  outcome: { decision: AuditOutcome; error?: ServiceError; result?: Record<string, unknown> } = { decision: 'ALLOW' },
): Promise<void> {
  const request = requestFacts(req, res);
  try {
    await appendSecurityEvent(ctx.db, {
      eventType: access.eventType,
      operation: access.operation,
      decision: outcome.decision,
      requestId: request.requestId,
      caller: request.caller,
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
      errorType: outcome.error?.errorType ?? null,
      errorMessage: outcome.error?.message ?? null,
      ...(access.policy ? { policy: access.policy } : {}),
      parameters: { ...access.parameters, ...(outcome.result ? { result: outcome.result } : {}) },
      trace: currentTraceIds(),
    });
  } catch (error) {
    ctx.logger.error('could not audit a read of the audit trail: the read is refused', {
      requestId: request.requestId,
      operation: access.operation,
      error: error instanceof Error ? error.message : String(error),
    });
    throw new ServiceUnavailableError('This read could not be recorded in the audit trail; retry later');
  }
}

export async function auditedCall<T>(
  ctx: AuditContext,
  req: Request,
  res: Response,
  access: TrailAccess,
  call: () => Promise<T>,
  verdict: (result: T) => Record<string, unknown>,
): Promise<T> {
  let result: T;
  try {
    result = await call();
  } catch (error) {
    if (error instanceof ServiceError && error.status < 500) await recordAccess(ctx, req, res, access, { decision: 'DENY', error });
    throw error;
  }
  await recordAccess(ctx, req, res, access, { decision: 'ALLOW', result: verdict(result) });
  return result;
}
