// The protocol edge: every valid command passes unchanged, every bad field is named in the
// error, and nothing (hostile objects, odd numbers, random junk) makes the validator throw.

import { describe, expect, it } from 'vitest';
import type { Command } from '../shared/protocol/commands.js';
import {
  CHAOS_BOUNDS,
  COMMAND_TYPES,
  MAX_NODES,
  MAX_REGIONS,
  NODE_ACTIONS,
  validateCommand,
  validateSettings,
  type Validation,
} from '../shared/protocol/validate.js';
import {
  MSG,
  refOfMessage,
  validateCommandMessage,
  validateVoteMessage,
} from '../shared/protocol/messages.js';
import { CHAOS_KINDS } from '../shared/scenarios/chaos-types.js';
import {
  BOOLEAN_SETTINGS,
  SETTING_BOUNDS,
  SETTING_CHOICES,
  type ClusterSettings,
} from '../shared/scenarios/settings.js';
import { mulberry32 } from './support/prng.js';

const FULL: ClusterSettings = {
  replication: 'leader-follower',
  replicationFactor: 3,
  readQuorum: 'quorum',
  writeQuorum: 'quorum',
  syncReplication: true,
  readFrom: 'leader',
  election: 'majority',
  shardCount: 8,
  loadBalancing: 'round-robin',
  conflictResolution: 'last-write-wins',
  antiEntropyMs: 5000,
  failoverTimeoutMs: 1000,
  fencing: true,
  hintedHandoff: false,
  readRepair: true,
  stance: 'refuse',
  placement: 'spread',
};

const VALID: Command[] = [
  ...NODE_ACTIONS.flatMap((type) => [
    { type, node: 0 },
    { type, node: MAX_NODES - 1 },
  ]),
  { type: 'stance', node: 3, stance: 'refuse' },
  { type: 'stance', node: 14, stance: 'serve' },
  { type: 'scale-out', region: 0 },
  { type: 'scale-out', region: MAX_REGIONS - 1 },
  { type: 'rate-limit', node: 7 },
  { type: 'configure', settings: { replicationFactor: 5 } },
  { type: 'configure', settings: { readQuorum: 'one', writeQuorum: 'all', fencing: false } },
  { type: 'configure', settings: { ...FULL } },
  ...CHAOS_KINDS.flatMap((kind): Command[] => {
    const b = CHAOS_BOUNDS[kind];
    return [
      { type: 'chaos', kind, target: 0, durationMs: b.durationMs[0], magnitude: b.magnitude[0] },
      { type: 'chaos', kind, target: 1000, durationMs: b.durationMs[1], magnitude: b.magnitude[1] },
    ];
  }),
];

function err<T>(r: Validation<T>): string {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

function ok<T>(r: Validation<T>): T {
  if (!r.ok) throw new Error(`expected ok, got error: ${r.error}`);
  return r.value;
}

describe('validateCommand: valid commands', () => {
  it('covers every command type', () => {
    expect(new Set(VALID.map((c) => c.type))).toEqual(new Set(COMMAND_TYPES));
    expect(COMMAND_TYPES).toHaveLength(NODE_ACTIONS.length + 5);
  });

  it.each(VALID.map((c) => [JSON.stringify(c), c] as const))('accepts %s unchanged', (_, c) => {
    const value = ok(validateCommand(c));
    expect(value).toEqual(c);
    expect(value).not.toBe(c); // a fresh copy: later changes to the input cannot leak in
    // It survives a JSON round trip (the wire) and validates again.
    expect(ok(validateCommand(JSON.parse(JSON.stringify(value))))).toEqual(c);
  });

  it('accepts objects with a null prototype, frozen objects, and transparent Proxies', () => {
    const bare = Object.assign(Object.create(null) as object, { type: 'restart', node: 2 });
    expect(ok(validateCommand(bare))).toEqual({ type: 'restart', node: 2 });
    expect(ok(validateCommand(Object.freeze({ type: 'drain', node: 1 })))).toEqual({ type: 'drain', node: 1 });
    const proxied = new Proxy({ type: 'repair', node: 4 }, {});
    expect(ok(validateCommand(proxied))).toEqual({ type: 'repair', node: 4 });
  });

  it('never calls [[Get]]: a Proxy that throws on get still validates by its descriptors', () => {
    const p = new Proxy(
      { type: 'promote', node: 5 },
      {
        get() {
          throw new Error('get trap');
        },
      },
    );
    expect(ok(validateCommand(p))).toEqual({ type: 'promote', node: 5 });
  });
});

describe('validateCommand: bad fields are named', () => {
  const badInts: unknown[] = [-1, 1.5, '3', '0', NaN, Infinity, -Infinity, null, undefined, true, [], {}, 1e308, 2 ** 53];

  it.each(['restart', 'rate-limit', 'scale-up', 'demote'] as const)('%s: node out of range or wrong type', (type) => {
    for (const node of [...badInts, MAX_NODES]) {
      expect(err(validateCommand({ type, node }))).toBe(`node must be an integer from 0 to ${MAX_NODES - 1}`);
    }
    expect(err(validateCommand({ type }))).toBe(`missing field 'node'`);
  });

  it('-0 is accepted as 0', () => {
    const v = ok(validateCommand({ type: 'restart', node: -0 }));
    expect(Object.is((v as { node: number }).node, 0)).toBe(true);
    const c = ok(validateCommand({ type: 'chaos', kind: 'hot-key', target: -0, durationMs: 1000, magnitude: -0 }));
    expect(Object.is((c as { magnitude: number }).magnitude, 0)).toBe(true);
    expect(Object.is((c as { target: number }).target, 0)).toBe(true);
  });

  it('scale-out: region', () => {
    for (const region of [...badInts, MAX_REGIONS]) {
      expect(err(validateCommand({ type: 'scale-out', region }))).toBe('region must be an integer from 0 to 2');
    }
    expect(err(validateCommand({ type: 'scale-out' }))).toBe(`missing field 'region'`);
    expect(err(validateCommand({ type: 'scale-out', node: 1 }))).toMatch(/unknown field 'node'/);
  });

  it('stance: exact members only', () => {
    for (const stance of ['Refuse', ' serve', 'serve ', '', 'available', 1, true, null, ['serve']]) {
      expect(err(validateCommand({ type: 'stance', node: 1, stance }))).toBe('stance must be one of: refuse, serve');
    }
    expect(err(validateCommand({ type: 'stance', node: 1 }))).toBe(`missing field 'stance'`);
    expect(err(validateCommand({ type: 'stance', node: 99, stance: 'serve' }))).toMatch(/^node must be/);
  });

  it('unknown command type lists the valid ones', () => {
    const e = err(validateCommand({ type: 'foo', node: 1 }));
    expect(e).toMatch(/^unknown command type 'foo'; expected one of: /);
    for (const t of COMMAND_TYPES) expect(e).toContain(t);
    for (const type of ['__proto__', 'constructor', 'toString', 'Restart', '']) {
      expect(err(validateCommand({ type, node: 1 }))).toMatch(/^unknown command type/);
    }
    expect(err(validateCommand({ type: 7, node: 1 }))).toMatch(/^type must be a string/);
    expect(err(validateCommand({ node: 1 }))).toBe(`missing field 'type'`);
  });

  it('unknown fields are errors, not ignored', () => {
    expect(err(validateCommand({ type: 'restart', node: 1, x: 1 }))).toBe(`unknown field 'x' for 'restart'`);
    expect(err(validateCommand({ type: 'restart', node: 1, stance: 'serve' }))).toMatch(/unknown field 'stance'/);
    expect(err(validateCommand({ type: 'configure', settings: { fencing: true, speed: 3 } }))).toBe(
      `unknown field 'settings.speed'`,
    );
  });

  it('__proto__ and constructor keys are unknown fields, and do not pollute', () => {
    const evil = JSON.parse('{"type":"restart","node":1,"__proto__":{"polluted":true}}') as unknown;
    expect(err(validateCommand(evil))).toMatch(/unknown field '__proto__'/);
    expect(err(validateCommand({ type: 'restart', node: 1, constructor: {} }))).toMatch(/unknown field 'constructor'/);
    const evilSettings = JSON.parse('{"type":"configure","settings":{"__proto__":{"fencing":true}}}') as unknown;
    expect(err(validateCommand(evilSettings))).toMatch(/unknown field 'settings.__proto__'/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('inherited fields do not count: only plain objects', () => {
    const inherits = Object.create({ type: 'restart', node: 1 }) as object;
    expect(err(validateCommand(inherits))).toBe('command must be a plain object');
    class Cmd {
      type = 'restart';
      node = 1;
    }
    expect(err(validateCommand(new Cmd()))).toBe('command must be a plain object');
    expect(err(validateCommand(new Map([['type', 'restart']])))).toBe('command must be a plain object');
  });
});

describe('validateCommand: configure', () => {
  it('each bounded setting: min and max accepted, outside and fractional rejected', () => {
    for (const [key, { min, max }] of Object.entries(SETTING_BOUNDS)) {
      for (const v of [min, max]) ok(validateCommand({ type: 'configure', settings: { [key]: v } }));
      for (const v of [min - 1, max + 1, min + 0.5, String(min), NaN, null, true]) {
        expect(err(validateCommand({ type: 'configure', settings: { [key]: v } }))).toBe(
          `settings.${key} must be an integer from ${min} to ${max}`,
        );
      }
    }
  });

  it('each choice setting: every member accepted, near misses rejected', () => {
    for (const [key, choices] of Object.entries(SETTING_CHOICES)) {
      for (const v of choices) ok(validateCommand({ type: 'configure', settings: { [key]: v } }));
      for (const v of [choices[0].toUpperCase(), `${choices[0]} `, '', 0, null, [choices[0]]]) {
        expect(err(validateCommand({ type: 'configure', settings: { [key]: v } }))).toBe(
          `settings.${key} must be one of: ${choices.join(', ')}`,
        );
      }
    }
  });

  it('each boolean setting: real booleans only', () => {
    for (const key of BOOLEAN_SETTINGS) {
      for (const v of [true, false]) ok(validateCommand({ type: 'configure', settings: { [key]: v } }));
      for (const v of ['true', 'false', 1, 0, null, undefined]) {
        expect(err(validateCommand({ type: 'configure', settings: { [key]: v } }))).toBe(
          `settings.${key} must be true or false`,
        );
      }
    }
  });

  it('settings must be a non-empty object', () => {
    expect(err(validateCommand({ type: 'configure', settings: {} }))).toBe('settings must change at least one field');
    expect(err(validateCommand({ type: 'configure', settings: [] }))).toBe('settings must be an object, not an array');
    expect(err(validateCommand({ type: 'configure', settings: null }))).toBe('settings must be an object');
    expect(err(validateCommand({ type: 'configure', settings: 'fencing' }))).toBe('settings must be an object');
    expect(err(validateCommand({ type: 'configure' }))).toBe(`missing field 'settings'`);
  });
});

describe('validateCommand: chaos', () => {
  it('CHAOS_BOUNDS covers every kind with sane ranges', () => {
    expect(Object.keys(CHAOS_BOUNDS).sort()).toEqual([...CHAOS_KINDS].sort());
    for (const b of Object.values(CHAOS_BOUNDS)) {
      expect(b.magnitude[0]).toBeLessThanOrEqual(b.magnitude[1]);
      expect(b.durationMs[0]).toBeGreaterThan(0);
      expect(b.durationMs[0]).toBeLessThanOrEqual(b.durationMs[1]);
    }
    expect(CHAOS_BOUNDS['message-loss'].magnitude).toEqual([0, 0.5]);
    expect(CHAOS_BOUNDS['slow-node'].magnitude).toEqual([0.05, 1]);
    expect(CHAOS_BOUNDS['clock-skew'].magnitude[0]).toBeLessThan(0);
  });

  it.each([...CHAOS_KINDS])('%s: magnitude and duration bounds', (kind) => {
    const b = CHAOS_BOUNDS[kind];
    const base = { type: 'chaos', kind, target: 1, durationMs: b.durationMs[0], magnitude: b.magnitude[0] };
    const mid = (b.magnitude[0] + b.magnitude[1]) / 2;
    expect(ok(validateCommand({ ...base, magnitude: mid }))).toEqual({ ...base, magnitude: mid });
    const span = b.magnitude[1] - b.magnitude[0] || 1;
    for (const magnitude of [b.magnitude[0] - span / 100, b.magnitude[1] + span / 100, NaN, Infinity, '0.5', null]) {
      expect(err(validateCommand({ ...base, magnitude }))).toBe(
        `magnitude for ${kind} must be a number from ${b.magnitude[0]} to ${b.magnitude[1]}`,
      );
    }
    for (const durationMs of [b.durationMs[0] - 1, b.durationMs[1] + 1, 1000.5, '1000', -Infinity]) {
      expect(err(validateCommand({ ...base, durationMs }))).toBe(
        `durationMs must be an integer from ${b.durationMs[0]} to ${b.durationMs[1]}`,
      );
    }
  });

  it('target and kind', () => {
    const base = { type: 'chaos', kind: 'crash', target: 1, durationMs: 1000, magnitude: 0 };
    for (const target of [-1, 1001, 2.5, '1', NaN]) {
      expect(err(validateCommand({ ...base, target }))).toBe('target must be an integer from 0 to 1000');
    }
    const e = err(validateCommand({ ...base, kind: 'meteor' }));
    expect(e).toMatch(/^kind must be one of: /);
    for (const k of CHAOS_KINDS) expect(e).toContain(k);
    for (const field of ['kind', 'target', 'durationMs', 'magnitude']) {
      const partial: Record<string, unknown> = { ...base };
      delete partial[field];
      expect(err(validateCommand(partial))).toBe(`missing field '${field}'`);
    }
  });
});

describe('validateCommand: hostile input never throws', () => {
  it('non-objects', () => {
    for (const v of [undefined, null, 0, -0, NaN, 'restart', '', true, Symbol('x'), 10n, () => 1]) {
      expect(err(validateCommand(v))).toBe('command must be an object');
    }
    for (const v of [[], [{ type: 'restart', node: 1 }], ['restart', 1]]) {
      expect(err(validateCommand(v))).toBe('command must be an object, not an array');
    }
  });

  it('throwing getters are refused without being called', () => {
    let called = 0;
    const onType = { node: 1 };
    Object.defineProperty(onType, 'type', {
      enumerable: true,
      get() {
        called++;
        throw new Error('boom');
      },
    });
    expect(err(validateCommand(onType))).toBe('type must be a plain value, not a getter');
    const onNode = { type: 'restart' };
    Object.defineProperty(onNode, 'node', {
      enumerable: true,
      get() {
        called++;
        return 1;
      },
    });
    expect(err(validateCommand(onNode))).toBe('node must be a plain value, not a getter');
    const settings = {};
    Object.defineProperty(settings, 'fencing', { enumerable: true, get: () => (called++, true) });
    expect(err(validateCommand({ type: 'configure', settings }))).toBe(
      'settings.fencing must be a plain value, not a getter',
    );
    expect(called).toBe(0);
  });

  it('Proxies that throw on every trap, and revoked Proxies', () => {
    const thrower = (): never => {
      throw new Error('trap');
    };
    const handler: ProxyHandler<object> = {
      get: thrower,
      has: thrower,
      ownKeys: thrower,
      getOwnPropertyDescriptor: thrower,
      getPrototypeOf: thrower,
      defineProperty: thrower,
      set: thrower,
      deleteProperty: thrower,
      isExtensible: thrower,
      preventExtensions: thrower,
      setPrototypeOf: thrower,
      apply: thrower,
      construct: thrower,
    };
    const hostile = new Proxy({}, handler);
    expect(err(validateCommand(hostile))).toBe('command could not be read');
    expect(err(validateCommand(new Proxy([], handler)))).toMatch(/could not be read|array/);
    expect(err(validateCommand({ type: 'configure', settings: hostile }))).toBe('command could not be read');
    const { proxy, revoke } = Proxy.revocable({ type: 'restart', node: 1 }, {});
    revoke();
    expect(err(validateCommand(proxy))).toBe('command could not be read');
    // Lying Proxies: keys that then have no descriptor, descriptors that break invariants.
    const liar = new Proxy({}, { ownKeys: () => ['type', 'node'] });
    expect(err(validateCommand(liar))).toBe(`missing field 'type'`);
    const badDesc = new Proxy({}, { getOwnPropertyDescriptor: () => ({ value: 'restart', configurable: true }) });
    expect(validateCommand(badDesc).ok).toBe(false);
  });

  it('cyclic objects', () => {
    const c: Record<string, unknown> = { type: 'restart', node: 1 };
    c.self = c;
    expect(err(validateCommand(c))).toMatch(/unknown field 'self'/);
    const s: Record<string, unknown> = { fencing: true };
    s.settings = s;
    expect(err(validateCommand({ type: 'configure', settings: s }))).toMatch(/unknown field 'settings.settings'/);
    const n: Record<string, unknown> = { type: 'restart' };
    n.node = n;
    expect(err(validateCommand(n))).toMatch(/^node must be an integer/);
  });

  it('size caps: many keys, long strings, long keys, symbol keys', () => {
    const many: Record<string, unknown> = { type: 'restart', node: 1 };
    for (let i = 0; i < 63; i++) many[`k${i}`] = i;
    expect(err(validateCommand(many))).toBe('command has too many fields (over 64)');
    const huge = 'x'.repeat(1_000_000);
    const e = err(validateCommand({ type: huge, node: 1 }));
    expect(e).toBe('type is too long (over 200 characters)');
    expect(err(validateCommand({ type: 'stance', node: 1, stance: 's'.repeat(201) }))).toBe(
      'stance is too long (over 200 characters)',
    );
    expect(err(validateCommand({ type: 'restart', node: 1, [huge]: 1 }))).toBe(
      'command has a field name over 200 characters',
    );
    const unknownLong = err(validateCommand({ type: 'restart', node: 1, ['y'.repeat(150)]: 1 }));
    expect(unknownLong.length).toBeLessThan(100); // echoed names are truncated
    expect(err(validateCommand({ type: 'restart', node: 1, [Symbol('s')]: 1 }))).toBe(
      'command must not have symbol keys',
    );
    expect(err(validateCommand({ type: 'foo\n\u0000bar', node: 1 }))).toMatch(/^unknown command type 'foo\?\?bar'/);
  });
});

describe('validateSettings', () => {
  it('full requires every field (the default)', () => {
    expect(ok(validateSettings(FULL))).toEqual(FULL);
    expect(ok(validateSettings(FULL, { partial: false }))).toEqual(FULL);
    const { fencing: _, ...lacking } = FULL;
    expect(err(validateSettings(lacking))).toBe(`missing setting 'fencing'`);
    expect(err(validateSettings({ fencing: true }))).toMatch(/^missing setting '.+' \(and 15 more\)$/);
    expect(err(validateSettings({}))).toMatch(/\(and 16 more\)$/);
  });

  it('partial accepts any subset, including none', () => {
    expect(ok(validateSettings({}, { partial: true }))).toEqual({});
    expect(ok(validateSettings({ shardCount: 32, placement: 'single-region' }, { partial: true }))).toEqual({
      shardCount: 32,
      placement: 'single-region',
    });
    expect(err(validateSettings({ shardCount: 33 }, { partial: true }))).toBe(
      'shardCount must be an integer from 1 to 32',
    );
    expect(err(validateSettings({ colour: 'red' }, { partial: true }))).toBe(`unknown field 'colour'`);
    expect(err(validateSettings(null, { partial: true }))).toBe('settings must be an object');
  });

  it('a bad value is reported before missing fields', () => {
    expect(err(validateSettings({ ...FULL, replicationFactor: 0 }))).toBe(
      'replicationFactor must be an integer from 1 to 5',
    );
  });
});

describe('messages', () => {
  it('MSG names', () => {
    expect(MSG).toEqual({ command: 'command', vote: 'vote', ready: 'ready', error: 'error', event: 'event' });
  });

  it('command message with and without ref', () => {
    const command: Command = { type: 'restart', node: 2 };
    expect(ok(validateCommandMessage({ command }))).toEqual({ command });
    expect(ok(validateCommandMessage({ command, ref: 0 }))).toEqual({ command, ref: 0 });
    expect(ok(validateCommandMessage({ command, ref: 2 ** 31 - 1 }))).toEqual({ command, ref: 2 ** 31 - 1 });
    expect(ok(validateCommandMessage({ command, ref: undefined }))).toEqual({ command });
    for (const ref of [-1, 2 ** 31, 1.5, '1', null, NaN]) {
      expect(err(validateCommandMessage({ command, ref }))).toBe('ref must be an integer from 0 to 2147483647');
    }
    expect(err(validateCommandMessage({ ref: 1 }))).toBe(`missing field 'command'`);
    expect(err(validateCommandMessage({ command, extra: 1 }))).toBe(`unknown field 'extra'`);
    expect(err(validateCommandMessage({ command: { type: 'restart', node: 15 } }))).toBe(
      'node must be an integer from 0 to 14',
    );
    expect(err(validateCommandMessage(undefined))).toBe('message must be an object');
  });

  it('vote message', () => {
    const proposal = { replicationFactor: 3, syncReplication: false };
    expect(ok(validateVoteMessage({ proposal, agree: true, ref: 9 }))).toEqual({ proposal, agree: true, ref: 9 });
    expect(ok(validateVoteMessage({ proposal, agree: false }))).toEqual({ proposal, agree: false });
    expect(err(validateVoteMessage({ proposal: {}, agree: true }))).toBe('proposal must change at least one setting');
    expect(err(validateVoteMessage({ proposal, agree: 'yes' }))).toBe('agree must be true or false');
    expect(err(validateVoteMessage({ proposal }))).toBe(`missing field 'agree'`);
    expect(err(validateVoteMessage({ agree: true }))).toBe(`missing field 'proposal'`);
    expect(err(validateVoteMessage({ proposal: { readQuorum: 'most' }, agree: true }))).toBe(
      'proposal.readQuorum must be one of: one, quorum, all',
    );
    expect(err(validateVoteMessage({ proposal: { bad: 1 }, agree: true }))).toBe(`unknown field 'proposal.bad'`);
  });

  it('refOfMessage recovers a ref from an otherwise invalid message, never throws', () => {
    expect(refOfMessage({ command: 'junk', ref: 12 })).toBe(12);
    expect(refOfMessage({ ref: -1 })).toBeUndefined();
    expect(refOfMessage(null)).toBeUndefined();
    expect(refOfMessage(new Proxy({}, { ownKeys: () => { throw new Error('x'); } }))).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------
// Fuzz: seeded, so a failure reproduces.


describe('fuzz', () => {
  it('validateCommand never throws; ok values re-validate; errors are short strings', () => {
    const rnd = mulberry32(0x5eed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const NUMBERS = [0, -0, 1, 2, 3, 14, 15, -1, 0.05, 0.5, 0.04, 1.5, 100, 99, 600_000, 600_001, 1000, 1001, 2000,
      5000, 60_000, -60_000, -60_001, 2 ** 31, 2 ** 53, 1e308, NaN, Infinity, -Infinity, Number.MIN_VALUE];
    const STRINGS = [...COMMAND_TYPES, ...CHAOS_KINDS, ...Object.values(SETTING_CHOICES).flat(), 'node', 'region',
      'settings', 'kind', '3', '0', '', '__proto__', 'constructor', 'toString', 'x'.repeat(201), 'true', 'NaN'];
    const KEYS = ['type', 'node', 'region', 'stance', 'settings', 'kind', 'target', 'durationMs', 'magnitude',
      ...Object.keys(FULL), '__proto__', 'constructor', 'extra', ''];

    const randomValue = (depth: number): unknown => {
      const r = rnd();
      if (r < 0.3) return rnd() < 0.5 ? pick(NUMBERS) : Math.floor(rnd() * 4000 - 1000) / (rnd() < 0.5 ? 1 : 7);
      if (r < 0.5) return pick(STRINGS);
      if (r < 0.6) return pick([true, false, null, undefined]);
      if (depth > 3) return null;
      if (r < 0.63) return hostile();
      if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(depth + 1));
      const o: Record<string, unknown> = {};
      const n = Math.floor(rnd() * 6);
      for (let i = 0; i < n; i++) {
        // defineProperty so '__proto__' becomes an own key, as JSON.parse would make it.
        Object.defineProperty(o, pick(KEYS), { value: randomValue(depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return o;
    };

    // Hostile values mixed into the junk: throwing Proxies and throwing getters.
    const hostile = (): unknown => {
      const thrower = (): never => {
        throw new Error('fuzz trap');
      };
      if (rnd() < 0.5) return new Proxy({}, { ownKeys: thrower, getOwnPropertyDescriptor: thrower, get: thrower });
      const o = {};
      Object.defineProperty(o, pick(KEYS), { get: thrower, enumerable: true, configurable: true });
      return o;
    };

    const mutate = (o: Record<string, unknown>): void => {
      const r = rnd();
      const keys = Object.keys(o);
      const numeric = keys.filter((k) => typeof o[k] === 'number');
      // Often a plausible change (a small number where one was), so many mutants stay valid.
      if (r < 0.3 && numeric.length > 0) o[pick(numeric)] = rnd() < 0.5 ? Math.floor(rnd() * 20) : pick(NUMBERS);
      else if (r < 0.45 && keys.length > 0) delete o[pick(keys)];
      else if (r < 0.6 && keys.length > 0) o[pick(keys)] = randomValue(2);
      else if (r < 0.75) o.type = pick(COMMAND_TYPES);
      else if (r < 0.9 && typeof o.settings === 'object' && o.settings !== null) {
        mutate(o.settings as Record<string, unknown>);
      } else Object.defineProperty(o, pick(KEYS), { value: randomValue(2), enumerable: true, writable: true, configurable: true });
    };

    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      let input: unknown;
      if (i % 2 === 0) {
        input = randomValue(0);
      } else {
        const o = structuredClone(pick(VALID)) as Record<string, unknown>;
        const n = 1 + Math.floor(rnd() * 3);
        for (let j = 0; j < n; j++) mutate(o);
        input = o;
      }
      const r = validateCommand(input);
      if (r.ok) {
        accepted++;
        const again = validateCommand(r.value);
        expect(again.ok, JSON.stringify(r.value)).toBe(true);
        if (again.ok) expect(again.value).toEqual(r.value);
        // Accepted values are wire-safe: JSON does not change them (no NaN, no -0, no undefined).
        expect(JSON.parse(JSON.stringify(r.value))).toEqual(r.value);
      } else {
        rejected++;
        expect(typeof r.error).toBe('string');
        expect(r.error.length).toBeGreaterThan(0);
        expect(r.error.length).toBeLessThan(400);
      }
    }
    // Both paths must be exercised, or the fuzz proves little.
    expect(accepted).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(10_000);
  });
});
