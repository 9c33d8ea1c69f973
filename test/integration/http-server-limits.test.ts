/**
 * Oversize and slow clients are cut within seconds, on the server main.ts listens with (createApiServer) over a
 * real database. Small timeouts are configured so the test is quick; the defaults are in src/config.ts.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../src/app.ts';
import { createApiServer } from '../../src/http/api-server.ts';
import { parseResponse, rawConnect } from '../support/raw-http.ts';
import { startTestService, type TestService } from '../support/test-service.ts';

const HEADERS_TIMEOUT_MS = 1000;
const BODY_TIMEOUT_MS = 1000;
const KEEP_ALIVE_TIMEOUT_MS = 1000;
/**
 * Scheduling slack for a loaded machine: the bounds stay far below what each limit replaces (Node's 60 s headers
 * and 300 s request timeouts; a 50 MB body at 10 KB/s takes 85 minutes), so a test still fails without the limit.
 */
const SLACK_MS = 4000;
const TRANSFER = `/transfer-certificate/${'a'.repeat(64)}?targetAwsAccount=222222222222`;

describe('server limits: oversize bodies, slow clients and idle connections', () => {
  let svc: TestService;
  let server: Server;
  let port: number;

  before(async () => {
    svc = await startTestService({
      headersTimeoutMs: HEADERS_TIMEOUT_MS,
      requestTimeoutMs: 5000,
      keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
      bodyTimeoutMs: BODY_TIMEOUT_MS,
    });
    server = createApiServer(createApp(svc.service.context), svc.service.context.config);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await svc.close();
  });

  test('a declared Content-Length of 50 MB sent slowly is refused with 413 at once, and the connection closed', async () => {
    const client = rawConnect(port);
    client.socket.write(`PATCH ${TRANSFER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n`);
    client.trickle('x'.repeat(1024), 100); // 10 KB/s
    const answeredAfter = await client.firstByte;
    const closedAfter = await client.closed;
    const response = parseResponse(client.received());
    assert.equal(response.status, 413, client.received());
    assert.equal(response.headers['x-amzn-errortype'], 'PayloadTooLargeException');
    assert.match(response.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(response.headers.connection, 'close');
    assert.match(String((JSON.parse(response.body) as { message: string }).message), /too large/);
    assert.ok(answeredAfter < 1000 + SLACK_MS, `answered after ${answeredAfter} ms`);
    assert.ok(closedAfter - answeredAfter < 1000 + SLACK_MS, `answered after ${answeredAfter} ms, closed after ${closedAfter} ms`);
  });

  test('a chunked body that grows past the limit is refused with 413 as soon as it does, not when the client stops', async () => {
    const client = rawConnect(port);
    client.socket.write(`PATCH ${TRANSFER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = 'x'.repeat(64 * 1024);
    const frame = `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    for (let i = 0; i < 17; i += 1) client.socket.write(frame); // 1.06 MB: past the 1 MB limit at once
    client.trickle(frame, 50); // and the client keeps sending, as a flood would
    await client.closed;
    const response = parseResponse(client.received());
    // 413, not the body timeout's 408: a reader that drains the body first never ends while the client keeps sending.
    assert.equal(response.status, 413, client.received().slice(0, 500));
    assert.equal(response.headers['x-amzn-errortype'], 'PayloadTooLargeException');
    assert.equal(response.headers.connection, 'close');
  });

  test('a compressed body (Content-Encoding: gzip) is refused with 415, never inflated', async () => {
    const client = rawConnect(port);
    const body = 'not really gzip';
    client.socket.write(
      `PATCH ${TRANSFER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    await client.closed;
    const response = parseResponse(client.received());
    assert.equal(response.status, 415, client.received());
    assert.equal(response.headers['x-amzn-errortype'], 'UnsupportedMediaTypeException');
  });

  test('a slowloris (headers never finished) is closed within the headers timeout', async () => {
    const client = rawConnect(port);
    client.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    client.trickle('X-Slow: y\r\n', 200);
    const closedAfter = await client.closed;
    // Node checks the headers timeout every second (connectionsCheckingInterval in api-server.ts), answers 408.
    assert.ok(closedAfter >= HEADERS_TIMEOUT_MS - 50 && closedAfter < HEADERS_TIMEOUT_MS + 1000 + SLACK_MS, `closed after ${closedAfter} ms`);
    assert.match(client.received(), /^HTTP\/1\.1 408 /);
  });

  test('a connection that never sends anything is closed within the headers timeout', async () => {
    const client = rawConnect(port);
    const closedAfter = await client.closed;
    assert.ok(closedAfter < HEADERS_TIMEOUT_MS + 1000 + SLACK_MS, `closed after ${closedAfter} ms`);
  });

  test('a slow chunked body is cut with 408 RequestTimeoutException within the body timeout', async () => {
    const client = rawConnect(port);
    client.socket.write(`PATCH ${TRANSFER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    client.trickle('1\r\n \r\n', 200);
    const closedAfter = await client.closed;
    const response = parseResponse(client.received());
    assert.equal(response.status, 408, client.received());
    assert.equal(response.headers['x-amzn-errortype'], 'RequestTimeoutException');
    assert.equal(response.headers.connection, 'close');
    assert.ok(closedAfter >= BODY_TIMEOUT_MS - 50 && closedAfter < BODY_TIMEOUT_MS + SLACK_MS, `closed after ${closedAfter} ms`);
  });

  test('a slow body under its Content-Length is cut with 408 within the body timeout', async () => {
    const client = rawConnect(port);
    client.socket.write(`PATCH ${TRANSFER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
    client.trickle('x', 100);
    const closedAfter = await client.closed;
    assert.equal(parseResponse(client.received()).status, 408, client.received());
    assert.ok(closedAfter < BODY_TIMEOUT_MS + SLACK_MS, `closed after ${closedAfter} ms`);
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const client = rawConnect(port);
    client.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const answeredAfter = await client.firstByte;
    const closedAfter = await client.closed;
    assert.equal(parseResponse(client.received()).status, 200);
    const idle = closedAfter - answeredAfter;
    assert.ok(idle >= KEEP_ALIVE_TIMEOUT_MS - 100 && idle < KEEP_ALIVE_TIMEOUT_MS + SLACK_MS, `idle ${idle} ms before close`);
  });

  test('a body within the limits, sent at once, is read and reaches authentication (UnauthorizedException), not cut', async () => {
    const client = rawConnect(port);
    const body = JSON.stringify({ transferMessage: 'hello' });
    client.socket.write(
      `PATCH ${TRANSFER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    await client.closed;
    const response = parseResponse(client.received());
    assert.equal(response.headers['x-amzn-errortype'], 'UnauthorizedException', client.received());
  });
});
