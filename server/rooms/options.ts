// Room and join options arrive from the network: every field is checked and bounded here,
// with shared/protocol's non-throwing building blocks, before a room uses any of them.

import { CHAOS_LEVELS, type ChaosLevel } from '../../shared/scenarios/chaos-types.js';
import { DIFFICULTIES, type Difficulty } from '../../shared/scenarios/difficulty.js';
import { PHASES, type Phase } from '../../shared/protocol/messages.js';
import { booleanOf, choiceOf, fieldsOf, guarded, intIn, Problem, type Validation } from '../../shared/protocol/validate.js';
import { getScenario, SCENARIO_IDS, type Scenario } from '../../shared/scenarios/index.js';
import { cleanNickname, PLAYER_KEY_PATTERN } from '../../shared/protocol/player.js';
import type { SessionLink } from '../../shared/protocol/session.js';

// Moved to shared/ (the session model uses them too); re-exported for the rooms' imports.
export { cleanNickname, isOffensive, NICKNAME_MAX, PLAYER_KEY_PATTERN, uniqueNickname } from '../../shared/protocol/player.js';
export type { SessionLink } from '../../shared/protocol/session.js';

export interface RoomConfig {
  scenario: Scenario;
  preset: string;
  chaos: ChaosLevel;
  /** How hard the round is: scales the scenario's SLA, budget and chaos frequency. */
  difficulty: Difficulty;
  /** Undefined: the room takes the next seed from the server's counter. */
  seed: number | undefined;
  roundSeconds: number;
  isPrivate: boolean;
  lobbySeconds: number;
  briefingSeconds: number;
  setupSeconds: number;
  debriefSeconds: number;
  voteSeconds: number;
  /** Set when the room is one team of a classroom session (created by the session room). */
  session: SessionLink | null;
}

export interface JoinConfig {
  nickname: string;
  bot: boolean;
  /** A random key the browser keeps to list its player's rounds later (never shown, stored hashed); null if none was sent. */
  playerKey: string | null;
}

export const ROUND_SECONDS = { min: 30, max: 600 } as const;
/** Phase lengths, seconds: the upper bounds are generous, 0 lets tests and solo play skip ahead. */
export const PHASE_BOUNDS = {
  lobbySeconds: { min: 0, max: 300, public: 15, private: 0 },
  briefingSeconds: { min: 0, max: 120, default: 20 },
  setupSeconds: { min: 0, max: 300, default: 45 },
  debriefSeconds: { min: 1, max: 3600, default: 600 },
  voteSeconds: { min: 1, max: 120, default: 30 },
} as const;

const JOIN_FIELDS = ['nickname', 'bot', 'playerKey'] as const;
const ROOM_FIELDS = ['scenario', 'preset', 'chaos', 'difficulty', 'seed', 'roundSeconds', 'private', 'session', ...Object.keys(PHASE_BOUNDS)];

/** Validate the options of `create` / `joinOrCreate('cluster', …)`. Never throws. */
export function parseRoomOptions(input: unknown): Validation<RoomConfig> {
  return guarded(() => {
    const fields = fieldsOf(input ?? {}, 'options', [...ROOM_FIELDS, ...JOIN_FIELDS]);
    if (fields instanceof Problem) return fields;
    const scenarioId = fields.get('scenario') ?? 'bank';
    const scenario = typeof scenarioId === 'string' ? getScenario(scenarioId) : undefined;
    if (scenario === undefined) return new Problem(`scenario must be one of: ${SCENARIO_IDS.join(', ')}`);
    const presets = Object.keys(scenario.presets);
    const preset = choiceOf(fields.get('preset') ?? 'cp', 'preset', presets);
    if (preset instanceof Problem) return preset;
    const chaos = choiceOf(fields.get('chaos') ?? 'normal', 'chaos', CHAOS_LEVELS);
    if (chaos instanceof Problem) return chaos;
    const difficulty = choiceOf(fields.get('difficulty') ?? 'normal', 'difficulty', DIFFICULTIES);
    if (difficulty instanceof Problem) return difficulty;
    const rawSeed = fields.get('seed');
    const seed = rawSeed === undefined ? undefined : intIn(rawSeed, 'seed', 0, 0xffffffff);
    if (seed instanceof Problem) return seed;
    const roundSeconds = intIn(fields.get('roundSeconds') ?? Math.round(scenario.durationMs / 1000), 'roundSeconds', ROUND_SECONDS.min, ROUND_SECONDS.max);
    if (roundSeconds instanceof Problem) return roundSeconds;
    const isPrivate = booleanOf(fields.get('private') ?? false, 'private');
    if (isPrivate instanceof Problem) return isPrivate;
    const phase = (key: keyof typeof PHASE_BOUNDS, fallback: number): number | Problem => {
      const b = PHASE_BOUNDS[key];
      return intIn(fields.get(key) ?? fallback, key, b.min, b.max);
    };
    const lobbySeconds = phase('lobbySeconds', isPrivate ? PHASE_BOUNDS.lobbySeconds.private : PHASE_BOUNDS.lobbySeconds.public);
    if (lobbySeconds instanceof Problem) return lobbySeconds;
    const briefingSeconds = phase('briefingSeconds', PHASE_BOUNDS.briefingSeconds.default);
    if (briefingSeconds instanceof Problem) return briefingSeconds;
    const setupSeconds = phase('setupSeconds', PHASE_BOUNDS.setupSeconds.default);
    if (setupSeconds instanceof Problem) return setupSeconds;
    const debriefSeconds = phase('debriefSeconds', PHASE_BOUNDS.debriefSeconds.default);
    if (debriefSeconds instanceof Problem) return debriefSeconds;
    const voteSeconds = phase('voteSeconds', PHASE_BOUNDS.voteSeconds.default);
    if (voteSeconds instanceof Problem) return voteSeconds;
    const join = parseJoinFields(fields);
    if (join instanceof Problem) return join;
    const session = fields.has('session') ? sessionLinkOf(fields.get('session')) : null;
    if (session instanceof Problem) return session;
    return { scenario, preset, chaos, difficulty, seed, roundSeconds, isPrivate, lobbySeconds, briefingSeconds, setupSeconds, debriefSeconds, voteSeconds, session };
  }, 'options');
}

/**
 * Validate the options a client joins with. Room options may ride along (joinOrCreate sends
 * the same object to create and join), so they are allowed here but ignored.
 */
export function parseJoinOptions(input: unknown): Validation<JoinConfig> {
  return guarded(() => {
    const fields = fieldsOf(input ?? {}, 'options', [...ROOM_FIELDS, ...JOIN_FIELDS]);
    if (fields instanceof Problem) return fields;
    return parseJoinFields(fields);
  }, 'options');
}

function sessionLinkOf(v: unknown): SessionLink | Problem {
  const f = fieldsOf(v, 'session', ['id', 'secret', 'team', 'round'], 'session.');
  if (f instanceof Problem) return f;
  const id = f.get('id');
  const secret = f.get('secret');
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return new Problem('session.id must be a session id');
  if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(secret)) return new Problem('session.secret must be the session\'s secret');
  const team = intIn(f.get('team'), 'session.team', 0, 11);
  if (team instanceof Problem) return team;
  const round = intIn(f.get('round'), 'session.round', 1, 10_000);
  if (round instanceof Problem) return round;
  return { id, secret, team, round };
}

function parseJoinFields(fields: Map<string, unknown>): JoinConfig | Problem {
  const bot = booleanOf(fields.get('bot') ?? false, 'bot');
  if (bot instanceof Problem) return bot;
  const raw = fields.get('nickname') ?? '';
  if (typeof raw !== 'string') return new Problem('nickname must be a string');
  if (raw.length > 100) return new Problem('nickname is too long (at most 20 characters)');
  const key = fields.get('playerKey');
  if (key !== undefined && (typeof key !== 'string' || !PLAYER_KEY_PATTERN.test(key))) return new Problem('playerKey must be 16-64 letters, digits, dashes or underscores');
  return { nickname: cleanNickname(raw), bot, playerKey: typeof key === 'string' ? key : null };
}

/** A `ready` message: nothing, {}, or { phase } naming the phase the sender is done with. Never throws. */
export function parseReadyMessage(input: unknown): Validation<Phase | undefined> {
  return guarded(() => {
    if (input === undefined || input === null) return undefined;
    const fields = fieldsOf(input, 'ready', ['phase']);
    if (fields instanceof Problem) return fields;
    if (!fields.has('phase')) return undefined;
    return choiceOf(fields.get('phase'), 'phase', PHASES);
  }, 'ready');
}
