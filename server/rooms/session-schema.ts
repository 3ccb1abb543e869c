// The state of a `session` room (a classroom session) on the wire: schema classes that
// implement its one definition (shared/view/session.ts, where the fields are documented).
// Plain data: the room fills it in; clients read it through the shared interfaces.

import { ArraySchema, MapSchema, Schema, type } from '@colyseus/schema';
import type { SessionPhase } from '../../shared/protocol/session.js';
import type { NodeStatus } from '../../shared/sim/state.js';
import type {
  BannedViewFields, PollViewFields, SessionSettingsViewFields, SessionStateFields, StudentViewFields, TeamViewFields,
} from '../../shared/view/session.js';
import type { TeamNodeStatus } from '../../shared/view/team-status.js';

// The session room's join options and welcome are shared/protocol contracts; the room takes them from here.
export type { SessionJoinOptions, SessionWelcome } from '../../shared/protocol/session.js';

export class StudentView extends Schema implements StudentViewFields {
  /** Issued by the session; stable across reconnections (it follows the browser's player key). */
  @type('string') id = '';
  @type('string') nickname = '';
  @type('int8') team = 0;
  @type('boolean') connected = true;
  /** Placed by the host: automatic balancing leaves them where they are. */
  @type('boolean') pinned = false;
}

/** A kicked student, whom the host may let back in. */
export class BannedView extends Schema implements BannedViewFields {
  @type('string') id = '';
  @type('string') nickname = '';
}

/** One team's cluster, compact enough for the projector to draw every team side by side. */
/** One node of a team's cluster (shared/view/team-status.ts TeamNodeStatus). */
export class TeamNodeView extends Schema implements TeamNodeStatus {
  @type('string') status: NodeStatus = 'up';
  @type('boolean') slow = false;
  @type('boolean') human = false;
  @type('uint8') leaderOf = 0;
  @type('uint8') group = 0;
}

export class TeamView extends Schema implements TeamViewFields {
  @type('uint8') index = 0;
  @type('string') name = '';
  /** The team's cluster room this round ('' before the round starts). */
  @type('string') roomId = '';
  @type('string') replayId = '';
  /** The cluster room's phase: briefing, setup, live, debrief ('' before). */
  @type('string') phase = '';
  @type('boolean') paused = false;
  @type('uint32') simMs = 0;
  @type('uint32') durationMs = 0;
  @type([TeamNodeView]) nodes = new ArraySchema<TeamNodeView>();
  @type('boolean') partitioned = false;
  @type('uint16') score = 0;
  @type('number') availability = 1;
  @type('uint32') staleReads = 0;
  @type('uint32') lostWrites = 0;
  @type('number') p99 = 0;
  /** Students of the team connected to its cluster room. */
  @type('uint8') humans = 0;
}

export class PollView extends Schema implements PollViewFields {
  /** 0: no poll yet. */
  @type('uint32') id = 0;
  @type('string') question = '';
  @type(['string']) options = new ArraySchema<string>();
  @type(['uint16']) counts = new ArraySchema<number>();
  @type('uint16') answered = 0;
  @type('boolean') open = false;
  @type('boolean') revealed = false;
  /** What really happens, when the host marked it; -1 not marked. */
  @type('int8') answer = -1;
}

export class SessionSettingsView extends Schema implements SessionSettingsViewFields {
  @type('string') scenario = 'bank';
  @type('string') preset = 'cp';
  @type('string') chaos = 'normal';
  @type('string') difficulty = 'normal';
  @type('uint16') roundSeconds = 180;
  @type('uint8') teamCount = 2;
  @type('uint8') teamSize = 0;
  @type('uint8') briefingSeconds = 20;
  @type('uint16') setupSeconds = 45;
}

export class SessionState extends Schema implements SessionStateFields {
  /** The join code students type ('' once the session has closed). */
  @type('string') code = '';
  /** The id the session's rounds are stored under (GET /api/rounds?session=…). */
  @type('string') sessionId = '';
  @type('string') phase: SessionPhase = 'lobby';
  /** Rounds started so far (1 during the first). */
  @type('uint16') round = 0;
  @type('boolean') locked = false;
  @type('boolean') allowLate = true;
  @type('boolean') paused = false;
  @type('boolean') hostConnected = true;
  @type(SessionSettingsView) settings = new SessionSettingsView();
  @type({ map: StudentView }) students = new MapSchema<StudentView>();
  @type({ map: BannedView }) banned = new MapSchema<BannedView>();
  @type([TeamView]) teams = new ArraySchema<TeamView>();
  @type(PollView) poll = new PollView();
  /** The concept card the host pushed last ('' none). */
  @type('string') card = '';
  /** JSON of RoundResults[] (shared/session/results.ts), every finished round of the session. */
  @type('string') results = '[]';
}
