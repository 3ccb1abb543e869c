// When a replay stops being the recorded round: a checkpoint that does not match, or a
// recorded command the simulation refused. Kept apart from the panels (no DOM), so the
// replay's worker can stop playing at the same moment the page would.

import type { ReplayVerification } from '../../../shared/replay/player.js';

export function diverged(v: ReplayVerification): boolean {
  return v.mismatches.length > 0 || v.refused > 0;
}
