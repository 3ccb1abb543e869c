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

/** What the feed says when a phase begins. */
export const PHASE_TEXT: Record<Phase, string> = {
  lobby: 'Waiting for players',
  briefing: 'Briefing: read what the customer needs',
  setup: 'Setup: choose the architecture; the team votes on changes',
  live: 'Live: traffic flows and chaos strikes',
  debrief: 'The round is over: debrief',
};

/** Phases before the live one, where `ready` may end the wait early. */
export function waitsForReady(phase: Phase): boolean {
  return phase === 'lobby' || phase === 'briefing' || phase === 'setup';
}

/** The simulation's clock is shown (and feed entries are stamped with it) from live on. */
export function simClockRuns(phase: Phase): boolean {
  return phase === 'live' || phase === 'debrief';
}
