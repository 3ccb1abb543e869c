// A server killed mid-round: the server runs as its own process (as `npm run serve` starts
// it), a round is played for a while, the process gets SIGKILL — no shutdown, no last
// write — and a new process on the same data directory serves the recording, marked
// interrupted, missing at most about a second, and replayable up to where it stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { waitForState } from '../server/client-util.js';
import { replayRecording, TICK_MS, type Recording } from '../shared/replay/recording.js';
import type { RoundListItem } from '../shared/protocol/rounds.js';
import type { ClusterState } from '../server/rooms/schema.js';
import { freePort, killServerProcesses, startServerProcess, stopServerProcess } from './support/server-process.js';

const PLAYER_KEY = 'crash-test-player-key-0001';
const dir = mkdtempSync(join(tmpdir(), 'splitbrain-crash-'));
const env = { DATA_DIR: dir };

afterAll(() => {
  killServerProcesses();
  rmSync(dir, { recursive: true, force: true });
});

describe('a server killed mid-round', () => {
  it('leaves a recording marked interrupted, missing at most about a second, that replays to where it stopped', async () => {
    const port = await freePort();
    const first = await startServerProcess(port, env);
    const room = await new Client(`ws://127.0.0.1:${port}`).create<ClusterState>('cluster', {
      scenario: 'bank', chaos: 'heavy', seed: 21, roundSeconds: 120, private: true, nickname: 'Ada', playerKey: PLAYER_KEY,
      lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0,
    });
    room.onMessage('event', () => {});
    room.onMessage('error', () => {});
    room.onLeave(() => {});
    const live = await waitForState(room, (s) => s.phase === 'live' && s.replayId !== '', 15_000, 'the live phase');
    const id = live.replayId;
    await waitForState(room, (s) => s.simMs >= 3000, 20_000, 'three seconds of play');
    room.send('command', { command: { type: 'drain', node: 0 }, ref: 1 });
    const seen = await waitForState(room, (s) => s.simMs >= 12_000 && s.nodes[0]!.drained, 30_000, 'twelve seconds of play');
    const seenTick = seen.simMs / TICK_MS;
    await stopServerProcess(first, 'SIGKILL');

    const second = await startServerProcess(port, env);
    const res = await fetch(`http://127.0.0.1:${port}/api/rounds/${id}`);
    expect(res.status).toBe(200);
    const rec = (await res.json()) as Recording;
    expect(rec.interrupted).toBe(true);
    expect(rec.summary).toBeNull();
    expect(rec.phases.at(-1)?.phase).toBe('interrupted');
    // The client saw tick seenTick (patches lag up to 200 ms); the store lost at most the last second.
    expect(rec.lastTick).toBeGreaterThanOrEqual(seenTick - 1000 / TICK_MS - 200 / TICK_MS);
    expect(rec.commands.some((c) => c.command.type === 'drain' && c.by === room.sessionId)).toBe(true);
    expect(rec.checkpoints.length).toBeGreaterThanOrEqual(2);
    const check = replayRecording(rec);
    expect(check.firstMismatch).toBeNull();
    expect(check.matched).toBe(rec.checkpoints.filter((c) => c.tick <= rec.lastTick).length);
    expect(check.refused).toEqual([]);
    // The player's list shows it as interrupted.
    const mine = (await (await fetch(`http://127.0.0.1:${port}/api/rounds?player=${PLAYER_KEY}`)).json()) as { rounds: RoundListItem[] };
    expect(mine.rounds.find((r) => r.id === id)?.status).toBe('interrupted');
    await stopServerProcess(second);
  }, 120_000);
});
