/**
 * OTLP over gRPC (OTEL_EXPORTER_OTLP_PROTOCOL=grpc) from the real process to a gRPC receiver: metrics with their
 * names and units (seconds for durations), the runtime and process metrics, traces, and log lines
 * (OTEL_LOGS_EXPORTER=otlp), access log included. Every metric, metric attribute, span attribute and resource
 * attribute received is checked against the semantic conventions (test/support/semantic-conventions.ts).
 */

/**
 * Where @opentelemetry/instrumentation-runtime-node (0.36.1, the last release for Node 20) departs from the
 * conventions: it observes these UpDownCounters of the conventions as gauges. The unit and name are right, and
 * Prometheus shows both kinds as a gauge, so dashboards do not see the difference; listed exactly, so a release
 * that fixes it fails this test until the entry goes.
 */
const RUNTIME_NODE_DEPARTURES = [
  'v8js.memory.heap.used: a gauge, the conventions say a updowncounter',
  'v8js.memory.heap.space.available_size: a gauge, the conventions say a updowncounter',
  'v8js.memory.heap.space.physical_size: a gauge, the conventions say a updowncounter',
];
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type OtlpGrpcReceiver, startOtlpGrpcReceiver } from '../support/otlp-grpc-receiver.ts';
import { type DecodedMetric, decodeTraceRequest } from '../support/otlp-proto-schema.ts';
import { attributeProblems, metricProblems } from '../support/semantic-conventions.ts';
import { createCertificateOn, type OtlpTestService, startOtlpTestService } from '../support/otlp-test-service.ts';

describe('OTLP over gRPC', () => {
  let receiver: OtlpGrpcReceiver;
  let running: OtlpTestService | undefined;
  let metrics: DecodedMetric[] = [];

  const pushedNames = () => new Set(receiver.metricPushes.flat().map((m) => m.name));

  before(async () => {
    receiver = await startOtlpGrpcReceiver();
    running = await startOtlpTestService({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
    });
    await createCertificateOn(running.port, false);
    const deadline = Date.now() + 20_000;
    while (!(pushedNames().has('certguard.decision.duration') && pushedNames().has('nodejs.eventloop.delay.p99')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    metrics = receiver.metricPushes.flat();
    running.service.child.kill('SIGTERM');
    assert.equal(await running.service.exited, 0, running.service.stderr());
  });

  after(async () => {
    await running?.close();
    await receiver?.close();
  });

  test('certguard metrics arrive over gRPC with units per the semantic conventions (durations in seconds)', () => {
    const unitOf = (name: string) => metrics.find((m) => m.name === name)?.unit;
    assert.equal(unitOf('certguard.decisions'), '{decision}');
    assert.equal(unitOf('certguard.decision.duration'), 's');
    assert.equal(unitOf('certguard.audit.append.duration'), 's');
    const duration = metrics.find((m) => m.name === 'certguard.decision.duration');
    const sum = duration?.points[0]?.sum ?? Number.NaN;
    assert.ok(sum > 0 && sum < 5, `a decision of ${sum} s`);
  });

  test('runtime and process metrics are exported: event loop, heap, GC, CPU, memory', () => {
    const names = pushedNames();
    for (const name of ['nodejs.eventloop.delay.p99', 'nodejs.eventloop.utilization', 'v8js.memory.heap.used', 'process.cpu.time', 'process.memory.usage']) {
      assert.ok(names.has(name), `${name} in ${[...names].join(', ')}`);
    }
    assert.equal(metrics.find((m) => m.name === 'nodejs.eventloop.delay.p99')?.unit, 's');
    assert.equal(metrics.find((m) => m.name === 'process.cpu.time')?.unit, 's');
  });

  test('traces and log lines arrive over gRPC; log records carry the access log line', () => {
    assert.ok(
      receiver.traceRequests.some((body) => body.includes('CreateKeysAndCertificate decision')),
      'the decision span',
    );
    const logs = Buffer.concat(receiver.logRequests).toString('latin1');
    assert.match(logs, /certguard listening/);
    assert.match(logs, /request/);
    assert.doesNotMatch(logs, /Signature=|DO-NOT-USE-IN-PRODUCTION/, 'no secret in exported logs');
  });

  test('metric names, units and instruments and every attribute name follow the semantic conventions', () => {
    const byName = new Map(metrics.map((m) => [m.name, m]));
    assert.ok(byName.has('http.server.request.duration') && byName.has('v8js.gc.duration'), [...byName.keys()].join(', '));
    assert.deepEqual(metricProblems(byName.values()), RUNTIME_NODE_DEPARTURES);
    const spans = receiver.traceRequests.flatMap((body) => decodeTraceRequest(body));
    assert.ok(spans.some((s) => s.attributes['http.route'] !== undefined) && spans.some((s) => s.attributes['certguard.decision'] !== undefined));
    const names = [
      ...metrics.flatMap((m) => m.points.flatMap((p) => Object.keys(p.attributes))),
      ...spans.flatMap((s) => [...Object.keys(s.attributes), ...s.events.flatMap((e) => Object.keys(e.attributes)), ...Object.keys(s.resource)]),
    ];
    assert.deepEqual(attributeProblems(names), []);
  });
});
