// Start-up against a Redis that is not there or never answers (REDIS_URL): the server fails
// within its bound, saying which setting to check, instead of hanging silently or filling
// the log with one line per retry. Against one that answers: rooms still listed for a
// process that is gone are removed, and nobody else's.
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { matchMaker } from '@colyseus/core';
import { startGameServer } from '../server/app.js';
import { redactedUrl } from '../server/redis-ready.js';
import { removeStaleRooms } from '../server/stale-rooms.js';
import { redisCommand, redisSkipReason } from './support/redis.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/8';
const noRedis = await redisSkipReason(REDIS_URL);
if (noRedis !== null) console.warn(`server-redis-start: the stale-room case is skipped: ${noRedis}`);

const sockets: Socket[] = [];
let silent: Server | null = null;
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => (silent === null ? resolve() : silent.close(() => resolve())));
});

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<number> {
  silent = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
  const addr = silent.address();
  return typeof addr === 'object' && addr !== null ? addr.port : 0;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const addr = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return typeof addr === 'object' && addr !== null ? addr.port : 0;
}

describe('start-up with REDIS_URL', () => {
  it('a Redis that accepts but never answers: start-up fails in time, naming REDIS_URL', async () => {
    const port = await silentServer();
    const start = startGameServer({ port: 0, host: '127.0.0.1', redis: { url: `redis://127.0.0.1:${port}`, publicAddress: '127.0.0.1', readyTimeoutMs: 1500 } });
    await expect(start).rejects.toThrow(/REDIS_URL/);
  });

  it('a refused Redis: start-up fails naming REDIS_URL, and the retries do not flood the log', async () => {
    const port = await closedPort();
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
      errors.push(a.map(String).join(' '));
    });
    try {
      const start = startGameServer({ port: 0, host: '127.0.0.1', redis: { url: `redis://127.0.0.1:${port}`, publicAddress: '127.0.0.1', readyTimeoutMs: 2000 } });
      await expect(start).rejects.toThrow(/REDIS_URL/);
    } finally {
      spy.mockRestore();
    }
    // One line per client at most (the presence's two and the driver's one), each naming the setting.
    expect(errors.length).toBeLessThanOrEqual(3);
    for (const e of errors) expect(e).toMatch(/REDIS_URL/);
  });

  it('a password in the URL never reaches the log', () => {
    expect(redactedUrl('redis://user:secret@10.0.0.1:6379/2')).not.toContain('secret');
    expect(redactedUrl('not a url')).toBe('the configured address');
  });
});

describe.skipIf(noRedis !== null)('start-up with REDIS_URL: the shared room list', () => {
  /** A room entry as Colyseus's Redis driver lists it. */
  const listRoom = (roomId: string, processId: string) =>
    redisCommand(REDIS_URL, 'HSET', 'roomcaches', roomId, JSON.stringify({ name: 'cluster', roomId, processId, clients: 0, maxClients: 1, locked: false, private: true, metadata: {}, createdAt: new Date().toISOString() }));
  const listed = async (roomId: string) => (await redisCommand(REDIS_URL, 'HEXISTS', 'roomcaches', roomId)) === 1;

  it('removes the rooms still listed for a process that is gone (left the process list, not listening), and only those', async () => {
    const id = () => randomBytes(6).toString('hex');
    const stale = `stale-${id()}`;
    await listRoom(stale, `gone-${id()}`);
    const server = await startGameServer({ port: 0, host: '127.0.0.1', redis: { url: REDIS_URL, publicAddress: '127.0.0.1' } });
    try {
      expect(await listed(stale)).toBe(false);
      // This process's rooms and a live process's (listening on its channel) are left alone.
      const mine = `mine-${id()}`;
      const other = id();
      const theirs = `theirs-${id()}`;
      await listRoom(mine, matchMaker.processId);
      await listRoom(theirs, other);
      const answers = () => {};
      await matchMaker.presence.subscribe(`p:${other}`, answers);
      const removed = await removeStaleRooms();
      expect(removed).not.toContain(matchMaker.processId);
      expect(removed).not.toContain(other);
      expect(await listed(mine)).toBe(true);
      expect(await listed(theirs)).toBe(true);
      // Once it stops listening, its rooms go too.
      await matchMaker.presence.unsubscribe(`p:${other}`, answers);
      expect(await removeStaleRooms()).toContain(other);
      expect(await listed(theirs)).toBe(false);
      await redisCommand(REDIS_URL, 'HDEL', 'roomcaches', mine);
    } finally {
      await server.shutdown();
    }
  }, 30_000);
});
