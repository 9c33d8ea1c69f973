/**
 * A lean HTTP client for load: node:http with a keep-alive agent (not fetch, whose per-request overhead would
 * count against the service on a 2-core machine), every request signed like the AWS JS SDK signs it
 * (test/support/sign-request.ts: the SDK's own signer, same headers as captured from the real SDK).
 */
import http from 'node:http';
import { pathWithQuery, signedHeaders, type TestCredential } from '../../test/support/sign-request.ts';

export interface ApiRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  credential: TestCredential;
}

export interface ApiResponse {
  status: number;
  /** x-amzn-ErrorType of an error answer. */
  errorType: string | undefined;
  body: string;
  /** From writing the request (signing excluded) to the last byte of the response. */
  latencyMs: number;
}

const SDK_USER_AGENT = 'aws-sdk-js/3.1169.0 ua/2.1 lang/js md/nodejs api/iot#3.1169.0 certguard-bench';

export class SignedHttpClient {
  readonly #agent: http.Agent;

  constructor(
    readonly host: string,
    readonly port: number,
    connections: number,
  ) {
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  /** Signs with the current time (SigV4 dates must be fresh) and sends. Rejects on network errors and timeouts. */
  async send(request: ApiRequest, timeoutMs: number): Promise<ApiResponse> {
    const sdkHeaders: Record<string, string> = { 'x-amz-user-agent': 'aws-sdk-js/3.1169.0', 'user-agent': SDK_USER_AGENT };
    if (request.body !== undefined) {
      sdkHeaders['content-type'] = 'application/json';
      sdkHeaders['content-length'] = String(Buffer.byteLength(request.body));
    }
    const headers = await signedHeaders({ ...request, headers: sdkHeaders, host: this.host });
    return this.#exchange(request.method, pathWithQuery(request.path, request.query), headers, request.body, timeoutMs);
  }

  #exchange(method: string, target: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path: target, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const errorType = res.headers['x-amzn-errortype'];
          resolve({
            status: res.statusCode ?? 0,
            errorType: typeof errorType === 'string' ? errorType.split(':')[0] : undefined,
            body: Buffer.concat(chunks).toString('utf8'),
            latencyMs: performance.now() - started,
          });
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
