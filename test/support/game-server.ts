// A game server for a test file, on a port the OS picks (fixed ports collide with any
// other run on the machine). Call in beforeAll; shut it down in afterAll.
import { startGameServer, type GameServer, type GameServerOptions } from '../../server/app.js';

export interface TestServer {
  server: GameServer;
  /** ws:// address for colyseus.js clients. */
  ws: string;
  /** http:// address for fetch. */
  http: string;
}

export async function startTestServer(opts: Omit<GameServerOptions, 'port' | 'host'> = {}): Promise<TestServer> {
  const server = await startGameServer({ ...opts, port: 0, host: '127.0.0.1' });
  return { server, ws: `ws://127.0.0.1:${server.port}`, http: `http://127.0.0.1:${server.port}` };
}
