/** Route guard for certguard's own endpoints: the authenticated caller must hold `role`, else 401. */
import type { NextFunction, Request, Response } from 'express';
import { UnauthorizedError } from '../errors.ts';
import { requestFacts } from './request-context.ts';
import { hasRole, type Role } from './caller.ts';

export function requireRole(role: Role, area: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const { caller } = requestFacts(req, res);
    if (hasRole(caller, role)) return next();
    next(new UnauthorizedError(`Access key ${caller.accessKeyId} has no ${role} role: the ${area} endpoints are for ${role}s`));
  };
}
