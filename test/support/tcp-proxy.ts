/** A loopback TCP proxy a test can cut and restore, to take a database away from a running service. */
import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { adminUrl, createScratchDatabase } from './test-database.ts';

export interface TcpProxy {
  port: number;
  /** Refuses new connections and drops the open ones, like a database that died. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const cut = async () => {
    const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const s of sockets) s.destroy();
    await closing;
    server = undefined;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    cut,
    restore: listen,
    close: cut,
  };
}

/** A scratch Postgres database reached through a proxy the test can cut: a database that dies and comes back. */
export interface ProxiedScratchDatabase {
  proxy: TcpProxy;
  /** The database's URL through the proxy. */
  url: string;
  close(): Promise<void>;
}

export async function startProxiedScratchDatabase(): Promise<ProxiedScratchDatabase> {
  const scratch = await createScratchDatabase();
  const server = new URL(adminUrl);
  const proxy = await startTcpProxy(server.hostname, Number(server.port || 5432));
  const proxied = new URL(scratch.url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return {
    proxy,
    url: proxied.toString(),
    close: async () => {
      await proxy.close();
      await scratch.drop();
    },
  };
}
