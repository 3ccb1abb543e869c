// The round store: where recordings live once a round starts, written as the round goes
// (begin → append about once a second → finish) so a killed process loses at most the last
// second, and read back whole for replays and in short for lists. One interface, two
// databases: SQLite embedded by default, PostgreSQL when DATABASE_URL says so.

import type { Checkpoint, PhaseMark, RecordedCommand, Recording, RosterChange } from '../../shared/replay/recording.js';
import type { Summary } from '../../shared/sim/summary.js';

export type RoundStatus = 'live' | 'finished' | 'interrupted';

/** What was recorded since the previous append (see takePart in parts.ts). */
export interface RecordingPart {
  commands: RecordedCommand[];
  checkpoints: Checkpoint[];
  rosterChanges: RosterChange[];
  phases: PhaseMark[];
  /** The recording's lastTick after these parts: every command of a lower tick has now been written. */
  lastTick: number;
}

export interface RoundListItem {
  id: string;
  scenario: string;
  preset: string;
  chaos: string;
  seed: number;
  durationMs: number;
  isPublic: boolean;
  sessionId: string | null;
  status: RoundStatus;
  startedAt: string;
  lastTick: number;
  tickMs: number;
  /** Nicknames of the humans who held a seat (at the start or later), in order of arrival. */
  players: string[];
  /** From the summary; null until the round ends (and for a round that died without one). */
  score: number | null;
  availability: number | null;
  staleReads: number | null;
  lostWrites: number | null;
}

export interface StoredRound {
  item: RoundListItem;
  /**
   * The whole recording. When the round is interrupted, `interrupted` is true, `lastTick` is
   * the last one written, and a round that died without finishing gets a closing
   * 'interrupted' phase mark at lastTick so the replay's timeline shows where it stopped.
   */
  recording: Recording;
}

export interface RoundFilter {
  /** A raw player key: every round that key played in, public or not. */
  player?: string;
  /** A classroom session id: that session's rounds. */
  session?: string;
  /** Default DEFAULT_LIST_LIMIT, at most MAX_LIST_LIMIT, at least 1. */
  limit?: number;
}

export interface RoundStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Store a round as its live phase starts. `rec` may already hold commands, checkpoints,
   * phase marks and roster changes: all are stored. `playerKeys` are raw player keys; only
   * their hashes are kept. Fails with code 'round-exists' when the id is taken.
   */
  begin(id: string, rec: Recording, playerKeys: string[]): Promise<void>;
  /** Add what was recorded since the last write, in one transaction; also marks the round as alive. */
  append(id: string, part: RecordingPart): Promise<void>;
  /** Someone joined mid-round: their rounds list should include this one. */
  addPlayerKeys(id: string, keys: string[]): Promise<void>;
  /** The last part, the summary, and the round's end (interrupted when the server stopped it early). */
  finish(id: string, part: RecordingPart, summary: Summary, interrupted: boolean): Promise<void>;
  /** The round with its whole recording, or null when there is none by that id. */
  get(id: string): Promise<StoredRound | null>;
  /**
   * Newest first. Without player or session: recent public rounds. With player: every round
   * that player key played in, public or not. With session: that session's rounds. Both
   * filters together: that player's rounds of that session. A live round not written for
   * ABANDONED_AFTER_MS is reported as interrupted.
   */
  list(filter?: RoundFilter): Promise<RoundListItem[]>;
  /**
   * Rounds still 'live' whose last write is older than `olderThanMs` before `now` were left
   * by a dead process: mark them interrupted. Returns how many.
   */
  markAbandoned(now: number, olderThanMs: number): Promise<number>;
  /** Wait for the writes already asked for, then release the database. */
  close(): Promise<void>;
}

/** A live round not written for this long belongs to a dead process. */
export const ABANDONED_AFTER_MS = 5000;
export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

export type RoundStoreErrorCode = 'round-exists' | 'unknown-round' | 'round-closed' | 'store-closed';

/** A refusal the caller can act on (log it, pick another id); the database is left as it was. */
export class RoundStoreError extends Error {
  constructor(
    readonly code: RoundStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RoundStoreError';
  }
}
