// The `session` room's state (a classroom session), as the host's dashboard, the projector
// and every student's screen receive it: the room's schema (server/rooms/session-schema.ts)
// implements these, and the class screens read them (client/src/class/view.ts).

import type { SessionPhase } from '../protocol/session.js';
import type { List, Table } from './lists.js';
import type { TeamNodeStatus, TeamReportFields } from './team-status.js';

export interface StudentViewFields {
  /** Issued by the session; stable across reconnections (it follows the browser's player key). */
  id: string;
  nickname: string;
  team: number;
  connected: boolean;
  /** Placed by the host: automatic balancing leaves them where they are. */
  pinned: boolean;
}

/** A kicked student, whom the host may let back in. */
export interface BannedViewFields {
  id: string;
  nickname: string;
}

/**
 * One team's cluster, compact enough for the projector to draw every team side by side: its
 * room's last report (phase TEAM_ROOM_LOST once the room stopped reporting).
 */
export interface TeamViewFields extends TeamReportFields {
  index: number;
  name: string;
  /** Per node, as the team's room last reported it (shared/view/team-status.ts). */
  nodes: List<TeamNodeStatus>;
}

export interface PollViewFields {
  /** 0: no poll yet. */
  id: number;
  question: string;
  options: List<string>;
  counts: List<number>;
  answered: number;
  open: boolean;
  revealed: boolean;
  /** What really happens, when the host marked it; -1 not marked. */
  answer: number;
}

export interface SessionSettingsViewFields {
  scenario: string;
  preset: string;
  chaos: string;
  /** 'easy' | 'normal' | 'hard'. */
  difficulty: string;
  roundSeconds: number;
  teamCount: number;
  teamSize: number;
  briefingSeconds: number;
  setupSeconds: number;
}

export interface SessionStateFields {
  /** The join code students type ('' once the session has closed). */
  code: string;
  /** The id the session's rounds are stored under (GET /api/rounds?session=…). */
  sessionId: string;
  phase: SessionPhase;
  /** Rounds started so far (1 during the first). */
  round: number;
  locked: boolean;
  allowLate: boolean;
  paused: boolean;
  hostConnected: boolean;
  settings: SessionSettingsViewFields;
  students: Table<StudentViewFields>;
  banned: Table<BannedViewFields>;
  teams: List<TeamViewFields>;
  poll: PollViewFields;
  /** The concept card the host pushed last ('' none). */
  card: string;
  /** JSON of RoundResults[] (shared/session/results.ts), every finished round of the session. */
  results: string;
}
