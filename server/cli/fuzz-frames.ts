// What the fuzzer sends: a seeded stream of frames for one room kind. Messages of every type
// the room knows with payloads of any shape (random deep values, and near-valid ones built
// from the protocol's own words, then bent), unknown and over-long message types, byte
// messages, and garbage written straight to the WebSocket. The same seed and lane name
// always give the same frames, so a finding can be sent again.

import { createRng, random, randomInt, type RngState } from '../../shared/sim/rng.js';
import { MSG, PHASES, TUTORIAL_STEP_MSG } from '../../shared/protocol/messages.js';
import { HOST_ACTIONS, SESSION_MSG } from '../../shared/protocol/session.js';
import { CHAOS_KINDS, CHAOS_LEVELS } from '../../shared/scenarios/chaos-types.js';
import { DIFFICULTIES } from '../../shared/scenarios/difficulty.js';
import { CONCEPT_IDS } from '../../shared/lessons/cards.js';
import { getScenario, SCENARIO_IDS } from '../../shared/scenarios/index.js';
import { SETTING_BOUNDS, SETTING_CHOICES } from '../../shared/scenarios/settings.js';
import { CHAOS_BOUNDS } from '../../shared/protocol/validate.js';
import { MAX_TEAMS, MAX_TEAM_SIZE } from '../../shared/session/teams.js';

/** The room kinds the fuzzer plays in: their message types differ. */
export type RoomKind = 'lobby' | 'cluster' | 'session';

export type Frame =
  /** A Colyseus message: type and a payload, packed by colyseus.js as a browser would. */
  | { kind: 'message'; type: string | number; payload: unknown; /** May pack past the frame limit. */ big: boolean }
  /** A Colyseus byte message (ROOM_DATA_BYTES) with raw bytes as its body. */
  | { kind: 'bytes'; type: string | number; bytes: Uint8Array }
  /** Written to the WebSocket as it is: no protocol framing of ours. */
  | { kind: 'raw'; data: Uint8Array | string; what: string };

/** The message types each room kind answers to. */
export const KNOWN_TYPES: Readonly<Record<RoomKind, readonly string[]>> = {
  lobby: ['filter'],
  cluster: [MSG.command, MSG.vote, MSG.ready, TUTORIAL_STEP_MSG],
  session: [SESSION_MSG.host, SESSION_MSG.answer],
};

/** Colyseus's wire codes (the first byte of every frame). */
export const PROTOCOL = { JOIN_ROOM: 10, ERROR: 11, LEAVE_ROOM: 12, ROOM_DATA: 13, ROOM_STATE: 14, ROOM_STATE_PATCH: 15, ROOM_DATA_BYTES: 17 } as const;

/** The WebSocket transport's frame limit (@colyseus/ws-transport's maxPayload): a bigger frame closes the socket. */
export const MAX_FRAME_BYTES = 4 * 1024;

export interface FrameSource {
  next(): Frame;
  /** Words the server issued (student ids, room ids): near-valid payloads use them too. */
  learn(word: string): void;
}

/** The frames of one lane: `seed` and `lane` fix the whole sequence. */
export function frameSource(seed: number, lane: string, kind: RoomKind): FrameSource {
  const rng = createRng(seed, `fuzz:${lane}`);
  const learned: string[] = [];
  const g = new Gen(rng, learned);
  return {
    next: () => g.frame(kind),
    learn: (word) => {
      if (!learned.includes(word)) learned.push(word);
    },
  };
}

/** A frame in words for a report: short, escaped, the same for the same frame. */
export function describeFrame(f: Frame, max = 300): string {
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s);
  switch (f.kind) {
    case 'message':
      return cut(`message ${JSON.stringify(f.type) ?? String(f.type)} ${show(f.payload)}`);
    case 'bytes':
      return cut(`bytes ${JSON.stringify(f.type) ?? String(f.type)} [${hex(f.bytes)}]`);
    case 'raw':
      return cut(`raw ${f.what} ${typeof f.data === 'string' ? JSON.stringify(f.data) : `[${hex(f.data)}]`}`);
  }
}

// ---------------------------------------------------------------------------------

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'then', 'length', '__defineGetter__', 'isPrototypeOf'];
const NUMBERS = [0, -0, NaN, Infinity, -Infinity, 1e308, -1e308, 5e-324, 1.5, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 0xffffffff, 255, 256, 65536];
const ODD_STRINGS = ['', ' ', '\u0000', '\ud800', '\udfff', '\u202e', '\u2028', '🙂'.repeat(8), 'é'.normalize('NFD'), '%s%s%n', '${7*7}', '<script>', '../../etc/passwd', 'null', 'undefined', 'NaN', '-0', '1e308', '*', '__no_message_handler'];
const UNKNOWN_TYPES = ['*', '__no_message_handler', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'rooms', '+', '-', 'welcome', 'kicked', 'card', 'error', 'event', 'COMMAND', 'command ', 'host\u0000'];

const SCENARIO_WORDS = SCENARIO_IDS.flatMap((id) => [id, ...Object.keys(getScenario(id)?.presets ?? {})]);
const TUTORIAL_STEPS = (getScenario('tutorial')?.tutorial ?? []).map((s) => s.id);
const COMMAND_TYPES = ['configure', 'restart', 'replace', 'scale-up', 'drain', 'undrain', 'remove', 'promote', 'demote', 'repair', 'stance', 'scale-out', 'rate-limit', 'chaos'];
const SETTING_KEYS = ['replication', 'replicationFactor', 'readQuorum', 'writeQuorum', 'syncReplication', 'readFrom', 'election', 'shardCount', 'loadBalancing', 'conflictResolution', 'antiEntropyMs', 'failoverTimeoutMs', 'fencing', 'hintedHandoff', 'readRepair', 'stance', 'placement'];
const SETTING_VALUES = [...Object.values(SETTING_CHOICES).flat(), ...Object.keys(SETTING_BOUNDS)];
const HOST_FIELDS = ['action', 'settings', 'locked', 'allow', 'student', 'team', 'nickname', 'kind', 'target', 'durationMs', 'magnitude', 'card', 'question', 'options', 'answer'];
const WORDS = [...new Set([...COMMAND_TYPES, ...SETTING_KEYS, ...SETTING_VALUES, ...HOST_ACTIONS, ...HOST_FIELDS, ...PHASES, ...CHAOS_KINDS, ...CHAOS_LEVELS, ...CONCEPT_IDS, ...TUTORIAL_STEPS, ...SCENARIO_WORDS, 'command', 'ref', 'proposal', 'agree', 'phase', 'step', 'poll', 'choice', 'name', 'metadata', 'cluster', 'lobby', 'session'])];

class Gen {
  constructor(
    private readonly rng: RngState,
    private readonly learned: readonly string[],
  ) {}

  /** Bytes the frame being built will pack to, at worst (4 per character): near the frame limit, the frame goes alone. */
  private weight = 0;

  private get big(): boolean {
    return this.weight > MAX_FRAME_BYTES - 512;
  }

  frame(kind: RoomKind): Frame {
    this.weight = 0;
    const r = random(this.rng);
    if (r < 0.62) {
      const type = this.pick(KNOWN_TYPES[kind]);
      return { kind: 'message', type, payload: this.payloadFor(kind), big: this.big };
    }
    if (r < 0.82) {
      const type = this.unknownType(kind);
      return { kind: 'message', type, payload: this.chance(0.2) ? undefined : this.value(3), big: this.big };
    }
    if (r < 0.88) return { kind: 'bytes', type: this.chance(0.7) ? this.pick(KNOWN_TYPES[kind]) : this.unknownType(kind), bytes: this.bytes(this.int(48)) };
    return this.garbage(kind);
  }

  // ---- payloads

  private payloadFor(kind: RoomKind): unknown {
    if (this.chance(0.5)) return this.chance(0.1) ? this.deepChain() : this.value(4);
    const near = this.nearValid(kind);
    return this.chance(0.5) ? near : this.bend(near, 3);
  }

  /** A payload the room's validator takes (built from the protocol's own tables), or nearly: bent afterwards half the time. */
  private nearValid(kind: RoomKind): unknown {
    const withRef = <T extends object>(o: T): T => (this.chance(0.5) ? { ...o, ref: this.chance(0.8) ? this.int(1000) : this.number() } : o);
    switch (kind) {
      case 'lobby':
        return this.chance(0.5) ? { name: this.pick(['cluster', 'lobby', 'session', this.word()]), metadata: this.object(2) } : { metadata: this.chance(0.5) ? this.object(1) : this.value(1) };
      case 'session':
        return this.chance(0.25) ? { poll: 1 + this.int(4), choice: this.int(5) } : this.hostAction();
      case 'cluster': {
        const r = random(this.rng);
        if (r < 0.45) return withRef({ command: this.command() });
        if (r < 0.7) return withRef({ proposal: this.settings(), agree: this.chance(0.7) });
        if (r < 0.85) return this.chance(0.2) ? {} : { phase: this.chance(0.9) ? this.pick(PHASES) : this.scalar() };
        return { step: this.chance(0.9) ? this.pick(TUTORIAL_STEPS) : this.scalar() };
      }
    }
  }

  private command(): Record<string, unknown> {
    const type = this.pick(COMMAND_TYPES);
    switch (type) {
      case 'configure':
        return { type, settings: this.settings() };
      case 'scale-out':
        return { type, region: this.int(4) };
      case 'stance':
        return { type, node: this.node(), stance: this.pick(SETTING_CHOICES.stance) };
      case 'chaos':
        return { type, ...this.chaos() };
      default:
        return { type, node: this.node() };
    }
  }

  private hostAction(): Record<string, unknown> {
    const action = this.pick(HOST_ACTIONS);
    const student = () => (this.learned.length > 0 && this.chance(0.8) ? this.pick(this.learned) : this.word());
    switch (action) {
      case 'settings':
        return { action, settings: this.sessionSettings() };
      case 'lock':
        return { action, locked: this.chance(0.3) };
      case 'late-join':
        return { action, allow: this.chance(0.7) };
      case 'move':
        return { action, student: student(), team: this.int(MAX_TEAMS) };
      case 'kick':
      case 'allow':
        return { action, student: student() };
      case 'rename':
        return { action, student: student(), nickname: this.chance(0.7) ? this.word() : this.string() };
      case 'chaos':
        return { action, ...this.chaos() };
      case 'card':
        return { action, card: this.pick(CONCEPT_IDS) };
      case 'poll':
        return { action, question: this.word(), options: Array.from({ length: 2 + this.int(4) }, () => this.word()) };
      case 'reveal':
        return this.chance(0.5) ? { action } : { action, answer: this.int(5) };
      default:
        return { action };
    }
  }

  private chaos(): Record<string, unknown> {
    const kind = this.pick(CHAOS_KINDS);
    const b = CHAOS_BOUNDS[kind];
    return { kind, target: this.int(6), durationMs: b.durationMs[0] + this.int(b.durationMs[1] - b.durationMs[0] + 1), magnitude: b.magnitude[0] + random(this.rng) * (b.magnitude[1] - b.magnitude[0]) };
  }

  private node(): unknown {
    return this.chance(0.9) ? this.int(6) : this.number();
  }

  private settings(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const n = 1 + this.int(3);
    for (let i = 0; i < n; i++) {
      const key = this.pick(SETTING_KEYS);
      const choices = (SETTING_CHOICES as Record<string, readonly string[]>)[key];
      const bounds = (SETTING_BOUNDS as Record<string, { min: number; max: number }>)[key];
      out[key] = choices !== undefined ? this.pick(choices) : bounds !== undefined ? bounds.min + this.int(bounds.max - bounds.min + 1) : this.chance(0.5);
    }
    return out;
  }

  private sessionSettings(): Record<string, unknown> {
    const scenario = this.pick(SCENARIO_IDS);
    const all: Record<string, () => unknown> = {
      scenario: () => scenario,
      preset: () => this.pick(Object.keys(getScenario(scenario)?.presets ?? { cp: 1 })),
      chaos: () => this.pick(CHAOS_LEVELS),
      difficulty: () => this.pick(DIFFICULTIES),
      roundSeconds: () => 30 + this.int(571),
      teamCount: () => 1 + this.int(MAX_TEAMS),
      teamSize: () => this.int(MAX_TEAM_SIZE + 1),
      briefingSeconds: () => this.int(121),
      setupSeconds: () => this.int(301),
    };
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(all)) if (this.chance(0.3)) out[key] = all[key]!();
    return out;
  }

  /** Change one thing somewhere inside: a value, a hostile key, a type. */
  private bend(v: unknown, depth: number): unknown {
    if (v === null || typeof v !== 'object' || depth === 0) return this.chance(0.5) ? this.value(1) : this.scalar();
    if (Array.isArray(v)) return this.chance(0.5) ? [...v, this.value(1)] : v.map((x) => (this.chance(0.3) ? this.bend(x, depth - 1) : x));
    const out = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(out);
    const r = random(this.rng);
    if (r < 0.3 && keys.length > 0) {
      const k = this.pick(keys);
      out[k] = this.bend(out[k], depth - 1);
    } else if (r < 0.5) setOwn(out, this.pick(HOSTILE_KEYS), this.chance(0.5) ? this.scalar() : this.object(1));
    else if (r < 0.65 && keys.length > 0) delete out[this.pick(keys)];
    else if (r < 0.8) setOwn(out, this.word(), this.value(2));
    else return this.chance(0.5) ? [v] : this.scalar();
    return out;
  }

  /** Any value msgpack carries, nested up to `depth`. */
  private value(depth: number): unknown {
    const r = random(this.rng);
    if (depth <= 0 || r < 0.55) return this.scalar();
    if (r < 0.75) return this.array(depth - 1);
    return this.object(depth - 1);
  }

  private scalar(): unknown {
    this.weight += 9;
    const r = random(this.rng);
    if (r < 0.1) return null;
    if (r < 0.15) return undefined;
    if (r < 0.25) return this.chance(0.5);
    if (r < 0.55) return this.number();
    if (r < 0.6) return new Uint8Array(this.bytes(this.int(32)));
    return this.string();
  }

  private number(): number {
    const r = random(this.rng);
    if (r < 0.5) return this.pick(NUMBERS);
    if (r < 0.8) return this.int(2000) - 1000;
    return (random(this.rng) - 0.5) * 10 ** this.int(40);
  }

  private string(): string {
    const r = random(this.rng);
    if (r < 0.35) return this.word();
    if (r < 0.55) return this.pick(ODD_STRINGS);
    if (r < 0.6) return this.pick(HOSTILE_KEYS);
    if (r < 0.604) {
      this.weight += MAX_FRAME_BYTES;
      return 'x'.repeat(MAX_FRAME_BYTES + this.int(4000)); // past the frame limit: the socket closes
    }
    if (r < 0.7) {
      const n = this.chance(0.9) ? 100 + this.int(500) : 600 + this.int(2500);
      this.weight += 4 * n;
      return this.longString(n);
    }
    if (r < 0.8 && this.learned.length > 0) return this.pick(this.learned);
    return this.unicode(1 + this.int(24));
  }

  private array(depth: number): unknown[] {
    const n = this.chance(0.05) ? 100 + this.int(300) : this.int(6);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(n > 50 ? this.int(100) : this.value(depth));
    return out;
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const n = this.int(6);
    for (let i = 0; i < n; i++) {
      const key = this.chance(0.3) ? this.pick(HOSTILE_KEYS) : this.chance(0.6) ? this.word() : this.unicode(1 + this.int(12));
      setOwn(out, key, this.value(depth));
    }
    return out;
  }

  /** Nesting far deeper than any payload: [[[[…]]]] or {a:{a:…}}, still under the frame limit. */
  private deepChain(): unknown {
    const depth = 50 + this.int(1500);
    this.weight += 3 * depth;
    const asArray = this.chance(0.5);
    let v: unknown = this.scalar();
    for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
    return v;
  }

  private unknownType(kind: RoomKind): string | number {
    const r = random(this.rng);
    if (r < 0.25) return this.pick(UNKNOWN_TYPES);
    if (r < 0.45) return this.chance(0.5) ? 'x'.repeat(110 + this.int(191)) : this.unicode(110 + this.int(191));
    if (r < 0.6) return this.pick(NUMBERS);
    if (r < 0.75) return this.pick(Object.values(KNOWN_TYPES).flat().filter((t) => !KNOWN_TYPES[kind].includes(t)));
    if (r < 0.85) return this.word();
    return this.unicode(1 + this.int(40));
  }

  // ---- garbage

  private garbage(kind: RoomKind): Frame {
    const r = random(this.rng);
    if (r < 0.25) return { kind: 'raw', data: this.bytes(this.int(65)), what: 'random bytes' };
    if (r < 0.5) {
      // A protocol code the server reads, followed by junk (a LEAVE_ROOM code is a real leave: rare).
      const codes = [PROTOCOL.ROOM_DATA, PROTOCOL.ROOM_DATA_BYTES, PROTOCOL.JOIN_ROOM, PROTOCOL.ERROR, PROTOCOL.ROOM_STATE, PROTOCOL.ROOM_STATE_PATCH, 16, 0, 255];
      const code = this.chance(0.02) ? PROTOCOL.LEAVE_ROOM : this.pick(codes);
      return { kind: 'raw', data: Uint8Array.from([code, ...this.bytes(this.int(40))]), what: `code ${code} + junk` };
    }
    if (r < 0.75) {
      // A well-framed message whose msgpack body is cut short, or whose type string claims more bytes than follow.
      const type = this.pick(KNOWN_TYPES[kind]);
      const body = this.msgpackish();
      const cutAt = Math.max(0, body.length - 1 - this.int(body.length));
      const head = this.chance(0.8) ? typeBytes(type) : Uint8Array.from([0xd9, 200, ...new TextEncoder().encode(type)]);
      const code = this.chance(0.8) ? PROTOCOL.ROOM_DATA : PROTOCOL.ROOM_DATA_BYTES;
      return { kind: 'raw', data: Uint8Array.from([code, ...head, ...body.subarray(0, cutAt)]), what: 'truncated message' };
    }
    if (r < 0.9) return { kind: 'raw', data: Uint8Array.from([PROTOCOL.ROOM_DATA, ...typeBytes(this.pick(KNOWN_TYPES[kind])), ...this.msgpackish()]), what: 'hand-made msgpack' };
    return { kind: 'raw', data: this.chance(0.5) ? this.unicode(1 + this.int(64)) : JSON.stringify(this.value(2)) ?? 'null', what: 'text frame' };
  }

  /** msgpack a library would not write: oversized length headers, ext types, 64-bit integers, maps with odd keys. */
  private msgpackish(): Uint8Array {
    const heads = [
      [0xdd, 0xff, 0xff, 0xff, 0xff], // array32 claiming 4 billion items
      [0xdf, 0x7f, 0xff, 0xff, 0xff], // map32 claiming 2 billion entries
      [0xdb, 0xff, 0xff, 0xff, 0xf0], // str32 of 4 GB
      [0xc6, 0xff, 0xff, 0xff, 0xff], // bin32
      [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // uint64 max
      [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], // int64 min
      [0xd4, 0xff, 0x00], // fixext1 type -1 (timestamp, too short)
      [0xd7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // timestamp64 out of range
      [0xc7, 0x05, 0x72, 1, 2, 3, 4, 5], // ext8 with msgpackr's record extension
      [0xd4, 0x00, 0x00], // fixext1, type 0
      [0x81, 0xa9, ...new TextEncoder().encode('__proto__'), 0x81, 0xa1, 0x61, 0x01], // { __proto__: { a: 1 } }
      [0x81, 0xc0, 0x01], // a map with a nil key
      [0x81, 0x91, 0x01, 0x02], // a map with an array key
      [0xc1], // the one never-used byte
    ];
    const head = this.pick(heads);
    return Uint8Array.from([...head, ...this.bytes(this.int(16))]);
  }

  // ---- basics

  private bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  private word(): string {
    return this.pick(WORDS);
  }

  private longString(n: number): string {
    return this.pick(['y', 'é', '🙂', 'ab', '\u0000']).repeat(n).slice(0, n);
  }

  private unicode(n: number): string {
    this.weight += 4 * n;
    let s = '';
    for (let i = 0; i < n; i++) {
      const r = random(this.rng);
      const cp = r < 0.4 ? 0x20 + this.int(0x5f) : r < 0.6 ? this.int(0x800) : r < 0.8 ? 0x800 + this.int(0xf800) : 0x10000 + this.int(0x10ffff - 0x10000);
      s += String.fromCodePoint(cp); // lone surrogates included (0xd800–0xdfff)
    }
    return s;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[randomInt(this.rng, xs.length)]!;
  }

  private int(n: number): number {
    return randomInt(this.rng, n);
  }

  private chance(p: number): boolean {
    return random(this.rng) < p;
  }
}

/** Set a key as the object's own (so `__proto__` is a key, not the prototype). */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A ROOM_DATA frame as colyseus.js would write it, for types colyseus.js itself writes wrong:
 * it reserves the type's bytes in a bit field of msgpackr's options, so a type past about
 * 500 bytes corrupts the frame instead of arriving.
 */
export function messageBytes(type: string, body: Uint8Array | null): Uint8Array {
  const head = typeBytes(type);
  const out = new Uint8Array(1 + head.length + (body?.length ?? 0));
  out[0] = PROTOCOL.ROOM_DATA;
  out.set(head, 1);
  if (body !== null) out.set(body, 1 + head.length);
  return out;
}

/** Types colyseus.js cannot frame (see messageBytes). */
export function typeTooLongForClient(type: string | number): type is string {
  return typeof type === 'string' && new TextEncoder().encode(type).length > 250;
}

/** A message type as colyseus.js writes it: a msgpack string. */
function typeBytes(type: string): Uint8Array {
  const b = new TextEncoder().encode(type);
  if (b.length < 32) return Uint8Array.from([0xa0 | b.length, ...b]);
  if (b.length < 256) return Uint8Array.from([0xd9, b.length, ...b]);
  return Uint8Array.from([0xda, b.length >> 8, b.length & 0xff, ...b]);
}

function hex(b: Uint8Array): string {
  return Array.from(b.subarray(0, 96), (x) => x.toString(16).padStart(2, '0')).join(' ') + (b.length > 96 ? ` … (${b.length} bytes)` : '');
}

/** JSON-ish text of a payload that also shows what JSON cannot (NaN, -0, undefined, bytes, own __proto__). */
function show(v: unknown, depth = 0): string {
  if (depth > 6) return '…';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 120 ? `${v.slice(0, 60)}…(${v.length})` : v);
  if (v instanceof Uint8Array) return `bytes[${hex(v)}]`;
  if (Array.isArray(v)) return `[${v.slice(0, 20).map((x) => show(x, depth + 1)).join(',')}${v.length > 20 ? `,…(${v.length})` : ''}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${show((v as Record<string, unknown>)[k], depth + 1)}`).join(',')}}`;
  return String(v);
}
