/**
 * Express middleware: verifies the SigV4 signature of every request against the credentials store and
 * puts the caller in `res.locals.caller`. It needs the exact bytes of the body, which an earlier
 * middleware leaves in `req.rawBody` (no rawBody means the body was empty).
 */
import type express from 'express';
import { UnauthorizedError } from '../errors.ts';
import type { Caller } from '../request/caller.ts';
import type { CredentialsStore } from './credentials-store.ts';
import { verifySigV4 } from './sigv4.ts';

export interface AuthenticateOptions {
  maxClockSkewSeconds: number;
  region: string;
  now?: () => Date;
}

const EMPTY_BODY = Buffer.alloc(0);

function rawBodyOf(req: express.Request): Buffer {
  const body = (req as { rawBody?: unknown }).rawBody;
  return Buffer.isBuffer(body) ? body : EMPTY_BODY;
}

export function authenticate(store: CredentialsStore, options: AuthenticateOptions): express.RequestHandler {
  const now = options.now ?? (() => new Date());
  const lookupSecret = (accessKeyId: string) => store.lookup(accessKeyId)?.secretAccessKey;

  return (req, res, next) => {
    // originalUrl, not url: a router mounted on a prefix rewrites req.url, but the client signed the full path.
    const url = req.originalUrl;
    const queryStart = url.indexOf('?');
    const result = verifySigV4(
      {
        method: req.method,
        rawPath: queryStart === -1 ? url : url.slice(0, queryStart),
        rawQuery: queryStart === -1 ? '' : url.slice(queryStart + 1),
        headers: req.headers,
        body: rawBodyOf(req),
      },
      lookupSecret,
      { now: now(), maxClockSkewSeconds: options.maxClockSkewSeconds, region: options.region },
    );
    if (!result.ok) {
      next(new UnauthorizedError(result.reason));
      return;
    }
    const credential = store.lookup(result.accessKeyId);
    if (credential === undefined) {
      next(new UnauthorizedError('The security token included in the request is invalid.'));
      return;
    }
    const caller: Caller = { accountId: credential.accountId, accessKeyId: credential.accessKeyId, roles: [...credential.roles] };
    res.locals.caller = caller;
    next();
  };
}
