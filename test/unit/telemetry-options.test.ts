import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TelemetryConfigError, telemetryOptionsFromEnv } from '../../src/telemetry/telemetry-options.ts';

describe('telemetryOptionsFromEnv', () => {
  test('without an endpoint no trace exporter is configured, and logs and metrics exporters are none', () => {
    const options = telemetryOptionsFromEnv({});
    assert.deepEqual(options, { disabled: false, serviceName: 'certguard', traces: undefined, logsExporter: 'none', metricsExporter: 'none' });
  });

  test('an empty endpoint counts as no endpoint', () => {
    assert.equal(telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).traces, undefined);
  });

  test('the general endpoint is a base URL: /v1/traces is appended, protocol defaults to http/protobuf', () => {
    assert.deepEqual(telemetryOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).traces, {
      protocol: 'http/protobuf',
      url: 'http://collector:4318/v1/traces',
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

  test('grpc and unknown protocols are refused with the variable named', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' };
    assert.throws(() => telemetryOptionsFromEnv(env), (error) => error instanceof TelemetryConfigError && error.variable === 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL');
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
