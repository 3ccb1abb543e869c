// Watching a recording: the shared simulation fed the recording's commands at their ticks,
// run wherever the viewer is (the browser, a test, the benchmark). It verifies every
// checkpoint it passes, keeps snapshots as it goes so that seeking back is cheap, and can
// hand out an independent copy of the state to branch from.
//
// INTERFACE ONLY — the implementation is being written against this contract.

import type { Sim } from '../sim/engine.js';
import type { Summary } from '../sim/summary.js';
import type { HistoryJson } from '../sim/summary.js';
import type { Recording } from './recording.js';

export interface ReplayMarker {
  tick: number;
  kind: 'chaos' | 'command' | 'phase' | 'roster';
  /** One line for the timeline's tooltip and the marker list, in the game's words. */
  text: string;
  /** The roster id of whoever acted (commands and roster changes). */
  by?: string;
  node?: number;
}

export interface CheckpointMismatch {
  tick: number;
  expected: string;
  actual: string;
}

export interface ReplayVerification {
  /** Checkpoints reached so far (each checked once, the first time the replay passes it). */
  checked: number;
  matched: number;
  mismatches: CheckpointMismatch[];
  /** Recorded commands the simulation refused when re-applied (each one is a divergence). */
  refused: number;
}

export interface ReplayPlayerOptions {
  /** Keep a snapshot every this many ticks (default: the checkpoint interval). */
  snapshotEveryTicks?: number;
}

export declare class ReplayPlayer {
  constructor(rec: Recording, opts?: ReplayPlayerOptions);
  readonly recording: Recording;
  /** The last tick the replay can reach: lastTick for an interrupted round, else durationMs / tickMs. */
  readonly endTick: number;
  /** The simulation at `tick` (do not mutate; use branch()). */
  readonly sim: Sim;
  /** Steps done: simulated time is tick × tickMs. */
  readonly tick: number;
  /** Every marker of the round, in tick order. */
  readonly markers: readonly ReplayMarker[];
  readonly verification: ReplayVerification;
  /** Advance to `tick` (≤ endTick), applying commands and checking checkpoints on the way. */
  stepTo(tick: number): void;
  /** Go to any tick in [0, endTick], backwards through the snapshot cache. */
  seek(tick: number): void;
  /** An independent copy of the simulation at the current tick, to continue with other decisions. */
  branch(): Sim;
  /**
   * The round's final summary as the replay computes it (runs to endTick and, for a finished
   * round, closes it: heal, converge, judge). Does not move the player.
   */
  finalSummary(): Summary;
}

/** Replay the whole recording with every operation kept and export it in the HISTORY.md format. */
export declare function historyOf(rec: Recording): HistoryJson;
