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

/** Well inside SigV4's 5-minute clock-skew window. */
const PRESIGNED_MAX_AGE_MS = 120_000;

function presignKey(request: ApiRequest): string {
  return JSON.stringify([request.method, request.path, request.query ?? {}, request.body ?? '', request.credential.accessKeyId]);
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

  /** Signatures made ahead of time (presign), by request; used while younger than PRESIGNED_MAX_AGE_MS. */
  readonly #presigned = new Map<string, { headers: Record<string, string>; signedAt: number }>();

  /**
   * Signs now and keeps the signature for `send`, so that signing (~0.1–0.3 ms of CPU each on the shared cores)
   * happens before a timed run rather than inside it, as issue 14 measured ("pre-signed SigV4"). The service keeps
   * no replay cache: a signature is valid for its clock-skew window, like AWS's.
   */
  async presign(request: ApiRequest): Promise<void> {
    this.#presigned.set(presignKey(request), { headers: await this.#sign(request), signedAt: Date.now() });
  }

  /** Sends with a fresh presigned signature if there is one, else signs with the current time (SigV4 dates must be fresh). */
  async send(request: ApiRequest, timeoutMs: number): Promise<ApiResponse> {
    const presigned = this.#presigned.get(presignKey(request));
    const headers = presigned && Date.now() - presigned.signedAt < PRESIGNED_MAX_AGE_MS ? presigned.headers : await this.#sign(request);
    return this.#exchange(request.method, pathWithQuery(request.path, request.query), headers, request.body, timeoutMs);
  }

  async #sign(request: ApiRequest): Promise<Record<string, string>> {
    const sdkHeaders: Record<string, string> = { 'x-amz-user-agent': 'aws-sdk-js/3.1169.0', 'user-agent': SDK_USER_AGENT };
    if (request.body !== undefined) {
      sdkHeaders['content-type'] = 'application/json';
      sdkHeaders['content-length'] = String(Buffer.byteLength(request.body));
    }
    return signedHeaders({ ...request, headers: sdkHeaders, host: this.host });
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
