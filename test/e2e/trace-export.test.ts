/**
 * The real service process exports its traces over OTLP/HTTP: an incoming traceparent is honoured, the decision
 * span sits in the request's trace under the HTTP server span, and the decision's log line carries the trace id.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';
import { createCertificateOn, type OtlpTestService, signedTransfer, startOtlpTestService } from '../support/otlp-test-service.ts';
import type { ServiceProcess } from '../support/service-process.ts';
import { demoOperatorTwo } from '../support/sign-request.ts';

const SPAN_KIND_SERVER = 2;

describe('trace export from the running service', () => {
  let receiver: OtlpReceiver;
  let running: OtlpTestService | undefined;
  let service: ServiceProcess;
  const incomingTraceId = randomBytes(16).toString('hex');
  const incomingParentId = randomBytes(8).toString('hex');
  let responseTraceparent: string | null = null;

  before(async () => {
    receiver = await startOtlpReceiver();
    running = await startOtlpTestService({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    ({ service } = running);

    const certificateId = await createCertificateOn(running.port, false);
    const response = await signedTransfer(running.port, certificateId, `00-${incomingTraceId}-${incomingParentId}-01`);
    assert.equal(response.status, 200, await response.clone().text());
    responseTraceparent = response.headers.get('traceparent');

    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0, 'SIGTERM drains and exits cleanly');
  });

  after(async () => {
    await running?.close();
    await receiver?.close();
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

  test("the decision span descends from the HTTP server span, which is the child of the caller's span", () => {
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
    const lines = service
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = lines.find((l) => l.message === 'decision' && l.operation === 'TransferCertificate');
    assert.ok(line);
    assert.equal(line.trace_id, incomingTraceId);
  });
});
