// The round's phases in a player's words: each phase's name, the line the feed shows when
// it starts, and how the replay's timeline and the class screens mark a round's course.

/** The phases of a round, in order (GAME.md "The round"). */
export type Phase = 'lobby' | 'briefing' | 'setup' | 'live' | 'debrief';
export const PHASES: readonly Phase[] = ['lobby', 'briefing', 'setup', 'live', 'debrief'];

export interface PhaseWords {
  /** The phase's name, as the HUD shows it. */
  name: string;
  /** The feed's line when the phase starts. */
  starts: string;
}

export const PHASE_WORDS: Readonly<Record<Phase, PhaseWords>> = {
  lobby: { name: 'lobby', starts: 'Waiting for players' },
  briefing: { name: 'briefing', starts: 'Briefing: read what the customer needs' },
  setup: { name: 'setup', starts: 'Setup: choose the architecture; the team votes on changes' },
  live: { name: 'live', starts: 'Live: traffic flows and chaos strikes' },
  debrief: { name: 'debrief', starts: 'The round is over: debrief' },
};

/** The feed's line when live time runs out and the simulation closes the round. */
export const ROUND_CLOSING_TEXT = 'The round is over: faults heal and the cluster converges';

/** The marks a recording keeps of a round's course, as the replay's timeline says them. */
export const RECORDED_PHASE_TEXT: Readonly<Record<'live' | 'debrief' | 'interrupted', string>> = {
  live: 'The round begins',
  debrief: 'The round ends',
  interrupted: 'The recording stops: the server stopped before the round ended',
};

/** A team's phase in its class once its room stopped reporting (its process died, or it crashed). */
export const TEAM_ROOM_LOST = 'gone';

/** A team's phase in a word for the class screens (a round not begun yet is "starting"). */
export function teamPhaseName(phase: string): string {
  if (phase === 'debrief') return 'finished';
  if (phase === TEAM_ROOM_LOST) return 'room lost';
  if (phase === 'briefing' || phase === 'setup' || phase === 'live') return PHASE_WORDS[phase].name;
  return 'starting';
}
