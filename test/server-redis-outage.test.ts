// Redis unreachable for 15 s under a scaled-out server process (a TCP proxy between them
// cuts every connection and refuses new ones): the round and the class in play go on in
// real time, /readyz answers 503 naming REDIS_URL and the log says so; once Redis is back
// the server is ready again, says so, lists again any of its rooms whose listing went
// missing, and new rooms are made as before.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { sleep, waitForState } from '../server/client-util.js';
import type { ClusterState } from '../server/rooms/schema.js';
import type { SessionState } from '../server/rooms/session-schema.js';
import { freePort, killServerProcesses, startServerProcess, stopServerProcess } from './support/server-process.js';
import { redisCommand, redisSkipReason } from './support/redis.js';
import { tcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const REDIS = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
REDIS.pathname = '/10';
const skip = await redisSkipReason(REDIS.toString());
if (skip !== null) console.warn(`server-redis-outage: skipped: ${skip}`);
const OUTAGE_MS = 15_000;
const dirs: string[] = [];
let proxy: TcpProxy | null = null;

afterAll(async () => {
  killServerProcesses();
  await proxy?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (skip === null) await redisCommand(REDIS.toString(), 'FLUSHDB').catch(() => {});
});

async function readiness(port: number): Promise<{ status: number; body: { ready: boolean; problem?: string } }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as { ready: boolean; problem?: string } };
}

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

describe.skipIf(skip !== null)('Redis away for 15 s', () => {
  it('rounds in play go on, the server says what is wrong, and it is ready again once Redis is back', async () => {
    await redisCommand(REDIS.toString(), 'FLUSHDB');
    proxy = await tcpProxy(REDIS.hostname, Number(REDIS.port || 6379));
    const url = new URL(REDIS.toString());
    url.host = `127.0.0.1:${proxy.port}`;
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sb-redis-outage-'));
    dirs.push(dir);
    const child = await startServerProcess(port, { REDIS_URL: url.toString(), PUBLIC_ADDRESS: `127.0.0.1:${port}`, DATA_DIR: dir });
    let log = '';
    child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    const endpoint = `ws://127.0.0.1:${port}`;
    const room = await new Client(endpoint).create<ClusterState>('cluster', {
      scenario: 'bank', chaos: 'normal', seed: 5, roundSeconds: 120, private: true, nickname: 'Ada', playerKey: `redis-outage-${randomBytes(6).toString('hex')}`,
      lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0,
    });
    room.onMessage('event', () => {});
    room.onMessage('error', () => {});
    const host = await new Client(endpoint).create<SessionState>('session', { hostKey: randomBytes(24).toString('base64url') });
    host.onMessage('welcome', () => {});
    await waitForState(host, (s) => s.code.length === 6, 10_000, 'the join code');
    const s0 = (await waitForState(room, (s) => s.phase === 'live' && s.simMs >= 3000, 20_000, 'three seconds of play')).simMs;
    expect((await readiness(port)).status).toBe(200);

    const t0 = Date.now();
    proxy.cut();
    const notReady = await until(() => readiness(port), (r) => r.status === 503, 10_000, '/readyz to say Redis is away');
    expect(notReady.body.problem).toMatch(/REDIS_URL/);
    // The class in play answers its host meanwhile.
    host.send('host', { action: 'lock', locked: true });
    await waitForState(host, (s) => s.locked, 5000, 'the class locked during the outage');
    await sleep(OUTAGE_MS - (Date.now() - t0));
    const played = room.state.simMs - s0;
    const wall = Date.now() - t0;
    proxy.restore();
    expect(played / wall).toBeGreaterThan(0.85);
    expect(room.connection.isOpen).toBe(true);
    expect(log).toMatch(/\[redis\] redis:\/\/127\.0\.0\.1:\d+\/10 \(REDIS_URL\): .*retrying/);

    const readyAgain = Date.now();
    await until(() => readiness(port), (r) => r.status === 200, 30_000, '/readyz to be ready again');
    const backMs = Date.now() - readyAgain;
    expect(log).toContain('(REDIS_URL) answers again');
    // A listing lost meanwhile (another process may have judged this one dead) is put back.
    await redisCommand(REDIS.toString(), 'HDEL', 'roomcaches', room.roomId);
    await until(() => redisCommand(REDIS.toString(), 'HEXISTS', 'roomcaches', room.roomId), (n) => n === 1, 15_000, 'the round listed again');
    // Matchmaking works again: a new room is made and its round starts.
    const next = await new Client(endpoint).create<ClusterState>('cluster', { scenario: 'bank', private: true, nickname: 'Bo', playerKey: `redis-outage-${randomBytes(6).toString('hex')}`, lobbySeconds: 0, briefingSeconds: 2, setupSeconds: 0 });
    next.onMessage('event', () => {});
    await waitForState(next, (s) => s.phase === 'live', 20_000, 'a new round after the outage');
    expect(child.exitCode).toBeNull();
    // Nothing escaped a handler on the way (the process's last line of defence stayed silent).
    expect(log).not.toMatch(/\[process\] (uncaught|unhandled)/);
    const lines = log.split('\n').filter((l) => l.includes('[redis]')).length;
    console.log(`Redis away ${wall} ms: the round played ${played} ms meanwhile (${(played / wall).toFixed(2)}× real time); ready again ${backMs} ms after Redis came back; ${lines} [redis] log lines`);
    await Promise.all([room.leave(true), host.leave(true), next.leave(true)].map((p) => p.catch(() => {})));
    await stopServerProcess(child);
  }, 120_000);
});
