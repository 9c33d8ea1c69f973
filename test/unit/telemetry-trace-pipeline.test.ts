import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSpanProcessor, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { sampler, spanProcessors } from '../../src/telemetry/trace-pipeline.ts';
import { telemetryOptionsFromEnv } from '../../src/telemetry/telemetry-options.ts';

describe('trace pipeline', () => {
  test('builds the configured sampler, parent-based when asked', () => {
    assert.equal(sampler({ name: 'always_off' }).toString(), 'AlwaysOffSampler');
    assert.equal(sampler({ name: 'traceidratio', ratio: 0.25 }).toString(), 'TraceIdRatioBased{0.25}');
    assert.match(sampler({ name: 'parentbased_traceidratio', ratio: 0.5 }).toString(), /^ParentBased\{root=TraceIdRatioBased\{0\.5\}/);
    assert.match(sampler({ name: 'parentbased_always_on' }).toString(), /^ParentBased\{root=AlwaysOnSampler/);
  });

  test('without an endpoint spans go to a no-op processor; with one, to a batch processor', async () => {
    const none = spanProcessors(telemetryOptionsFromEnv({}));
    assert.equal(none.length, 1);
    assert.ok(none[0] instanceof NoopSpanProcessor);
    const batched = spanProcessors(telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_BSP_SCHEDULE_DELAY: '100' }));
    assert.ok(batched[0] instanceof BatchSpanProcessor);
    await batched[0]?.shutdown();
  });
});
