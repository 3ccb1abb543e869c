// The game server on one port: HTTP (health, readiness, the built client, the monitor)
// and Colyseus (matchmaking routes and WebSockets) share one Node http.Server.
// Used by server/main.ts, the tests and the benchmark.

import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { LocalPresence, matchMaker, Server, type Presence } from '@colyseus/core';
import { RedisPresence } from '@colyseus/redis-presence';
import { RedisDriver } from '@colyseus/redis-driver';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { monitor } from '@colyseus/monitor';
import { Encoder } from '@colyseus/schema';
import { ClusterRoom } from './rooms/ClusterRoom.js';
import { CLASS_MOVING_CLOSE, SessionRoom } from './rooms/SessionRoom.js';
import { GuardedLobbyRoom } from './rooms/lobby.js';
import { matchByAllOptions } from './rooms/matching.js';
import { sessionsApi } from './sessions/http.js';
import { spreadRooms } from './scale-out.js';
import { sweepStaleRooms } from './stale-rooms.js';
import { roundsApi } from './api.js';
import { rejoinApi } from './rejoin.js';
import { guardHttp, httpErrors } from './http-guard.js';
import { clientFiles, sendHtml } from './static-files.js';
import { withContentSecurityPolicy } from './csp.js';
import { capRoomCreation, tagMatchmakingCallers } from './creation-cap.js';
import { colyseusLogger } from './rooms/bounded-log.js';
import { quietRedisErrors, redisClientsOf, redisProblem, whenRedisAnswers } from './redis-ready.js';
import { watchProcesses, type ProcessWatch } from './process-watch.js';
import { createHistoryJobs } from './history-jobs.js';
import { useRoundStore } from './recording.js';
import { warmClosingInBackground } from './warm-closing.js';
import { ABANDONED_AFTER_MS, type RoundStore } from './store/types.js';

// A debrief's round record (every metric window) makes a room's state a few tens of KB;
// a larger encode buffer spares a resize (and its warning).
Encoder.BUFFER_SIZE = Math.max(Encoder.BUFFER_SIZE, 64 * 1024);

export interface GameServerOptions {
  port: number;
  host?: string;
  /** The built client (dist/client); null serves no pages. */
  clientDir?: string | null;
  monitorPassword?: string | null;
  monitorUser?: string;
  /** Let Colyseus handle SIGTERM/SIGINT (tell rooms, close them, exit). Off in tests. */
  handleSignals?: boolean;
  /**
   * Where rounds are recorded as they are played, and what /api/rounds reads; the caller
   * opens and closes it (server/store openStore). Without one, recordings stay in memory
   * and the API answers 503.
   */
  store?: RoundStore | null;
  /** Called once the rooms have closed on shutdown (after their recordings are written). */
  onShutdown?: () => Promise<void>;
  /**
   * Scale-out: Colyseus presence and matchmaking in Redis, so several processes share rooms,
   * join codes and classroom sessions. `publicAddress` (host:port this process is reached
   * at) is then required. Without it: in-process presence, one process.
   */
  /** Scale-out; `readyTimeoutMs` bounds how long start-up waits for Redis to answer (default REDIS_READY_TIMEOUT_MS). */
  redis?: { url: string; publicAddress: string; readyTimeoutMs?: number } | null;
  /** Rooms one address may create per minute (server/creation-cap.ts; default ROOMS_PER_MINUTE). */
  roomsPerMinute?: number;
  /** Proxies of the operator's in front of the server, whose X-Forwarded-For is believed (client-address.ts; default 0). */
  trustProxy?: number;
  /**
   * Once up, close a few tiny rounds in the background so the first real round's closing
   * does not compile its code in its slices (server/warm-closing.ts). On in server/main.ts;
   * off by default, so tests that start many servers do not pay for it.
   */
  warmUp?: boolean;
}

export interface GameServer {
  port: number;
  colyseus: Server;
  http: HttpServer;
  /** Ready once listening; false again while shutting down. */
  readonly ready: boolean;
  /** End every round (debrief), close the rooms and the port. Does not exit the process. */
  shutdown(): Promise<void>;
}

/**
 * How the server notices a connection that went silent (a network gone, a laptop shut):
 * a ping every second; one that leaves the last five unanswered is closed, so a silent
 * drop is noticed 5-6 s after it happens and its player's seat is kept from then
 * (RECONNECT_SECONDS). A healthy browser answers pings outside its page's scripts, so
 * even a busy machine does not lose one unless its connection stalls for five seconds.
 */
export const HEARTBEAT = { pingInterval: 1000, pingMaxRetries: 5 } as const;

/** Room names clients use. */
export const ROOMS = { cluster: 'cluster', lobby: 'lobby', session: 'session' } as const;

export async function startGameServer(opts: GameServerOptions): Promise<GameServer> {
  let ready = false;
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const store = opts.store ?? null;
  useRoundStore(store);
  const redisPresence = opts.redis ? new RedisPresence(opts.redis.url) : null;
  const driver = opts.redis ? new RedisDriver(opts.redis.url) : null;
  const presence: Presence = redisPresence ?? new LocalPresence();
  const clients = redisPresence !== null && driver !== null ? redisClientsOf(redisPresence, driver) : [];
  // Not ready while Redis is away (rounds in play go on; new players are better sent elsewhere), saying why.
  app.get('/readyz', (_req, res) => {
    const redis = redisProblem(clients);
    res.status(ready && redis === null ? 200 : 503).json({ ready: ready && redis === null, ...(redis !== null ? { problem: redis } : {}) });
  });
  if (opts.redis && redisPresence !== null && driver !== null) {
    // Fail fast, naming REDIS_URL, when Redis does not answer; never a silent hang.
    quietRedisErrors(clients, opts.redis.url);
    try {
      await whenRedisAnswers(clients, opts.redis.url, opts.redis.readyTimeoutMs);
    } catch (err) {
      for (const c of clients) c.disconnect();
      throw err;
    }
  }
  app.use('/api/sessions', sessionsApi(() => presence, Date.now, opts.trustProxy ?? 0));
  app.use('/api/rejoin', rejoinApi(ROOMS.cluster));
  app.use('/api', roundsApi(() => store, createHistoryJobs()));
  if (opts.monitorPassword) {
    app.use('/colyseus', basicAuth(opts.monitorUser ?? 'admin', opts.monitorPassword), monitor());
  }
  const clientDir = opts.clientDir ?? null;
  if (clientDir !== null && existsSync(join(clientDir, 'index.html'))) {
    const page = readFileSync(join(clientDir, 'index.html'), 'utf8');
    // The pages and their files run only this server's scripts (csp.ts); the monitor and the API above keep their own.
    app.use(withContentSecurityPolicy(page, { scaledOut: Boolean(opts.redis) }));
    // Compressed copies by Accept-Encoding; hashed assets cached for good, the page never (static-files.ts).
    app.use(clientFiles(clientDir));
    // Client-side routes (a join link, a replay id) get the app's page; missing files do not.
    app.get(/^\/(?!matchmake\/|colyseus\/|api\/|healthz$|readyz$)[^.]*$/, (req, res, next) => {
      if (req.accepts('html') !== 'html') return next();
      sendHtml(req, res, withBase(page, req.path));
    });
  }

  app.use(httpErrors);

  const http = createServer(app);
  const colyseus = new Server({
    transport: new WebSocketTransport({ server: http, ...HEARTBEAT }),
    // Signals only (below): Colyseus would also shut the whole server down on any uncaught
    // exception, ending every round in the process for one stray error somewhere.
    gracefullyShutdown: false,
    greet: false,
    presence,
    // Colyseus logs a line for each bad frame or socket a client causes: bounded.
    logger: colyseusLogger(),
    selectProcessIdToCreateRoom: capRoomCreation(opts.roomsPerMinute, opts.redis ? spreadRooms({ presence }) : undefined, Date.now, opts.trustProxy ?? 0),
    ...(opts.redis && driver !== null ? { driver, publicAddress: opts.redis.publicAddress } : {}),
  });
  tagMatchmakingCallers();
  colyseus.define(ROOMS.lobby, GuardedLobbyRoom);
  // Quick play lands only in a room whose options all equal the player's (rooms/matching.ts).
  matchByAllOptions(colyseus.define(ROOMS.cluster, ClusterRoom)).enableRealtimeListing();
  colyseus.define(ROOMS.session, SessionRoom);
  let watch: ProcessWatch | null = null;
  let warmUp: { stop: () => void } | null = null;
  colyseus.onBeforeShutdown(async () => {
    ready = false;
    warmUp?.stop();
    if (watch === null) return;
    // Scaled out, a stopping process leaves its classes to the others (they take over once it is gone).
    SessionRoom.handingOver = true;
    await watch.stop(true).catch(() => undefined);
    // Closed with a code of their own: the pages try to get back in (4000 would read as "opened elsewhere").
    await Promise.all([...SessionRoom.live].map((r) => r.disconnect(CLASS_MOVING_CLOSE).catch(() => undefined)));
  });
  // Rounds left 'live' by a process that died are marked interrupted (with PostgreSQL, by
  // any process that shares the database); the store also reports them so when read.
  const sweep = store === null ? null : setInterval(() => {
    store.markAbandoned(Date.now(), ABANDONED_AFTER_MS).catch((err: unknown) => console.error(`[store] sweep: ${(err as Error).message}`));
  }, ABANDONED_AFTER_MS);
  sweep?.unref();
  let closed = false;
  const afterRooms = async () => {
    if (closed) return;
    closed = true;
    if (sweep !== null) clearInterval(sweep);
    await opts.onShutdown?.();
  };
  colyseus.onShutdown(afterRooms);
  if (opts.handleSignals === true) {
    // SIGTERM and SIGINT end the rounds properly (each gets its debrief), then the process exits.
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGUSR2'] as const) process.once(signal, () => void colyseus.gracefullyShutdown(true));
  }
  await colyseus.listen(opts.port, opts.host);
  if (driver !== null) {
    await sweepStaleRooms();
    SessionRoom.handingOver = false;
    watch = await watchProcesses(presence, {
      connected: () => redisProblem(clients) === null,
      localRooms: () => [...ClusterRoom.live, ...SessionRoom.live],
      rehost: async (id, secret) => {
        await matchMaker.handleCreateRoom(ROOMS.session, { restore: { id, secret } });
      },
    });
  }
  guardHttp(http, app);
  ready = true;
  if (opts.warmUp === true) warmUp = warmClosingInBackground();
  const addr = http.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : opts.port;

  return {
    port,
    colyseus,
    http,
    get ready() {
      return ready;
    },
    async shutdown() {
      ready = false;
      await watch?.stop(false);
      await colyseus.gracefullyShutdown(false);
      await afterRooms();
    },
  };
}

/** The live cluster rooms of this process (for the benchmark and tests). */
export function localClusterRooms(): ClusterRoom[] {
  return [...ClusterRoom.live];
}

function basicAuth(user: string, password: string) {
  const expected = Buffer.from(`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
  return (req: Request, res: Response, next: NextFunction) => {
    const got = Buffer.from(req.headers.authorization ?? '');
    if (got.length === expected.length && timingSafeEqual(got, expected)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="Split Brain monitor"');
    res.status(401).send('authentication required');
  };
}

/**
 * The page at a client route (/replay/<id>, /join/<code>, /class/host…) with a <base> that
 * leads its relative asset addresses back to the app's root. The page's own script does
 * the same, but only after the browser's preload scanner has already asked for
 * /join/assets/… — which does not exist. Relative, so a path prefix in front still works.
 */
export function withBase(page: string, path: string): string {
  // How many folders deep the page's address is: /join/ABC is one (join/), /replay/x/ two.
  const depth = Math.max(0, path.split('/').length - 2);
  const href = depth === 0 ? './' : '../'.repeat(depth);
  return page.replace(/<head>/i, `<head><base href="${href}">`);
}
