// A TCP proxy a test puts between the server and a service (PostgreSQL, Redis) to make the
// service unreachable for a while, the way a stopped service or a cut network does: `cut()`
// closes every open connection and refuses new ones until `restore()`. `retarget()` sends new
// connections elsewhere (a load balancer in front of server processes, after a health check).
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections the proxy has accepted so far. */
  readonly accepted: number;
  cut(): void;
  retarget(port: number): void;
  restore(): void;
  close(): Promise<void>;
}

export async function tcpProxy(targetHost: string, firstPort: number): Promise<TcpProxy> {
  let targetPort = firstPort;
  const open = new Set<Socket>();
  let down = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: targetHost, port: targetPort });
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr !== null ? addr.port : 0,
    get accepted() {
      return accepted;
    },
    cut() {
      down = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    retarget(port) {
      targetPort = port;
    },
    close() {
      down = true;
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
