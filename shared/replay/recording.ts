// A round's recording, written while the round runs: the seed, scenario, preset and
// starting settings, the roster, every accepted command with the tick it was applied at,
// and a checkpoint fingerprint of the simulation state every 5 simulated seconds.
// A replay is createSim(...) fed the same commands at the same ticks; it must reproduce the
// checkpoints. Where finished recordings go (memory today, a database later) is the
// server's business, behind `RecordingSink`; this module is pure so the browser's replay
// viewer can run the same code.
//
// Ticks: the live phase advances in fixed steps of TICK_MS. Commands tagged tick k were
// applied when simulated time was k × TICK_MS, before the step to (k + 1) × TICK_MS; the
// checkpoint tagged tick k fingerprints the state right after the step to k × TICK_MS,
// before tick k's commands. So a replay is the round's tick runner (shared/round/runner.ts)
// with the recorded commands scheduled at their ticks (./rerun.ts), checking the checkpoint
// tagged k + 1, if any, after each step.

import type { Command } from '../protocol/commands.js';
import type { ChaosEvent, ChaosLevel } from '../scenarios/chaos-types.js';
import type { Difficulty } from '../scenarios/difficulty.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import { SIM_VERSION, type SimState, type SimVersion } from '../sim/state.js';
import type { Summary } from '../sim/summary.js';
import { hashString, summary } from '../sim/summary.js';
import { TICK_MS, TickRunner } from '../round/runner.js';
import { finishSim } from '../sim/engine.js';
import { replayEndTick, scheduleOf, startSim } from './rerun.js';
import { RECORDING_FORMAT_4 } from './revisions.js';

export { TICK_MS };
/** What this game writes: format 4, whose scenario ids name exact revisions and which names its simulation rules (./revisions.ts). */
export const RECORDING_FORMAT = RECORDING_FORMAT_4;
/** A checkpoint every 5 simulated seconds. */
export const CHECKPOINT_EVERY_TICKS = 5000 / TICK_MS;

export interface RecordedCommand {
  tick: number;
  command: Command;
  /** Who sent it: an actor's key (shared/round/actor.ts: a player's sessionId, `bot-<node>`, 'team', 'tutorial' or 'host'). */
  by: string;
}

export interface Checkpoint {
  tick: number;
  hash: string;
}

/** A seat changing hands during the live phase (a player leaving, a bot standing in, a return). */
export interface RosterChange extends RosterEntry {
  tick: number;
}

/** A moment on the replay's timeline that is not a command: the live phase starting, ending, or the recording stopping. */
export interface PhaseMark {
  tick: number;
  phase: 'live' | 'debrief' | 'interrupted';
}

export interface RosterEntry {
  /** Player key, as in ClusterState.players. */
  id: string;
  nickname: string;
  node: number;
  isBot: boolean;
}

export interface Recording {
  format: typeof RECORDING_FORMAT;
  roomId: string;
  scenario: string;
  preset: string;
  /** Starting settings when the team changed them in setup; null = the preset's. */
  settings: ClusterSettings | null;
  chaos: ChaosLevel;
  /** How hard the round was; files written before difficulties existed read as normal. */
  difficulty: Difficulty;
  /** The simulation rules the round ran on (sim/state.ts SimVersion); files of formats 1–3 read as 1. */
  simVersion: SimVersion;
  seed: number;
  durationMs: number;
  tickMs: number;
  /** Who held which seat at the start of the live phase. */
  roster: RosterEntry[];
  /** Every later change of a seat's holder, in tick order. */
  rosterChanges: RosterChange[];
  /** The chaos drawn from the seed for this round (host-triggered chaos is among the commands). */
  chaosEvents: ChaosEvent[];
  phases: PhaseMark[];
  commands: RecordedCommand[];
  checkpoints: Checkpoint[];
  /**
   * Steps of the live phase the recording covers: commands of ticks below it are all here.
   * A finished round's equals durationMs / tickMs; an interrupted one's is where it stopped.
   */
  lastTick: number;
  /** The server stopped (or was killed) before the round ended; replays run to lastTick. */
  interrupted: boolean;
  /** Wall-clock start of the live phase (ISO 8601), for lists; the simulation never reads it. */
  startedAt: string;
  /** Listed among recent public rounds (quick play), or reachable only by its link. */
  isPublic: boolean;
  /** The classroom session the round belongs to, if any. */
  sessionId: string | null;
  /** Set when the round ends. */
  summary: Summary | null;
}

/** Where finished recordings go. The default keeps the last few in memory. */
export interface RecordingSink {
  finished(rec: Recording): void;
}

export type RecordingStart = Omit<Recording, 'format' | 'tickMs' | 'commands' | 'checkpoints' | 'summary' | 'rosterChanges' | 'phases' | 'lastTick' | 'interrupted' | 'difficulty' | 'simVersion'> & {
  /** Default normal. */
  difficulty?: Difficulty;
  /** The rules the round's simulation runs on (its S.version); default the current ones. */
  simVersion?: SimVersion;
};

export function startRecording(start: RecordingStart): Recording {
  return {
    format: RECORDING_FORMAT, tickMs: TICK_MS, ...start, difficulty: start.difficulty ?? 'normal', simVersion: start.simVersion ?? SIM_VERSION,
    roster: start.roster.map((r) => ({ ...r })), chaosEvents: start.chaosEvents.map((e) => ({ ...e })),
    rosterChanges: [], phases: [{ tick: 0, phase: 'live' }], commands: [], checkpoints: [], lastTick: 0, interrupted: false, summary: null,
  };
}

export function recordRosterChange(rec: Recording, change: RosterChange): void {
  rec.rosterChanges.push({ ...change });
}

export function recordCommand(rec: Recording, tick: number, command: Command, by: string): void {
  rec.commands.push({ tick, command, by });
}

/** Record a checkpoint when `tick` is due for one (every CHECKPOINT_EVERY_TICKS). */
export function maybeCheckpoint(rec: Recording, tick: number, S: SimState): void {
  if (tick > 0 && tick % CHECKPOINT_EVERY_TICKS === 0) rec.checkpoints.push({ tick, hash: checkpointHash(S) });
}

/** Note that the live phase has done `tick` steps (called after each step). */
export function recordProgress(rec: Recording, tick: number): void {
  rec.lastTick = tick;
}

/** Close the recording: a finished round gets its summary; an interrupted one is marked so. */
export function finishRecording(rec: Recording, summary: Summary, interrupted: boolean, sink: RecordingSink): void {
  rec.summary = summary;
  rec.interrupted = interrupted;
  rec.phases.push({ tick: rec.lastTick, phase: interrupted ? 'interrupted' : 'debrief' });
  sink.finished(rec);
}

/**
 * A fingerprint of the simulation state that costs microseconds, not the ~1 s that
 * shared/sim/summary.ts stateHash (JSON of the whole state, 10–50 MB) costs on a big
 * scenario. It covers the three random streams — any difference in what the simulation
 * did changes how many numbers it drew — plus every counter, the clock, each node's
 * condition and the settings.
 */
export function checkpointHash(S: SimState): string {
  const nodes = S.nodes.map((n) => [n.status, n.incarnation, n.size, n.queue, n.busyUntil, n.slow, n.clockOffset, n.drained, n.stance, n.rateLimited, n.served, n.refused]);
  const m = S.metrics;
  return hashString(
    JSON.stringify([
      S.now, S.rng, S.nextOp, S.nextValue, S.nextRequest, S.events.seq, S.events.items.length, S.counters, S.cost,
      S.settings, S.partition, S.faults, S.rebalance, S.removing, S.shards.map((s) => [s.leader, s.leaderEpoch]),
      [m.requests, m.ok, m.fail, m.info, m.staleReads, m.closed], nodes, S.feed.length,
    ]),
  );
}

export interface ReplayCheck {
  /** Checkpoints whose fingerprint the replay reproduced, and the first one it did not. */
  matched: number;
  firstMismatch: Checkpoint | null;
  /** Commands that the simulation refused on replay (an accepted command must apply again). */
  refused: RecordedCommand[];
  summary: Summary;
}

/**
 * Re-run a finished recording headlessly and compare it with the original: the same seed,
 * settings and commands at the same ticks must reproduce every checkpoint.
 */
export function replayRecording(rec: Recording): ReplayCheck {
  const sim = startSim(rec, false);
  const checkpoints = new Map(rec.checkpoints.map((c) => [c.tick, c]));
  const refused: RecordedCommand[] = [];
  let matched = 0;
  let firstMismatch: Checkpoint | null = null;
  const runner = new TickRunner<number>(sim, {
    scheduled: scheduleOf(rec),
    onOutcome: (o) => {
      if (!o.result.ok) refused.push(rec.commands[o.meta!]!);
    },
  });
  // An interrupted recording replays as far as it goes, without judging the rest.
  const end = replayEndTick(rec);
  while (runner.tick < end) {
    runner.step();
    const cp = checkpoints.get(runner.tick);
    if (cp !== undefined) {
      if (checkpointHash(sim.S) === cp.hash) matched++;
      else if (firstMismatch === null) firstMismatch = cp;
    }
  }
  if (!rec.interrupted) finishSim(sim);
  return { matched, firstMismatch, refused, summary: summary(sim) };
}
