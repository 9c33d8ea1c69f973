/**
 * Unauthenticated endpoints: the probes and the API contract itself.
 * GET /health: liveness, the process answers (no dependency checked: a database outage must not make an
 * orchestrator restart every replica). GET /ready: readiness, the database answers, migrations are applied,
 * the rule bundle is active and the sealer runs (src/http/readiness.ts); 503 with what is missing otherwise.
 */
import cluster from 'node:cluster';
import { Router } from 'express';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { ALL_STEPS, type Readiness } from './readiness.ts';

/** A probe must answer within the orchestrator's timeout (1 s by default in Kubernetes) even if the pool hangs. */
const DATABASE_CHECK_TIMEOUT_MS = 800;

async function databaseAnswers(db: Database): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_CHECK_TIMEOUT_MS);
  });
  const check = sql`SELECT 1`.execute(db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `spec`: the parsed contract, served as it is at /openapi.json. */
export function systemRouter(ctx: { db: Database; readiness?: Readiness }, spec: unknown): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    // Which worker of a group answered (CERTGUARD_WORKERS > 1): its number in the group, 1, 2, ... (not its pid).
    if (cluster.isWorker && cluster.worker) res.setHeader('x-certguard-worker', String(cluster.worker.id));
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    const database = await databaseAnswers(ctx.db);
    const checks: Record<string, boolean> = { database };
    for (const step of ALL_STEPS) checks[step] = ctx.readiness === undefined || ctx.readiness.steps.has(step);
    if (ctx.readiness?.draining) checks.draining = false;
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(spec);
  });

  return router;
}
