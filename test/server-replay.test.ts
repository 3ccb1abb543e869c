// Stored rounds through the real server: a round played with bots is written to the round
// store as it goes, read back through the HTTP API, and replayed to the same checkpoints
// and the same summary (the golden test); the API's lists, 404s and 400s.
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from 'colyseus.js';
import { startTestServer, type TestServer } from './support/game-server.js';
import { waitForState } from '../server/client-util.js';
import { recentRecordings, replayRecording, type Recording } from '../server/recording.js';
import { openStore } from '../server/store/open.js';
import type { RoundStore } from '../server/store/types.js';
import type { RoundListItem } from '../shared/protocol/rounds.js';
import type { ClusterState } from '../server/rooms/schema.js';
import type { DebriefJson } from '../shared/protocol/room.js';
import { parseRecording } from '../shared/replay/file.js';
import { ReplayPlayer } from '../shared/replay/player.js';
import type { HistoryJson } from '../shared/sim/summary.js';

const PLAYER_KEY = 'golden-test-player-key-0001';
let dir = '';
let store: RoundStore;
let t: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'splitbrain-replay-'));
  store = await openStore({ databaseUrl: null, dataDir: dir });
  t = await startTestServer({ store });
});
afterAll(async () => {
  await t?.server.shutdown();
  await store?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.http}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

/** Play a short round with a human seat (who acts) and bots on the rest; returns the room at its debrief. */
async function playRound(opts: Record<string, unknown>): Promise<{ room: Room<ClusterState>; debrief: DebriefJson; replayId: string }> {
  const room = await new Client(t.ws).create<ClusterState>('cluster', {
    chaos: 'heavy', roundSeconds: 30, nickname: 'Ada', playerKey: PLAYER_KEY,
    lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0, ...opts,
  });
  room.onMessage('event', () => {});
  room.onMessage('error', () => {});
  const live = await waitForState(room, (s) => s.phase === 'live' && s.replayId !== '', 15_000, 'the live phase');
  const replayId = live.replayId;
  await waitForState(room, (s) => s.simMs >= 4000, 20_000, 'four seconds of play');
  room.send('command', { command: { type: 'drain', node: 0 }, ref: 1 });
  await waitForState(room, (s) => s.nodes[0]!.drained, 5000, 'the drain');
  // The round is in the store while it runs, and reads back as live.
  const during = await getJson<Recording>(`/api/rounds/${replayId}`);
  expect(during.status).toBe(200);
  expect(during.body.summary).toBeNull();
  expect(during.body.lastTick).toBeGreaterThan(0);
  room.send('command', { command: { type: 'undrain', node: 0 }, ref: 2 });
  const end = await waitForState(room, (s) => s.phase === 'debrief' && s.debrief !== '', 45_000, 'the debrief');
  return { room, debrief: JSON.parse(end.debrief) as DebriefJson, replayId };
}

describe('stored rounds', () => {
  let privateId = '';
  let publicId = '';

  it('golden: a round played through the server replays from the store to the same checkpoints and summary', async () => {
    const { room, debrief, replayId } = await playRound({ scenario: 'bank', seed: 11, private: true });
    privateId = replayId;
    expect(replayId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The last writes land just after the debrief; the API shows the finished round.
    // (On a busy machine the store's last write can take a while: wait for it, up to 30 s.)
    let got = await getJson<Recording>(`/api/rounds/${replayId}`);
    for (const until = Date.now() + 30_000; got.body.summary === null && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 100));
      got = await getJson<Recording>(`/api/rounds/${replayId}`);
    }
    expect(got.status).toBe(200);
    const parsed = parseRecording(got.body);
    expect(parsed.ok, parsed.ok ? '' : parsed.error).toBe(true);
    const stored = got.body;
    // What the store gave back is what the room recorded in memory.
    const inMemory = recentRecordings.list.find((r) => r.roomId === room.roomId)!;
    expect(JSON.parse(JSON.stringify(inMemory))).toEqual(stored);
    expect(stored.interrupted).toBe(false);
    expect(stored.lastTick).toBe(30_000 / stored.tickMs);
    expect(stored.roster[0]).toMatchObject({ nickname: 'Ada', node: 0, isBot: false });
    expect(stored.commands.filter((c) => c.by === room.sessionId).map((c) => c.command.type)).toEqual(['drain', 'undrain']);
    expect(stored.checkpoints).toHaveLength(6);
    expect(stored.chaosEvents.length).toBeGreaterThan(0);
    expect(stored.phases.map((p) => p.phase)).toEqual(['live', 'debrief']);
    // Replayed headlessly and through the viewer's player: same checkpoints, same result.
    const check = replayRecording(stored);
    expect(check.refused).toEqual([]);
    expect(check.firstMismatch).toBeNull();
    expect(check.matched).toBe(6);
    expect(check.summary).toEqual(debrief.summary);
    const player = new ReplayPlayer(stored);
    player.stepTo(player.endTick);
    expect(player.verification).toMatchObject({ checked: 6, matched: 6, mismatches: [], refused: 0 });
    expect(player.finalSummary()).toEqual(debrief.summary);
    await room.leave();
  }, 90_000);

  it('lists: public rounds for everyone, a player\'s own rounds (private too) by their key', async () => {
    const { room, replayId } = await playRound({ scenario: 'tutorial', seed: 3 });
    publicId = replayId;
    await room.leave();
    const recent = await getJson<{ rounds: RoundListItem[] }>('/api/rounds');
    expect(recent.status).toBe(200);
    const ids = recent.body.rounds.map((r) => r.id);
    expect(ids).toContain(publicId);
    expect(ids).not.toContain(privateId);
    const mine = await getJson<{ rounds: RoundListItem[] }>(`/api/rounds?player=${PLAYER_KEY}`);
    expect(mine.body.rounds.map((r) => r.id)).toEqual([publicId, privateId]);
    const item = mine.body.rounds[1]!;
    expect(item).toMatchObject({ scenario: 'bank', seed: 11, isPublic: false, players: ['Ada'] });
    expect(item.score).not.toBeNull();
    const other = await getJson<{ rounds: RoundListItem[] }>('/api/rounds?player=someone-else-entirely-123');
    expect(other.body.rounds).toEqual([]);
    expect((await getJson<{ rounds: RoundListItem[] }>('/api/rounds?limit=1')).body.rounds).toHaveLength(1);
  }, 90_000);

  it('history: the round\'s operations in the HISTORY.md format, in invoke order', async () => {
    const { status, body } = await getJson<HistoryJson>(`/api/rounds/${privateId}/history`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'splitbrain-history/1', scenario: 'bank', seed: 11 });
    expect(body.ops.length).toBeGreaterThan(10_000);
    for (let i = 1; i < body.ops.length; i++) expect(body.ops[i]!.invoke).toBeGreaterThanOrEqual(body.ops[i - 1]!.invoke);
    for (const op of body.ops.slice(0, 200)) {
      expect(['read', 'write']).toContain(op.f);
      expect(['ok', 'fail', 'info']).toContain(op.type);
      if (op.type !== 'info') expect(op.complete).not.toBeNull();
    }
  }, 60_000);

  it('history: gzip to a client that takes it (a fraction of the text), the same text decompressed to one that does not', async () => {
    const raw = async (encoding: string) => {
      const res = await new Promise<IncomingMessage>((resolve, reject) => httpGet(`${t.http}/api/rounds/${privateId}/history`, { headers: { 'accept-encoding': encoding } }, resolve).on('error', reject));
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      return { headers: res.headers, bytes: Buffer.concat(chunks) };
    };
    const zipped = await raw('gzip, deflate');
    const plain = await raw('identity');
    expect(zipped.headers['content-type']).toMatch(/json/);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.bytes).equals(plain.bytes)).toBe(true);
    const history = JSON.parse(plain.bytes.toString('utf8')) as HistoryJson;
    expect(history.format).toBe('splitbrain-history/1');
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length / 3);
    console.log(`history of a 30 s bank round: ${history.ops.length} operations, ${(plain.bytes.length / 1e6).toFixed(2)} MB as text, ${(zipped.bytes.length / 1e6).toFixed(2)} MB gzip (${(plain.bytes.length / zipped.bytes.length).toFixed(1)}×)`);
  }, 60_000);

  it('bad requests: malformed ids 400, unknown ids 404, bad filters 400, writes refused', async () => {
    const cases: [string, number][] = [
      ['/api/rounds/not-an-id', 400],
      ['/api/rounds/%27%3B%20drop%20table%20rounds', 400],
      ['/api/rounds/AAAAAAAAAAAAAAAAAAAAAA', 404],
      ['/api/rounds/AAAAAAAAAAAAAAAAAAAAAA/history', 404],
      ['/api/rounds/short/history', 400],
      ['/api/rounds?limit=0', 400],
      ['/api/rounds?limit=101', 400],
      ['/api/rounds?limit=abc', 400],
      ['/api/rounds?player=short', 400],
      ['/api/rounds?player=a&player=b', 400],
      ['/api/rounds?session=bad%20id', 400],
      ['/api/rounds?colour=blue', 400],
      ['/api/nothing-here', 404],
    ];
    for (const [path, want] of cases) {
      const res = await fetch(`${t.http}${path}`);
      expect(res.status, path).toBe(want);
      const body = (await res.json()) as { error: string };
      expect(typeof body.error, path).toBe('string');
      expect(body.error.length, path).toBeGreaterThan(5);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetch(`${t.http}/api/rounds/${privateId}`, { method, body: '{}', headers: { 'content-type': 'application/json' } });
      expect(res.status, method).toBe(405);
    }
    // Still there, unchanged.
    expect((await getJson<Recording>(`/api/rounds/${privateId}`)).status).toBe(200);
    expect((await getJson<{ rounds: unknown[] }>('/api/rounds?session=no-such-session')).body.rounds).toEqual([]);
  });
});
