// A server killed mid-round: the server runs as its own process (as `npm run serve` starts
// it), a round is played for a while, the process gets SIGKILL — no shutdown, no last
// write — and a new process on the same data directory serves the recording, marked
// interrupted, missing at most about a second, and replayable up to where it stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { waitForState } from '../server/client-util.js';
import { replayRecording, TICK_MS, type Recording } from '../shared/replay/recording.js';
import type { RoundListItem } from '../server/store/types.js';
import type { ClusterState } from '../server/rooms/schema.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLAYER_KEY = 'crash-test-player-key-0001';
const dir = mkdtempSync(join(tmpdir(), 'splitbrain-crash-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

/** Start `server/main.ts` in its own Node process; resolves once it says it is listening. */
async function startServerProcess(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, DATABASE_URL: '', CLIENT_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
  return child;
}

describe('a server killed mid-round', () => {
  it('leaves a recording marked interrupted, missing at most about a second, that replays to where it stopped', async () => {
    const port = await freePort();
    const first = await startServerProcess(port);
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
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const second = await startServerProcess(port);
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
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
  }, 120_000);
});
