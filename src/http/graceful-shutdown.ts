/**
 * Graceful drain of the API server on SIGTERM/SIGINT, so that no client is reset after its change was applied.
 *
 * Node's own tools are not enough: server.close() leaves busy keep-alive connections open, and they keep
 * carrying new requests; closeAllConnections() then resets requests in flight whose transactions commit anyway.
 * So, from the moment drain() is called:
 * - the listener stops accepting connections;
 * - a keep-alive connection idle between two requests is closed at once: a request the client may be writing
 *   at that instant is never read, hence never applied (the client sees a reset for a request that did not
 *   happen, which it may retry); a new connection that has sent nothing yet is left to headersTimeout;
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
}

export interface GracefulShutdown {
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
    connections.set(socket, { inFlight: new Set() });
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
      // An answer whose headers were sent before the drain began did not say `Connection: close`: close it here.
      if (draining) closeAfterWrite(socket);
    };
    res.once('finish', finished);
    res.once('close', finished);
  });

  return {
    drain(timeoutMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => {
        allClosed = resolve;
      });
      // In flight: the answer says `Connection: close` (or, already started, its socket is closed when written).
      for (const state of connections.values()) {
        for (const res of state.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      }
      // Stops accepting, and closes the connections idle between two requests. Node's parser knows which those
      // are: socket.bytesRead cannot tell (the parser reads the socket natively), and a connection part-way
      // through a request is not idle to Node (nor is a new one that sent nothing yet: headersTimeout ends it).
      server.close();
      server.closeIdleConnections();
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
