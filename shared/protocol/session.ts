// Classroom sessions: the messages between the host's and students' browsers and the
// `session` room, and their validators. Pure data; the room validates here before acting.
//
//   host    → `host`   HostAction          (only the host's connection; anyone else: forbidden)
//   student → `answer` PollAnswer          (an open poll; one answer per student, may change it)
//   room    → `error`  ErrorMessage, `card` CardMessage (a concept card the host pushed), `kicked`

import type { Command } from './commands.js';
import { CHAOS_KINDS, CHAOS_LEVELS, type ChaosKind, type ChaosLevel } from '../scenarios/chaos-types.js';
import { DIFFICULTIES, type Difficulty } from '../scenarios/difficulty.js';
import { CONCEPT_IDS, type ConceptId } from '../lessons/cards.js';
import { SCENARIO_IDS, getScenario, type ScenarioId } from '../scenarios/index.js';
import { CHAOS_BOUNDS, Problem, booleanOf, choiceOf, fieldsOf, guarded, intIn, numberIn, type Validation } from './validate.js';

/** Most teams a class splits into, and most students a team holds. */
export const MAX_TEAMS = 12;
export const MAX_TEAM_SIZE = 15;

export const SESSION_MSG = { host: 'host', answer: 'answer', error: 'error', card: 'card', kicked: 'kicked' } as const;

export const SESSION_PHASES = ['lobby', 'running', 'results'] as const;
/** lobby: students join, the host sets up; running: the teams' rounds are on; results: the last round is over. */
export type SessionPhase = (typeof SESSION_PHASES)[number];

/** Round lengths a host may choose, seconds (the cluster room's bounds). */
export const SESSION_ROUND_SECONDS = { min: 30, max: 600 } as const;
export const POLL_LIMITS = { question: 160, option: 60, minOptions: 2, maxOptions: 5 } as const;

/** What the host may set in the lobby (and between rounds). */
export interface SessionSettings {
  scenario: ScenarioId;
  preset: string;
  /** How much chaos the seed schedules. */
  chaos: ChaosLevel;
  /** How hard every team's round is: the SLA, budget and fault frequency (shared/scenarios/difficulty.ts). */
  difficulty: Difficulty;
  roundSeconds: number;
  /** How many teams (used when teamSize is 0). */
  teamCount: number;
  /** Students per team; 0 = split into teamCount teams instead. */
  teamSize: number;
  briefingSeconds: number;
  setupSeconds: number;
}

export type HostAction =
  | { action: 'settings'; settings: Partial<SessionSettings> }
  | { action: 'lock'; locked: boolean }
  | { action: 'late-join'; allow: boolean }
  | { action: 'move'; student: string; team: number }
  | { action: 'kick'; student: string }
  /** Let a kicked student join again (their entry in SessionState.banned). */
  | { action: 'allow'; student: string }
  | { action: 'rename'; student: string; nickname: string }
  | { action: 'start' }
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'end' }
  | { action: 'next' }
  /** Strike every team's cluster with the same fault at the same simulated moment. */
  | { action: 'chaos'; kind: ChaosKind; target: number; durationMs: number; magnitude: number }
  | { action: 'card'; card: ConceptId }
  | { action: 'poll'; question: string; options: string[] }
  /** Show the answers; `answer` marks what really happens, when the host knows it. */
  | { action: 'reveal'; answer?: number }
  | { action: 'close-poll' }
  /** Close the class: every student is told, the team rooms close, the join code is freed. */
  | { action: 'close' };

export type HostActionName = HostAction['action'];

export interface PollAnswer {
  poll: number;
  choice: number;
}

export interface CardMessage {
  card: ConceptId;
}

export interface KickedMessage {
  reason: string;
}

// ---------------------------------------------------------------------------------
// Between a session room and its team rooms (carried by presence: server/sessions/bus.ts)

/** A team room's tie to its classroom session, given in its room options by the session room. */
export interface SessionLink {
  id: string;
  /** Proves the session room created this room (checked against presence). */
  secret: string;
  team: number;
  round: number;
}

/** What a team room is told by its session. */
export type SessionDown =
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'end' }
  /** Apply `command` when the live phase reaches `atTick` (the same tick in every team). */
  | { type: 'chaos'; command: Command & { type: 'chaos' }; atTick: number }
  | { type: 'kick'; player: string }
  | { type: 'rename'; player: string; nickname: string }
  /** The session is over or has moved to another round: close. */
  | { type: 'close'; round: number };

/** A student as their team room needs to know them: the team, and the name the class knows them by. */
export interface Membership {
  team: number;
  nickname: string;
}

/** Student ids are issued by the session room: short, URL-safe. */
export const STUDENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

const ACTION_FIELDS: Readonly<Record<HostActionName, readonly string[]>> = {
  settings: ['settings'],
  lock: ['locked'],
  'late-join': ['allow'],
  move: ['student', 'team'],
  kick: ['student'],
  allow: ['student'],
  rename: ['student', 'nickname'],
  start: [],
  pause: [],
  resume: [],
  end: [],
  next: [],
  chaos: ['kind', 'target', 'durationMs', 'magnitude'],
  card: ['card'],
  poll: ['question', 'options'],
  reveal: ['answer'],
  'close-poll': [],
  close: [],
};
export const HOST_ACTIONS = Object.keys(ACTION_FIELDS) as readonly HostActionName[];

const SETTINGS_FIELDS = ['scenario', 'preset', 'chaos', 'difficulty', 'roundSeconds', 'teamCount', 'teamSize', 'briefingSeconds', 'setupSeconds'] as const;

/** Validate a `host` message. Never throws; the value is a fresh copy. */
export function validateHostAction(input: unknown): Validation<HostAction> {
  return guarded(() => {
    const outer = fieldsOf(input, 'message', ['action', ...new Set(Object.values(ACTION_FIELDS).flat())]);
    if (outer instanceof Problem) return outer;
    const action = choiceOf(outer.get('action'), 'action', HOST_ACTIONS);
    if (action instanceof Problem) return action;
    for (const key of outer.keys()) if (key !== 'action' && !ACTION_FIELDS[action].includes(key)) return new Problem(`'${action}' takes no field '${key}'`);
    const f = outer;
    switch (action) {
      case 'settings': {
        const s = sessionSettingsOf(f.get('settings'));
        return s instanceof Problem ? s : { action, settings: s };
      }
      case 'lock': {
        const locked = booleanOf(f.get('locked'), 'locked');
        return locked instanceof Problem ? locked : { action, locked };
      }
      case 'late-join': {
        const allow = booleanOf(f.get('allow'), 'allow');
        return allow instanceof Problem ? allow : { action, allow };
      }
      case 'move': {
        const student = studentOf(f.get('student'));
        if (student instanceof Problem) return student;
        const team = intIn(f.get('team'), 'team', 0, MAX_TEAMS - 1);
        return team instanceof Problem ? team : { action, student, team };
      }
      case 'kick':
      case 'allow': {
        const student = studentOf(f.get('student'));
        return student instanceof Problem ? student : { action, student };
      }
      case 'rename': {
        const student = studentOf(f.get('student'));
        if (student instanceof Problem) return student;
        const nickname = f.get('nickname');
        if (typeof nickname !== 'string' || nickname.trim() === '' || nickname.length > 100) return new Problem('nickname must be 1-20 characters');
        return { action, student, nickname };
      }
      case 'start':
      case 'pause':
      case 'resume':
      case 'end':
      case 'next':
      case 'close-poll':
      case 'close':
        return { action };
      case 'chaos': {
        const kind = choiceOf(f.get('kind'), 'kind', CHAOS_KINDS);
        if (kind instanceof Problem) return kind;
        const b = CHAOS_BOUNDS[kind];
        const target = intIn(f.get('target') ?? 0, 'target', 0, 1000);
        if (target instanceof Problem) return target;
        const durationMs = intIn(f.get('durationMs') ?? 20_000, 'durationMs', b.durationMs[0], b.durationMs[1]);
        if (durationMs instanceof Problem) return durationMs;
        const magnitude = numberIn(f.get('magnitude') ?? defaultMagnitude(kind), 'magnitude', b.magnitude[0], b.magnitude[1]);
        if (magnitude instanceof Problem) return magnitude;
        return { action, kind, target, durationMs, magnitude };
      }
      case 'card': {
        const card = choiceOf(f.get('card'), 'card', CONCEPT_IDS);
        return card instanceof Problem ? card : { action, card };
      }
      case 'poll': {
        const question = f.get('question');
        if (typeof question !== 'string' || question.trim() === '' || question.length > POLL_LIMITS.question) return new Problem(`question must be 1-${POLL_LIMITS.question} characters`);
        const options = f.get('options');
        if (!Array.isArray(options) || options.length < POLL_LIMITS.minOptions || options.length > POLL_LIMITS.maxOptions) return new Problem(`options must be a list of ${POLL_LIMITS.minOptions}-${POLL_LIMITS.maxOptions} answers`);
        const clean: string[] = [];
        for (let i = 0; i < options.length; i++) {
          const o: unknown = options[i];
          if (typeof o !== 'string' || o.trim() === '' || o.length > POLL_LIMITS.option) return new Problem(`option ${i + 1} must be 1-${POLL_LIMITS.option} characters`);
          clean.push(o.trim());
        }
        return { action, question: question.trim(), options: clean };
      }
      case 'reveal': {
        if (!f.has('answer')) return { action };
        const answer = intIn(f.get('answer'), 'answer', 0, POLL_LIMITS.maxOptions - 1);
        return answer instanceof Problem ? answer : { action, answer };
      }
    }
  }, 'message');
}

/** Validate partial session settings (the host's choices; the room fills in the rest). */
export function validateSessionSettings(input: unknown): Validation<Partial<SessionSettings>> {
  return guarded(() => sessionSettingsOf(input), 'settings');
}

/** Validate a student's `answer`. Never throws. */
export function validatePollAnswer(input: unknown): Validation<PollAnswer> {
  return guarded(() => {
    const f = fieldsOf(input, 'answer', ['poll', 'choice']);
    if (f instanceof Problem) return f;
    const poll = intIn(f.get('poll'), 'poll', 1, 2 ** 31 - 1);
    if (poll instanceof Problem) return poll;
    const choice = intIn(f.get('choice'), 'choice', 0, POLL_LIMITS.maxOptions - 1);
    return choice instanceof Problem ? choice : { poll, choice };
  }, 'answer');
}

function sessionSettingsOf(input: unknown): Partial<SessionSettings> | Problem {
  const f = fieldsOf(input, 'settings', SETTINGS_FIELDS, 'settings.');
  if (f instanceof Problem) return f;
  const out: Partial<SessionSettings> = {};
  if (f.has('scenario')) {
    const s = choiceOf(f.get('scenario'), 'scenario', SCENARIO_IDS);
    if (s instanceof Problem) return s;
    out.scenario = s;
  }
  if (f.has('preset')) {
    const p = f.get('preset');
    if (typeof p !== 'string' || !/^[a-z-]{1,32}$/.test(p)) return new Problem('preset must be a preset name of the scenario');
    // Checked against the scenario (this one's, or the session's) by checkPreset.
    out.preset = p;
  }
  if (f.has('chaos')) {
    const c = choiceOf(f.get('chaos'), 'chaos', CHAOS_LEVELS);
    if (c instanceof Problem) return c;
    out.chaos = c;
  }
  if (f.has('difficulty')) {
    const d = choiceOf(f.get('difficulty'), 'difficulty', DIFFICULTIES);
    if (d instanceof Problem) return d;
    out.difficulty = d;
  }
  const ints: [keyof SessionSettings & ('roundSeconds' | 'teamCount' | 'teamSize' | 'briefingSeconds' | 'setupSeconds'), number, number][] = [
    ['roundSeconds', SESSION_ROUND_SECONDS.min, SESSION_ROUND_SECONDS.max],
    ['teamCount', 1, MAX_TEAMS],
    ['teamSize', 0, MAX_TEAM_SIZE],
    ['briefingSeconds', 0, 120],
    ['setupSeconds', 0, 300],
  ];
  for (const [key, min, max] of ints) {
    if (!f.has(key)) continue;
    const v = intIn(f.get(key), key, min, max);
    if (v instanceof Problem) return v;
    out[key] = v;
  }
  return out;
}

/** A preset must be one of the scenario's; null when it is, the problem in words when not. */
export function checkPreset(scenario: string, preset: string): string | null {
  const sc = getScenario(scenario);
  if (sc === undefined) return `unknown scenario '${scenario}'`;
  return preset in sc.presets ? null : `preset must be one of: ${Object.keys(sc.presets).join(', ')}`;
}

function studentOf(v: unknown): string | Problem {
  return typeof v === 'string' && STUDENT_ID_PATTERN.test(v) ? v : new Problem('student must be a student id from the session');
}

/** A host's chaos without a magnitude gets a fault that shows but does not flatten the cluster. */
function defaultMagnitude(kind: ChaosKind): number {
  switch (kind) {
    case 'slow-node':
      return 0.25;
    case 'latency-spike':
      return 300;
    case 'message-loss':
      return 0.2;
    case 'clock-skew':
      return 5000;
    case 'load-surge':
      return 3;
    case 'hot-key':
      return 0.5;
    case 'flood':
      return 800;
    default:
      return 0;
  }
}

// ---------------------------------------------------------------------------------
// Joining the `session` room

/** Options of `create('session', …)` (the host) and `joinById(id, …)` (host or student). */
export interface SessionJoinOptions {
  /** The host's browser key: whoever joins with it is the host. */
  hostKey?: string;
  /** A student's join code (must match the room's). */
  code?: string;
  nickname?: string;
  /** The browser's player key: who the student is, across reloads. */
  playerKey?: string;
}

/** The room's answer to a student's join: their student id (the client finds itself in `students`). */
export interface SessionWelcome {
  role: 'host' | 'student';
  studentId: string;
}
