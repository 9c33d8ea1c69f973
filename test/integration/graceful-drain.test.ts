/**
 * The drain's rules one by one, on a real listening server (createApiServer) with a handler the test controls,
 * so each connection can be caught in the exact state it is about (the service itself under load, with its
 * database and audit trail: test/e2e/graceful-shutdown.test.ts).
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { createApiServer } from '../../src/http/api-server.ts';
import { gracefulShutdown } from '../../src/http/graceful-shutdown.ts';
import { parseResponse, rawConnect } from '../support/raw-http.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server whose handler answers `/slow` after 300 ms, `/stream` in two parts 300 ms apart, `/never` never. */
async function drainableServer() {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/slow') return void setTimeout(() => res.end('slow done'), 300);
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part one;');
      return void setTimeout(() => res.end('part two'), 300);
    }
    if (req.url === '/never') return;
    res.end('ok');
  };
  const server = createApiServer(handler, { headersTimeoutMs: 5000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 5000 });
  const shutdown = gracefulShutdown(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, shutdown, port: (server.address() as AddressInfo).port };
}

describe('graceful drain of the HTTP server', () => {
  test('an idle keep-alive connection is closed at once, new connections are refused, the drain ends without force', async () => {
    const { shutdown, port } = await drainableServer();
    const idle = rawConnect(port);
    idle.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await idle.firstByte;
    assert.equal(parseResponse(idle.received()).headers.connection, 'keep-alive');
    const started = Date.now();
    const result = await shutdown.drain(5000);
    assert.deepEqual(result, { forced: false });
    assert.ok(Date.now() - started < 1000);
    await idle.closed;
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`), /fetch failed/);
  });

  test('a request in flight is answered with Connection: close, then its connection is closed', async () => {
    const { shutdown, port } = await drainableServer();
    const client = rawConnect(port);
    client.socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await pause(100);
    const drained = shutdown.drain(5000);
    await client.closed;
    const response = parseResponse(client.received());
    assert.equal(response.status, 200);
    assert.equal(response.headers.connection, 'close');
    assert.equal(response.body, 'slow done');
    assert.deepEqual(await drained, { forced: false });
  });

  test('a request whose headers are part-way in at the drain is read to the end and answered with Connection: close', async () => {
    const { shutdown, port } = await drainableServer();
    const client = rawConnect(port);
    client.socket.write('GET / HTTP/1.1\r\nHo');
    await pause(100);
    const drained = shutdown.drain(5000);
    await pause(200);
    client.socket.write('st: x\r\n\r\n');
    await client.closed;
    const response = parseResponse(client.received());
    assert.equal(response.status, 200, client.received());
    assert.equal(response.headers.connection, 'close');
    assert.deepEqual(await drained, { forced: false });
  });

  test('an answer already streaming at the drain is finished, then its keep-alive connection is closed', async () => {
    const { shutdown, port } = await drainableServer();
    const client = rawConnect(port);
    client.socket.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.firstByte;
    const drained = shutdown.drain(5000);
    await client.closed;
    assert.match(client.received(), /part one;.*part two/s);
    assert.deepEqual(await drained, { forced: false });
  });

  test('an answer that never comes is cut at the drain timeout', async () => {
    const { shutdown, port } = await drainableServer();
    const client = rawConnect(port);
    client.socket.write('GET /never HTTP/1.1\r\nHost: x\r\n\r\n');
    await pause(100);
    const started = Date.now();
    assert.deepEqual(await shutdown.drain(500), { forced: true });
    assert.ok(Date.now() - started >= 450);
    await client.closed;
    assert.equal(client.received(), '');
  });
});
