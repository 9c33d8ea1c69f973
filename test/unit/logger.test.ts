import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createLogger, silentLogger } from '../../src/logger.ts';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider());

const PRIVATE_KEY = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA1x2y3z', 'c2VjcmV0a2V5bWF0ZXJpYWw=', '-----END RSA PRIVATE KEY-----'].join('\n');
const SIGV4 =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';

/** Logs one line through a fresh logger and returns it parsed. */
function logOnce(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
  const stream = new PassThrough();
  const logger = createLogger('info', stream);
  write(logger);
  const lines = String(stream.read() ?? '')
    .trim()
    .split('\n');
  assert.equal(lines.length, 1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('logger', () => {
  test('writes one JSON line with level, message, timestamp and meta', () => {
    const line = logOnce((logger) => logger.info('started', { port: 8080 }));
    assert.equal(line.level, 'info');
    assert.equal(line.message, 'started');
    assert.equal(line.port, 8080);
    assert.ok(!Number.isNaN(Date.parse(String(line.timestamp))));
  });

  test('carries trace_id and span_id of the active span', () => {
    const span = trace.getTracer('test').startSpan('request');
    const line = context.with(trace.setSpan(context.active(), span), () => logOnce((logger) => logger.info('inside')));
    span.end();
    assert.equal(line.trace_id, span.spanContext().traceId);
    assert.equal(line.span_id, span.spanContext().spanId);
    assert.equal(line.trace_flags, '01');
  });

  test('has no trace ids outside a span', () => {
    const line = logOnce((logger) => logger.info('outside'));
    assert.equal('trace_id' in line, false);
    assert.equal('span_id' in line, false);
  });

  test('redacts secret-named fields at any depth, without changing the logged object', () => {
    const meta = {
      password: 'hunter2',
      request: { headers: { Authorization: 'Bearer x', host: 'iot' }, body: { certificatePem: 'PEM', keep: 'me' } },
      credentials: [{ secretAccessKey: 'abc', accessKeyId: 'AKID' }],
      sessionToken: 'tok',
    };
    const line = logOnce((logger) => logger.info('request', meta));
    assert.equal(line.password, '[REDACTED]');
    assert.equal(line.sessionToken, '[REDACTED]');
    assert.deepEqual(line.request, { headers: { Authorization: '[REDACTED]', host: 'iot' }, body: { certificatePem: '[REDACTED]', keep: 'me' } });
    assert.deepEqual(line.credentials, [{ secretAccessKey: '[REDACTED]', accessKeyId: 'AKID' }]);
    assert.equal(meta.request.headers.Authorization, 'Bearer x');
  });

  test('masks a PEM private key block inside any string, including the message', () => {
    const line = logOnce((logger) => logger.warn(`bad upload ${PRIVATE_KEY} end`, { detail: { text: `key: ${PRIVATE_KEY}` } }));
    const output = JSON.stringify(line);
    assert.equal(output.includes('c2VjcmV0a2V5bWF0ZXJpYWw='), false);
    assert.equal(line.message, 'bad upload [REDACTED PRIVATE KEY] end');
    assert.deepEqual(line.detail, { text: 'key: [REDACTED PRIVATE KEY]' });
  });

  test('masks a private key block cut off before its END line', () => {
    const line = logOnce((logger) => logger.info('truncated', { body: PRIVATE_KEY.slice(0, 60) }));
    assert.equal(line.body, '[REDACTED PRIVATE KEY]');
  });

  test('masks a SigV4 Authorization value found in a string under a harmless key', () => {
    const line = logOnce((logger) => logger.info('rejected', { rawHeader: `authorization: ${SIGV4}` }));
    assert.equal(line.rawHeader, 'authorization: AWS4-HMAC-SHA256 [REDACTED]');
  });

  test('logs an Error meta value with its message and stack, masked', () => {
    const line = logOnce((logger) => logger.error('failed', { error: new Error(`parse ${PRIVATE_KEY}`) }));
    const error = line.error as Record<string, unknown>;
    assert.equal(error.message, 'parse [REDACTED PRIVATE KEY]');
    assert.match(String(error.stack), /^Error: parse \[REDACTED PRIVATE KEY\]/);
  });

  test('survives circular meta', () => {
    const node: Record<string, unknown> = { name: 'a' };
    node.self = node;
    const line = logOnce((logger) => logger.info('cycle', { node }));
    assert.deepEqual(line.node, { name: 'a', self: '[Circular]' });
  });

  test('silentLogger writes nothing', () => {
    assert.equal(silentLogger.silent, true);
  });
});
