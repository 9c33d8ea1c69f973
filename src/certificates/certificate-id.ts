import type { Request } from 'express';

/** The certificate id of a request path. Ids are hex; AWS accepts either case, certguard stores lowercase. */
export function certificateIdOf(req: Request): string {
  return String(req.params.certificateId).toLowerCase();
}
