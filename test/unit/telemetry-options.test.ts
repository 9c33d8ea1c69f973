import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TelemetryConfigError, telemetryOptionsFromEnv } from '../../src/telemetry/telemetry-options.ts';

describe('telemetryOptionsFromEnv', () => {
  test('without an endpoint nothing is pushed: no trace or metric exporter, only the pulled /metrics endpoint', () => {
    const options = telemetryOptionsFromEnv({});
    assert.deepEqual(options, {
      disabled: false,
      serviceName: 'certguard',
      sampler: { name: 'parentbased_always_on' },
      traces: undefined,
      metrics: { otlp: undefined, prometheus: true },
      logs: undefined,
      traceDatabase: false,
    });
  });

  test('SQL query spans are opt-in: CERTGUARD_TRACE_DATABASE=true turns them on, anything else leaves them off', () => {
    assert.equal(telemetryOptionsFromEnv({ CERTGUARD_TRACE_DATABASE: 'true' }).traceDatabase, true);
    assert.equal(telemetryOptionsFromEnv({ CERTGUARD_TRACE_DATABASE: 'TRUE' }).traceDatabase, true);
    assert.equal(telemetryOptionsFromEnv({ CERTGUARD_TRACE_DATABASE: 'false' }).traceDatabase, false);
    assert.equal(telemetryOptionsFromEnv({}).traceDatabase, false);
  });

  test('an empty endpoint counts as no endpoint', () => {
    assert.equal(telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).traces, undefined);
  });

  test('the general endpoint is a base URL: /v1/traces is appended, protocol defaults to http/protobuf', () => {
    assert.deepEqual(telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).traces, {
      protocol: 'http/protobuf',
      url: 'http://collector:4318/v1/traces',
      scheduleDelayMs: 5000,
      exportTimeoutMs: 30_000,
    });
    assert.equal(telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp/' }).traces?.url, 'http://collector:4318/otlp/v1/traces');
  });

  test('OTEL_EXPORTER_OTLP_PROTOCOL=http/json selects JSON', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
    assert.equal(telemetryOptionsFromEnv(env).traces?.protocol, 'http/json');
  });

  test('the traces-specific protocol wins over the general one', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    };
    assert.equal(telemetryOptionsFromEnv(env).traces?.protocol, 'http/protobuf');
  });

  test('the traces-specific endpoint wins and is used as given', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example:443/custom' };
    assert.equal(telemetryOptionsFromEnv(env).traces?.url, 'https://traces.example/custom');
  });

  test('grpc uses the general endpoint as given (gRPC has no /v1/ paths), for every signal', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_LOGS_EXPORTER: 'otlp' };
    const options = telemetryOptionsFromEnv(env);
    assert.deepEqual([options.traces?.protocol, options.traces?.url], ['grpc', 'http://collector:4317']);
    assert.deepEqual([options.metrics.otlp?.protocol, options.metrics.otlp?.url], ['grpc', 'http://collector:4317']);
    assert.deepEqual(options.logs, { protocol: 'grpc', url: 'http://collector:4317' });
  });

  test('logs go over OTLP only with OTEL_LOGS_EXPORTER=otlp, and that needs an endpoint', () => {
    assert.equal(telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).logs, undefined);
    assert.deepEqual(telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_LOGS_EXPORTER: 'otlp' }).logs, {
      protocol: 'http/protobuf',
      url: 'http://collector:4318/v1/logs',
    });
    assert.throws(
      () => telemetryOptionsFromEnv({ OTEL_LOGS_EXPORTER: 'otlp' }),
      (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_LOGS_EXPORTER',
    );
  });

  test('unknown protocols are refused with the variable named', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc+tls' };
    assert.throws(
      () => telemetryOptionsFromEnv(env),
      (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
    );
  });

  test('an endpoint that is not an http(s) URL is refused with the variable named', () => {
    assert.throws(
      () => telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }),
      (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_EXPORTER_OTLP_ENDPOINT',
    );
  });

  test('OTEL_TRACES_EXPORTER=none exports nothing even with an endpoint', () => {
    assert.equal(telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).traces, undefined);
  });

  test('OTEL_SERVICE_NAME overrides the default service name; service.name in OTEL_RESOURCE_ATTRIBUTES is left to the SDK', () => {
    assert.equal(telemetryOptionsFromEnv({ OTEL_SERVICE_NAME: 'certguard-eu' }).serviceName, 'certguard-eu');
    assert.equal(telemetryOptionsFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.name=cg' }).serviceName, undefined);
  });

  test('OTEL_SDK_DISABLED=true disables the SDK, other values do not', () => {
    assert.equal(telemetryOptionsFromEnv({ OTEL_SDK_DISABLED: 'TRUE' }).disabled, true);
    assert.equal(telemetryOptionsFromEnv({ OTEL_SDK_DISABLED: 'false' }).disabled, false);
  });
});

describe('telemetryOptionsFromEnv: metrics', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

  test('the general endpoint also sends metrics, to <base>/v1/metrics every 60 s by default', () => {
    assert.deepEqual(telemetryOptionsFromEnv(endpoint).metrics, {
      otlp: { protocol: 'http/protobuf', url: 'http://collector:4318/v1/metrics', intervalMs: 60_000, timeoutMs: 30_000 },
      prometheus: true,
    });
  });

  test('the metrics-specific endpoint and protocol win and are used as given', () => {
    const env = {
      ...endpoint,
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://metrics.example/ingest',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
    };
    const options = telemetryOptionsFromEnv(env);
    assert.equal(options.metrics.otlp?.url, 'https://metrics.example/ingest');
    assert.equal(options.metrics.otlp?.protocol, 'http/json');
    assert.equal(options.traces?.protocol, 'http/protobuf', 'the traces protocol is not changed by the metrics one');
  });

  test('a metrics-only endpoint sends metrics and no traces', () => {
    const options = telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://collector:4318/v1/metrics' });
    assert.equal(options.traces, undefined);
    assert.equal(options.metrics.otlp?.url, 'http://collector:4318/v1/metrics');
  });

  test('OTEL_METRIC_EXPORT_INTERVAL sets the push interval and caps the export timeout', () => {
    const otlp = telemetryOptionsFromEnv({ ...endpoint, OTEL_METRIC_EXPORT_INTERVAL: '1000' }).metrics.otlp;
    assert.deepEqual([otlp?.intervalMs, otlp?.timeoutMs], [1000, 1000]);
    const withTimeout = telemetryOptionsFromEnv({ ...endpoint, OTEL_METRIC_EXPORT_INTERVAL: '10000', OTEL_METRIC_EXPORT_TIMEOUT: '2000' });
    assert.equal(withTimeout.metrics.otlp?.timeoutMs, 2000);
  });

  test('an interval that is not a positive whole number of milliseconds is refused with the variable named', () => {
    for (const value of ['0', '1.5', '-1', 'soon']) {
      assert.throws(
        () => telemetryOptionsFromEnv({ ...endpoint, OTEL_METRIC_EXPORT_INTERVAL: value }),
        (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_METRIC_EXPORT_INTERVAL',
        value,
      );
    }
  });

  test('OTEL_METRICS_EXPORTER chooses between the OTLP push and the Prometheus endpoint', () => {
    assert.deepEqual(telemetryOptionsFromEnv({ ...endpoint, OTEL_METRICS_EXPORTER: 'prometheus' }).metrics, { otlp: undefined, prometheus: true });
    const otlpOnly = telemetryOptionsFromEnv({ ...endpoint, OTEL_METRICS_EXPORTER: 'otlp' }).metrics;
    assert.equal(otlpOnly.prometheus, false);
    assert.equal(otlpOnly.otlp?.url, 'http://collector:4318/v1/metrics');
    assert.deepEqual(telemetryOptionsFromEnv({ ...endpoint, OTEL_METRICS_EXPORTER: 'none' }).metrics, { otlp: undefined, prometheus: false });
  });

  test('an unsupported metrics exporter, or none combined with another, is refused with the variable named', () => {
    for (const value of ['console', 'none,otlp']) {
      assert.throws(
        () => telemetryOptionsFromEnv({ OTEL_METRICS_EXPORTER: value }),
        (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_METRICS_EXPORTER',
        value,
      );
    }
  });
});

describe('telemetryOptionsFromEnv: sampler and span batching', () => {
  test('OTEL_TRACES_SAMPLER picks a standard sampler; ratio samplers read OTEL_TRACES_SAMPLER_ARG (default 1)', () => {
    assert.deepEqual(telemetryOptionsFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).sampler, { name: 'always_off' });
    assert.deepEqual(telemetryOptionsFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).sampler, {
      name: 'parentbased_traceidratio',
      ratio: 0.25,
    });
    assert.deepEqual(telemetryOptionsFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio' }).sampler, { name: 'traceidratio', ratio: 1 });
  });

  test('an unknown sampler or a ratio outside 0..1 is refused with the variable named', () => {
    assert.throws(
      () => telemetryOptionsFromEnv({ OTEL_TRACES_SAMPLER: 'jaeger_remote' }),
      (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_TRACES_SAMPLER',
    );
    assert.throws(
      () => telemetryOptionsFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }),
      (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_TRACES_SAMPLER_ARG',
    );
  });

  test('OTEL_BSP_SCHEDULE_DELAY and OTEL_BSP_EXPORT_TIMEOUT set the span batching', () => {
    const traces = telemetryOptionsFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BSP_EXPORT_TIMEOUT: '2000',
    }).traces;
    assert.deepEqual([traces?.scheduleDelayMs, traces?.exportTimeoutMs], [100, 2000]);
    assert.throws(
      () => telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_BSP_SCHEDULE_DELAY: 'fast' }),
      (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_BSP_SCHEDULE_DELAY',
    );
  });

  test('OTEL_TRACES_EXPORTER accepts otlp and none only', () => {
    assert.equal(
      telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'otlp' }).traces?.url,
      'http://c:4318/v1/traces',
    );
    assert.throws(
      () => telemetryOptionsFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' }),
      (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_TRACES_EXPORTER',
    );
  });
});

describe('telemetryOptionsFromEnv: secrets', () => {
  test('the error about an unusable endpoint does not repeat credentials written into it', () => {
    for (const value of ['ftp://svc:s3cr3t-pa55@collector:4318', 'svc:s3cr3t-pa55@collector:4318']) {
      assert.throws(
        () => telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: value }),
        (error) => error instanceof TelemetryConfigError && !error.message.includes('s3cr3t') && error.message.includes('[REDACTED]@collector'),
        value,
      );
    }
  });
});
