// When a replay stops being the recorded round: a checkpoint that does not match, or a
// recorded command the simulation refused. Kept apart from the panels (no DOM), so the
// replay's worker can stop playing at the same moment the page would.

import type { ReplayVerification } from '../../../shared/replay/player.js';

export function diverged(v: ReplayVerification): boolean {
  return v.mismatches.length > 0 || v.refused > 0;
}

/**
 * Whether the replay at `tick` is past the moment it left the recorded round. The viewer's
 * look-ahead may find a divergence further on (the banner says so at once), but the round
 * up to that moment is still the recorded one and plays on until there. A refused command
 * is found by the viewer itself, where it is.
 */
export function divergedBy(v: ReplayVerification, tick: number): boolean {
  return v.refused > 0 || (v.mismatches.length > 0 && v.mismatches[0]!.tick <= tick);
}
