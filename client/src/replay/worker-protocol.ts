// The messages between the replay screen and the worker that runs its simulation
// (./sim-worker.ts). The page says what the viewer wants (play, pause, speed, a seek), each
// with a number that grows; the worker sends what there is to draw, at most at the render
// rate while it plays, with the number of the last wish it has acted on, so the page knows
// which of its own wishes a frame already reflects.

import type { ReplayMarker, ReplayVerification } from '../../../shared/replay/player.js';
import type { Recording } from '../../../shared/replay/recording.js';
import type { SimState } from '../../../shared/sim/state.js';
import type { Summary } from '../../../shared/sim/summary.js';
import type { PlainClusterState } from '../../../shared/view/plain.js';

export type ToReplayWorker =
  /**
   * `slowdown` (1 = none) makes the worker wait that many times its own work after each slice,
   * as on a computer that much slower: the devtools protocol slows a page's thread but not a
   * worker's, so a benchmark of a slow computer asks the worker to do it itself.
   */
  | { kind: 'open'; rec: Recording; slowdown: number }
  | { kind: 'play'; seq: number; speed: number }
  | { kind: 'pause'; seq: number }
  | { kind: 'speed'; seq: number; speed: number }
  | { kind: 'seek'; seq: number; tick: number }
  | { kind: 'branch'; id: number }
  | { kind: 'final'; id: number }
  /** The last frame has been drawn: the next may come (a slow page is never sent more than it draws). */
  | { kind: 'drawn' };

export interface ReplayFrame {
  kind: 'frame';
  /** The last wish acted on. */
  seq: number;
  tick: number;
  playing: boolean;
  behind: number | null;
  verification: ReplayVerification;
  /** The round at `tick`, projected (null when only the figures changed). */
  state: PlainClusterState | null;
}

export type FromReplayWorker =
  | { kind: 'ready'; endTick: number; markers: ReplayMarker[] }
  | { kind: 'failed'; error: string }
  | ReplayFrame
  | { kind: 'branch'; id: number; tick: number; state: SimState }
  | { kind: 'final'; id: number; summary: Summary };
