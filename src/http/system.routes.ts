/** Unauthenticated endpoints: health (for load balancers and orchestrators) and the API contract itself. */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { Router } from 'express';
import { sql } from 'kysely';
import YAML from 'yaml';
import type { Database } from '../db/database.ts';

export function systemRouter(ctx: { db: Database }, specPath: string): Router {
  const router = Router();
  const spec: unknown = YAML.parse(readFileSync(specPath, 'utf8'));

  router.get('/health', async (_req, res) => {
    // Which worker of a group answered (CERTGUARD_WORKERS > 1): its number in the group, 1, 2, ... (not its pid).
    if (cluster.isWorker && cluster.worker) res.setHeader('x-certguard-worker', String(cluster.worker.id));
    try {
      await sql`SELECT 1`.execute(ctx.db);
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unavailable' });
    }
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(spec);
  });

  return router;
}
