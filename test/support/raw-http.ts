/**
 * Raw HTTP over a net.Socket, for what no HTTP client would send: a declared body that never comes, headers
 * that never end, a chunked body a few bytes at a time. Records what came back and when the server closed.
 */
import { connect, type Socket } from 'node:net';

export interface RawExchange {
  socket: Socket;
  /** Everything the server sent so far. */
  received: () => string;
  /** Resolves when the server answered something (first byte), with the ms since connect. */
  firstByte: Promise<number>;
  /** Resolves when the connection is closed (by either side, or reset), with the ms since connect. */
  closed: Promise<number>;
  /** Writes `chunk` every `everyMs` until the connection closes; returns a stop function. */
  trickle(chunk: string, everyMs: number): () => void;
}

export function rawConnect(port: number): RawExchange {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let onFirst: (ms: number) => void = () => {};
  const firstByte = new Promise<number>((resolve) => (onFirst = resolve));
  socket.on('data', (chunk) => {
    received += chunk.toString();
    onFirst(Date.now() - started);
  });
  socket.on('error', () => {}); // a reset while trickling is an expected way to be cut
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
  return {
    socket,
    received: () => received,
    firstByte,
    closed,
    trickle(chunk, everyMs) {
      const timer = setInterval(() => {
        if (!socket.destroyed && socket.writable) socket.write(chunk);
      }, everyMs);
      void closed.then(() => clearInterval(timer));
      return () => clearInterval(timer);
    },
  };
}

/** The status, lower-cased headers and body of the first response in `raw`. */
export function parseResponse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', body = ''] = raw.split('\r\n\r\n', 2);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body };
}
