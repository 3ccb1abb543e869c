// Scale-out's Redis, checked before the server says it is listening. ioredis retries for
// ever and queues every command meanwhile: a Redis that refuses connections fills the log
// with one "Unhandled error event" per retry, and one that accepts but never answers hangs
// the start-up silently. Here the server waits a bounded time for an answer to PING, fails
// naming REDIS_URL if none comes, and logs connection errors at most once in a while.

import type { RedisPresence } from '@colyseus/redis-presence';
import type { RedisDriver } from '@colyseus/redis-driver';

/** How long start-up waits for Redis to answer. */
export const REDIS_READY_TIMEOUT_MS = 5000;
/** At most one connection-error line per client this often. */
const ERROR_LOG_EVERY_MS = 30_000;

/** What this module needs of an ioredis client (the presence's and the driver's are private fields). */
interface RedisClient {
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  /** ioredis's connection state: 'ready' when commands go through. */
  readonly status?: string;
  ping(): Promise<unknown>;
  disconnect(): void;
}

/** The ioredis clients inside Colyseus's Redis presence and driver. */
export function redisClientsOf(presence: RedisPresence, driver: RedisDriver): RedisClient[] {
  const p = presence as unknown as { pub?: RedisClient; sub?: RedisClient };
  const d = driver as unknown as { _client?: RedisClient };
  return [p.pub, p.sub, d._client].filter((c): c is RedisClient => c !== undefined);
}

/** Log connection errors of these clients at most once per ERROR_LOG_EVERY_MS each, naming the setting. */
export function quietRedisErrors(clients: RedisClient[], url: string, log: (msg: string) => void = (m) => console.error(m), now: () => number = Date.now): void {
  for (const c of clients) {
    let last = -Infinity;
    let failing = false;
    c.on('error', (err) => {
      failing = true;
      const t = now();
      if (t - last < ERROR_LOG_EVERY_MS) return;
      last = t;
      log(`[redis] ${redactedUrl(url)} (REDIS_URL): ${err.message}; rounds in play go on, new rooms and classes wait; retrying`);
    });
    c.on('ready', () => {
      if (!failing) return;
      failing = false;
      last = -Infinity;
      log(`[redis] ${redactedUrl(url)} (REDIS_URL) answers again`);
    });
  }
}

/** What is wrong with Redis right now, in words for /readyz, or null when every client is connected. */
export function redisProblem(clients: RedisClient[]): string | null {
  const down = clients.filter((c) => c.status !== undefined && c.status !== 'ready').length;
  return down === 0 ? null : `Redis (REDIS_URL) is not reachable: ${down} of ${clients.length} connections are down`;
}

/** Resolve once every client answers PING; reject after `timeoutMs` with a message naming REDIS_URL. */
export async function whenRedisAnswers(clients: RedisClient[], url: string, timeoutMs = REDIS_READY_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis at ${redactedUrl(url)} (REDIS_URL) did not answer within ${Math.round(timeoutMs / 1000)} s: check that it runs and that the address is right`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.all(clients.map((c) => c.ping())), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for logs. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'the configured address';
  }
}
