// One client cannot slow everyone: against a real server (in this process, so its memory can be
// read), a client flooding `command` in one room is closed with a reason — again after every
// reconnection — while an honest bot's round in another room keeps real time; floods in a
// class and in the lobby are closed the same way; message types that are not text are refused
// without a log line each; and one address may create only so many rooms a minute, while joins
// of rooms that exist still work.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, type Room } from 'colyseus.js';
import type { GameServer } from '../server/app.js';
import { startTestServer } from './support/game-server.js';
import { startBotPlayer, type BotPlayer } from '../server/bots/bot-client.js';
import { waitForState, waitUntil } from '../server/client-util.js';
import { FLOOD_CLOSE } from '../server/rooms/fair-use.js';
import type { ClusterState } from '../server/rooms/schema.js';
import type { ErrorMessage } from '../shared/protocol/messages.js';

const ROOMS_PER_MINUTE = 8;
let WS = '';
let HTTP = '';
let server: GameServer;

beforeAll(async () => {
  // As deployed behind one reverse proxy (TRUST_PROXY=1), which names each caller in X-Forwarded-For.
  ({ server, ws: WS, http: HTTP } = await startTestServer({ roomsPerMinute: ROOMS_PER_MINUTE, trustProxy: 1 }));
});
afterAll(async () => {
  await server?.shutdown();
});

interface Closed {
  code: number;
  reason: string;
}

/** Send `send()` about 5,000 times a second until the room closes; resolves with how it closed. */
function flood(room: Room, send: () => void): Promise<Closed> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < 50 && room.connection.isOpen; i++) send();
    }, 10);
    room.onLeave((code: number, reason?: string) => {
      clearInterval(timer);
      resolve({ code, reason: reason ?? '' });
    });
  });
}

function memoryMb(): number {
  const m = process.memoryUsage();
  return (m.heapUsed + m.external + m.arrayBuffers) / 1024 / 1024;
}

describe('fair use: one client cannot slow everyone', () => {
  let honest: BotPlayer | null = null;
  afterAll(async () => {
    await honest?.stop();
  });

  it('closes a flooding player after every reconnection, while an honest round in another room keeps real time and memory stays bounded', async () => {
    honest = await startBotPlayer(WS, {
      create: { scenario: 'bank', private: true, lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 600 },
      nickname: 'Honest', hurry: true,
    });
    await waitForState(honest.room, (s) => s.phase === 'live' && s.simMs > 0, 20_000, 'the honest round live');

    const client = new Client(WS);
    let flooder: Room<ClusterState> = await client.create<ClusterState>('cluster', {
      scenario: 'tutorial', private: true, nickname: 'Flood', lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 600,
    });
    await waitForState(flooder, (s) => s.phase === 'live', 20_000, 'the flooder\'s round live');
    const errors: ErrorMessage[] = [];

    const memBefore = memoryMb();
    let memMax = memBefore;
    const sampler = setInterval(() => (memMax = Math.max(memMax, memoryMb())), 100);
    const wall0 = Date.now();
    const sim0 = honest.room.state.simMs;
    const closes: Closed[] = [];
    let ref = 0;
    try {
      // About ten seconds of flooding: each time the server closes it, back in by the reconnection token, and again.
      while (Date.now() - wall0 < 10_000) {
        flooder.onMessage('error', (e: ErrorMessage) => errors.push(e));
        closes.push(await flood(flooder, () => flooder.send('command', { command: { type: 'restart', node: 0 }, ref: ref++ % 1000 })));
        if (Date.now() - wall0 >= 10_000) break;
        flooder = await client.reconnect<ClusterState>(flooder.reconnectionToken);
      }
    } finally {
      clearInterval(sampler);
    }
    const wallMs = Date.now() - wall0;
    const simMs = honest.room.state.simMs - sim0;

    // The flooder: closed with the code and the reason, every time; told it is rate-limited, but not once per message.
    expect(closes.length).toBeGreaterThanOrEqual(2);
    for (const c of closes) expect(c).toEqual({ code: FLOOD_CLOSE.code, reason: FLOOD_CLOSE.reason });
    const limited = errors.filter((e) => e.code === 'rate-limited').length;
    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThanOrEqual(closes.length * 25);
    console.log(`flood: ${closes.length} closes; honest round ${simMs} ms simulated in ${wallMs} ms (${(simMs / wallMs).toFixed(2)}× real time); memory ${memBefore.toFixed(0)} → at most ${memMax.toFixed(0)} MB`);
    // The honest round: its simulated time kept up with the wall clock.
    expect(simMs / wallMs, `${simMs} ms simulated in ${wallMs} ms`).toBeGreaterThanOrEqual(0.9);
    expect(honest.room.connection.isOpen).toBe(true);
    // The server's memory did not grow with the flood.
    expect(memMax - memBefore, `${memBefore.toFixed(0)} MB before, at most ${memMax.toFixed(0)} MB during`).toBeLessThan(150);
  });

  it('closes a flood in a class and in the lobby the same way', async () => {
    const host = await new Client(WS).create('session', { hostKey: 'flood-test-host-key-0001' });
    host.onMessage('*', () => {});
    await waitForState(host, (s: { code?: string }) => typeof s.code === 'string' && s.code !== '', 10_000, 'the join code');
    expect(await flood(host, () => host.send('host', { action: 'nonsense' }))).toEqual({ code: FLOOD_CLOSE.code, reason: FLOOD_CLOSE.reason });

    const lobby = await new Client(WS).joinOrCreate('lobby');
    lobby.onMessage('*', () => {});
    expect(await flood(lobby, () => lobby.send('filter', {}))).toEqual({ code: FLOOD_CLOSE.code, reason: FLOOD_CLOSE.reason });
  });

  it('refuses a message type that is not text, without a log line from the decoder', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
    try {
      const lobby = await new Client(WS).joinOrCreate('lobby');
      const errors: ErrorMessage[] = [];
      lobby.onMessage('error', (e: ErrorMessage) => errors.push(e));
      lobby.onMessage('*', () => {});
      for (let i = 0; i < 3; i++) lobby.connection.send(Uint8Array.from([13, 0xa2, 0xff, 0xfe]) as never);
      await waitUntil(() => errors.length >= 3, 5000, 'the refusals');
      expect(errors.map((e) => e.code)).toEqual(['invalid', 'invalid', 'invalid']);
      expect(errors[0]!.error).toMatch(/UTF-8/);
      expect(lines.filter((l) => /utf8Read|Invalid byte/.test(l))).toEqual([]);
      // Three bad frames, at most one line about them.
      expect(lines.filter((l) => /not UTF-8/.test(l)).length).toBeLessThanOrEqual(1);
      await lobby.leave();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the cap on rooms one address creates', () => {
  /** A matchmaking call as it comes through a proxy that names the caller's address. */
  async function matchmake(path: string, ip: string, body: unknown = {}): Promise<{ room?: { roomId: string }; code?: number; error?: string }> {
    const res = await fetch(`${HTTP}/matchmake/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip }, body: JSON.stringify(body) });
    return (await res.json()) as { room?: { roomId: string }; code?: number; error?: string };
  }

  it('refuses one address its rooms past the cap, in words, and still lets it join rooms that exist', async () => {
    const ip = '203.0.113.9';
    const made: string[] = [];
    for (let i = 0; i < ROOMS_PER_MINUTE; i++) {
      const r = await matchmake('create/lobby', ip);
      expect(r.error, `creation ${i + 1}`).toBeUndefined();
      made.push(r.room!.roomId);
    }
    const refused = await matchmake('create/cluster', ip, { scenario: 'tutorial', private: true });
    expect(refused.code).toBe(429);
    expect(refused.error).toMatch(/too many new rooms from your address: at most 8 a minute/);
    // Joining is not creating: by id, and joinOrCreate that finds a room.
    expect((await matchmake(`joinById/${made[0]}`, ip)).room?.roomId).toBe(made[0]);
    expect((await matchmake('joinOrCreate/lobby', ip)).error).toBeUndefined();
    // Another address is not held up by this one.
    expect((await matchmake('create/lobby', '203.0.113.10')).error).toBeUndefined();
  });
});
