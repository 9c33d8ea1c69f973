/**
 * createApp builds the express application and never listens: main.ts listens, tests use it with supertest.
 * The middleware order is the request flow of ARCHITECTURE.md: context -> raw body -> SigV4 -> JSON ->
 * OpenAPI validation -> route -> (errors in AWS format).
 */
import express from 'express';
import { auditChainRouter } from './audit/audit-chain.routes.ts';
import { auditQueryRouter } from './audit/query/audit-query.routes.ts';
import type { AuditSealer } from './audit/sealing/audit-sealer.ts';
import type { AuthFailureAuditor } from './auth/auth-failure-audit.ts';
import { auditAuthFailures } from './auth/auth-failure-middleware.ts';
import { authenticate } from './auth/authenticate.ts';
import type { CredentialsStore } from './auth/credentials-store.ts';
import { certificateTransferRouter } from './certificates/certificate-transfer.routes.ts';
import { certificatesRouter } from './certificates/certificates.routes.ts';
import type { Config } from './config.ts';
import type { CopyOut } from './db/copy-out.ts';
import type { ServiceContext } from './certificates/service-context.ts';
import { captureRawBody, parseJsonBody } from './http/body-parser.ts';
import { bodyLimits } from './http/body-limits.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { OPENAPI_SPEC_PATH, openApiDocument } from './http/openapi-document.ts';
import { openApiValidation } from './http/openapi-validation.ts';
import { requestContext } from './request/request-context.ts';
import { operationResolver } from './request/operation-resolver.ts';
import { RateLimiter, type RequestRateLimiter } from './http/rate-limiter.ts';
import { strictNumbers } from './http/strict-numbers.ts';
import { accessLog } from './http/access-log.ts';
import { routeAttribute } from './http/route-attribute.ts';
import type { Readiness } from './http/readiness.ts';
import { systemRouter } from './http/system.routes.ts';
import { consoleRouter } from './http/console-static.ts';
import { auditDataReads } from './audit/security/data-read-audit.ts';
import { throttle } from './http/throttle.ts';
import { iotPolicyRouter } from './iot-policies/iot-policy.routes.ts';
import { prometheusMetrics } from './telemetry/prometheus-endpoint.ts';
import { policyApiRouter } from './rules/api/policy-api.routes.ts';

export { OPENAPI_SPEC_PATH };

export interface AppContext extends ServiceContext {
  config: Readonly<Config>;
  credentials: CredentialsStore;
  /** The audit sealer (POST /v1/audit/checkpoints); absent: checkpoints on demand answer 503. */
  auditSealer?: AuditSealer;
  /** COPY reads of the Postgres server (absent on PGlite): the audit export's fast path (src/db/copy-out.ts). */
  copyOut?: CopyOut;
  /** Bounded audit of failed authentications (docs/security.md); absent: not audited (CERTGUARD_AUDIT_AUTH_FAILURES=false). */
  authFailureAudit?: AuthFailureAuditor;
  /** What GET /ready reports (src/http/readiness.ts); absent: /ready checks the database only. */
  readiness?: Readiness;
  /** The per-account limit's buckets; absent: this process's own. A worker of a group leases from its primary's. */
  rateLimiter?: RequestRateLimiter;
}

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // AWS paths are exact: /CERTIFICATES or /certificates/ are not operations.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // Explicit query parser: express-openapi-validator misreads array query params under Express 5's default.
  app.set('query parser', 'extended');

  const spec = openApiDocument(); // parsed once per process, shared by the readers below
  const resolveOperation = operationResolver(spec); // names audited and throttled requests

  app.use(requestContext);
  app.use(routeAttribute); // http.route on the server span (without the Express instrumentation)
  app.use(accessLog(ctx.logger)); // one line per request, 401s included (docs/telemetry.md#logs)
  app.use(bodyLimits(ctx.config)); // oversize and slow bodies cut before anything reads them (docs/security.md)
  app.use(systemRouter(ctx, spec));
  app.use(consoleRouter(ctx)); // static, unauthenticated; its data calls are signed in the browser (docs/console.md)
  // Unauthenticated like /health (docs/telemetry.md); with CERTGUARD_METRICS_PORT it is served there instead (main.ts).
  if (ctx.config.metricsPort === undefined) app.get('/metrics', prometheusMetrics);
  app.use(captureRawBody);
  app.use(authenticate(ctx.credentials, { maxClockSkewSeconds: ctx.config.maxClockSkewSeconds, region: ctx.region }));
  if (ctx.authFailureAudit) app.use(auditAuthFailures(ctx.authFailureAudit, resolveOperation));
  if (ctx.config.auditDataEvents) app.use(auditDataReads(ctx, resolveOperation));
  if (ctx.config.rateLimitPerSecond > 0) {
    const { rateLimitPerSecond: ratePerSecond, rateLimitBurst: burst } = ctx.config;
    app.use(
      throttle({
        ...ctx,
        // A worker of a group leases from the primary's buckets (src/http/rate-limit-leases.ts).
        limiter: ctx.rateLimiter ?? new RateLimiter({ ratePerSecond, burst }),
        ratePerSecond,
        resolveOperation,
      }),
    );
  }
  app.use(parseJsonBody);
  app.use(openApiValidation(spec)); // routers read input typed by it (src/request/operation-input.ts)
  app.use(strictNumbers(spec)); // Ajv lets Infinity through
  app.use(certificateTransferRouter(ctx));
  app.use(certificatesRouter(ctx));
  app.use(iotPolicyRouter(ctx));
  app.use(policyApiRouter(ctx));
  app.use(auditChainRouter(ctx));
  app.use(auditQueryRouter(ctx));
  app.use(notFound);
  app.use(errorHandler(ctx.logger));
  return app;
}
