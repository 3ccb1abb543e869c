// HTTP (health, readiness, the monitor), matchmaking (quick play, solo, the lobby's live
// listing), room options, and graceful shutdown, against a real server.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from 'colyseus.js';
import { type GameServer } from '../server/app.js';
import { startTestServer } from './support/game-server.js';
import { nextMessage, waitForState, waitUntil } from '../server/client-util.js';
import type { ClusterState } from '../server/rooms/schema.js';
import type { RoomEventMessage } from '../shared/protocol/messages.js';
import type { ClusterRoomMetadata, DebriefJson } from '../shared/protocol/room.js';

let HTTP = '';
let URL = '';
const PASSWORD = 'correct-horse';
let server: GameServer;
let shutDown = false;
const open: Room[] = [];

// A stand-in for the built client (dist/client).
const clientDir = mkdtempSync(join(tmpdir(), 'splitbrain-client-'));
mkdirSync(join(clientDir, 'assets'));
writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Split Brain</title>');
writeFileSync(join(clientDir, 'assets', 'app.js'), 'console.log("hi")');

beforeAll(async () => {
  ({ server, ws: URL, http: HTTP } = await startTestServer({ monitorPassword: PASSWORD, clientDir }));
});
afterAll(async () => {
  for (const r of open) if (r.connection.isOpen) await r.leave().catch(() => {});
  if (!shutDown) await server?.shutdown();
});

function track<T>(room: Room<T>): Room<T> {
  room.onMessage('event', () => {});
  open.push(room as Room);
  return room;
}

describe('HTTP', () => {
  it('answers liveness and readiness', async () => {
    const h = await fetch(`${HTTP}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ ok: true });
    const r = await fetch(`${HTTP}/readyz`);
    expect(r.status).toBe(200);
  });

  it('serves the built client, with its page for client-side routes', async () => {
    const page = await fetch(`${HTTP}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Split Brain');
    const asset = await fetch(`${HTTP}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toContain('hi');
    const route = await fetch(`${HTTP}/replay/abc123`, { headers: { Accept: 'text/html' } });
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('Split Brain');
    expect((await fetch(`${HTTP}/assets/missing.js`)).status).toBe(404);
  });

  it('keeps the monitor behind basic auth', async () => {
    expect((await fetch(`${HTTP}/colyseus/`)).status).toBe(401);
    const wrong = Buffer.from('admin:nope').toString('base64');
    expect((await fetch(`${HTTP}/colyseus/`, { headers: { Authorization: `Basic ${wrong}` } })).status).toBe(401);
    const right = Buffer.from(`admin:${PASSWORD}`).toString('base64');
    const ok = await fetch(`${HTTP}/colyseus/api`, { headers: { Authorization: `Basic ${right}` } });
    expect(ok.status).toBe(200);
  });
});

describe('matchmaking', () => {
  it('refuses bad room options with a message', async () => {
    const c = new Client(URL);
    await expect(c.create('cluster', { scenario: 'nope' })).rejects.toThrow(/scenario must be one of/);
    await expect(c.create('cluster', { scenario: 'bank', roundSeconds: 5 })).rejects.toThrow(/roundSeconds/);
    await expect(c.create('cluster', { nickname: 42 })).rejects.toThrow(/nickname/);
    await expect(c.joinOrCreate('cluster', { scenario: 'bank', sudo: true })).rejects.toThrow(/unknown field/);
  });

  it('quick play joins an open room of the chosen scenario; solo rooms stay private; the lobby lists public rooms live', async () => {
    const lobby = track(await new Client(URL).joinOrCreate('lobby'));
    type Listed = { roomId: string; clients: number; metadata: ClusterRoomMetadata };
    const listing = new Map<string, Listed>();
    const first = nextMessage<Listed[]>(lobby, 'rooms', 5000);
    lobby.onMessage('-', (id: string) => listing.delete(id));
    expect(await first).toEqual([]);
    const added = nextMessage<[string, Listed]>(lobby, '+', 5000);
    lobby.onMessage('+', ([id, room]: [string, Listed]) => listing.set(id, room));

    const a = track(await new Client(URL).joinOrCreate<ClusterState>('cluster', { scenario: 'bank', nickname: 'Ada', lobbySeconds: 60 }));
    const [id, listed] = await added;
    expect(id).toBe(a.roomId);
    expect(listed.metadata.scenario).toBe('bank');
    expect(listed.metadata.phase).toBe('lobby');

    const solo = track(await new Client(URL).create<ClusterState>('cluster', { scenario: 'bank', private: true, nickname: 'Solo' }));
    // Bob asks for the same round (the lobby length is one of the options rooms are matched by).
    const b = track(await new Client(URL).joinOrCreate<ClusterState>('cluster', { scenario: 'bank', nickname: 'Bob', lobbySeconds: 60 }));
    expect(b.roomId).toBe(a.roomId);
    expect(b.roomId).not.toBe(solo.roomId);
    await waitForState(a, (s) => s.players.size === 2, 5000, 'two players');
    expect(a.state.players.get(b.sessionId)!.node).toBe(1);

    const f = track(await new Client(URL).joinOrCreate<ClusterState>('cluster', { scenario: 'feed', nickname: 'Fay' }));
    expect(f.roomId).not.toBe(a.roomId);

    // The lobby's live listing: the two public rooms, kept up to date, never the solo one.
    await waitUntil(() => listing.has(f.roomId) && listing.get(a.roomId)?.metadata.humans === 2, 5000, 'the listing');
    expect([...listing.keys()].sort()).toEqual([a.roomId, f.roomId].sort());
    expect(listing.get(f.roomId)!.metadata.scenario).toBe('feed');

    // The solo room is filled with bots and plays on its own.
    await waitForState(solo, (s) => s.phase === 'briefing' && [...s.players.values()].filter((p) => p.isBot).length === 4, 5000, 'bots in the solo room');
    for (const r of [a, b, f, solo, lobby]) await r.leave();
  });
});

describe('graceful shutdown', () => {
  it('tells players, ends the round with a debrief, refuses readiness, then closes', async () => {
    const room = track(await new Client(URL).create<ClusterState>('cluster', {
      scenario: 'tutorial', private: true, nickname: 'Ada', lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 120,
    }));
    await waitForState(room, (s) => s.phase === 'live' && s.simMs > 1000, 10_000, 'live play');
    const told = nextMessage<RoomEventMessage>(room, 'event', 5000);
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    shutDown = true;
    const done = server.shutdown();
    expect((await fetch(`${HTTP}/readyz`)).status).toBe(503);
    expect((await told).kind).toBe('shutdown');
    const code = await left;
    expect(code).toBe(4000);
    expect(room.state.phase).toBe('debrief');
    expect(room.state.notice).not.toBe('');
    const debrief = JSON.parse(room.state.debrief) as DebriefJson;
    expect(debrief.interrupted).toBe(true);
    expect(debrief.summary.requests).toBeGreaterThan(0);
    await done;
    expect(server.ready).toBe(false);
    await expect(fetch(`${HTTP}/healthz`)).rejects.toThrow();
  });
});
