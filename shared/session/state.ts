// A classroom session as plain data: who is in the class and on which team, who was
// removed, the doors, the phase and round, the poll, the pushed card, what the teams have
// reported and the results so far. shared/session/flow.ts changes it; the session room
// copies it into its schema.

import type { ConceptId } from '../lessons/cards.js';
import type { SessionPhase, SessionSettings } from '../protocol/session.js';
import type { RoundResults, TeamResult } from './results.js';
import { DEFAULT_SESSION_SETTINGS } from './settings.js';
import { teamCountFor } from './teams.js';

/** Most students in one session. */
export const MAX_STUDENTS = 120;

export interface ClassStudent {
  /** Issued by the session (drawn by the server); stable across reconnections. */
  id: string;
  /** The hash of the browser's player key: who they are across reloads. */
  player: string;
  nickname: string;
  team: number;
  /** Placed by the host: rebalancing leaves them where they are. */
  pinned: boolean;
  connected: boolean;
}

/** A team of the current (or last) round. */
export interface ClassTeam {
  index: number;
  name: string;
  /** Its cluster room ('' until made). */
  roomId: string;
  /** Its cluster room's phase as last reported: briefing, setup, live, debrief ('' before); TEAM_ROOM_LOST (shared/words/phases.ts) once it stopped reporting. */
  phase: string;
  /** Wall-clock ms since its room last reported (or was made): a room silent too long is gone. */
  quietMs: number;
  /** Its room was made again this round after the first one went silent before the round began. */
  remade: boolean;
}

export interface ClassPoll {
  /** 0: no poll yet. */
  id: number;
  question: string;
  options: string[];
  counts: number[];
  answered: number;
  open: boolean;
  revealed: boolean;
  /** What really happens, when the host marked it; -1 not marked. */
  answer: number;
  /** Each student's choice (by student id); a student may change theirs while it is open. */
  answers: Map<string, number>;
}

/** What the session needs of a team's status report (the rest goes straight to the projector). */
export interface TeamReport {
  team: number;
  round: number;
  roomId: string;
  phase: string;
  /** The live phase's tick. */
  tick: number;
}

export interface ClassState {
  /** The join code students type (claimed by the server). */
  code: string;
  phase: SessionPhase;
  /** Rounds started so far (1 during the first). */
  round: number;
  paused: boolean;
  locked: boolean;
  allowLate: boolean;
  settings: SessionSettings;
  students: Map<string, ClassStudent>;
  /** Student id by player hash. */
  byPlayer: Map<string, string>;
  /** Removed students by player hash: refused until the host lets them back. */
  banned: Map<string, ClassStudent>;
  teams: ClassTeam[];
  poll: ClassPoll;
  /** The concept card the host pushed last ('' none). */
  card: ConceptId | '';
  /** This round's latest status per team. */
  reports: Map<number, TeamReport>;
  /** This round's results per team, as they arrive. */
  pending: Map<number, TeamResult>;
  /** Teams whose room was made this round: the results wait for these. */
  expected: Set<number>;
  /** Every finished round. */
  rounds: RoundResults[];
  /** This round's seed (every team plays it). */
  roundSeed: number;
}

export function newClassState(code = ''): ClassState {
  return {
    code, phase: 'lobby', round: 0, paused: false, locked: false, allowLate: true,
    settings: { ...DEFAULT_SESSION_SETTINGS },
    students: new Map(), byPlayer: new Map(), banned: new Map(), teams: [],
    poll: { id: 0, question: '', options: [], counts: [], answered: 0, open: false, revealed: false, answer: -1, answers: new Map() },
    card: '', reports: new Map(), pending: new Map(), expected: new Set(), rounds: [], roundSeed: 0,
  };
}

/** How many teams the settings give for the class as it is now. */
export function teamCount(st: ClassState): number {
  const set = st.settings;
  return teamCountFor(st.students.size, set.teamSize > 0 ? { teamSize: set.teamSize } : { teamCount: set.teamCount });
}
