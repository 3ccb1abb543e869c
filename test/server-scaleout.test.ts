// Scaled out: two server processes share Redis (presence and matchmaking) and PostgreSQL
// (the round store). A class hosted on one process has its team rooms spread over both;
// the session still hears every team (presence, not process memory), reaches its results,
// and either process lists the session's stored rounds.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { playClass } from '../server/bots/class.js';
import type { RoundListItem } from '../shared/protocol/rounds.js';
import { pgSkipReason, TEST_PG_URL } from './support/postgres.js';
import { freePort, killServerProcesses, startServerProcess } from './support/server-process.js';
import { redisCommand, redisSkipReason } from './support/redis.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/7';
const PG_URL = TEST_PG_URL;
const SCHEMA = `sb_scaleout_${randomBytes(4).toString('hex')}`;

const skip = (await redisSkipReason(REDIS_URL)) ?? (await pgSkipReason(PG_URL, 'the scale-out test'));
if (skip !== null) console.warn(`server-scaleout: skipped: ${skip}`);


const ports: number[] = [];

describe.skipIf(skip !== null)('two server processes', () => {
  beforeAll(async () => {
    // A Redis database of its own, empty: no room or process of another run is in it.
    await redisCommand(REDIS_URL, 'FLUSHDB');
    for (let i = 0; i < 2; i++) ports.push(await freePort());
    await Promise.all(
      ports.map((port) =>
        startServerProcess(port, { REDIS_URL, PUBLIC_ADDRESS: `127.0.0.1:${port}`, DATABASE_URL: PG_URL, DATABASE_SCHEMA: SCHEMA }),
      ),
    );
  }, 60_000);

  afterAll(async () => {
    killServerProcesses();
    if (skip !== null) return;
    await redisCommand(REDIS_URL, 'FLUSHDB').catch(() => {});
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${SCHEMA} cascade`);
    await c.end();
  });

  it('run one class whose team rooms live on both', async () => {
    const [a, b] = ports as [number, number];
    const outcome = playClass({ server: `ws://127.0.0.1:${a}`, students: 8, teams: 4, scenario: 'tutorial', seconds: 30, chaos: 'normal', csv: null });
    // While the round runs: the cluster rooms in Redis's room list, and which process holds each.
    let processes = new Set<string>();
    for (let i = 0; i < 150 && processes.size < 2; i++) {
      const all = (await redisCommand(REDIS_URL, 'HGETALL', 'roomcaches')) as string[] | null;
      const caches = (all ?? []).filter((_, j) => j % 2 === 1).map((v) => JSON.parse(v) as { name: string; processId: string });
      const clusters = caches.filter((c) => c.name === 'cluster');
      if (clusters.length === 4) processes = new Set(clusters.map((c) => c.processId));
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(processes.size).toBe(2);
    const o = await outcome;
    expect(o.error).toBeUndefined();
    expect(o.ok).toBe(true);
    expect(o.results!.teams).toHaveLength(4);
    expect(o.results!.teams.reduce((n, t) => n + t.students.length, 0)).toBe(8);
    for (const t of o.results!.teams) expect(t.replayId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The session's rounds, written by both processes to the shared database, from either.
    for (const port of [a, b]) {
      const res = await fetch(`http://127.0.0.1:${port}/api/rounds?session=${o.sessionId}`);
      const { rounds } = (await res.json()) as { rounds: RoundListItem[] };
      expect(rounds.map((r) => r.id).sort()).toEqual(o.results!.teams.map((t) => t.replayId).sort());
    }
  }, 150_000);
});
