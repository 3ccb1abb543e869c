// The edge of the game: every message from outside (a browser, a bot, a file) becomes a
// Command only through validateCommand. Nothing here may throw, whatever it is given, so
// property reads go through descriptors (getters are refused, never called) and each public
// entry point has a try/catch as the last line of defence against hostile Proxies.

import type { Command, NodeActionType } from './commands.js';
import { CHAOS_KINDS, type ChaosKind } from '../scenarios/chaos-types.js';
import {
  BOOLEAN_SETTINGS,
  SETTING_BOUNDS,
  SETTING_CHOICES,
  type ClusterSettings,
} from '../scenarios/settings.js';
import { MAX_NODES } from '../scenarios/types.js';

/** Node indices are integers 0..MAX_NODES-1. */
export { MAX_NODES };
/** Region indices are integers 0..MAX_REGIONS-1. */
export const MAX_REGIONS = 3;
/** Any object with more own keys than this is refused before it is looked at. */
export const MAX_KEYS = 64;
/** Any string (value or key) longer than this is refused. */
export const MAX_STRING = 200;
/** Chaos targets are interpreted modulo the node/region/key count, so only bounded here. */
export const MAX_CHAOS_TARGET = 1000;

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validate an untrusted value as a Command. Never throws; the value is a fresh copy. */
export function validateCommand(input: unknown): Validation<Command> {
  return guarded(() => commandOf(input), 'command');
}

/**
 * Validate untrusted cluster settings. By default (partial=false) every field is required;
 * with partial=true any subset is accepted, including none (callers that need at least
 * one change say so themselves). Never throws; the value is a fresh copy.
 */
export function validateSettings(
  input: unknown,
  opts?: { partial?: boolean },
): Validation<Partial<ClusterSettings>> {
  return guarded(() => settingsOf(input, opts?.partial === true, ''), 'settings');
}

const ANY_DURATION: [number, number] = [100, 600_000];

/**
 * What a host may ask of each chaos kind. Magnitudes follow ChaosEvent's meanings;
 * partitions and crashes ignore magnitude, so it is merely kept in 0..1.
 */
export const CHAOS_BOUNDS: Record<ChaosKind, { magnitude: [number, number]; durationMs: [number, number] }> = {
  'partition-region': { magnitude: [0, 1], durationMs: ANY_DURATION },
  'partition-random': { magnitude: [0, 1], durationMs: ANY_DURATION },
  crash: { magnitude: [0, 1], durationMs: ANY_DURATION },
  'crash-disk-loss': { magnitude: [0, 1], durationMs: ANY_DURATION },
  'slow-node': { magnitude: [0.05, 1], durationMs: ANY_DURATION }, // capacity factor
  'latency-spike': { magnitude: [1, 2000], durationMs: ANY_DURATION }, // extra ms per link
  'message-loss': { magnitude: [0, 0.5], durationMs: ANY_DURATION }, // drop probability
  'clock-skew': { magnitude: [-60_000, 60_000], durationMs: ANY_DURATION }, // offset ms
  'load-surge': { magnitude: [1, 10], durationMs: ANY_DURATION }, // rate multiplier
  'hot-key': { magnitude: [0, 1], durationMs: ANY_DURATION }, // traffic share
  flood: { magnitude: [1, 5000], durationMs: ANY_DURATION }, // requests per second
};

// A Record, so the compiler insists every NodeActionType is listed.
const NODE_ACTION_SET: Record<NodeActionType, true> = {
  restart: true,
  replace: true,
  'scale-up': true,
  drain: true,
  undrain: true,
  remove: true,
  promote: true,
  demote: true,
  repair: true,
};
export const NODE_ACTIONS = Object.keys(NODE_ACTION_SET) as readonly NodeActionType[];

/** The fields each command type carries besides `type`. */
const COMMAND_FIELDS: Readonly<Record<Command['type'], readonly string[]>> = {
  configure: ['settings'],
  ...(Object.fromEntries(NODE_ACTIONS.map((t) => [t, ['node']])) as Record<NodeActionType, string[]>),
  stance: ['node', 'stance'],
  'scale-out': ['region'],
  'rate-limit': ['node'],
  chaos: ['kind', 'target', 'durationMs', 'magnitude'],
};

export const COMMAND_TYPES = Object.keys(COMMAND_FIELDS) as readonly Command['type'][];

// ---------------------------------------------------------------------------------------
// Building blocks, shared with messages.ts. Each returns a value or a Problem; none throw
// except through a hostile object, which `guarded` catches.

/** A failed check, carried as a value so helpers compose without exceptions. */
export class Problem {
  constructor(readonly error: string) {}
}

/** Run a check; turn a Problem into an error result and any exception into a generic one. */
export function guarded<T>(check: () => T | Problem, what: string): Validation<T> {
  try {
    const result = check();
    if (result instanceof Problem) return { ok: false, error: result.error };
    return { ok: true, value: result };
  } catch {
    // Only a hostile object (a throwing Proxy trap) gets here.
    return { ok: false, error: `${what} could not be read` };
  }
}

/** A short, printable rendering of an untrusted string for error messages. */
export function quote(s: string): string {
  const short = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return `'${short.replace(/[^\x20-\x7e…]/g, '?')}'`;
}

/**
 * The own data properties of a plain object, checked for size and shape against the
 * allowed keys. Accessors are refused, so no getter ever runs.
 */
export function fieldsOf(
  input: unknown,
  name: string,
  allowed: readonly string[] | null,
  prefix = '',
): Map<string, unknown> | Problem {
  if (typeof input !== 'object' || input === null) return new Problem(`${name} must be an object`);
  if (Array.isArray(input)) return new Problem(`${name} must be an object, not an array`);
  const proto: unknown = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return new Problem(`${name} must be a plain object`);
  const keys = Reflect.ownKeys(input);
  if (keys.length > MAX_KEYS) return new Problem(`${name} has too many fields (over ${MAX_KEYS})`);
  const fields = new Map<string, unknown>();
  for (const key of keys) {
    if (typeof key !== 'string') return new Problem(`${name} must not have symbol keys`);
    if (key.length > MAX_STRING) return new Problem(`${name} has a field name over ${MAX_STRING} characters`);
    if (allowed !== null && !allowed.includes(key)) return new Problem(`unknown field ${quote(prefix + key)}`);
    const d = Object.getOwnPropertyDescriptor(input, key);
    if (d === undefined) continue; // a Proxy may report keys it then denies: treat as absent
    if (!('value' in d)) return new Problem(`${prefix}${key} must be a plain value, not a getter`);
    fields.set(key, d.value);
  }
  return fields;
}

/** An integer in [min, max]; -0 becomes 0 so results survive JSON unchanged. */
export function intIn(v: unknown, name: string, min: number, max: number): number | Problem {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    return new Problem(`${name} must be an integer from ${min} to ${max}`);
  }
  return v === 0 ? 0 : v;
}

/** A finite number in [min, max]; -0 becomes 0. */
export function numberIn(v: unknown, name: string, min: number, max: number): number | Problem {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    return new Problem(`${name} must be a number from ${min} to ${max}`);
  }
  return v === 0 ? 0 : v;
}

export function booleanOf(v: unknown, name: string): boolean | Problem {
  return typeof v === 'boolean' ? v : new Problem(`${name} must be true or false`);
}

export function choiceOf<T extends string>(v: unknown, name: string, choices: readonly T[]): T | Problem {
  if (typeof v !== 'string') return new Problem(`${name} must be one of: ${choices.join(', ')}`);
  if (v.length > MAX_STRING) return new Problem(`${name} is too long (over ${MAX_STRING} characters)`);
  return (choices as readonly string[]).includes(v)
    ? (v as T)
    : new Problem(`${name} must be one of: ${choices.join(', ')}`);
}

// ---------------------------------------------------------------------------------------

type SettingKey = keyof ClusterSettings;
type BoundKey = keyof typeof SETTING_BOUNDS;
type ChoiceKey = keyof typeof SETTING_CHOICES;
type BooleanKey = (typeof BOOLEAN_SETTINGS)[number];

// Compile-time proof that the three tables together name every setting, and nothing else:
// a new ClusterSettings field without bounds would otherwise be unvalidatable.
type Covered = BoundKey | ChoiceKey | BooleanKey;
const settingsCovered: [Exclude<SettingKey, Covered>, Exclude<Covered, SettingKey>] extends [never, never]
  ? true
  : false = true;
void settingsCovered;

const SETTING_KEYS: readonly SettingKey[] = [
  ...(Object.keys(SETTING_BOUNDS) as BoundKey[]),
  ...(Object.keys(SETTING_CHOICES) as ChoiceKey[]),
  ...BOOLEAN_SETTINGS,
];

function isKeyOf<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, key);
}

function settingValue(key: SettingKey, v: unknown, name: string): unknown {
  if (isKeyOf(SETTING_BOUNDS, key)) return intIn(v, name, SETTING_BOUNDS[key].min, SETTING_BOUNDS[key].max);
  if (isKeyOf(SETTING_CHOICES, key)) return choiceOf<string>(v, name, SETTING_CHOICES[key]);
  return booleanOf(v, name);
}

/** Settings with the given prefix on field names in messages ('settings.', 'proposal.', ''). */
export function settingsOf(input: unknown, partial: boolean, prefix: string): Partial<ClusterSettings> | Problem {
  const name = prefix === '' ? 'settings' : prefix.slice(0, -1);
  const fields = fieldsOf(input, name, SETTING_KEYS, prefix);
  if (fields instanceof Problem) return fields;
  const out: Record<string, unknown> = {};
  for (const [key, raw] of fields) {
    const v = settingValue(key as SettingKey, raw, prefix + key);
    if (v instanceof Problem) return v;
    out[key] = v;
  }
  if (!partial) {
    const missing = SETTING_KEYS.filter((k) => !fields.has(k));
    if (missing.length > 0) {
      const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
      return new Problem(`missing setting '${prefix}${missing[0]}'${more}`);
    }
  }
  return out as Partial<ClusterSettings>;
}

function commandOf(input: unknown): Command | Problem {
  // Read every field first (no list yet), so the allowed list can follow the type.
  const fields = fieldsOf(input, 'command', null);
  if (fields instanceof Problem) return fields;
  if (!fields.has('type')) return new Problem(`missing field 'type'`);
  const t = fields.get('type');
  if (typeof t !== 'string') return new Problem(`type must be a string; expected one of: ${COMMAND_TYPES.join(', ')}`);
  if (t.length > MAX_STRING) return new Problem(`type is too long (over ${MAX_STRING} characters)`);
  if (!isKeyOf(COMMAND_FIELDS, t)) {
    return new Problem(`unknown command type ${quote(t)}; expected one of: ${COMMAND_TYPES.join(', ')}`);
  }
  const expected = COMMAND_FIELDS[t];
  for (const key of fields.keys()) {
    if (key !== 'type' && !expected.includes(key)) return new Problem(`unknown field ${quote(key)} for '${t}'`);
  }
  for (const key of expected) if (!fields.has(key)) return new Problem(`missing field '${key}'`);
  const get = (key: string) => fields.get(key);

  switch (t) {
    case 'configure': {
      const settings = settingsOf(get('settings'), true, 'settings.');
      if (settings instanceof Problem) return settings;
      if (Object.keys(settings).length === 0) return new Problem('settings must change at least one field');
      return { type: t, settings };
    }
    case 'stance': {
      const node = intIn(get('node'), 'node', 0, MAX_NODES - 1);
      if (node instanceof Problem) return node;
      const stance = choiceOf(get('stance'), 'stance', SETTING_CHOICES.stance);
      if (stance instanceof Problem) return stance;
      return { type: t, node, stance };
    }
    case 'scale-out': {
      const region = intIn(get('region'), 'region', 0, MAX_REGIONS - 1);
      if (region instanceof Problem) return region;
      return { type: t, region };
    }
    case 'chaos': {
      const kind = choiceOf(get('kind'), 'kind', CHAOS_KINDS);
      if (kind instanceof Problem) return kind;
      const target = intIn(get('target'), 'target', 0, MAX_CHAOS_TARGET);
      if (target instanceof Problem) return target;
      const bounds = CHAOS_BOUNDS[kind];
      const durationMs = intIn(get('durationMs'), 'durationMs', bounds.durationMs[0], bounds.durationMs[1]);
      if (durationMs instanceof Problem) return durationMs;
      const magnitude = numberIn(get('magnitude'), `magnitude for ${kind}`, bounds.magnitude[0], bounds.magnitude[1]);
      if (magnitude instanceof Problem) return magnitude;
      return { type: t, kind, target, durationMs, magnitude };
    }
    default: {
      // rate-limit and every NodeActionType carry just a node.
      const node = intIn(get('node'), 'node', 0, MAX_NODES - 1);
      if (node instanceof Problem) return node;
      return { type: t, node };
    }
  }
}
