// The phases of a round:
//
//   lobby ──countdown──▶ briefing ──▶ setup ──▶ live ──▶ debrief ──▶ (room closes)
//
// Each phase but live runs on a wall-clock countdown (or ends early when everyone present
// is ready); live lasts the round's simulated duration, at the wall clock's pace.

import type { Phase } from '../protocol/messages.js';

export type { Phase };

/** How long each phase lasts, in wall-clock seconds (live: the round's simulated duration). */
export interface PhaseSeconds {
  lobbySeconds: number;
  briefingSeconds: number;
  setupSeconds: number;
  debriefSeconds: number;
}

/** The simulation's clock is shown (and feed entries are stamped with it) from live on. */
export function simClockRuns(phase: Phase): boolean {
  return phase === 'live' || phase === 'debrief';
}
