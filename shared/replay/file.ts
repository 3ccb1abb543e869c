// A recording read from outside: a file a player opens, a body a server hands back. Such
// input may be anything (another file, an older or newer format, a damaged or edited
// recording), so it is checked the way protocol messages are (validate.ts): field by field,
// never throwing, naming the first problem, and giving back a fresh copy. What it accepts
// the replay player can run: a known scenario and preset, commands the command validator
// accepts, ticks in range and in order, checkpoints shaped as checkpointHash makes them.
// Files of every format in ./revisions.ts are read; what comes back is always the current
// format, naming the scenario revision and the simulation rules the round ran on, so
// everything downstream sees one format.

import { CHAOS_KINDS, CHAOS_LEVELS, type ChaosEvent } from '../scenarios/chaos-types.js';
import { DIFFICULTIES } from '../scenarios/difficulty.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import type { Summary } from '../sim/summary.js';
import { runnableScenario } from '../scenarios/index.js';
import {
  booleanOf, CHAOS_BOUNDS, choiceOf, fieldsOf, guarded, intIn, MAX_CHAOS_TARGET, MAX_KEYS, MAX_NODES, MAX_STRING, numberIn,
  Problem, quote, validateCommand, validateSettings, type Validation,
} from '../protocol/validate.js';
import {
  RECORDING_FORMAT, TICK_MS, type Checkpoint, type PhaseMark, type RecordedCommand, type Recording, type RosterChange,
  type RosterEntry,
} from './recording.js';
import { RECORDING_FORMATS, recordedScenarioId, recordedSimVersion } from './revisions.js';
import { SIM_VERSIONS } from '../sim/state.js';

/** A recording file larger than this is refused unread (a 10-minute round is well under 5 MB). */
export const MAX_RECORDING_CHARS = 50 * 1024 * 1024;

/** Sane bounds on what one round can hold; anything beyond is damage or mischief. */
export const RECORDING_LIMITS = {
  /** An hour; rounds last at most 10 minutes. */
  durationMs: 3_600_000,
  commands: 200_000,
  rosterChanges: 10_000,
  chaosEvents: 10_000,
  phases: 100,
  /** Characters of a nickname or a player key. */
  name: MAX_STRING,
} as const;

/** Check untrusted input as a recording. Never throws; the value is a fresh copy. */
export function parseRecording(input: unknown): Validation<Recording> {
  const r = guarded(() => recordingOf(input), 'recording');
  if (!r.ok && r.error === 'recording could not be read') return { ok: false, error: 'This recording could not be read' };
  return r;
}

/** Check a file's contents as a recording: size, JSON, then parseRecording. Never throws. */
export function parseRecordingText(text: string): Validation<Recording> {
  if (typeof text !== 'string') return { ok: false, error: 'This is not a Split Brain recording (no text to read)' };
  if (text.length > MAX_RECORDING_CHARS) {
    return { ok: false, error: `This file is too large to be a Split Brain recording (over ${MAX_RECORDING_CHARS / 1024 / 1024} MB)` };
  }
  if (text.trim() === '') return { ok: false, error: 'This file is empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : '';
    return { ok: false, error: `This file is not valid JSON, so it is not a Split Brain recording, or it was cut short or damaged${why === '' ? '' : ` (${why})`}` };
  }
  return parseRecording(value);
}

/** The recording as a file's contents: JSON, fields in the format's order. */
export function serializeRecording(rec: Recording): string {
  const ordered: Recording = {
    format: rec.format, roomId: rec.roomId, scenario: rec.scenario, preset: rec.preset, settings: rec.settings, chaos: rec.chaos,
    difficulty: rec.difficulty, simVersion: rec.simVersion, seed: rec.seed, durationMs: rec.durationMs, tickMs: rec.tickMs, startedAt: rec.startedAt, isPublic: rec.isPublic,
    sessionId: rec.sessionId, lastTick: rec.lastTick, interrupted: rec.interrupted, roster: rec.roster,
    rosterChanges: rec.rosterChanges, chaosEvents: rec.chaosEvents, phases: rec.phases, commands: rec.commands,
    checkpoints: rec.checkpoints, summary: rec.summary,
  };
  return `${JSON.stringify(ordered)}\n`;
}

/** A file name that says what the round was: `splitbrain-bank-seed7-2026-03-14-0930.json`. */
export function recordingFileName(rec: Recording): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  const parts = ['splitbrain', safe(String(rec.scenario)) || 'round', `seed${rec.seed >>> 0}`];
  // The start as written (ISO 8601, UTC): its date and minute, no clock involved.
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(typeof rec.startedAt === 'string' ? rec.startedAt : '');
  if (m !== null) parts.push(`${m[1]}-${m[2]}-${m[3]}-${m[4]}${m[5]}`);
  if (rec.interrupted === true) parts.push('interrupted');
  return `${parts.join('-')}.json`;
}

// ---------------------------------------------------------------------------------------

const NOT_A_RECORDING = 'This is not a Split Brain recording';
const HASH = /^[0-9a-f]{16}$/;
const PHASES: readonly PhaseMark['phase'][] = ['live', 'debrief', 'interrupted'];
const SOURCES: readonly ChaosEvent['source'][] = ['schedule', 'host'];

/**
 * Every field of the format that must be there (others, from a newer writer of the same
 * version, are dropped). `difficulty` came later and may be missing: older files read as normal.
 */
const FIELDS = [
  'format', 'roomId', 'scenario', 'preset', 'settings', 'chaos', 'seed', 'durationMs', 'tickMs', 'roster', 'rosterChanges',
  'chaosEvents', 'phases', 'commands', 'checkpoints', 'lastTick', 'interrupted', 'startedAt', 'isPublic', 'sessionId', 'summary',
] as const;

function damaged(where: string, problem: Problem | string): Problem {
  const why = problem instanceof Problem ? problem.error : problem;
  return new Problem(`This recording is damaged: ${where === '' ? why : `${where}: ${why}`}`);
}

function recordingOf(input: unknown): Recording | Problem {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return new Problem(NOT_A_RECORDING);
  const top = fieldsOf(input, 'the file', null);
  if (top instanceof Problem) return new Problem(`${NOT_A_RECORDING} (${top.error})`);
  const format = top.get('format');
  if (typeof format !== 'string' || !RECORDING_FORMATS.includes(format)) {
    if (typeof format === 'string' && format.startsWith('splitbrain-recording/')) {
      const named = RECORDING_FORMATS.map((f) => `'${f}'`);
      const known = `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
      return new Problem(`This file is a Split Brain recording of an unknown version (${quote(format)}; this game reads ${known})`);
    }
    if (typeof format === 'string' && format.startsWith('splitbrain-history/')) {
      return new Problem(`${NOT_A_RECORDING}: it is an operation history (for consistency checkers), which cannot be replayed`);
    }
    return new Problem(NOT_A_RECORDING);
  }
  for (const f of FIELDS) if (!top.has(f)) return damaged('', `the field '${f}' is missing`);

  const text = (name: string, max: number): string | Problem => {
    const v = top.get(name);
    if (typeof v !== 'string') return damaged(name, 'must be text');
    return v.length > max ? damaged(name, `is too long (over ${max} characters)`) : v;
  };
  const roomId = text('roomId', MAX_STRING);
  if (roomId instanceof Problem) return roomId;
  const scenarioId = text('scenario', MAX_STRING);
  if (scenarioId instanceof Problem) return scenarioId;
  // The revision the round ran on: a format-1 telemetry round ran on 'telemetry@1'.
  const runnable = recordedScenarioId(format, scenarioId);
  const sc = runnable === undefined ? undefined : runnableScenario(runnable);
  if (sc === undefined) return damaged('scenario', `there is no scenario ${quote(scenarioId)} in this game`);
  const preset = text('preset', MAX_STRING);
  if (preset instanceof Problem) return preset;
  if (!Object.hasOwn(sc.presets, preset)) return damaged('preset', `the ${sc.id} scenario has no preset ${quote(preset)}`);
  let settings: ClusterSettings | null = null;
  if (top.get('settings') !== null) {
    const s = validateSettings(top.get('settings'));
    if (!s.ok) return damaged('settings', s.error);
    settings = s.value as ClusterSettings;
  }
  const chaos = choiceOf(top.get('chaos'), 'chaos', CHAOS_LEVELS);
  if (chaos instanceof Problem) return damaged('', chaos);
  // Absent in files written before difficulties existed: those rounds were normal ones.
  const difficulty = top.has('difficulty') ? choiceOf(top.get('difficulty'), 'difficulty', DIFFICULTIES) : 'normal';
  if (difficulty instanceof Problem) return damaged('', difficulty);
  // Formats before 4 ran on rules 1 whatever they hold here; later ones must name known rules.
  const named = top.get('simVersion');
  const simVersion = recordedSimVersion(format, named);
  if (simVersion === undefined) {
    const known = SIM_VERSIONS.join(' or ');
    // A whole number past ours is a newer game's rules, not damage: say so.
    const newer = typeof named === 'number' && Number.isInteger(named) && named > SIM_VERSIONS[SIM_VERSIONS.length - 1]!;
    return newer
      ? new Problem(`This recording was played under newer simulation rules (${named}) than this game has (${known}): open it in a newer version of the game`)
      : damaged('simVersion', `must be the simulation's rules the round ran on (${known})`);
  }
  const seed = intIn(top.get('seed'), 'seed', 0, 0xffff_ffff);
  if (seed instanceof Problem) return damaged('', seed);
  if (top.get('tickMs') !== TICK_MS) return damaged('tickMs', `must be ${TICK_MS} (the simulation's step)`);
  const durationMs = intIn(top.get('durationMs'), 'durationMs', TICK_MS, RECORDING_LIMITS.durationMs);
  if (durationMs instanceof Problem) return damaged('', durationMs);
  if (durationMs % TICK_MS !== 0) return damaged('durationMs', `must be a whole number of ${TICK_MS} ms steps`);
  const fullTicks = durationMs / TICK_MS;
  const interrupted = booleanOf(top.get('interrupted'), 'interrupted');
  if (interrupted instanceof Problem) return damaged('', interrupted);
  const lastTick = intIn(top.get('lastTick'), 'lastTick', 0, fullTicks);
  if (lastTick instanceof Problem) return damaged('', lastTick);
  const startedAt = text('startedAt', 64);
  if (startedAt instanceof Problem) return startedAt;
  const isPublic = booleanOf(top.get('isPublic'), 'isPublic');
  if (isPublic instanceof Problem) return damaged('', isPublic);
  const sessionRaw = top.get('sessionId');
  if (sessionRaw !== null && (typeof sessionRaw !== 'string' || sessionRaw.length > MAX_STRING)) return damaged('sessionId', 'must be text or null');
  const sessionId = sessionRaw as string | null;
  const summary = summaryOf(top.get('summary'));
  if (summary instanceof Problem) return summary;
  if (!interrupted && lastTick !== fullTicks) {
    // A round still under way has no end yet: its replay would run past what was recorded.
    if (summary === null) return new Problem(`This round is still being played (recorded up to ${clock(lastTick * TICK_MS)} of ${clock(durationMs)}): its replay opens once it ends`);
    return damaged('lastTick', `the round is neither finished (step ${fullTicks}) nor marked interrupted: it stops at step ${lastTick}`);
  }

  const roster = listOf(top.get('roster'), 'roster', MAX_NODES, (v, at) => rosterEntryOf(v, at));
  if (roster instanceof Problem) return roster;
  let lastChange = 0;
  const rosterChanges = listOf(top.get('rosterChanges'), 'rosterChanges', RECORDING_LIMITS.rosterChanges, (v, at): RosterChange | Problem => {
    const fields = fieldsOf(v, at, null);
    if (fields instanceof Problem) return damaged('', fields);
    const tick = intIn(fields.get('tick'), `${at}.tick`, 0, lastTick);
    if (tick instanceof Problem) return damaged('', tick);
    if (tick < lastChange) return damaged(at, `its tick ${tick} comes before the change above it (${lastChange}): out of order`);
    lastChange = tick;
    const entry = rosterEntryOf(v, at);
    return entry instanceof Problem ? entry : { ...entry, tick };
  });
  if (rosterChanges instanceof Problem) return rosterChanges;

  let lastAt = 0;
  const chaosEvents = listOf(top.get('chaosEvents'), 'chaosEvents', RECORDING_LIMITS.chaosEvents, (v, at): ChaosEvent | Problem => {
    const fields = fieldsOf(v, at, ['at', 'kind', 'durationMs', 'target', 'magnitude', 'source']);
    if (fields instanceof Problem) return damaged('', fields);
    const when = numberIn(fields.get('at'), `${at}.at`, 0, durationMs);
    if (when instanceof Problem) return damaged('', when);
    if (when < lastAt) return damaged(at, `it starts at ${when} ms, before the event above it (${lastAt} ms): out of order`);
    lastAt = when;
    const kind = choiceOf(fields.get('kind'), `${at}.kind`, CHAOS_KINDS);
    if (kind instanceof Problem) return damaged('', kind);
    const bounds = CHAOS_BOUNDS[kind];
    const length = intIn(fields.get('durationMs'), `${at}.durationMs`, 0, bounds.durationMs[1]);
    if (length instanceof Problem) return damaged('', length);
    const target = intIn(fields.get('target'), `${at}.target`, 0, MAX_CHAOS_TARGET);
    if (target instanceof Problem) return damaged('', target);
    const magnitude = numberIn(fields.get('magnitude'), `${at}.magnitude`, bounds.magnitude[0], bounds.magnitude[1]);
    if (magnitude instanceof Problem) return damaged('', magnitude);
    const source = choiceOf(fields.get('source'), `${at}.source`, SOURCES);
    if (source instanceof Problem) return damaged('', source);
    return { at: when, kind, durationMs: length, target, magnitude, source };
  });
  if (chaosEvents instanceof Problem) return chaosEvents;

  const phases = listOf(top.get('phases'), 'phases', RECORDING_LIMITS.phases, (v, at): PhaseMark | Problem => {
    const fields = fieldsOf(v, at, ['tick', 'phase']);
    if (fields instanceof Problem) return damaged('', fields);
    const tick = intIn(fields.get('tick'), `${at}.tick`, 0, lastTick);
    if (tick instanceof Problem) return damaged('', tick);
    const phase = choiceOf(fields.get('phase'), `${at}.phase`, PHASES);
    return phase instanceof Problem ? damaged('', phase) : { tick, phase };
  });
  if (phases instanceof Problem) return phases;

  let lastCommand = 0;
  const commands = listOf(top.get('commands'), 'commands', RECORDING_LIMITS.commands, (v, at): RecordedCommand | Problem => {
    const fields = fieldsOf(v, at, ['tick', 'command', 'by']);
    if (fields instanceof Problem) return damaged('', fields);
    // Commands of the steps the recording covers: a step's commands come before its advance.
    const tick = intIn(fields.get('tick'), `${at}.tick`, 0, lastTick);
    if (tick instanceof Problem) return damaged('', tick);
    if (tick < lastCommand) return damaged(at, `its tick ${tick} comes before the command above it (${lastCommand}): out of order`);
    lastCommand = tick;
    const command = validateCommand(fields.get('command'));
    if (!command.ok) return damaged(`${at}.command`, command.error);
    const by = fields.get('by');
    if (typeof by !== 'string' || by === '' || by.length > RECORDING_LIMITS.name) return damaged(`${at}.by`, 'must name who sent it');
    return { tick, command: command.value, by };
  });
  if (commands instanceof Problem) return commands;

  let lastCheckpoint = 0;
  const checkpoints = listOf(top.get('checkpoints'), 'checkpoints', lastTick + 1, (v, at): Checkpoint | Problem => {
    const fields = fieldsOf(v, at, ['tick', 'hash']);
    if (fields instanceof Problem) return damaged('', fields);
    const tick = intIn(fields.get('tick'), `${at}.tick`, 1, lastTick);
    if (tick instanceof Problem) return damaged('', tick);
    if (tick <= lastCheckpoint) return damaged(at, `its tick ${tick} does not come after the checkpoint above it (${lastCheckpoint})`);
    lastCheckpoint = tick;
    const hash = fields.get('hash');
    if (typeof hash !== 'string' || !HASH.test(hash)) return damaged(`${at}.hash`, 'must be 16 hexadecimal digits');
    return { tick, hash };
  });
  if (checkpoints instanceof Problem) return checkpoints;

  return {
    format: RECORDING_FORMAT, roomId, scenario: sc.id, preset, settings, chaos, difficulty, simVersion, seed, durationMs, tickMs: TICK_MS, roster,
    rosterChanges, chaosEvents, phases, commands, checkpoints, lastTick, interrupted, startedAt, isPublic, sessionId, summary,
  };
}

/** m:ss of simulated time. */
function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function rosterEntryOf(v: unknown, at: string): RosterEntry | Problem {
  const fields = fieldsOf(v, at, null);
  if (fields instanceof Problem) return damaged('', fields);
  const id = fields.get('id');
  if (typeof id !== 'string' || id === '' || id.length > RECORDING_LIMITS.name) return damaged(`${at}.id`, 'must be a player key');
  const nickname = fields.get('nickname');
  if (typeof nickname !== 'string' || nickname.length > RECORDING_LIMITS.name) return damaged(`${at}.nickname`, 'must be text');
  const node = intIn(fields.get('node'), `${at}.node`, 0, MAX_NODES - 1);
  if (node instanceof Problem) return damaged('', node);
  const isBot = booleanOf(fields.get('isBot'), `${at}.isBot`);
  if (isBot instanceof Problem) return damaged('', isBot);
  return { id, nickname, node, isBot };
}

/** The elements of an untrusted array, each checked; its length bounded before any is read. */
function listOf<T>(v: unknown, name: string, max: number, item: (v: unknown, at: string) => T | Problem): T[] | Problem {
  const raw = itemsOf(v, name, max);
  if (raw instanceof Problem) return damaged('', raw);
  const out: T[] = [];
  for (let i = 0; i < raw.length; i++) {
    const x = item(raw[i], `${name}[${i}]`);
    if (x instanceof Problem) return x;
    out.push(x);
  }
  return out;
}

/** An untrusted array's elements, read through descriptors (no getter runs). */
function itemsOf(v: unknown, name: string, max: number): unknown[] | Problem {
  if (!Array.isArray(v)) return new Problem(`${name} must be a list`);
  const len = Object.getOwnPropertyDescriptor(v, 'length')?.value as unknown;
  if (typeof len !== 'number' || !Number.isInteger(len) || len < 0) return new Problem(`${name} must be a list`);
  if (len > max) return new Problem(`${name} has ${len} entries, more than a round can hold (${max})`);
  const out: unknown[] = [];
  for (let i = 0; i < len; i++) {
    const d = Object.getOwnPropertyDescriptor(v, i);
    if (d === undefined || !('value' in d)) return new Problem(`${name}[${i}] is missing`);
    out.push(d.value);
  }
  return out;
}

/**
 * The round's summary, kept for the viewer's comparisons: a plain object of numbers and
 * short texts (copied with bounds, so no nesting or size can hurt); null while unfinished.
 */
function summaryOf(v: unknown): Summary | null | Problem {
  if (v === null) return null;
  const copy = plainCopy(v, 'summary', 0);
  if (copy instanceof Problem) return damaged('', copy);
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) return damaged('summary', 'must be an object or null');
  const s = copy as Record<string, unknown>;
  if (typeof s.score !== 'number' || !Number.isFinite(s.score)) return damaged('summary.score', 'must be a number');
  if (typeof s.stateHash !== 'string') return damaged('summary.stateHash', 'must be text');
  return copy as unknown as Summary;
}

const MAX_DEPTH = 6;
const MAX_ITEMS = 10_000;

function plainCopy(v: unknown, name: string, depth: number): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') {
    return typeof v === 'string' && v.length > 10_000 ? new Problem(`${name} is too long`) : v;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? v : new Problem(`${name} must be a finite number`);
  if (depth >= MAX_DEPTH) return new Problem(`${name} is nested too deeply`);
  if (Array.isArray(v)) {
    const items = itemsOf(v, name, MAX_ITEMS);
    if (items instanceof Problem) return items;
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const c = plainCopy(items[i], `${name}[${i}]`, depth + 1);
      if (c instanceof Problem) return c;
      out.push(c);
    }
    return out;
  }
  const fields = fieldsOf(v, name, null, `${name}.`);
  if (fields instanceof Problem) return fields;
  if (fields.size > MAX_KEYS) return new Problem(`${name} has too many fields`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of fields) {
    const c = plainCopy(x, `${name}.${k}`, depth + 1);
    if (c instanceof Problem) return c;
    out[k] = c;
  }
  return out;
}
