// The replay player and the recording file: real rounds recorded headlessly the way the
// room records them (commands at ticks, checkpoints every 5 s), then played through, sought
// back and forth, tampered with, branched from, exported as a history, and read from files.
import { describe, expect, it } from 'vitest';
import type { Command } from '../shared/protocol/commands.js';
import { applyCommand } from '../shared/sim/commands.js';
import { advance, createSim, finishSim, type Sim } from '../shared/sim/engine.js';
import { exportHistory, stateHash, summary } from '../shared/sim/summary.js';
import type { ChaosLevel } from '../shared/scenarios/chaos-types.js';
import type { Difficulty } from '../shared/scenarios/difficulty.js';
import { getScenario, resolvePreset } from '../shared/scenarios/index.js';
import type { ScenarioId } from '../shared/scenarios/types.js';
import {
  checkpointHash, finishRecording, maybeCheckpoint, recordCommand, recordProgress, recordRosterChange, replayRecording,
  startRecording, TICK_MS, type Recording,
} from '../shared/replay/recording.js';
import { ReplayPlayer } from '../shared/replay/player.js';
import { moveTo, project } from '../client/src/replay/frame.js';
import { SimStage } from '../client/src/replay/stage.js';
import { diverged, divergedBy } from '../client/src/replay/divergence.js';
import { historyOf } from '../shared/replay/history.js';
import { MAX_RECORDING_CHARS, parseRecording, parseRecordingText, recordingFileName, serializeRecording } from '../shared/replay/file.js';
import { mulberry32 } from './support/prng.js';
import { expectedRequests } from './support/sim-helpers.js';

interface Planned {
  tick: number;
  command: Command;
  by: string;
}

interface RoundPlan {
  scenario: ScenarioId;
  seed: number;
  seconds: number;
  chaos?: ChaosLevel;
  difficulty?: Difficulty;
  commands: Planned[];
  /** Stop here as a server that went away would: an interrupted recording. */
  stopAtTick?: number;
}

const ROSTER = [
  { id: 'key-ada', nickname: 'Ada', node: 0, isBot: false },
  { id: 'key-grace', nickname: 'Grace', node: 1, isBot: false },
  { id: 'bot-2', nickname: 'Bot 2', node: 2, isBot: true },
  { id: 'bot-3', nickname: 'Bot 3', node: 3, isBot: true },
  { id: 'bot-4', nickname: 'Bot 4', node: 4, isBot: true },
];

/** A round run tick by tick as ClusterRoom runs it, recording what it accepted. */
function recordRound(plan: RoundPlan): Recording {
  const sim = createSim({ scenario: plan.scenario, chaos: plan.chaos ?? 'normal', difficulty: plan.difficulty, seed: plan.seed, durationMs: plan.seconds * 1000, recordHistory: false });
  const rec = startRecording({
    roomId: 'test-room', scenario: plan.scenario, preset: 'cp', settings: null, chaos: plan.chaos ?? 'normal', difficulty: plan.difficulty, seed: plan.seed,
    durationMs: plan.seconds * 1000, chaosEvents: sim.S.chaosSchedule, startedAt: '2026-03-14T09:30:12.345Z', isPublic: false,
    sessionId: null, roster: ROSTER,
  });
  const end = (plan.seconds * 1000) / TICK_MS;
  let tick = 0;
  while (tick < end && tick !== plan.stopAtTick) {
    for (const c of plan.commands) {
      if (c.tick === tick && applyCommand(sim, c.command).ok) recordCommand(rec, tick, c.command, c.by);
    }
    advance(sim, (tick + 1) * TICK_MS);
    tick++;
    maybeCheckpoint(rec, tick, sim.S);
    recordProgress(rec, tick);
  }
  const interrupted = tick < end;
  if (!interrupted) finishSim(sim);
  finishRecording(rec, summary(sim), interrupted, { finished() {} });
  return rec;
}

/** checkpointHash (or the whole state's hash) after each of `ticks`, from one straight run of the recording. */
function straightHashes(rec: Recording, ticks: number[], hash: (S: Sim['S']) => string = checkpointHash): Map<number, string> {
  const want = new Set(ticks);
  const out = new Map<number, string>();
  const sim = createSim({ scenario: rec.scenario as ScenarioId, preset: rec.preset, chaos: rec.chaos, seed: rec.seed, durationMs: rec.durationMs, recordHistory: false });
  const last = Math.max(...ticks);
  if (want.has(0)) out.set(0, hash(sim.S));
  for (let k = 0; k < last; k++) {
    for (const c of rec.commands) if (c.tick === k) applyCommand(sim, c.command);
    advance(sim, (k + 1) * rec.tickMs);
    if (want.has(k + 1)) out.set(k + 1, hash(sim.S));
  }
  return out;
}

/** A `stop` for the player that lets `n` ticks through, as a slice of the viewer's worker does. */
function ticksAtATime(n: number): () => boolean {
  let done = 0;
  return () => ++done > n;
}

const BANK_COMMANDS: Planned[] = [
  { tick: 40, command: { type: 'stance', node: 0, stance: 'serve' }, by: 'key-ada' },
  { tick: 120, command: { type: 'chaos', kind: 'crash', target: 2, durationMs: 20_000, magnitude: 0 }, by: 'key-ada' },
  { tick: 200, command: { type: 'restart', node: 2 }, by: 'bot-2' },
  { tick: 260, command: { type: 'configure', settings: { writeQuorum: 'all' } }, by: 'team' },
  { tick: 300, command: { type: 'drain', node: 1 }, by: 'key-grace' },
  { tick: 380, command: { type: 'undrain', node: 1 }, by: 'key-grace' },
  { tick: 450, command: { type: 'scale-up', node: 3 }, by: 'bot-3' },
  { tick: 700, command: { type: 'replace', node: 4 }, by: 'bot-4' },
  { tick: 900, command: { type: 'rate-limit', node: 0 }, by: 'key-ada' },
  { tick: 950, command: { type: 'rate-limit', node: 0 }, by: 'key-ada' },
];

// One 60 s bank round with commands, shared by most tests (recording it takes about a second).
const bank = recordRound({ scenario: 'bank', seed: 7, seconds: 60, commands: BANK_COMMANDS });

describe('ReplayPlayer', () => {
  it('plays a round through: every checkpoint verified, the summary the round had', () => {
    expect(bank.commands).toHaveLength(BANK_COMMANDS.length);
    expect(bank.checkpoints).toHaveLength(12);
    const player = new ReplayPlayer(bank);
    expect(player.endTick).toBe(1200);
    expect(player.tick).toBe(0);
    player.stepTo(600);
    expect(player.verification).toMatchObject({ checked: 6, matched: 6, refused: 0 });
    player.stepTo(player.endTick);
    expect(player.tick).toBe(1200);
    expect(player.verification).toEqual({ checked: 12, matched: 12, mismatches: [], refused: 0 });
    const check = replayRecording(bank);
    expect(check.matched).toBe(12);
    const final = player.finalSummary();
    expect(final).toEqual(check.summary);
    expect(final).toEqual(bank.summary);
    // It did not move the player, and asking again gives the same.
    expect(player.tick).toBe(1200);
    expect(player.finalSummary()).toEqual(final);
    // Summary before playing: computed on a side copy from wherever the player stands.
    const fresh = new ReplayPlayer(bank);
    fresh.stepTo(300);
    const before = checkpointHash(fresh.sim.S);
    expect(fresh.finalSummary()).toEqual(final);
    expect(fresh.tick).toBe(300);
    expect(checkpointHash(fresh.sim.S)).toBe(before);
  });

  it('seeks anywhere, back and forth, to the very state of a straight run; verification counts once', () => {
    const rand = mulberry32(2024);
    const ticks = [0, 1, 99, 100, 101, 1199, 1200, ...Array.from({ length: 25 }, () => Math.floor(rand() * 1201))];
    const want = straightHashes(bank, ticks);
    // Cold: nothing cached yet, each seek forward steps on and each seek back starts over.
    const cold = new ReplayPlayer(bank);
    for (const t of ticks.slice(7, 12)) {
      cold.seek(t);
      expect(cold.tick).toBe(t);
      expect(checkpointHash(cold.sim.S), `cold seek to ${t}`).toBe(want.get(t));
    }
    expect(cold.verification.mismatches).toEqual([]);
    const player = new ReplayPlayer(bank);
    player.stepTo(player.endTick);
    const stats = player.cacheStats;
    expect(stats.snapshots).toBe(12);
    expect(stats.bytes).toBeGreaterThan(0);
    // Warm: the snapshot cache serves every jump.
    for (const t of [...ticks, ...ticks.slice().reverse()]) {
      player.seek(t);
      expect(player.tick).toBe(t);
      expect(checkpointHash(player.sim.S), `seek to ${t}`).toBe(want.get(t));
    }
    expect(player.verification).toEqual({ checked: 12, matched: 12, mismatches: [], refused: 0 });
    // The whole state, not only the fingerprint: restored from a snapshot then stepped.
    player.seek(1200);
    const end = stateHash(player.sim.S);
    player.seek(555);
    // The final summary, worked out from the last snapshot (ahead of the player), is the round's.
    expect(player.finalSummary()).toEqual(bank.summary);
    expect(player.tick).toBe(555);
    player.seek(1200);
    expect(stateHash(player.sim.S)).toBe(end);
  });

  it('a long first seek keeps a few snapshots on its way: a seek back into that stretch starts near, not from 0:00', () => {
    const tutorial = recordRound({ scenario: 'tutorial', seed: 5, seconds: 300, commands: [] });
    const want = straightHashes(tutorial, [5550, 3000, 5590, 650]);
    const player = new ReplayPlayer(tutorial);
    player.seek(5550);
    expect(checkpointHash(player.sim.S)).toBe(want.get(5550));
    // Beside the snapshot it ends near, one every quarter of the stretch (1,400 ticks): three
    // copies on a seek of 5,550 steps, where a play-through would make 55.
    expect(player.cacheStats.ticks).toEqual([1400, 2800, 4200, 5500]);
    let steps = 0;
    player.seek(3000, () => (steps++, false));
    expect(checkpointHash(player.sim.S)).toBe(want.get(3000));
    expect(steps).toBe(200);
    steps = 0;
    player.seek(5590, () => (steps++, false));
    expect(steps).toBe(90);
    expect(checkpointHash(player.sim.S)).toBe(want.get(5590));
    // Idle time then fills in the stretches behind at the budget's spacing (every interval
    // here) wherever three or more are missing, without moving the viewer.
    expect(player.lookAhead()).toBe(true);
    expect(player.tick).toBe(5590);
    const ticks = player.cacheStats.ticks;
    expect(ticks.length).toBeGreaterThanOrEqual(55);
    expect(Math.max(...ticks.map((t, i) => t - (ticks[i - 1] ?? 0)))).toBeLessThanOrEqual(200);
    steps = 0;
    player.seek(650, () => (steps++, false));
    expect(steps).toBe(50);
    expect(checkpointHash(player.sim.S)).toBe(want.get(650));
    expect(player.verification).toEqual({ checked: 60, matched: 60, mismatches: [], refused: 0 });

    // The same in the viewer's slices, with a seek between two of them: the stretch left part
    // way is filled in later all the same, and the states stay exact.
    const sliced = new ReplayPlayer(tutorial);
    sliced.seek(5550);
    let calls = 0;
    while (!sliced.lookAhead(ticksAtATime(100))) {
      if (++calls === 12) {
        sliced.seek(3000);
        expect(checkpointHash(sliced.sim.S)).toBe(want.get(3000));
      }
    }
    expect(calls).toBeGreaterThan(12);
    const filled = sliced.cacheStats.ticks;
    expect(Math.max(...filled.map((t, i) => t - (filled[i - 1] ?? 0)))).toBeLessThanOrEqual(200);
    sliced.seek(650);
    expect(checkpointHash(sliced.sim.S)).toBe(want.get(650));
    expect(sliced.verification.mismatches).toEqual([]);
  });

  it('a seek in slices, dropped for a newer one part way, lands on the very state of a straight run', () => {
    const want = straightHashes(bank, [300, 950, 1100]);
    const player = new ReplayPlayer(bank);
    // A slice is 40 ticks: the viewer's worker stops on time and reads its messages between.
    const slices = () => ticksAtATime(40);
    player.seek(1100, slices());
    expect(player.tick).toBe(40);
    player.seek(1100, slices());
    expect(player.tick).toBe(80);
    // Replaced by a seek backwards before it got there, which itself takes slices.
    let calls = 0;
    while (player.tick !== 300) {
      player.seek(300, slices());
      calls++;
    }
    expect(calls).toBe(6);
    expect(checkpointHash(player.sim.S)).toBe(want.get(300));
    // Steps forward in slices, then a jump ahead.
    while ((player.tick as number) !== 950) player.stepTo(950, slices());
    expect(checkpointHash(player.sim.S)).toBe(want.get(950));
    player.seek(1100);
    expect(checkpointHash(player.sim.S)).toBe(want.get(1100));
    expect(player.verification.mismatches).toEqual([]);
  });

  it('looks ahead in slices while the viewer waits: then a seek anywhere starts from a near snapshot and lands exactly', () => {
    const want = straightHashes(bank, [150, 1150, 1199, 640]);
    const player = new ReplayPlayer(bank);
    player.stepTo(150);
    // A slice is 100 ticks; the viewer's own position and verification do not move meanwhile.
    const slices = () => ticksAtATime(100);
    let calls = 1;
    while (!player.lookAhead(slices())) calls++;
    expect(calls).toBe(11);
    expect(player.tick).toBe(150);
    expect(checkpointHash(player.sim.S)).toBe(want.get(150));
    // The look-ahead verified the checkpoints it passed: every one, each once.
    expect(player.verification).toEqual({ checked: 12, matched: 12, mismatches: [], refused: 0 });
    // Every 5 s of the round is kept, and a seek to its far end steps at most one interval.
    expect(player.cacheStats.ticks).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200]);
    let steps = 0;
    player.seek(1150, () => (steps++, false));
    expect(steps).toBe(50);
    for (const t of [1150, 1199, 640, 150]) {
      player.seek(t);
      expect(checkpointHash(player.sim.S), `seek to ${t} after looking ahead`).toBe(want.get(t));
    }
    expect(player.verification.mismatches).toEqual([]);
    // Once the end is known there is nothing more to do.
    expect(player.lookAhead(() => true)).toBe(true);
    expect(player.verification).toEqual({ checked: 12, matched: 12, mismatches: [], refused: 0 });
  });

  it('a divergence the look-ahead finds further on is known at once, and reached only where it is', () => {
    // Two checkpoints tampered with: the look-ahead passes the later one first.
    const tampered: Recording = { ...bank, checkpoints: bank.checkpoints.map((c) => (c.tick === 500 || c.tick === 900 ? { ...c, hash: '0000000000000000' } : c)) };
    const player = new ReplayPlayer(tampered);
    player.stepTo(600);
    expect(player.verification.mismatches.map((m) => m.tick)).toEqual([500]);
    player.seek(100);
    const fresh = new ReplayPlayer(tampered);
    fresh.stepTo(150);
    fresh.lookAhead();
    expect(fresh.verification.mismatches.map((m) => m.tick)).toEqual([500, 900]);
    expect(diverged(fresh.verification)).toBe(true);
    expect(divergedBy(fresh.verification, fresh.tick)).toBe(false);
    expect(divergedBy(fresh.verification, 499)).toBe(false);
    expect(divergedBy(fresh.verification, 500)).toBe(true);
    // Found by the viewer first and by the look-ahead after: still in tick order, each once.
    const both = new ReplayPlayer(tampered);
    both.stepTo(950);
    both.seek(0);
    both.lookAhead();
    expect(both.verification.mismatches.map((m) => m.tick)).toEqual([500, 900]);
    expect(both.verification).toMatchObject({ checked: 12, matched: 10 });
  });

  it('sought back, the screens show the measures of that moment: at 0:00 no throughput yet, later the rate a straight run showed', () => {
    const player = new ReplayPlayer(bank);
    const stage = new SimStage({ preset: bank.preset, isPrivate: false });
    stage.restart(player.sim);
    // As the viewer does (frame.ts moveTo and project): a jump restarts the projection.
    const at = (tick: number) => {
      moveTo(player, tick, true);
      stage.restart(player.sim);
      project(stage, player, bank);
      return stage.view().measures.throughput;
    };
    const straight = (tick: number) => {
      const p = new ReplayPlayer(bank);
      const s = new SimStage({ preset: bank.preset, isPrivate: false });
      s.restart(p.sim);
      p.stepTo(tick);
      project(s, p, bank);
      return s.view().measures.throughput;
    };
    const mid = at(600);
    expect(mid).toBeGreaterThan(0);
    expect(at(0)).toBe(0);
    expect(at(1)).toBe(0);
    expect(at(600)).toBe(mid);
    expect(mid).toBe(straight(600));
    at(1200);
    expect(at(0)).toBe(0);
  });

  it('clamps and rounds ticks; NaN leaves the player where it is', () => {
    const player = new ReplayPlayer(bank);
    player.seek(250.9);
    expect(player.tick).toBe(250);
    player.seek(Number.NaN);
    expect(player.tick).toBe(250);
    player.seek(-5);
    expect(player.tick).toBe(0);
    player.seek(Number.POSITIVE_INFINITY);
    expect(player.tick).toBe(1200);
    player.stepTo(99_999);
    expect(player.tick).toBe(1200);
    // stepTo behind the current tick goes there (through the cache).
    player.stepTo(100);
    expect(player.tick).toBe(100);
    expect(checkpointHash(player.sim.S)).toBe(bank.checkpoints[0]!.hash);
  });

  it('a small cache thins out, dense near the current position, and stays exact', () => {
    // The whole state: snapshots here are chains of patches, restored and thinned out.
    const want = straightHashes(bank, [137, 601, 640, 1111], stateHash);
    const player = new ReplayPlayer(bank, { snapshotEveryTicks: 20, cacheBytes: 12e6 });
    player.stepTo(player.endTick);
    const { ticks, bytes, peakBytes, snapshots } = player.cacheStats;
    expect(snapshots).toBeLessThan(40);
    expect(snapshots).toBeGreaterThan(3);
    expect(bytes).toBeLessThanOrEqual(12e6);
    expect(peakBytes).toBeGreaterThanOrEqual(bytes);
    // Played through, the snapshots the budget holds are made spread over the round (one made
    // closer would only be thinned out again): no stretch is left much longer than the others.
    const gaps = [ticks[0]!, ...ticks.slice(1).map((t, i) => t - ticks[i]!), 1200 - ticks[ticks.length - 1]!];
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * Math.min(...gaps.slice(0, -1)) + 20);
    for (const t of [1111, 137, 640, 137]) {
      player.seek(t);
      expect(stateHash(player.sim.S), `seek to ${t}`).toBe(want.get(t));
    }
    // A seek between snapshots spread at the budget's spacing keeps none (a copy would cost
    // as much as the seek); idle time then keeps the one just before the viewer, and the
    // cache thins out around there: densest near the current position.
    const spread = player.cacheStats.ticks;
    player.seek(610);
    expect(player.cacheStats.ticks).toEqual(spread);
    expect(player.lookAhead()).toBe(true);
    const near = player.cacheStats.ticks;
    expect(near).toContain(600);
    expect(near.filter((t) => Math.abs(t - 600) <= 100).length).toBeGreaterThanOrEqual(2);
    expect(player.cacheStats.bytes).toBeLessThanOrEqual(12e6);
    // Made on a second simulation: the viewer stays where it was, and a step back lands exactly.
    expect(player.tick).toBe(610);
    player.seek(601);
    expect(stateHash(player.sim.S)).toBe(want.get(601));
  });

  it('shows a tampered checkpoint and a command the simulation refuses, each once', () => {
    const rec = structuredClone(bank);
    const cp = rec.checkpoints[3]!;
    cp.hash = cp.hash.split('').reverse().join('');
    // A node that does not exist: refused, and the state is as without it.
    rec.commands.splice(1, 0, { tick: 50, command: { type: 'restart', node: 14 }, by: 'key-ada' });
    const player = new ReplayPlayer(rec);
    player.stepTo(player.endTick);
    expect(player.verification.refused).toBe(1);
    expect(player.verification.checked).toBe(12);
    expect(player.verification.matched).toBe(11);
    expect(player.verification.mismatches).toEqual([{ tick: cp.tick, expected: cp.hash, actual: bank.checkpoints[3]!.hash }]);
    player.seek(10);
    player.stepTo(player.endTick);
    expect(player.verification.refused).toBe(1);
    expect(player.verification.mismatches).toHaveLength(1);

    // A command changed in the file: the run diverges from the checkpoints after it.
    const edited = structuredClone(bank);
    const drain = edited.commands.find((c) => c.command.type === 'drain')!;
    drain.command = { type: 'drain', node: 3 };
    const p2 = new ReplayPlayer(edited);
    p2.stepTo(p2.endTick);
    expect(p2.verification.refused).toBe(0);
    expect(p2.verification.mismatches.length).toBeGreaterThan(0);
    expect(p2.verification.mismatches[0]!.tick).toBeGreaterThan(drain.tick);
    expect(p2.verification.mismatches.every((m) => m.tick > drain.tick)).toBe(true);
  });

  it('an interrupted recording stops where the server did', () => {
    const rec = recordRound({ scenario: 'bank', seed: 9, seconds: 60, commands: BANK_COMMANDS.slice(0, 4), stopAtTick: 450 });
    expect(rec.interrupted).toBe(true);
    expect(rec.lastTick).toBe(450);
    const player = new ReplayPlayer(rec);
    expect(player.endTick).toBe(450);
    player.stepTo(1200);
    expect(player.tick).toBe(450);
    player.seek(1e9);
    expect(player.tick).toBe(450);
    expect(player.verification).toEqual({ checked: 4, matched: 4, mismatches: [], refused: 0 });
    // Not closed: the summary of the state where it stopped, as replayRecording computes it.
    expect(player.finalSummary()).toEqual(replayRecording(rec).summary);
    expect(player.finalSummary().stateHash).toBe(rec.summary!.stateHash);
    expect(player.markers.at(-1)).toMatchObject({ tick: 450, kind: 'phase' });
    expect(player.markers.at(-1)!.text).toMatch(/stopped before the round ended/);
    expect(player.markers.every((m) => m.tick <= 450)).toBe(true);
  });

  it('branch() hands out an independent copy that continues like the replay', () => {
    const player = new ReplayPlayer(bank);
    player.seek(500);
    const branch = player.branch();
    const here = checkpointHash(player.sim.S);
    expect(checkpointHash(branch.S)).toBe(here);
    expect(branch.S).not.toBe(player.sim.S);
    // Fed the recorded commands it reaches what the replay reaches.
    const want = straightHashes(bank, [800]).get(800);
    for (let k = 500; k < 800; k++) {
      for (const c of bank.commands) if (c.tick === k) applyCommand(branch, c.command);
      advance(branch, (k + 1) * TICK_MS);
    }
    expect(checkpointHash(branch.S)).toBe(want);
    expect(checkpointHash(player.sim.S)).toBe(here);
    // Anything done to the branch, even to the data directly, leaves the player alone.
    const other = player.branch();
    applyCommand(other, { type: 'chaos', kind: 'partition-region', target: 1, durationMs: 10_000, magnitude: 0 });
    other.S.nodes[0]!.store[0] = null;
    for (const n of other.S.nodes) for (const list of n.store) if (list !== null) (list[0] as { ts: number }).ts = 0;
    finishSim(other as Sim);
    expect(checkpointHash(player.sim.S)).toBe(here);
    player.stepTo(800);
    expect(checkpointHash(player.sim.S)).toBe(want);
  });

  it('marks chaos, commands (who did what), seat changes and phases, in tick order', () => {
    const rec = structuredClone(bank);
    recordRosterChange(rec, { tick: 333, id: 'bot-1', nickname: 'Bot 1', node: 1, isBot: true });
    const player = new ReplayPlayer(rec);
    const m = player.markers;
    for (let i = 1; i < m.length; i++) expect(m[i]!.tick).toBeGreaterThanOrEqual(m[i - 1]!.tick);
    expect(m[0]).toMatchObject({ tick: 0, kind: 'phase' });
    expect(m.at(-1)).toMatchObject({ tick: 1200, kind: 'phase', text: 'The round ends' });
    // The seeded chaos schedule, each at its tick, in words.
    const scheduled = m.filter((x) => x.kind === 'chaos' && x.by === undefined);
    expect(rec.chaosEvents.length).toBeGreaterThan(0);
    expect(scheduled.map((x) => x.tick)).toEqual(rec.chaosEvents.map((e) => Math.floor(e.at / TICK_MS)));
    for (const x of scheduled) expect(x.text).toMatch(/^[a-z -]+: .+ for /);
    const texts = m.filter((x) => x.kind === 'command').map((x) => x.text);
    expect(texts).toContain('Ada set node 0 to serve when it cannot reach a quorum');
    expect(texts).toContain('Bot 2 restarted node 2');
    expect(texts).toContain('the team switched to writes confirmed by every copy');
    expect(texts).toContain('Grace drained node 1 (no new requests from the load balancer)');
    expect(texts).toContain('Ada rate-limited the clients flooding node 0');
    expect(texts).toContain('Ada lifted the rate limit on node 0');
    const commandMarks = m.filter((x) => x.kind === 'command');
    expect(commandMarks).toHaveLength(BANK_COMMANDS.length - 1);
    expect(commandMarks.find((x) => x.text.startsWith('Grace drained'))).toMatchObject({ tick: 300, by: 'key-grace', node: 1 });
    // A host's chaos is chaos on the timeline, with who set it off.
    const host = m.find((x) => x.kind === 'chaos' && x.by === 'key-ada')!;
    expect(host).toMatchObject({ tick: 120, node: 2 });
    expect(host.text).toBe('crash: node 2 goes down (its disk survives) for up to 20 s (set off by Ada)');
    expect(m.find((x) => x.kind === 'roster')).toMatchObject({ tick: 333, by: 'bot-1', node: 1, text: 'Bot 1 took over node 1 (a bot standing in)' });
  });

  it('historyOf: every operation, in invoke order, in the HISTORY.md format, as a straight run records it', () => {
    const hist = historyOf(bank);
    expect(hist.format).toBe('splitbrain-history/1');
    expect(hist).toMatchObject({ scenario: 'bank', seed: 7 });
    expect(hist.settings).toEqual(resolvePreset(getScenario('bank')!, 'cp'));
    // At least half of the ramp's requests over the 60 s round (the final reads come on top).
    expect(hist.ops.length).toBeGreaterThan(expectedRequests('bank', 60_000) / 2);
    for (let i = 1; i < hist.ops.length; i++) expect(hist.ops[i]!.invoke).toBeGreaterThanOrEqual(hist.ops[i - 1]!.invoke);
    for (const op of hist.ops.slice(0, 500)) {
      expect(op.key).toMatch(/^[a-z]+-\d+$/);
      expect(['read', 'write']).toContain(op.f);
      expect(['ok', 'fail', 'info']).toContain(op.type);
      if (op.type === 'info') expect(op.complete).toBeNull();
    }
    expect(hist.ops.some((op) => op.final === true)).toBe(true);
    // The same as a run that kept its history while it played.
    const sim = createSim({ scenario: 'bank', preset: 'cp', chaos: 'normal', seed: 7, durationMs: 60_000, recordHistory: true });
    const initial = { ...sim.S.settings };
    for (let k = 0; k < 1200; k++) {
      for (const c of bank.commands) if (c.tick === k) applyCommand(sim, c.command);
      advance(sim, (k + 1) * TICK_MS);
    }
    finishSim(sim);
    expect(hist).toEqual(exportHistory(sim, initial));
  });

  it('an easy round replays at easy: every checkpoint verified, judged by the easy promise; re-run as normal it is another round', () => {
    const rec = recordRound({ scenario: 'bank', seed: 7, seconds: 30, difficulty: 'easy', commands: BANK_COMMANDS.filter((c) => c.tick < 600) });
    expect(rec.commands.length).toBeGreaterThan(3);
    expect(rec.difficulty).toBe('easy');
    const player = new ReplayPlayer(rec);
    player.stepTo(player.endTick);
    expect(player.verification).toEqual({ checked: 6, matched: 6, mismatches: [], refused: 0 });
    expect(player.finalSummary()).toEqual(rec.summary);
    // The replay plays the scenario as the round did: a looser promise, more money, fewer faults.
    const written = getScenario('bank')!;
    expect(player.sim.S.difficulty).toBe('easy');
    expect(player.sim.sc.sla.availability).toBeLessThan(written.sla.availability);
    expect(player.sim.sc.budget.limit).toBeGreaterThan(written.budget.limit);
    // The difficulty is part of what a replay must reproduce: without it, the faults come at other times.
    const asNormal = createSim({ scenario: 'bank', chaos: 'normal', seed: 7, durationMs: 30_000, recordHistory: false });
    expect(asNormal.S.chaosSchedule).not.toEqual(rec.chaosEvents);
    expect(replayRecording({ ...rec, difficulty: 'normal' }).firstMismatch).not.toBeNull();
  });

  it('a heavy scenario (feed, leaderless) replays, seeks and summarises exactly', () => {
    const rec = recordRound({
      scenario: 'feed', seed: 3, seconds: 20, commands: [
        { tick: 60, command: { type: 'configure', settings: { writeQuorum: 'all' } }, by: 'team' },
        { tick: 150, command: { type: 'replace', node: 2 }, by: 'key-ada' },
        { tick: 260, command: { type: 'restart', node: 1 }, by: 'bot-1' },
      ],
    });
    expect(rec.commands).toHaveLength(3);
    const player = new ReplayPlayer(rec);
    player.stepTo(player.endTick);
    expect(player.verification).toEqual({ checked: 4, matched: 4, mismatches: [], refused: 0 });
    const want = straightHashes(rec, [77, 333]);
    for (const t of [333, 77, 333]) {
      player.seek(t);
      expect(checkpointHash(player.sim.S)).toBe(want.get(t));
    }
    expect(player.finalSummary()).toEqual(rec.summary);
  });
});

describe('recording files', () => {
  const text = serializeRecording(bank);

  it('reads back a real recording, after a JSON round trip, unchanged', () => {
    const parsed = parseRecording(JSON.parse(JSON.stringify(bank)));
    expect(parsed.ok, parsed.ok ? '' : parsed.error).toBe(true);
    expect(parsed.ok && parsed.value).toEqual(JSON.parse(JSON.stringify(bank)));
    const fromText = parseRecordingText(text);
    expect(fromText.ok && fromText.value).toEqual(JSON.parse(JSON.stringify(bank)));
    // And it replays from the file as it did in memory.
    const player = new ReplayPlayer((fromText as { value: Recording }).value);
    player.stepTo(300);
    expect(player.verification.matched).toBe(3);
    expect(recordingFileName(bank)).toBe('splitbrain-bank-seed7-2026-03-14-0930.json');
    expect(recordingFileName({ ...bank, startedAt: 'whenever', interrupted: true })).toBe('splitbrain-bank-seed7-interrupted.json');
  });

  it('reads the difficulty, and a file from before difficulties as normal', () => {
    const easy = { ...JSON.parse(text), difficulty: 'easy' } as Record<string, unknown>;
    const parsed = parseRecording(easy);
    expect(parsed.ok && parsed.value.difficulty).toBe('easy');
    // Written in the format's order, it reads back the same.
    expect(parseRecordingText(serializeRecording((parsed as { value: Recording }).value))).toEqual(parsed);
    const older = JSON.parse(text) as Record<string, unknown>;
    delete older.difficulty;
    const old = parseRecording(older);
    expect(old.ok && old.value.difficulty).toBe('normal');
    expect(parseRecording({ ...easy, difficulty: 'brutal' })).toEqual({ ok: false, error: 'This recording is damaged: difficulty must be one of: easy, normal, hard' });
    expect(parseRecording({ ...easy, difficulty: null }).ok).toBe(false);
  });

  it('refuses other files and other versions in words', () => {
    const unknown = parseRecording({ ...JSON.parse(text), format: 'splitbrain-recording/5' });
    expect(unknown).toEqual({ ok: false, error: expect.stringMatching(/^This file is a Split Brain recording of an unknown version \('splitbrain-recording\/5'/) });
    for (const other of [{ hello: 'world' }, [], 'a recording', 42, null, undefined, { format: 7 }]) {
      expect(parseRecording(other)).toEqual({ ok: false, error: expect.stringMatching(/^This is not a Split Brain recording/) });
    }
    expect(parseRecording({ format: 'splitbrain-history/1', ops: [] })).toEqual({ ok: false, error: expect.stringMatching(/operation history/) });
    expect(parseRecordingText('{"format":"splitbrain-recording/1","seed":')).toEqual({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(parseRecordingText('   ')).toEqual({ ok: false, error: 'This file is empty' });
    expect(parseRecordingText(' '.repeat(MAX_RECORDING_CHARS + 1))).toEqual({ ok: false, error: expect.stringMatching(/too large/) });
  });

  it('names the first problem of a damaged recording', () => {
    const cases: [string, (r: Record<string, any>) => void, RegExp][] = [
      ['missing seed', (r) => delete r.seed, /the field 'seed' is missing/],
      ['seed of the wrong type', (r) => (r.seed = 'seven'), /seed must be an integer/],
      ['unknown scenario', (r) => (r.scenario = 'casino'), /no scenario 'casino'/],
      ['unknown preset', (r) => (r.preset = 'yolo'), /bank scenario has no preset 'yolo'/],
      ['bad settings', (r) => (r.settings = { replicationFactor: 3 }), /^This recording is damaged: settings: missing setting/],
      ['other step length', (r) => (r.tickMs = 40), /tickMs: must be 50/],
      ['unknown command', (r) => (r.commands[2].command = { type: 'explode', node: 1 }), /commands\[2\]\.command: unknown command type 'explode'/],
      ['command without a sender', (r) => (r.commands[0].by = ''), /commands\[0\]\.by/],
      ['command out of order', (r) => (r.commands[3].tick = 1), /commands\[3\]: its tick 1 comes before .*out of order/],
      ['command beyond the end', (r) => (r.commands[9].tick = 5000), /commands\[9\]\.tick must be an integer from 0 to 1200/],
      ['checkpoint not a hash', (r) => (r.checkpoints[1].hash = 'not-a-hash'), /checkpoints\[1\]\.hash: must be 16 hexadecimal digits/],
      ['checkpoints out of order', (r) => (r.checkpoints[2].tick = 100), /checkpoints\[2\]: its tick 100 does not come after/],
      ['unfinished, not interrupted', (r) => (r.lastTick = 600), /neither finished .* nor marked interrupted/],
      ['still being played', (r) => ((r.lastTick = 600), (r.summary = null)), /^This round is still being played \(recorded up to 0:30 of 1:00\)/],
      ['chaos out of range', (r) => (r.chaosEvents[0].at = 10_000_000), /chaosEvents\[0\]\.at must be a number from 0 to 60000/],
      ['roster entry', (r) => (r.roster[1].node = 99), /roster\[1\]\.node must be an integer from 0 to 14/],
      ['a huge list', (r) => (r.commands = new Array(200_001).fill(r.commands[0])), /commands has 200001 entries, more than a round can hold/],
      ['summary not an object', (r) => (r.summary = [1, 2]), /summary/],
    ];
    for (const [what, damage, message] of cases) {
      const r = JSON.parse(text) as Record<string, any>;
      damage(r);
      const parsed = parseRecording(r);
      expect(parsed.ok, what).toBe(false);
      if (!parsed.ok) expect(parsed.error, what).toMatch(message);
      if (!parsed.ok) expect(parsed.error, what).toMatch(/^This (recording is damaged|is not|round is still)/);
    }
  });

  it('never throws, whatever it is given', () => {
    const hostile = new Proxy({}, { ownKeys() { throw new Error('no'); } });
    expect(parseRecording(hostile)).toEqual({ ok: false, error: 'This recording could not be read' });
    const withGetter = JSON.parse(text) as Record<string, unknown>;
    Object.defineProperty(withGetter, 'seed', { get() { throw new Error('ran a getter'); }, enumerable: true });
    expect(parseRecording(withGetter).ok).toBe(false);
    const deep: Record<string, unknown> = JSON.parse(text);
    let s: Record<string, unknown> = {};
    deep.summary = s;
    for (let i = 0; i < 10_000; i++) s = (s.x = {}) as Record<string, unknown>;
    expect(parseRecording(deep)).toEqual({ ok: false, error: expect.stringMatching(/^This recording is damaged/) });
    expect(parseRecordingText(42 as unknown as string).ok).toBe(false);
  });
});
