/**
 * Graceful drain of the API server on SIGTERM/SIGINT, so that no client is reset after its change was applied.
 *
 * Node's own tools are not enough: server.close() leaves busy keep-alive connections open, and they keep
 * carrying new requests; closeAllConnections() then resets requests in flight whose transactions commit anyway.
 * So, from the moment drain() is called:
 * - the listener stops accepting connections;
 * - a connection with no request in progress is closed at once: nothing was read from it since its last answer,
 *   so a request the client may be writing at that instant is never read, hence never applied (the client sees a
 *   reset for a request that did not happen, which it may retry);
 * - every request in flight, or arriving on a connection that was part-way through sending one, is served, its
 *   answer carries `Connection: close`, and its connection is closed once the answer is written;
 * - drain() resolves when every connection is closed, or after `timeoutMs` (then the rest are reset).
 * Pipelined requests (several sent before the first answer) are not supported by this guarantee; HTTP clients
 * do not pipeline by default.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface ConnectionState {
  /** Answers of this connection not written yet. */
  inFlight: Set<ServerResponse>;
  /** socket.bytesRead when the connection last became idle: more bytes read since then = a request is arriving. */
  bytesReadWhenIdle: number;
}

export interface GracefulShutdown {
  /** True once drain() was called. */
  readonly draining: boolean;
  /** Stops accepting and drains as described above; `forced` when the timeout had to reset connections. */
  drain(timeoutMs: number): Promise<{ forced: boolean }>;
}

function closeAfterWrite(socket: Socket): void {
  if (socket.destroyed) return;
  socket.end(() => socket.destroy());
}

export function gracefulShutdown(server: Server): GracefulShutdown {
  const connections = new Map<Socket, ConnectionState>();
  let draining = false;
  let allClosed: (() => void) | undefined;

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { inFlight: new Set(), bytesReadWhenIdle: 0 });
    socket.once('close', () => {
      connections.delete(socket);
      if (draining && connections.size === 0) allClosed?.();
    });
  });

  // Prepended so it runs before the application writes anything.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const state = connections.get(socket);
    if (!state) return;
    state.inFlight.add(res);
    if (draining) res.setHeader('Connection', 'close');
    const finished = () => {
      if (!state.inFlight.delete(res) || state.inFlight.size > 0) return;
      state.bytesReadWhenIdle = socket.bytesRead;
      // An answer whose headers were sent before the drain began did not say `Connection: close`: close it here.
      if (draining) closeAfterWrite(socket);
    };
    res.once('finish', finished);
    res.once('close', finished);
  });

  return {
    get draining() {
      return draining;
    },
    drain(timeoutMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => {
        allClosed = resolve;
      });
      // Stops accepting. On Node 20 it also closes the connections Node considers idle, which our own rule below
      // includes (a connection Node sees part-way through a request is not idle to Node either).
      server.close();
      for (const [socket, state] of connections) {
        if (state.inFlight.size > 0) {
          // In flight: the answer says `Connection: close` (or, already started, its socket is closed when written).
          for (const res of state.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        } else if (socket.bytesRead === state.bytesReadWhenIdle) {
          socket.destroy();
        }
        // else: a request is arriving; its answer will say `Connection: close`, or headersTimeout cuts it.
      }
      if (connections.size === 0) allClosed?.();
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          for (const socket of connections.keys()) socket.destroy();
          resolve({ forced: true });
        }, timeoutMs);
        timer.unref();
        void closed.then(() => {
          clearTimeout(timer);
          resolve({ forced: false });
        });
      });
    },
  };
}
