// A class whose server process dies: two server processes share Redis, a class plays a
// round with its team rooms on both, and the process that holds the class's session room
// gets SIGKILL mid-round (or SIGTERM: a stop that leaves its classes to the others). The other process notices (heartbeat, then health check), removes
// the dead one's room listings and hosts the class again under the same room id and join
// code; the host and the students get back in the way the pages do (client/src/reconnect.ts
// tryClassComeback), the teams on the surviving process finish, the lost ones are marked
// lost, and the class reaches its results.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from 'colyseus.js';
import { startBotPlayer, type BotPlayer } from '../server/bots/bot-client.js';
import { nextMessage, waitForState } from '../server/client-util.js';
import type { SessionState, SessionWelcome } from '../server/rooms/session-schema.js';
import type { RoundResults } from '../shared/session/results.js';
import { TEAM_ROOM_LOST } from '../shared/words/phases.js';
import { CLASS_COMEBACK_MS, keepTrying, tryClassComeback, type Tried } from '../client/src/reconnect.js';
import { freePort, killServerProcesses, startServerProcess, stopServerProcess } from './support/server-process.js';
import { redisCommand, redisSkipReason } from './support/redis.js';

// A Redis database of its own (flushed): no room or process of another test is in it.
const REDIS_URL = (() => {
  const u = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  u.pathname = '/9';
  return u.toString();
})();
const skip = await redisSkipReason(REDIS_URL);
if (skip !== null) console.warn(`server-class-failover: skipped: ${skip}`);

const key = () => randomBytes(24).toString('base64url');
const dirs: string[] = [];
const ports: number[] = [];
const procs: ChildProcess[] = [];

interface Listing {
  roomId: string;
  name: string;
  processId: string;
  publicAddress?: string;
}

async function listings(): Promise<Listing[]> {
  const all = ((await redisCommand(REDIS_URL, 'HGETALL', 'roomcaches')) as string[] | null) ?? [];
  return all.filter((_, j) => j % 2 === 1).map((v) => JSON.parse(v) as Listing);
}

/**
 * Waits until the class as kept in Redis shows every team live: what the other process will
 * host again. The snapshot trails the room by a moment; a kill before it caught up would
 * restore teams still in setup, which the class remakes rather than counting them lost.
 */
async function snapshotAllLive(roomId: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const keys = ((await redisCommand(REDIS_URL, 'KEYS', 'sb:class:*')) as string[] | null) ?? [];
    for (const k of keys) {
      const text = (await redisCommand(REDIS_URL, 'GET', k)) as string | null;
      if (text === null) continue;
      const snap = JSON.parse(text) as { roomId: string; cls: { teams: { phase: string }[] } };
      if (snap.roomId === roomId && snap.cls.teams.length > 0 && snap.cls.teams.every((t) => t.phase === 'live')) return;
    }
    if (Date.now() > until) throw new Error('the class kept in Redis never showed every team live');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Back into the class as a page does: where the code leads, then a join with the same options. */
function comeBack(endpoint: string, code: string, options: Record<string, unknown>): Promise<Tried<Room<SessionState>>> {
  const client = new Client(endpoint);
  return keepTrying((_n) => tryClassComeback<SessionState>(client, { endpoint, code, options }), {
    until: Date.now() + CLASS_COMEBACK_MS,
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
}

describe.skipIf(skip !== null)('a class whose session process is killed', () => {
  beforeAll(async () => {
    await redisCommand(REDIS_URL, 'FLUSHDB');
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'sb-failover-'));
      dirs.push(dir);
      ports.push(port);
      procs.push(await startServerProcess(port, { REDIS_URL, PUBLIC_ADDRESS: `127.0.0.1:${port}`, DATA_DIR: dir }));
    }
  }, 60_000);

  /** Start again the process at `i` (after it was stopped), on the same port and data. */
  async function restart(i: number): Promise<void> {
    procs[i] = await startServerProcess(ports[i]!, { REDIS_URL, PUBLIC_ADDRESS: `127.0.0.1:${ports[i]}`, DATA_DIR: dirs[i]! });
  }

  afterAll(async () => {
    killServerProcesses();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (skip === null) await redisCommand(REDIS_URL, 'FLUSHDB').catch(() => {});
  });

  it('killed (SIGKILL): hosted again by the other process, everyone gets back in, and it reaches its results', async () => {
    const victim = await classThrough('SIGKILL');
    await restart(victim);
  }, 300_000);

  it('stopped (SIGTERM): the class moves to the other process and reaches its results', async () => {
    await classThrough('SIGTERM');
  }, 300_000);

  /** A class through the loss of the process holding its session; returns which process that was. */
  async function classThrough(signal: NodeJS.Signals): Promise<number> {
    const endpoints = ports.map((p) => `ws://127.0.0.1:${p}`);
    const hostKey = key();
    let host = await new Client(endpoints[0]!).create<SessionState>('session', {
      hostKey,
      settings: { scenario: 'bank', chaos: 'normal', roundSeconds: 40, teamCount: 4, briefingSeconds: 3, setupSeconds: 3 },
    });
    host.onMessage('welcome', () => {});
    const lobby = await waitForState(host, (s) => s.code.length === 6, 10_000, 'the join code');
    const { code } = lobby;
    const roomId = host.roomId;
    // The process that holds the session room dies; clients then reach the other one (as a load balancer would send them).
    const sessionListing = (await listings()).find((l) => l.roomId === roomId)!;
    const victim = ports.findIndex((p) => sessionListing.publicAddress === `127.0.0.1:${p}`);
    expect(victim).toBeGreaterThanOrEqual(0);
    const survivor = endpoints[1 - victim]!;

    const students: { nickname: string; playerKey: string; id: string; room: Room<SessionState> }[] = [];
    for (let i = 0; i < 8; i++) {
      const s = { nickname: `Student ${i + 1}`, playerKey: key() };
      const room = await new Client(survivor).joinById<SessionState>(roomId, { code, ...s });
      room.onMessage('card', () => {});
      const id = (await nextMessage<SessionWelcome>(room, 'welcome')).studentId;
      students.push({ ...s, id, room });
    }
    await waitForState(host, (s) => s.students.size === 8, 10_000, 'every student in the class');
    host.send('host', { action: 'start' });
    const running = await waitForState(host, (s) => s.phase === 'running' && s.teams.length === 4 && [...s.teams].every((t) => t.roomId !== ''), 30_000, 'the team rooms');
    const teamRooms = [...running.teams].map((t) => t.roomId);
    const players: BotPlayer[] = [];
    for (const s of students) {
      const team = running.students.get(s.id)!.team;
      players.push(await startBotPlayer(survivor, { roomId: teamRooms[team]!, nickname: s.nickname, playerKey: s.playerKey, timeoutMs: 300_000 }));
    }
    await waitForState(host, (s) => [...s.teams].every((t) => t.phase === 'live'), 30_000, 'every team live');
    await snapshotAllLive(roomId, 10_000);
    const before = await listings();
    const victimId = before.find((l) => l.roomId === roomId)!.processId;
    const lostTeams = [...running.teams].filter((t) => before.find((l) => l.roomId === t.roomId)?.processId === victimId).map((t) => t.index);
    const keptTeams = [0, 1, 2, 3].filter((t) => !lostTeams.includes(t));
    expect(keptTeams.length).toBeGreaterThan(0);

    // SIGKILL: no goodbye, no last write. SIGTERM: the process leaves its class to the other.
    const killedAt = Date.now();
    await stopServerProcess(procs[victim]!, signal);

    const hostBack = comeBack(survivor, code, { hostKey });
    const studentsBack = students.map((s) => comeBack(survivor, code, { code, nickname: s.nickname, playerKey: s.playerKey }));
    const h = await hostBack;
    if (!('room' in h)) throw new Error(`the host could not get back in: ${h.gaveUp} (${h.tries} tries)`);
    const hostBackMs = Date.now() - killedAt;
    host = h.room;
    host.onMessage('welcome', () => {});
    // The same class, under the same room id and code, now on the surviving process.
    expect(host.roomId).toBe(roomId);
    const again = await waitForState(host, (s) => s.phase === 'running', 10_000, 'the class as it was');
    expect(again.code).toBe(code);
    expect(again.students.size).toBe(8);
    const back = await Promise.all(studentsBack);
    for (const b of back) if (!('room' in b)) throw new Error(`a student could not get back in: ${b.gaveUp}`);
    const studentsBackMs = Date.now() - killedAt;
    await waitForState(host, (s) => [...s.students.values()].every((st) => st.connected), 10_000, 'every student connected again');
    // The dead process's room listings are gone (not only at the next start).
    expect((await listings()).filter((l) => l.processId === victimId)).toEqual([]);

    const done = await waitForState(host, (s) => s.phase === 'results', 180_000, 'the results');
    const results = (JSON.parse(done.results) as RoundResults[]).at(-1)!;
    expect(results.teams.map((t) => t.team).sort()).toEqual(keptTeams);
    for (const t of results.teams) expect(t.students.length).toBeGreaterThan(0);
    for (const t of lostTeams) expect(done.teams[t]!.phase).toBe(TEAM_ROOM_LOST);
    console.log(`class failover (${signal}): session process stopped; host back in ${hostBackMs} ms, all 8 students back in ${studentsBackMs} ms; results for teams ${keptTeams.map((t) => t + 1).join(', ')} (lost with the process: ${lostTeams.map((t) => t + 1).join(', ') || 'none'})`);

    await Promise.all(players.map((p) => p.stop().catch(() => {})));
    await Promise.all(back.map((b) => ('room' in b ? b.room.leave(true).catch(() => {}) : undefined)));
    await host.leave(true).catch(() => {});
    return victim;
  }
});
