// The `cluster` room's contracts outside its state: the options a client creates or joins
// it with, what it publishes in the lobby's listing, and the debrief it leaves in the state
// (ClusterState.debrief) at the end of a round. The server validates the options
// (server/rooms/options.ts); the client and the bots build them.

import type { RoundRecord } from '../lessons/pick.js';
import type { BudgetStory } from '../sim/error-budget.js';
import type { Summary } from '../sim/summary.js';
import type { Phase } from './messages.js';
import type { Difficulty } from '../scenarios/difficulty.js';

/** Join options a client may pass (validated by the room; unknown fields are refused). */
export interface JoinOptions {
  nickname?: string;
  /** The browser's random player key: lists its rounds; in a class, who the student is. */
  playerKey?: string;
  /** A scripted client (npm run bots); it is shown as a bot and does not vote. */
  bot?: boolean;
}

/** Room options for `create` / `joinOrCreate('cluster', …)`, validated by server/rooms/options.ts. */
export interface ClusterRoomOptions extends JoinOptions {
  scenario?: string;
  preset?: string;
  chaos?: string;
  /** 'easy' | 'normal' | 'hard' (default normal): scales the SLA, budget and how often faults strike. */
  difficulty?: string;
  seed?: number;
  /** Length of the live phase in seconds, 30–600 (default: the scenario's). */
  roundSeconds?: number;
  /** Solo / invitation only: never matched by joinOrCreate nor listed in the lobby. */
  private?: boolean;
  lobbySeconds?: number;
  briefingSeconds?: number;
  setupSeconds?: number;
  debriefSeconds?: number;
  /** How long a vote stays open, seconds. */
  voteSeconds?: number;
}

/** What a `cluster` room publishes in the lobby's realtime listing (RoomAvailable.metadata). */
export interface ClusterRoomMetadata {
  scenario: string;
  title: string;
  /** The round's difficulty (shared/scenarios/difficulty.ts). */
  difficulty: Difficulty;
  phase: Phase;
  /** Human players seated, and seats in all. */
  humans: number;
  seats: number;
}

/** What ClusterState.debrief holds (as JSON) once the round is over. */
export interface DebriefJson {
  /** shared/sim/summary.ts Summary: every measure of the round. */
  summary: Summary;
  players: { id: string; nickname: string; node: number; isBot: boolean; actions: number; served: number; contribution: number; anomalies: number }[];
  /** Accepted commands and checkpoints in the round's recording. */
  commands: number;
  checkpoints: number;
  /** The round ended early: the server shut down, or (endedBy) the class's teacher ended it. */
  interrupted: boolean;
  /** Who cut the round short when it was not the server: a class's teacher. */
  endedBy?: 'teacher';
  /**
   * The whole round, for the debrief's concept cards (shared/lessons/record.ts
   * roundRecordOf): every metric window, every chaos event, every accepted command with
   * `by` = the sender's nickname. Clients that saw only part of the round use this.
   */
  record: RoundRecord;
  /**
   * The SLA as an error budget (shared/round/budget-story.ts): failures allowed and spent,
   * by cause, and the stretches that spent the most. Left ≥ 0 exactly when the availability
   * promise was kept. Absent from debriefs made before it existed.
   */
  budget?: BudgetStory;
  /**
   * Node actions that helped (shared/round/credits.ts): when, who (actor key), and the
   * sentence ("After Ada's scale-out at 1:42, p99 latency fell from 600 ms to 180 ms").
   * Missing in debriefs recorded before credits existed.
   */
  credits?: { t: number; by: string; points: number; text: string }[];
}
