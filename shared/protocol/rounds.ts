// The stored rounds as the HTTP API lists them (GET /api/rounds, server/api.ts): one row
// per round and the list's filter. The store fills them; the replays screen reads them.

export type RoundStatus = 'live' | 'finished' | 'interrupted';

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

export interface RoundFilter {
  /** A raw player key: every round that key played in, public or not. */
  player?: string;
  /** A classroom session id: that session's rounds. */
  session?: string;
  /** Default DEFAULT_LIST_LIMIT, at most MAX_LIST_LIMIT, at least 1 (server/store/types.ts). */
  limit?: number;
}
