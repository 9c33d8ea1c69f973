/**
 * The rate limit's refusal as a decision: built-in rule `certguard.rate-limit`, audited as a DENY under the
 * operation's name like every other decision (the middleware in src/http/throttle.ts only counts and answers).
 * Lives here, not in http/, so the HTTP wiring does not build decisions or write audit rows itself.
 */
import type { Request } from 'express';
import { decisionAuditRow } from '../audit/audit.repository.ts';
import { appendOrSpool } from '../audit/spool/audit-spool.ts';
import type { ServiceError } from '../errors.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { currentTraceIds } from '../telemetry/decision-span.ts';
import { builtinDenial } from './builtin-decision.ts';
import type { GuardContext } from './guarded-operation.ts';

export async function auditThrottleDenial(
  ctx: GuardContext,
  req: Pick<Request, 'method' | 'path'>,
  request: RequestFacts,
  operation: string,
  error: ServiceError,
): Promise<void> {
  try {
    await appendOrSpool(
      ctx.db,
      ctx.auditSpool,
      decisionAuditRow({
        decision: builtinDenial(operation, ctx.policy(), 'rate-limit', error),
        outcome: 'DENY',
        request,
        resource: {},
        requestParameters: { httpMethod: req.method, path: req.path },
        trace: currentTraceIds(),
      }),
    );
  } catch (auditError) {
    // The refusal changes nothing, so it is still answered; the lost audit row is logged for the operators.
    ctx.logger.error('could not audit a throttled request', {
      requestId: request.requestId,
      operation,
      error: auditError instanceof Error ? auditError.message : String(auditError),
    });
  }
}
