/**
 * Body handling in two steps around authentication: the raw bytes are captured first (SigV4 signs the exact
 * payload), and parsed as JSON only after the signature has been checked, so an unauthenticated caller learns
 * nothing about how its body would have been read.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { decodeJsonText, wellFormedStrings } from './body-charset.ts';
import { InvalidRequestError, UnsupportedMediaTypeError } from './errors.ts';

/** Large enough for the biggest modeled member (PolicyDocument, 404,600 characters) plus JSON framing. */
export const MAX_BODY_BYTES = 1024 * 1024;

type RequestWithRawBody = Request & { rawBody?: Buffer };

const readRaw = express.raw({ type: () => true, limit: MAX_BODY_BYTES });

export function captureRawBody(req: Request, res: Response, next: NextFunction): void {
  readRaw(req, res, (err?: unknown) => {
    if (err) return next(err);
    const withRaw = req as RequestWithRawBody;
    withRaw.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    req.body = undefined;
    next();
  });
}

export function parseJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const raw = (req as RequestWithRawBody).rawBody;
  if (!raw || raw.length === 0) return next();
  const type = req.get('content-type') ?? '';
  if (type !== '' && !/^application\/(x-amz-json-1\.[01]|json)\b/i.test(type)) {
    return next(new UnsupportedMediaTypeError(`Unsupported Content-Type "${type.slice(0, 100)}": send application/json`));
  }
  let text: string;
  try {
    text = decodeJsonText(raw, type);
  } catch (error) {
    return next(error);
  }
  try {
    req.body = JSON.parse(text, wellFormedStrings);
  } catch (error) {
    return next(error instanceof InvalidRequestError ? error : new InvalidRequestError('The request body is not valid JSON'));
  }
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    return next(new InvalidRequestError('The request body must be a JSON object'));
  }
  // The validator caches per distinct Content-Type string (parameters included) and never evicts: reduce it to
  // the bare media type so a caller cannot grow that cache with `; x=<random>` variations.
  req.headers['content-type'] = 'application/json';
  next();
}
