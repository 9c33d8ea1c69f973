/** Reading already-validated request members, whatever form the validator left them in. */
import type { Request } from 'express';

/** A boolean query member (`?setAsActive=true`); the validator may or may not have coerced it. */
export function queryFlag(req: Request, name: string): boolean {
  const value: unknown = req.query[name];
  return value === true || value === 'true';
}

export function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}
