/**
 * The node:http server the API listens with, its timeouts suited to an API rather than Node's defaults (a 5-minute
 * requestTimeout, headersTimeout checked only every 30 s): a slowloris or a slow body is cut within seconds.
 * Node checks headersTimeout and requestTimeout every connectionsCheckingInterval, so that is kept short.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from '../config.ts';
import { answerClientErrorsInAwsFormat } from './client-error.ts';

export type ServerTimeouts = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>;

export function createApiServer(handler: RequestListener, timeouts: ServerTimeouts): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
    },
    handler,
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  answerClientErrorsInAwsFormat(server); // requests Node's parser refuses get the AWS error format too
  return server;
}
