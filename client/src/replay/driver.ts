// What the replay screen drives: a recording played at a speed, sought, verified, and seen
// as the plain round state the stage projects. Two engines stand behind it: the simulation
// in a Web Worker (./in-worker.ts), so that a seek or a fast replay of a big scenario never
// freezes the page, and in the page itself (./in-page.ts) where a browser has no workers.

import type { ReplayMarker, ReplayVerification } from '../../../shared/replay/player.js';
import type { Sim } from '../../../shared/sim/engine.js';
import type { Summary } from '../../../shared/sim/summary.js';
import type { PlainClusterState } from '../../../shared/view/plain.js';

export interface ReplayDriver {
  readonly endTick: number;
  readonly markers: readonly ReplayMarker[];
  /** The tick whose state is on screen (a seek in progress leaves it where it was). */
  readonly tick: number;
  readonly playing: boolean;
  /**
   * What is shown answers the latest play, pause, speed or seek asked for. In a worker, frames
   * it sent before it heard of a pause may still come in after `playing` turned false.
   */
  readonly answered: boolean;
  readonly speed: number;
  readonly verification: ReplayVerification;
  /** The round as it is at `tick`, for toView; null before the first frame. */
  readonly state: PlainClusterState | null;
  /** The speed achieved over the last second when clearly below the one asked for. */
  behind(): number | null;
  play(): void;
  pause(): void;
  setSpeed(speed: number): void;
  /**
   * Go to `tick`: a step when it is a little ahead, a jump otherwise. A newer seek replaces
   * one not yet done; resolves true once this one is shown, false when it was replaced.
   */
  seek(tick: number): Promise<boolean>;
  /** An independent copy of the simulation at the tick shown, to branch from. */
  branchSim(): Promise<Sim>;
  /** The round's final summary as the replay computes it (for a round the server never closed). */
  finalSummary(): Promise<Summary>;
  /** Frames start coming: `shown` after each new state, `settled` after every turn of the loop. */
  start(hooks: DriverHooks): void;
  /** No more frames (a branch takes over the page, or the screen is left). */
  stop(): void;
  /** Gone for good. */
  destroy(): void;
}

export interface DriverHooks {
  /** A new state to draw. */
  shown(): void;
  /** Texts that follow the playback: the clock, the verification, the speed achieved. */
  settled(): void;
}
