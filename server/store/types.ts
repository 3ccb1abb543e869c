// The round store: where recordings live once a round starts, written as the round goes
// (begin → append about once a second → finish) so a killed process loses at most the last
// second, and read back whole for replays and in short for lists. One interface, two
// databases: SQLite embedded by default, PostgreSQL when DATABASE_URL says so.

import type { Checkpoint, PhaseMark, RecordedCommand, Recording, RosterChange } from '../../shared/replay/recording.js';
import type { Summary } from '../../shared/sim/summary.js';
import type { RoundFilter, RoundListItem } from '../../shared/protocol/rounds.js';

// The list's row and filter are the HTTP API's contract (shared/protocol/rounds.ts); the
// store's modules take them from here with the rest of the store's types.
export type { RoundFilter, RoundListItem, RoundStatus } from '../../shared/protocol/rounds.js';

/** What was recorded since the previous append (see takePart in parts.ts). */
export interface RecordingPart {
  commands: RecordedCommand[];
  checkpoints: Checkpoint[];
  rosterChanges: RosterChange[];
  phases: PhaseMark[];
  /** The recording's lastTick after these parts: every command of a lower tick has now been written. */
  lastTick: number;
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
