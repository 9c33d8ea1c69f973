/**
 * Starts a real certguard for a test file: real database (PGlite or Postgres, see test-database.ts), real
 * migrations, real HTTP on a loopback port. Returns clients for it: AWS SDK IoT clients per demo account and a
 * signed raw-request helper for what the SDK would never send.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { IoTClient } from '@aws-sdk/client-iot';
import { spanExporter } from './test-tracing.ts';
import { createApp } from '../../src/app.ts';
import { answerClientErrorsInAwsFormat } from '../../src/http/client-error.ts';
import { bootstrap, type Service } from '../../src/bootstrap.ts';
import type { Config } from '../../src/config.ts';
import { testConfig } from './test-config.ts';
import { createLogger } from '../../src/logger.ts';
import { createScratchDatabase, testDatabaseKind } from './test-database.ts';
import { after, before } from 'node:test';
import { demoAuditor, demoOperatorOne, demoOperatorTwo, pathWithQuery, signedHeaders, type TestCredential, TEST_REGION } from './sign-request.ts';

/** Below the service's keep-alive timeout (CERTGUARD_KEEP_ALIVE_TIMEOUT_MS, 5000 by default). */
const IDLE_SOCKET_MS = 4000;

/**
 * For every test's IoTClient: idle sockets are dropped before the service's keep-alive timeout closes them.
 * Reusing one at the moment the server closes it is a client-side "socket hang up" (the SDK names it
 * TimeoutError; seen in loaded suite runs), and maxAttempts 1 would report it instead of retrying.
 */
export function keepAliveSafeHandler() {
  return { httpAgent: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }) };
}

export { spanExporter };

export interface TestService {
  baseUrl: string;
  host: string;
  service: Service;
  db: Service['context']['db'];
  /** Every log line the service wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  iot(credential: TestCredential): IoTClient;
  send(request: RawRequest): Promise<RawResponse>;
  close(): Promise<void>;
}

export interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  /** undefined = sign with this credential; null = send unsigned. */
  credential: TestCredential | null;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | undefined;
}

function logCapture(into: Array<Record<string, unknown>>): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') into.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
}

export async function startTestService(overrides: Partial<Config> = {}): Promise<TestService> {
  // A test that brings its own database (e.g. behind a proxy) passes databaseUrl; otherwise each service gets a fresh one.
  const scratch = testDatabaseKind === 'postgres' && overrides.databaseUrl === undefined ? await createScratchDatabase() : undefined;
  const config = testConfig({ ...(scratch ? { databaseUrl: scratch.url } : {}), logLevel: 'info', ...overrides });
  const logs: Array<Record<string, unknown>> = [];
  const service = await bootstrap(config, createLogger(config.logLevel, logCapture(logs)));
  const server: Server = createApp(service.context).listen(0, '127.0.0.1');
  answerClientErrorsInAwsFormat(server); // as createApiServer (src/http/api-server.ts) does
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const baseUrl = `http://${host}`;
  const clients: IoTClient[] = [];

  return {
    baseUrl,
    host,
    service,
    db: service.context.db,
    logs,
    iot(credential) {
      const client = new IoTClient({
        region: TEST_REGION,
        endpoint: baseUrl,
        credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
        maxAttempts: 1,
        requestHandler: keepAliveSafeHandler(),
      });
      clients.push(client);
      return client;
    },
    async send(request) {
      const headers = request.credential ? await signedHeaders({ ...request, host, credential: request.credential }) : { ...request.headers };
      const response = await fetch(baseUrl + pathWithQuery(request.path, request.query), {
        method: request.method,
        headers: { ...request.headers, ...headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      const text = await response.text();
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    async close() {
      for (const client of clients) client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.close();
      await scratch?.drop();
    },
  };
}

/** One service per test file (or describe block), with an AWS SDK client per demo identity. */
export interface ServiceFixture {
  svc: TestService;
  one: IoTClient;
  two: IoTClient;
  auditor: IoTClient;
}

export function useTestService(overrides: Partial<Config> = {}): ServiceFixture {
  const fixture = {} as ServiceFixture;
  before(async () => {
    fixture.svc = await startTestService(overrides);
    fixture.one = fixture.svc.iot(demoOperatorOne);
    fixture.two = fixture.svc.iot(demoOperatorTwo);
    fixture.auditor = fixture.svc.iot(demoAuditor);
  });
  after(() => fixture.svc?.close());
  return fixture;
}
