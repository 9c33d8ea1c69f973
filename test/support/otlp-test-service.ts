/**
 * The set-up the telemetry e2e tests share: the real service process on the test database (a scratch Postgres
 * database, or PGlite in memory) exporting over OTLP, and the calls they make to it with the JS SDK or signed.
 */
import { CreateKeysAndCertificateCommand, IoTClient } from '@aws-sdk/client-iot';
import { freePort, startServiceProcess, type ServiceProcess } from './service-process.ts';
import { demoOperatorOne, demoOperatorTwo, signedHeaders, TEST_REGION } from './sign-request.ts';
import { createScratchDatabase, testDatabaseKind } from './test-database.ts';
import { keepAliveSafeHandler } from './test-service.ts';

export interface OtlpTestService {
  service: ServiceProcess;
  port: number;
  /** Kills the process if it still runs and drops the scratch database. */
  close(): Promise<void>;
}

/** Starts the service with `otlpEnv` (OTEL_* variables) and waits until it answers /health. */
export async function startOtlpTestService(otlpEnv: Record<string, string>): Promise<OtlpTestService> {
  const port = await freePort();
  const scratch = testDatabaseKind === 'postgres' ? await createScratchDatabase() : undefined;
  const service = startServiceProcess({
    PORT: String(port),
    ...(scratch ? { DATABASE_URL: scratch.url } : { CERTGUARD_DATA_DIR: 'memory://' }),
    ...otlpEnv,
  });
  const close = async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await scratch?.drop();
  };
  await service.ready(port).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  return { service, port, close };
}

/** CreateKeysAndCertificate with the JS SDK; returns the certificate id. */
export async function createCertificateOn(port: number, setAsActive: boolean): Promise<string> {
  const client = new IoTClient({
    region: TEST_REGION,
    endpoint: `http://127.0.0.1:${port}`,
    maxAttempts: 1,
    credentials: { ...demoOperatorOne },
    requestHandler: keepAliveSafeHandler(),
  });
  try {
    return (await client.send(new CreateKeysAndCertificateCommand({ setAsActive }))).certificateId ?? '';
  } finally {
    client.destroy();
  }
}

/** A signed TransferCertificate to the second demo account, under the caller's `traceparent` when given. */
export async function signedTransfer(port: number, certificateId: string, traceparent?: string): Promise<Response> {
  const path = `/transfer-certificate/${certificateId}`;
  const query = { targetAwsAccount: demoOperatorTwo.accountId };
  const headers = await signedHeaders({ method: 'PATCH', path, query, host: `127.0.0.1:${port}`, credential: demoOperatorOne });
  return fetch(`http://127.0.0.1:${port}${path}?targetAwsAccount=${query.targetAwsAccount}`, {
    method: 'PATCH',
    headers: { ...headers, ...(traceparent ? { traceparent } : {}) },
  });
}
