// Coming back after a dropped connection, against a real server with colyseus.js clients
// and the page's own retry code (client/src/reconnect.ts): a silent drop is noticed within
// the heartbeat's bound and the player keeps trying until they are back on their node; a
// player whose token is gone gets back into their locked round by their player key, and
// nobody else does.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from 'colyseus.js';
import { HEARTBEAT, type GameServer } from '../server/app.js';
import { parseRejoin } from '../server/rejoin.js';
import { startTestServer } from './support/game-server.js';
import { waitForState } from '../server/client-util.js';
import type { ClusterState } from '../server/rooms/schema.js';
import { backoffMs, keepTrying, tryComeback, type Comeback, type Tried } from '../client/src/reconnect.js';
import { RECONNECT_SECONDS, REJOIN_PATH } from '../shared/protocol/rejoin.js';

let WS = '';
let HTTP = '';
let server: GameServer;

beforeAll(async () => {
  ({ server, ws: WS, http: HTTP } = await startTestServer());
});
afterAll(async () => {
  await server?.shutdown();
});

const ADA_KEY = 'ada-player-key-0123456789abcdefgh';
const BOB_KEY = 'bob-player-key-0123456789abcdefgh';
const EVE_KEY = 'eve-player-key-0123456789abcdefgh';

/** A private tutorial round (3 seats) with Ada and Bob on nodes 0 and 1, live. */
async function twoPlayerRound(): Promise<{ a: Room<ClusterState>; b: Room<ClusterState>; clientB: Client }> {
  const a = await new Client(WS).create<ClusterState>('cluster', {
    scenario: 'tutorial', private: true, nickname: 'Ada', playerKey: ADA_KEY, lobbySeconds: 60, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 300,
  });
  const clientB = new Client(WS);
  const b = await clientB.joinById<ClusterState>(a.roomId, { nickname: 'Bob', playerKey: BOB_KEY });
  await waitForState(b, (s) => s.players.get(b.sessionId)?.node === 1, 5000, 'Bob seated');
  a.send('ready', { phase: 'lobby' });
  b.send('ready', { phase: 'lobby' });
  await waitForState(a, (s) => s.phase === 'live', 10_000, 'the live phase');
  return { a, b, clientB };
}

/** The page's retry loop, on real time, for the seat's whole window. */
function comeBack(client: Client, c: Comeback, log: string[] = []): Promise<Tried<Room<ClusterState>>> {
  return keepTrying((_n) => tryComeback<ClusterState>(client, c), {
    until: Date.now() + RECONNECT_SECONDS * 1000,
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    onRetry: (_n, why) => log.push(why),
  });
}

/** The client's TCP socket under its WebSocket (colyseus.js on Node uses `ws`). */
function socketOf(room: Room<ClusterState>): Socket {
  return (room.connection.transport as unknown as { ws: { _socket: Socket } }).ws._socket;
}

async function rejoinRoute(body: unknown): Promise<{ status: number; body: { reconnectionToken?: string; retry?: string; error?: string } }> {
  const res = await fetch(`${HTTP}/${REJOIN_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { reconnectionToken?: string; retry?: string; error?: string } };
}

describe('the retry schedule', () => {
  it('backs off 0.5, 1, 2, 4 s, then tries every 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(backoffMs)).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('stops at once when the round is over, and when its window has passed', async () => {
    let t = 0;
    const clock = { now: () => t, sleep: async (ms: number) => void (t += ms) };
    const over = await keepTrying(async () => ({ over: 'room disposed' }), { until: 60_000, ...clock });
    expect(over).toEqual({ gaveUp: 'room disposed', tries: 1 });
    const late = await keepTrying(async () => ({ retry: 'not yet' }), { until: 10_000, ...clock });
    // Tries at 0, 0.5, 1.5, 3.5, 7.5 and one last at the window's end.
    expect(late.tries).toBe(6);
    expect(t).toBe(10_000);
  });
});

describe('coming back to a round', () => {
  it('notices a silent drop within the heartbeat\'s bound; the player keeps trying and gets their node back', async () => {
    const { a, b, clientB } = await twoPlayerRound();
    const sessionId = b.sessionId;
    const socket = socketOf(b);
    // The network goes quiet: no close frame, no FIN, no answer to the server's pings.
    const dropped = Date.now();
    socket.pause();
    const log: string[] = [];
    const back = comeBack(clientB, { roomId: a.roomId, token: b.reconnectionToken, playerKey: BOB_KEY }, log);
    await waitForState(a, (s) => s.players.get(sessionId)?.connected === false && s.nodes[1]!.botControlled, 20_000, 'Bob away');
    const noticedMs = Date.now() - dropped;
    console.log(`reconnect: a silent drop was noticed after ${noticedMs} ms`);
    // At most pingMaxRetries + 1 intervals (6 s), with room for a busy machine; it was 15-20 s.
    expect(noticedMs).toBeLessThanOrEqual(HEARTBEAT.pingInterval * (HEARTBEAT.pingMaxRetries + 1) + 3000);
    expect(a.state.nodes[1]!.owner).toBe('Bob');

    const tried = await back;
    socket.destroy();
    if (!('room' in tried)) throw new Error(`Bob did not get back in: ${tried.gaveUp}`);
    console.log(`reconnect: back on try ${tried.tries}`);
    // The first tries came before the server had noticed; a later one got in.
    expect(tried.tries).toBeGreaterThanOrEqual(2);
    expect(log[0]).toMatch(/still open/);
    const b2 = tried.room;
    expect(b2.sessionId).toBe(sessionId);
    await waitForState(b2, (s) => s.players.get(sessionId)?.connected === true && !s.nodes[1]!.botControlled, 5000, 'Bob back');
    expect(b2.state.players.get(sessionId)!.node).toBe(1);
    b2.send('command', { command: { type: 'drain', node: 1 }, ref: 1 });
    await waitForState(a, (s) => s.nodes[1]!.drained, 5000, 'node 1 drained by Bob');
    await b2.leave();
    await a.leave();
  });

  it('gets a player back after a clean drop even when the first try comes before the server has noticed', async () => {
    const { a, b, clientB } = await twoPlayerRound();
    const sessionId = b.sessionId;
    const token = b.reconnectionToken;
    await b.leave(false);
    const tried = await comeBack(clientB, { roomId: a.roomId, token, playerKey: BOB_KEY });
    if (!('room' in tried)) throw new Error(`Bob did not get back in: ${tried.gaveUp}`);
    expect(tried.room.sessionId).toBe(sessionId);
    await waitForState(a, (s) => s.players.get(sessionId)?.connected === true && s.nodes[1]!.owner === 'Bob' && !s.nodes[1]!.botControlled, 5000, 'Bob back');
    await tried.room.leave();
    await a.leave();
  });

  it('lets a player whose token is gone back into their locked round by their player key, and nobody else', async () => {
    const { a, b, clientB } = await twoPlayerRound();
    const sessionId = b.sessionId;
    await b.leave(false);
    await waitForState(a, (s) => s.players.get(sessionId)?.connected === false, 10_000, 'Bob away');

    // The round is locked: a new join is refused, whoever asks.
    await expect(new Client(WS).joinById(a.roomId, { nickname: 'Bob', playerKey: BOB_KEY })).rejects.toThrow(/locked/);
    // A stranger's key (or a player who is still connected) gets no seat.
    expect((await rejoinRoute({ roomId: a.roomId, playerKey: EVE_KEY })).status).toBe(404);
    expect(await rejoinRoute({ roomId: a.roomId, playerKey: ADA_KEY })).toEqual({ status: 200, body: { retry: expect.stringMatching(/still open/) } });
    const stranger = await comeBack(new Client(WS), { roomId: a.roomId, token: null, playerKey: EVE_KEY });
    expect(stranger).toMatchObject({ gaveUp: expect.stringMatching(/no seat is kept/), tries: 1 });
    expect(a.state.players.get(sessionId)?.connected).toBe(false);

    // Bob, from a fresh page without the token: the same seat, the same node.
    const tried = await comeBack(clientB, { roomId: a.roomId, token: null, playerKey: BOB_KEY });
    if (!('room' in tried)) throw new Error(`Bob did not get back in: ${tried.gaveUp}`);
    expect(tried.tries).toBe(1);
    const b2 = tried.room;
    expect(b2.sessionId).toBe(sessionId);
    await waitForState(b2, (s) => s.players.get(sessionId)?.connected === true && !s.nodes[1]!.botControlled, 5000, 'Bob back');
    expect(b2.state.players.get(sessionId)!.node).toBe(1);
    // Back and connected: nothing is kept for his key any more.
    expect(await rejoinRoute({ roomId: a.roomId, playerKey: BOB_KEY })).toEqual({ status: 200, body: { retry: expect.stringMatching(/still open/) } });
    await b2.leave();
    // Left on purpose: nothing is kept either.
    await waitForState(a, (s) => !s.players.has(sessionId) || s.players.get(sessionId)!.node === -1, 5000, 'Bob gone');
    expect((await rejoinRoute({ roomId: a.roomId, playerKey: BOB_KEY })).status).toBe(404);
    await a.leave();
  });

  it('answers a malformed or unknown rejoin in words', async () => {
    expect(await rejoinRoute({ roomId: 'nope', playerKey: BOB_KEY })).toEqual({ status: 404, body: { error: 'that round is no longer running' } });
    expect((await rejoinRoute({ roomId: 'x', playerKey: 'short' })).status).toBe(400);
    expect((await rejoinRoute([1, 2])).status).toBe(400);
    expect((await rejoinRoute({ roomId: 'x', playerKey: BOB_KEY, more: 1 })).status).toBe(400);
    const res = await fetch(`${HTTP}/${REJOIN_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
    expect(parseRejoin({ roomId: 'abc_DEF-1', playerKey: BOB_KEY })).toEqual({ roomId: 'abc_DEF-1', playerKey: BOB_KEY });
  });
});
