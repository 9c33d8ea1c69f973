/**
 * The real service process exports its traces over OTLP/HTTP: an incoming traceparent is honoured, the decision
 * span sits in the request's trace under the HTTP server span, and the decision's log line carries the trace id.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CreateKeysAndCertificateCommand, IoTClient } from '@aws-sdk/client-iot';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';
import { freePort, startServiceProcess, type ServiceProcess } from '../support/service-process.ts';
import { demoOperatorOne, demoOperatorTwo, signedHeaders, TEST_REGION } from '../support/sign-request.ts';
import { createScratchDatabase, testDatabaseKind, type ScratchDatabase } from '../support/test-database.ts';

const SPAN_KIND_SERVER = 2;

describe('trace export from the running service', () => {
  let receiver: OtlpReceiver;
  let service: ServiceProcess;
  let scratch: ScratchDatabase | undefined;
  let port: number;
  const incomingTraceId = randomBytes(16).toString('hex');
  const incomingParentId = randomBytes(8).toString('hex');
  let responseTraceparent: string | null = null;

  before(async () => {
    receiver = await startOtlpReceiver();
    port = await freePort();
    scratch = testDatabaseKind === 'postgres' ? await createScratchDatabase() : undefined;
    service = startServiceProcess({
      PORT: String(port),
      ...(scratch ? { DATABASE_URL: scratch.url } : { CERTGUARD_DATA_DIR: 'memory://' }),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await service.ready(port);

    const client = new IoTClient({ region: TEST_REGION, endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1, credentials: { ...demoOperatorOne } });
    const cert = await client.send(new CreateKeysAndCertificateCommand({}));
    client.destroy();

    const path = `/transfer-certificate/${cert.certificateId}`;
    const query = { targetAwsAccount: demoOperatorTwo.accountId };
    const headers = await signedHeaders({ method: 'PATCH', path, query, host: `127.0.0.1:${port}`, credential: demoOperatorOne });
    const response = await fetch(`http://127.0.0.1:${port}${path}?targetAwsAccount=${query.targetAwsAccount}`, {
      method: 'PATCH',
      headers: { ...headers, traceparent: `00-${incomingTraceId}-${incomingParentId}-01` },
    });
    assert.equal(response.status, 200, await response.clone().text());
    responseTraceparent = response.headers.get('traceparent');

    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0, 'SIGTERM drains and exits cleanly');
  });

  after(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await receiver.close();
    await scratch?.drop();
  });

  const trace = () => receiver.spans.filter((s) => s.traceId === incomingTraceId);
  const decision = (): ReceivedSpan => {
    const found = trace().find((s) => s.name === 'TransferCertificate decision');
    assert.ok(found, `decision span exported in the incoming trace; got ${receiver.spans.map((s) => s.name).join(', ')}`);
    return found;
  };

  test('the decision span joins the trace named by the incoming traceparent, with its attributes and rule events', () => {
    const span = decision();
    assert.equal(span.attributes['certguard.decision'], 'allow');
    assert.equal(span.attributes['certguard.target.account_id'], demoOperatorTwo.accountId);
    assert.equal(span.events.filter((e) => e.name === 'certguard.rule').length, 5);
  });

  test('the decision span descends from the HTTP server span, which is the child of the caller\'s span', () => {
    const byId = new Map(trace().map((s) => [s.spanId, s]));
    const server = trace().find((s) => s.kind === SPAN_KIND_SERVER);
    assert.ok(server, 'a server span was exported');
    assert.equal(server.parentSpanId, incomingParentId);
    assert.equal(server.attributes['http.route'], '/transfer-certificate/:certificateId');
    let current: ReceivedSpan | undefined = decision();
    const chain: string[] = [];
    while (current && current.spanId !== server.spanId) {
      chain.push(current.name);
      current = current.parentSpanId ? byId.get(current.parentSpanId) : undefined;
    }
    assert.ok(current, `decision span reaches the server span (chain: ${chain.join(' <- ')})`);
  });

  test('the response returns a traceparent in the same trace', () => {
    assert.match(responseTraceparent ?? '', new RegExp(`^00-${incomingTraceId}-[0-9a-f]{16}-01$`));
  });

  test('the decision log line carries the same trace id', () => {
    const lines = service.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = lines.find((l) => l.message === 'decision' && l.operation === 'TransferCertificate');
    assert.ok(line);
    assert.equal(line.trace_id, incomingTraceId);
  });
});
