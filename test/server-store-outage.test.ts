// The round store unreachable for 15 s mid-round, against a real server process: with
// SQLite, another connection holds the database's write lock (the test runs as any user,
// and file permissions do not stop root; a lock refuses every write the same way); with
// PostgreSQL, a TCP proxy between the server and the database cuts every connection and
// refuses new ones. The round goes on in real time meanwhile, the server says the store is
// away and when it is back, and once it is back the stored recording is the whole round:
// every command (one sent during the outage), every checkpoint, a replay that matches.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Client } from 'colyseus.js';
import { sleep, waitForState } from '../server/client-util.js';
import { sqliteFile } from '../server/store/open.js';
import type { ClusterState } from '../server/rooms/schema.js';
import { replayRecording, type Recording } from '../shared/replay/recording.js';
import { pgSkipReason, TEST_PG_URL } from './support/postgres.js';
import { freePort, killServerProcesses, startServerProcess, stopServerProcess } from './support/server-process.js';
import { tcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const PG_URL = TEST_PG_URL;
const OUTAGE_MS = 15_000;
const dirs: string[] = [];
const proxies: TcpProxy[] = [];
let schema = '';

afterAll(async () => {
  killServerProcesses();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const p of proxies) await p.close();
  if (schema !== '') {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  }
});

const pgSkip = await pgSkipReason(PG_URL, 'the outage test');
if (pgSkip !== null) console.warn(`server-store-outage (PostgreSQL): skipped: ${pgSkip}`);

/** Everything the process writes, as it comes. */
function output(child: ChildProcess): { text: string } {
  const o = { text: '' };
  child.stdout!.on('data', (b: Buffer) => (o.text += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (o.text += b.toString()));
  return o;
}

/**
 * A round of 45 s on a server in `env`; the store is made unreachable (`down`) for OUTAGE_MS
 * from 8 s of play, a command is sent in the middle of it, then `up` brings the store back.
 */
async function roundThroughOutage(env: Record<string, string>, down: () => void, up: () => void, what: string): Promise<void> {
  const port = await freePort();
  const child = await startServerProcess(port, env);
  const log = output(child);
  try {
    await playThroughOutage(port, child, log, down, up, what);
  } catch (err) {
    // What the server said is the first thing to read when this fails.
    console.error(`${what}: the server's output:\n${log.text.slice(-6000)}`);
    throw err;
  }
}

async function playThroughOutage(port: number, child: ChildProcess, log: { text: string }, down: () => void, up: () => void, what: string): Promise<void> {
  const room = await new Client(`ws://127.0.0.1:${port}`).create<ClusterState>('cluster', {
    scenario: 'bank', chaos: 'normal', seed: 33, roundSeconds: 45, private: true, nickname: 'Ada', playerKey: `outage-player-${randomBytes(6).toString('hex')}`,
    lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0,
  });
  room.onMessage('event', () => {});
  room.onMessage('error', () => {});
  const id = (await waitForState(room, (s) => s.phase === 'live' && s.replayId !== '', 15_000, 'the live phase')).replayId;
  await waitForState(room, (s) => s.simMs >= 3000, 20_000, 'three seconds of play');
  room.send('command', { command: { type: 'drain', node: 0 }, ref: 1 });
  const s0 = (await waitForState(room, (s) => s.simMs >= 8000 && s.nodes[0]!.drained, 20_000, 'eight seconds of play')).simMs;
  const t0 = Date.now();
  down();
  await waitForState(room, (s) => s.simMs >= s0 + 5000, 20_000, 'five seconds into the outage');
  room.send('command', { command: { type: 'undrain', node: 0 }, ref: 2 });
  await waitForState(room, (s) => !s.nodes[0]!.drained, 5000, 'the command sent during the outage applied');
  await sleep(OUTAGE_MS - (Date.now() - t0));
  const played = room.state.simMs - s0;
  const wall = Date.now() - t0;
  up();
  // The round went on at its pace while the store was away.
  expect(played / wall).toBeGreaterThan(0.85);
  // The server said the store was away (the outage was real)…
  expect(log.text).toMatch(new RegExp(`\\[recording ${id}\\] (append|begin) failed; retrying with the next write`));
  await waitForState(room, (s) => s.phase === 'debrief', 60_000, 'the debrief');
  // …and that it caught up once the store was back.
  const deadline = Date.now() + 60_000;
  let rec: Recording | null = null;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/api/rounds/${id}`);
    if (res.ok) {
      rec = (await res.json()) as Recording;
      if (rec.summary !== null) break;
    }
    await sleep(250);
  }
  expect(rec?.summary, 'the round is stored as finished').not.toBeNull();
  expect(log.text).toContain(`[recording ${id}] the round store answers again: the stored recording has caught up`);
  const r = rec!;
  expect(r.interrupted).toBe(false);
  expect(r.commands.map((c) => c.command.type)).toEqual(expect.arrayContaining(['drain', 'undrain']));
  const check = replayRecording(r);
  expect(check.firstMismatch).toBeNull();
  expect(check.matched).toBe(r.checkpoints.length);
  // A checkpoint every 5 simulated seconds, none missing across the outage.
  expect(r.checkpoints.length).toBeGreaterThanOrEqual(Math.floor(45_000 / 5000));
  console.log(`${what}: store away ${wall} ms mid-round; the round played ${played} ms meanwhile (${(played / wall).toFixed(2)}× real time); stored whole: ${r.commands.length} commands, ${r.checkpoints.length} checkpoints, replay matches ${check.matched}/${r.checkpoints.length}`);
  await room.leave(true).catch(() => {});
  await stopServerProcess(child);
}

describe('the round store away for 15 s mid-round', () => {
  it('SQLite (its write lock held elsewhere): the round goes on, the stored recording is whole once it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-outage-'));
    dirs.push(dir);
    let locker: Database.Database | null = null;
    await roundThroughOutage(
      { DATA_DIR: dir },
      () => {
        locker = new Database(sqliteFile(dir));
        locker.exec('BEGIN EXCLUSIVE');
      },
      () => {
        locker!.exec('ROLLBACK');
        locker!.close();
      },
      'SQLite',
    );
  }, 180_000);

  it.skipIf(pgSkip !== null)('PostgreSQL (every connection cut): the round goes on, the stored recording is whole once it is back', async () => {
    const u = new URL(PG_URL);
    const proxy = await tcpProxy(u.hostname, Number(u.port || 5432));
    proxies.push(proxy);
    u.host = `127.0.0.1:${proxy.port}`;
    schema = `sb_outage_${randomBytes(4).toString('hex')}`;
    await roundThroughOutage({ DATABASE_URL: u.toString(), DATABASE_SCHEMA: schema }, () => proxy.cut(), () => proxy.restore(), 'PostgreSQL');
  }, 180_000);
});
