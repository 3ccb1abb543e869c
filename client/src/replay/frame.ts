// The two things every replay engine does the same way, in the page or in a worker: moving
// the player to a tick asked for (stepping when it is a little ahead, so the projection
// carries on; jumping otherwise, after which it starts afresh), and projecting the player's
// simulation into the stage the screens draw (the round's judged result once it is over).

import type { ReplayPlayer } from '../../../shared/replay/player.js';
import type { Recording } from '../../../shared/replay/recording.js';
import { seatsAt, type SimStage } from './stage.js';

/** Forward by at most this much simulated time is a step, not a jump. */
const STEP_MS = 5000;

/** Whether going from `from` to `to` is a jump (a seek) rather than steps forward. */
export function isJump(from: number, to: number, tickMs: number): boolean {
  return !(to > from && to - from <= Math.round(STEP_MS / tickMs));
}

/**
 * Move `p` towards `to`; with `stop`, it may end short of it (call again to go on). Returns
 * true once there.
 */
export function moveTo(p: ReplayPlayer, to: number, jump: boolean, stop?: () => boolean): boolean {
  if (jump) p.seek(to, stop);
  else p.stepTo(to, stop);
  return p.tick === to;
}

/** The player's simulation as the screens show it. */
export function project(stage: SimStage, p: ReplayPlayer, rec: Recording): void {
  const atEnd = p.tick >= p.endTick;
  const closed = atEnd && !rec.interrupted && rec.summary !== null;
  stage.show(p.sim, closed ? 'debrief' : 'live', seatsAt(rec.roster, rec.rosterChanges, p.tick), closed ? rec.summary : null);
}
