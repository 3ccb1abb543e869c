// The tables as Kysely sees them, and the one place that turns database values into the
// store's types: PostgreSQL returns bigint columns as strings, SQLite has no booleans, and
// JSON travels as text in both.

import { createHash } from 'node:crypto';
import type { Checkpoint, PhaseMark, RecordedCommand, RosterChange, RosterEntry } from '../../shared/replay/recording.js';
import type { ChaosEvent } from '../../shared/scenarios/chaos-types.js';
import type { Difficulty } from '../../shared/scenarios/difficulty.js';
import type { ClusterSettings } from '../../shared/scenarios/settings.js';
import type { RoundListItem, RoundStatus } from './types.js';

export interface Tables {
  rounds: RoundsTable;
  round_log: RoundLogTable;
  round_players: RoundPlayersTable;
}

/** Numbers read back may be strings (PostgreSQL bigint); writes are always numbers. */
type Num = number | string;

export interface RoundsTable {
  id: string;
  format: string;
  room_id: string;
  scenario: string;
  preset: string;
  chaos: string;
  seed: Num;
  duration_ms: Num;
  tick_ms: Num;
  is_public: Num;
  session_id: string | null;
  status: RoundStatus;
  started_at: string;
  created_at: Num;
  updated_at: Num;
  ended_at: Num | null;
  last_tick: Num;
  next_seq: Num;
  /** JSON: string[], the human nicknames for lists. */
  players: string;
  /** JSON: Header. */
  header: string;
  /** JSON: Summary, once finished. */
  summary: string | null;
  score: Num | null;
  availability: Num | null;
  stale_reads: Num | null;
  lost_writes: Num | null;
}

export type LogKind = 'command' | 'checkpoint' | 'roster' | 'phase';

export interface RoundLogTable {
  round_id: string;
  seq: Num;
  kind: LogKind;
  tick: Num;
  /** JSON of the whole entry (its tick included), so it reads back exactly as written. */
  body: string;
}

export interface RoundPlayersTable {
  round_id: string;
  player_hash: string;
}

/** The parts of a recording that never change after begin and are only read whole. */
export interface Header {
  settings: ClusterSettings | null;
  /** Absent in rounds stored before difficulties existed: normal. */
  difficulty?: Difficulty;
  /** The simulation's rules: written since recording format 4 (older rows' format says which). */
  simVersion?: number;
  roster: RosterEntry[];
  chaosEvents: ChaosEvent[];
}

export type LogEntry =
  | { kind: 'command'; entry: RecordedCommand }
  | { kind: 'checkpoint'; entry: Checkpoint }
  | { kind: 'roster'; entry: RosterChange }
  | { kind: 'phase'; entry: PhaseMark };

/** Player keys are secrets that list a player's private rounds: only their digests are stored. */
export function playerHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function num(v: Num): number {
  return typeof v === 'number' ? v : Number(v);
}

export function numOrNull(v: Num | null): number | null {
  return v === null ? null : num(v);
}

export function flag(b: boolean): number {
  return b ? 1 : 0;
}

/** The columns a list reads: none of the JSON a replay needs. */
export const LIST_COLUMNS = [
  'id', 'scenario', 'preset', 'chaos', 'seed', 'duration_ms', 'is_public', 'session_id', 'status', 'started_at',
  'updated_at', 'last_tick', 'tick_ms', 'players', 'score', 'availability', 'stale_reads', 'lost_writes',
] as const;

/** What a list shows of a round, with the status a reader should believe at `now`. */
export function listItem(r: Pick<RoundsTable, (typeof LIST_COLUMNS)[number]>, now: number, abandonedAfterMs: number): RoundListItem {
  return {
    id: r.id,
    scenario: r.scenario,
    preset: r.preset,
    chaos: r.chaos,
    seed: num(r.seed),
    durationMs: num(r.duration_ms),
    isPublic: num(r.is_public) !== 0,
    sessionId: r.session_id,
    status: effectiveStatus(r, now, abandonedAfterMs),
    startedAt: r.started_at,
    lastTick: num(r.last_tick),
    tickMs: num(r.tick_ms),
    players: JSON.parse(r.players) as string[],
    score: numOrNull(r.score),
    availability: numOrNull(r.availability),
    staleReads: numOrNull(r.stale_reads),
    lostWrites: numOrNull(r.lost_writes),
  };
}

/** A live round whose writer has been silent too long is dead, whether or not a sweep has said so yet. */
export function effectiveStatus(r: Pick<RoundsTable, 'status' | 'updated_at'>, now: number, abandonedAfterMs: number): RoundStatus {
  return r.status === 'live' && now - num(r.updated_at) > abandonedAfterMs ? 'interrupted' : r.status;
}

/** Nicknames of humans among seat holders, without repeats, `known` first. */
export function humanNicknames(known: string[], entries: readonly RosterEntry[]): string[] {
  const out = [...known];
  for (const e of entries) if (!e.isBot && !out.includes(e.nickname)) out.push(e.nickname);
  return out;
}
