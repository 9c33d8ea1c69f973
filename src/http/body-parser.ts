/**
 * Body handling in two steps around authentication: the raw bytes are captured first (SigV4 signs the exact
 * payload), and parsed as JSON only after the signature has been checked, so an unauthenticated caller learns
 * nothing about how its body would have been read.
 */
import type { NextFunction, Request, Response } from 'express';
import { MAX_BODY_BYTES, refuseAndClose } from './body-limits.ts';
import { decodeJsonText, wellFormedStrings } from './body-charset.ts';
import { InvalidRequestError, PayloadTooLargeError, type ServiceError, UnsupportedMediaTypeError } from '../errors.ts';

type RequestWithRawBody = Request & { rawBody?: Buffer };

const EMPTY = Buffer.alloc(0);

/**
 * Reads the exact body bytes into `req.rawBody`. Past MAX_BODY_BYTES (a chunked body, or one longer than it
 * declared) the request is answered 413 at once and its connection closed: a reader that drains the rest first
 * (express.raw does) lets an unauthenticated client hold the request for as long as it keeps sending.
 * Content-Encoding is refused: no AWS IoT client compresses requests, and inflating would let a small upload
 * become a large body.
 */
export function captureRawBody(req: Request, res: Response, next: NextFunction): void {
  const withRaw = req as RequestWithRawBody;
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    return next(new UnsupportedMediaTypeError(`Unsupported Content-Encoding "${encoding.slice(0, 50)}": send the body uncompressed`));
  }
  if (req.readableEnded || (req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0)) {
    withRaw.rawBody = EMPTY;
    return next();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const finish = (error?: ServiceError) => {
    if (settled) return;
    settled = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    if (error instanceof PayloadTooLargeError) {
      req.pause();
      return refuseAndClose(req, res, error);
    }
    if (error) return next(error);
    withRaw.rawBody = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    next();
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return finish(new PayloadTooLargeError(`The request body is too large: at most ${MAX_BODY_BYTES} bytes`));
    chunks.push(chunk);
  };
  const onEnd = () => finish();
  // An aborted upload: nobody is left to answer, and the error handler writes nothing once the socket is gone.
  const onError = () => finish(new InvalidRequestError('The request body was incomplete'));
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
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
