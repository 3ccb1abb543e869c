// Whole rounds through a real server: bots fill the empty seats and play a short round to
// its debrief; the bot CLI's clients play another at the same time; the recording of the
// first replays to the same checkpoints and the same result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { type GameServer } from '../server/app.js';
import { startTestServer } from './support/game-server.js';
import { ClusterRoom } from '../server/rooms/ClusterRoom.js';
import { waitForState } from '../server/client-util.js';
import { liveScore } from '../server/rooms/projection.js';
import { recentRecordings, replayRecording, type Recording } from '../server/recording.js';
import { playRoom } from '../server/bots/cli.js';
import { getScenario } from '../shared/scenarios/index.js';
import { summarize } from '../shared/sim/metrics.js';
import type { ClusterState } from '../server/rooms/schema.js';
import type { DebriefJson } from '../shared/protocol/room.js';

let URL = '';
let server: GameServer;

beforeAll(async () => {
  ({ server, ws: URL } = await startTestServer());
});
afterAll(async () => {
  await server?.shutdown();
});

describe('a whole round', () => {
  it('bots fill the empty seats and play a 30 s round to its debrief; bot clients play another; the recording replays', async () => {
    // The bot CLI's clients, in their own room, at the same time.
    const botsRound = playRoom({ server: URL, rooms: 1, players: 2, scenario: 'tutorial', seconds: 30, chaos: 'heavy', seed: 5 }, 0);

    const room = await new Client(URL).create<ClusterState>('cluster', {
      scenario: 'bank', chaos: 'heavy', seed: 42, roundSeconds: 30, private: true, nickname: 'Ada',
      lobbySeconds: 1, briefingSeconds: 1, setupSeconds: 1,
    });
    room.onMessage('event', () => {});
    const s = await waitForState(room, (st) => st.phase === 'briefing', 10_000, 'the briefing');
    // Bank has five nodes: Ada holds one, bots the other four.
    expect(s.seats).toBe(5);
    const bots = [...s.players.values()].filter((p) => p.isBot);
    expect(bots.map((p) => p.node).sort()).toEqual([1, 2, 3, 4]);
    for (const n of s.nodes) expect(n.owner).not.toBe('');
    expect(s.nodes[0]!.owner).toBe('Ada');

    await waitForState(room, (st) => st.phase === 'live' && st.simMs >= 2000, 15_000, 'two seconds of live play');
    room.send('command', { command: { type: 'stance', node: 0, stance: 'serve' }, ref: 1 });
    await waitForState(room, (st) => st.nodes[0]!.stance === 'serve', 5000, 'the stance');
    const live = await waitForState(room, (st) => st.simMs >= 10_000, 20_000, 'ten seconds of live play');
    expect(live.measures.requests).toBeGreaterThan(1000);
    expect(live.windows.length).toBeGreaterThan(3);
    // Each window carries its requests; availability is their share that succeeded.
    for (const w of live.windows) {
      expect(w.requests).toBeGreaterThan(0);
      expect(w.throughput).toBeLessThanOrEqual(w.requests);
    }
    // Under load but not overloaded: every serving node is busy, none at 100 % everywhere.
    const busy = live.nodes.filter((n) => n.status === 'up').map((n) => n.utilization);
    expect(busy.some((u) => u > 0)).toBe(true);
    for (const u of busy) expect(u).toBeLessThanOrEqual(100);
    expect(live.measures.score).toBeGreaterThan(0);

    const end = await waitForState(room, (st) => st.phase === 'debrief' && st.debrief !== '', 40_000, 'the debrief');
    const debrief = JSON.parse(end.debrief) as DebriefJson;
    expect(debrief.interrupted).toBe(false);
    expect(debrief.summary.seed).toBe(42);
    expect(debrief.summary.durationMs).toBe(30_000);
    expect(debrief.summary.requests).toBeGreaterThan(10_000);
    expect(end.measures.score).toBe(debrief.summary.score);
    expect(end.measures.lostWrites).toBe(debrief.summary.lostWrites);
    expect(end.measures.availability).toBeCloseTo(debrief.summary.availability, 5);
    expect(debrief.players.find((p) => p.nickname === 'Ada')!.actions).toBe(1);
    expect(debrief.players).toHaveLength(5);
    expect(debrief.checkpoints).toBe(6);
    // The whole round for the lesson cards: every window, and Ada's action by name.
    expect(debrief.record.windows.length).toBeGreaterThanOrEqual(30);
    expect(debrief.record.windows.slice(0, 30).reduce((a, w) => a + w.requests, 0)).toBe(debrief.summary.requests);
    expect(debrief.record.summary.requests).toBe(debrief.summary.requests);
    expect(debrief.record.events.some((e) => e.kind === 'stance' && e.node === 0 && e.by === 'Ada')).toBe(true);
    expect(debrief.record.events.filter((e) => e.by !== undefined && e.by !== 'host').every((e) => e.by === 'Ada' || /^Bot \d$/.test(e.by!) || e.by === 'the team')).toBe(true);

    // The recording: seed, roster, commands with ticks; it replays to the same run.
    const rec = recentRecordings.list.find((r: Recording) => r.roomId === room.roomId)!;
    expect(rec).toBeDefined();
    expect(rec.seed).toBe(42);
    expect(rec.roster.map((r) => r.isBot)).toEqual([false, true, true, true, true]);
    expect(rec.commands.some((c) => c.by === room.sessionId && c.command.type === 'stance')).toBe(true);
    expect(rec.checkpoints).toHaveLength(6);
    const check = replayRecording(rec);
    expect(check.refused).toEqual([]);
    expect(check.firstMismatch).toBeNull();
    expect(check.matched).toBe(6);
    expect(check.summary.stateHash).toBe(rec.summary!.stateHash);
    expect(check.summary.score).toBe(debrief.summary.score);
    // The live score's formula is summary()'s own.
    const sc = getScenario('bank')!;
    const sim = [...ClusterRoom.live].find((r) => r.roomId === room.roomId)!.sim;
    expect(liveScore(sc, summarize(sim.S.metrics, sim.S.durationMs), sim.S.cost, debrief.summary.lostWrites)).toBe(debrief.summary.score);
    await room.leave();

    const outcome = await botsRound;
    expect(outcome.error).toBeUndefined();
    expect(outcome.ok).toBe(true);
    expect(outcome.score).toBeGreaterThan(0);
    expect(outcome.availability).toBeGreaterThan(0);
    expect(outcome.errors, JSON.stringify(outcome.errorSamples)).toBe(0);
  });
});
