// Watching a recording: the shared simulation fed the recording's commands at their ticks,
// run wherever the viewer is (the browser, a test, the benchmark). It verifies every
// checkpoint it passes, keeps snapshots as it goes so that seeking back is cheap, and can
// hand out an independent copy of the state to branch from.
//
// Snapshots. A seek restores the nearest snapshot at or before its target and steps on from
// there, so its cost is a copy of the state plus the steps after the snapshot. Three things
// make that affordable on a long round of a big scenario, where the state runs to tens of
// megabytes (most of it the consistency judge's tables, which grow with every write):
//  - A snapshot shares every part that has not changed since the snapshot before it, and a
//    long array that changed in a few places (a per-key table, a node's store) is kept as a
//    patch on the earlier one. Stored versions and version lists are immutable in the
//    simulation (state.ts, versions.ts: replicas already share them), so snapshots and
//    restored states share them too instead of copying hundreds of thousands of objects.
//  - An object the state holds in several places is copied once, as the original holds it.
//  - The cache has a byte budget. Past it, snapshots far from the current position go
//    first: the one whose removal leaves the smallest gap for its distance, so the cache
//    stays dense where the viewer is looking and sparse elsewhere.
// A restored snapshot is copied (never handed out), so a snapshot never changes.
//
// What this buys is bounded by the simulation's own speed: a seek costs at least a restore
// (tens of ms on a big state) plus up to one snapshot interval of steps, which on the
// busiest scenarios is several hundred ms; test/bench/replay.bench.ts has the figures.

import type { ChaosEvent } from '../scenarios/chaos-types.js';
import { cutSize, targetNode, targetRegion } from '../sim/chaos.js';
import { applyCommand } from '../sim/commands.js';
import { advance, createSim, finishSim, type Sim } from '../sim/engine.js';
import type { SimState } from '../sim/state.js';
import { summary, type Summary } from '../sim/summary.js';
import { getScenario } from '../scenarios/index.js';
import type { Scenario, ScenarioId } from '../scenarios/types.js';
import { CHECKPOINT_EVERY_TICKS, checkpointHash, type Recording, type RecordedCommand } from './recording.js';

export interface ReplayMarker {
  tick: number;
  kind: 'chaos' | 'command' | 'phase' | 'roster';
  /** One line for the timeline's tooltip and the marker list, in the game's words. */
  text: string;
  /** The roster id of whoever acted (commands and roster changes). */
  by?: string;
  node?: number;
}

export interface CheckpointMismatch {
  tick: number;
  expected: string;
  actual: string;
}

export interface ReplayVerification {
  /** Checkpoints reached so far (each checked once, the first time the replay passes it). */
  checked: number;
  matched: number;
  mismatches: CheckpointMismatch[];
  /** Recorded commands the simulation refused when re-applied (each one is a divergence). */
  refused: number;
}

export interface ReplayPlayerOptions {
  /** Keep a snapshot every this many ticks (default: the checkpoint interval). */
  snapshotEveryTicks?: number;
  /**
   * Estimated bytes the snapshot cache may hold (default DEFAULT_CACHE_BYTES); past it the
   * snapshots furthest from the current position are thinned out.
   */
  cacheBytes?: number;
}

/** What the snapshot cache holds now; bytes are estimates (see estimate constants below). */
export interface ReplayCacheStats {
  snapshots: number;
  ticks: number[];
  bytes: number;
  /** The most the cache has held at once. */
  peakBytes: number;
}

/**
 * 200 MB of snapshots (estimated). Measured on 10-minute rounds at normal chaos: bank's 120
 * snapshots, one every 5 s, take about 170 MB and all fit (warm seeks mostly under 100 ms).
 * Feed's would take about 940 MB, and once thinned out each one shares little with its
 * neighbours (about 25 MB apiece), so its cache keeps 7–9; with feed's live state (about
 * 30 MB) a tab stays near 250 MB, well under 500 MB. Seeks there take seconds: feed steps at
 * about 3 s of CPU per simulated minute, and no budget a tab can afford changes that much.
 */
export const DEFAULT_CACHE_BYTES = 200e6;

export class ReplayPlayer {
  readonly recording: Recording;
  /** The last tick the replay can reach: lastTick for an interrupted round, else durationMs / tickMs. */
  readonly endTick: number;
  /** Every marker of the round, in tick order. */
  readonly markers: readonly ReplayMarker[];
  readonly verification: ReplayVerification = { checked: 0, matched: 0, mismatches: [], refused: 0 };

  private readonly sc: Scenario;
  /** The viewer's simulation: one object throughout, whose state a jump replaces. */
  private readonly live: Sim;
  private at = 0;
  private readonly every: number;
  private readonly budget: number;
  /** A minute of ticks: the neighbourhood of the current position the cache favours. */
  private readonly near: number;
  private readonly commandsAt: Map<number, number[]>;
  private readonly checkpointAt: Map<number, string>;
  private readonly checked = new Set<number>();
  private readonly refusedSeen = new Set<number>();
  /** Snapshots in tick order; tick 0 needs none (createSim is cheap). */
  private readonly cache: Snapshot[] = [];
  private cacheBytes = 0;
  private cachePeak = 0;
  private final: Summary | null = null;

  constructor(rec: Recording, opts: ReplayPlayerOptions = {}) {
    this.recording = rec;
    this.endTick = endTickOf(rec);
    this.live = startSim(rec, false);
    this.sc = this.live.sc;
    const every = opts.snapshotEveryTicks ?? CHECKPOINT_EVERY_TICKS;
    this.every = Number.isInteger(every) && every > 0 ? every : CHECKPOINT_EVERY_TICKS;
    this.budget = opts.cacheBytes !== undefined && opts.cacheBytes >= 0 ? opts.cacheBytes : DEFAULT_CACHE_BYTES;
    this.near = Math.ceil(60_000 / rec.tickMs);
    this.commandsAt = commandsByTick(rec.commands);
    this.checkpointAt = new Map(rec.checkpoints.map((c) => [c.tick, c.hash]));
    this.markers = markersOf(rec, this.sc, this.endTick);
    this.verify();
  }

  /** The simulation at `tick` (do not mutate; use branch()). */
  get sim(): Sim {
    return this.live;
  }

  /** Steps done: simulated time is tick × tickMs. */
  get tick(): number {
    return this.at;
  }

  get cacheStats(): ReplayCacheStats {
    return { snapshots: this.cache.length, ticks: this.cache.map((s) => s.tick), bytes: this.cacheBytes, peakBytes: this.cachePeak };
  }

  /**
   * Advance to `tick` (≤ endTick), applying commands and checking checkpoints on the way,
   * keeping a snapshot at every interval passed. A tick behind the current one is reached
   * through seek(); ticks are clamped and rounded as seek() does.
   */
  stepTo(tick: number): void {
    const to = this.clamp(tick);
    if (to === null) return;
    if (to < this.at) this.seek(to);
    else this.run(to, true);
  }

  /**
   * Go to any tick in [0, endTick], backwards through the snapshot cache. Out-of-range ticks
   * are clamped, fractional ones rounded down (the state at or before that moment); a tick
   * that is not a number (NaN) leaves the player where it is.
   */
  seek(tick: number): void {
    const to = this.clamp(tick);
    if (to === null || to === this.at) return;
    const snap = this.snapshotAtOrBefore(to);
    const from = snap?.tick ?? 0;
    // Forward with nothing cached in between: just keep stepping.
    if (to < this.at || from > this.at) this.restore(snap);
    this.run(to, false);
  }

  /** An independent copy of the simulation at the current tick, to continue with other decisions. */
  branch(): Sim {
    return { S: structuredClone(this.live.S), sc: this.sc, log: null };
  }

  /**
   * The round's final summary as the replay computes it (runs to endTick and, for a finished
   * round, closes it: heal, converge, judge). Does not move the player.
   */
  finalSummary(): Summary {
    if (this.final === null) {
      // From the furthest state already known: the current one or a later snapshot.
      const snap = this.snapshotAtOrBefore(this.endTick);
      const ahead = snap !== null && snap.tick > this.at;
      const sim: Sim = { S: copyState(ahead ? snap.state : this.live.S) as SimState, sc: this.sc, log: null };
      runTicks(sim, this.recording, this.commandsAt, ahead ? snap.tick : this.at, this.endTick);
      if (!this.recording.interrupted) finishSim(sim);
      this.final = summary(sim);
    }
    return structuredClone(this.final);
  }

  // ---------------------------------------------------------------------------------
  // Stepping and verifying

  private clamp(tick: number): number | null {
    if (typeof tick !== 'number' || Number.isNaN(tick)) return null;
    return Math.min(this.endTick, Math.max(0, Math.floor(tick)));
  }

  /** Step to `to`; keep snapshots at every interval passed (`all`), or only the last one before `to`. */
  private run(to: number, all: boolean): void {
    const rec = this.recording;
    while (this.at < to) {
      const k = this.at;
      const due = this.commandsAt.get(k);
      if (due !== undefined) {
        for (const i of due) {
          if (!applyCommand(this.live, rec.commands[i]!.command).ok && !this.refusedSeen.has(i)) {
            this.refusedSeen.add(i);
            this.verification.refused++;
          }
        }
      }
      advance(this.live, (k + 1) * rec.tickMs);
      this.at = k + 1;
      this.verify();
      if (this.at % this.every === 0 && (all || to - this.at < this.every)) this.keep();
    }
  }

  /** Check the checkpoint of the current tick, the first time the replay gets here. */
  private verify(): void {
    const expected = this.checkpointAt.get(this.at);
    if (expected === undefined || this.checked.has(this.at)) return;
    this.checked.add(this.at);
    const v = this.verification;
    v.checked++;
    const actual = checkpointHash(this.live.S);
    if (actual === expected) v.matched++;
    else v.mismatches.push({ tick: this.at, expected, actual });
  }

  // ---------------------------------------------------------------------------------
  // The snapshot cache

  private snapshotAtOrBefore(tick: number): Snapshot | null {
    const i = this.indexAfter(tick) - 1;
    return i >= 0 ? this.cache[i]! : null;
  }

  /** Index of the first snapshot with a tick above `tick`. */
  private indexAfter(tick: number): number {
    let lo = 0;
    let hi = this.cache.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cache[mid]!.tick <= tick) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private restore(snap: Snapshot | null): void {
    this.live.S = snap === null ? startSim(this.recording, false).S : (copyState(snap.state) as SimState);
    this.at = snap?.tick ?? 0;
  }

  private keep(): void {
    const i = this.indexAfter(this.at);
    const prev = i > 0 ? this.cache[i - 1]! : null;
    if (prev !== null && prev.tick === this.at) return;
    const acc: Freezing = { bytes: 0, seen: new Map<object, unknown>() };
    const state = freeze(this.live.S, prev?.state, acc);
    this.cache.splice(i, 0, { tick: this.at, state, bytes: acc.bytes });
    this.cacheBytes += acc.bytes;
    this.cachePeak = Math.max(this.cachePeak, this.cacheBytes);
    this.thin();
  }

  /**
   * Over budget: drop the snapshot whose removal leaves the smallest gap for its distance
   * from the current position. Within `near` of it density falls off with distance, like a
   * log scale (scrubbing, a step back); beyond, snapshots spread evenly, which keeps the
   * longest walk from a snapshot short wherever the viewer jumps next.
   */
  private thin(): void {
    const c = this.cache;
    while (this.cacheBytes > this.budget && c.length > 1) {
      let victim = 0;
      let best = Infinity;
      for (let i = 0; i < c.length; i++) {
        const before = i > 0 ? c[i - 1]!.tick : 0;
        const after = i + 1 < c.length ? c[i + 1]!.tick : Math.max(this.endTick, c[i]!.tick);
        const score = (after - before) / (Math.min(Math.abs(c[i]!.tick - this.at), this.near) + this.every);
        if (score < best) {
          best = score;
          victim = i;
        }
      }
      const [gone] = c.splice(victim, 1);
      this.cacheBytes -= gone!.bytes;
      // The next snapshot shared parts with the one removed: what it owns alone is now more.
      const next = c[victim];
      if (next !== undefined) {
        const owned = bytesBeyond(next.state, victim > 0 ? c[victim - 1]!.state : undefined);
        this.cacheBytes += owned - next.bytes;
        next.bytes = owned;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Running a recording

function endTickOf(rec: Recording): number {
  return rec.interrupted ? rec.lastTick : Math.floor(rec.durationMs / rec.tickMs);
}

/** The simulation as the round started (what replayRecording creates). */
function startSim(rec: Recording, recordHistory: boolean): Sim {
  return createSim({
    scenario: rec.scenario as ScenarioId, preset: rec.preset, settings: rec.settings ?? undefined, chaos: rec.chaos,
    seed: rec.seed, durationMs: rec.durationMs, recordHistory,
  });
}

function commandsByTick(commands: readonly RecordedCommand[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  commands.forEach((c, i) => {
    const list = out.get(c.tick);
    if (list === undefined) out.set(c.tick, [i]);
    else list.push(i);
  });
  return out;
}

/** Steps from tick `from` to `to` with the recorded commands, nothing checked. */
function runTicks(sim: Sim, rec: Recording, commandsAt: Map<number, number[]>, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    for (const i of commandsAt.get(k) ?? []) applyCommand(sim, rec.commands[i]!.command);
    advance(sim, (k + 1) * rec.tickMs);
  }
}

// ---------------------------------------------------------------------------------------
// Snapshots: structural sharing, copying, and byte estimates

interface Snapshot {
  tick: number;
  /** A frozen copy of SimState; never mutated, and parts of it shared with its neighbours. */
  state: unknown;
  /** Estimated bytes of what it does not share with the snapshot before it. */
  bytes: number;
}

// Byte estimates of the V8 heap (64-bit): an array is a header plus a slot per element; an
// object a header plus a slot per field, and a field holding a non-integer number points
// to a boxed double. Strings are shared with the live state and not counted. Within ±30 %
// of measured heap growth in test/bench/replay.bench.ts.
const ARRAY_BYTES = 32;
const OBJECT_BYTES = 24;
const SLOT_BYTES = 8;
const BOXED_NUMBER_BYTES = 16;

/**
 * A stored version: immutable once made, shared between replicas (state.ts). Recognised by
 * its fields, so that anything else, whatever it holds, is copied.
 */
function isVersion(o: Record<string, unknown>): boolean {
  return typeof o.v === 'number' && typeof o.ts === 'number' && typeof o.sq === 'number' && typeof o.ep === 'number' &&
    typeof o.n === 'number' && (o.vv === null || Array.isArray(o.vv));
}

/** A replica's version list for a key: never mutated once stored (versions.ts). */
function isVersionList(a: readonly unknown[]): boolean {
  if (a.length === 0) return false;
  for (let i = 0; i < a.length; i++) {
    const e = a[i];
    if (typeof e !== 'object' || e === null || Array.isArray(e) || !isVersion(e as Record<string, unknown>)) return false;
  }
  return true;
}

function isFlat(a: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const e = a[i];
    if (typeof e === 'object' && e !== null) return false;
  }
  return true;
}

/**
 * A long array kept as its changes from the array at the same place in the snapshot before:
 * the judge's per-key tables and value chunks, and each node's store, change in a few places
 * per interval but everywhere over a round, so whole copies would dominate the cache. Only
 * in snapshots; `vals` holds frozen elements.
 */
class Patch {
  constructor(
    readonly base: unknown[] | Patch,
    readonly length: number,
    readonly idx: number[],
    readonly vals: unknown[],
    /** Patches down to a whole array: a restore applies them all, so this is bounded. */
    readonly depth: number,
  ) {}
}

/** Arrays shorter than this are copied whole. */
const PATCH_MIN_LENGTH = 256;
/** A patch may change at most this share of the elements; beyond it, a whole copy. */
const PATCH_MAX_SHARE = 0.25;
const PATCH_MAX_DEPTH = 16;

/** The elements a frozen array or patch stands for, in a fresh array. */
function materialize(p: unknown[] | Patch): unknown[] {
  const chain: Patch[] = [];
  let b: unknown[] | Patch = p;
  while (b instanceof Patch) {
    chain.push(b);
    b = b.base;
  }
  const out = b.slice();
  for (let c = chain.length - 1; c >= 0; c--) {
    const { length, idx, vals } = chain[c]!;
    if (out.length > length) out.length = length;
    // Indices ascend, and those past the end come in order: push keeps the array packed.
    for (let j = 0; j < idx.length; j++) {
      if (idx[j]! < out.length) out[idx[j]!] = vals[j];
      else out.push(vals[j]);
    }
  }
  return out;
}

type Freezing = { bytes: number; seen: Map<object, unknown>; counted?: Set<unknown> };

/** A version or list this snapshot holds anew, counted once however many replicas hold it. */
function sharedBytes(x: unknown, acc: Freezing): number {
  const counted = acc.counted ?? (acc.counted = new Set());
  if (counted.has(x)) return 0;
  counted.add(x);
  return immutableBytes(x);
}

/**
 * A copy of live state `x` for the cache: where `prev` (the same place in the previous
 * snapshot) is equal, it is reused, and a long flat array that changed a little becomes a
 * patch on it; versions are shared. Spread and slice keep the objects' shapes and the
 * arrays' element kinds, so a restored state runs as fast as the original.
 */
function freeze(x: unknown, prev: unknown, acc: Freezing): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) return freezeArray(x, prev, acc);
  const o = x as Record<string, unknown>;
  if (isVersion(o)) {
    if (x !== prev) acc.bytes += sharedBytes(x, acc);
    return x;
  }
  // An object held in several places (an operation in flight, queued and in the judge's
  // calendar) is copied once, and the copy held in the same places.
  const seen = acc.seen.get(x);
  if (seen !== undefined) return seen;
  const frozen = freezeObject(o, prev, acc);
  acc.seen.set(x, frozen);
  return frozen;
}

function freezeArray(x: unknown[], prev: unknown, acc: Freezing): unknown {
  const n = x.length;
  const p = Array.isArray(prev) ? (prev as unknown[]) : prev instanceof Patch ? materialize(prev) : null;
  // Element by element the same (numbers, or the immutable versions): the earlier copy serves.
  if (p !== null && p.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (x[i] !== p[i]) {
        same = false;
        break;
      }
    }
    if (same) return prev;
  }
  if (isFlat(x)) {
    const patch = p !== null ? patchOf(x, p, prev as unknown[] | Patch) : null;
    if (patch !== null) {
      acc.bytes += patchBytes(patch);
      return patch;
    }
    acc.bytes += ARRAY_BYTES + SLOT_BYTES * n;
    return x.slice();
  }
  if (isVersionList(x)) {
    if (x !== prev) acc.bytes += sharedBytes(x, acc);
    return x;
  }
  const out = x.slice();
  let same = p !== null && p.length === n && p === prev;
  const before = acc.bytes;
  for (let i = 0; i < n; i++) {
    const e = out[i];
    const pe = p !== null ? p[i] : undefined;
    // Only versions and version lists are ever both in the live state and in a snapshot.
    if (e === pe) continue;
    if (typeof e === 'object' && e !== null) out[i] = freeze(e, pe, acc);
    if (out[i] !== pe) same = false;
  }
  if (same) {
    acc.bytes = before;
    return prev;
  }
  const patch = p !== null ? patchOf(out, p, prev as unknown[] | Patch) : null;
  if (patch !== null) {
    acc.bytes += patchBytes(patch);
    return patch;
  }
  acc.bytes += ARRAY_BYTES + SLOT_BYTES * n;
  return out;
}

/** `x` (frozen elements) as a patch on `prev` whose elements are `p`, when it pays. */
function patchOf(x: readonly unknown[], p: readonly unknown[], prev: unknown[] | Patch): Patch | null {
  const n = x.length;
  const depth = prev instanceof Patch ? prev.depth : 0;
  if (n < PATCH_MIN_LENGTH || depth >= PATCH_MAX_DEPTH) return null;
  const idx: number[] = [];
  const vals: unknown[] = [];
  const limit = n * PATCH_MAX_SHARE;
  for (let i = 0; i < n; i++) {
    if (i >= p.length || x[i] !== p[i]) {
      if (idx.length >= limit) return null;
      idx.push(i);
      vals.push(x[i]);
    }
  }
  return new Patch(prev, n, idx, vals, depth + 1);
}

function patchBytes(patch: Patch): number {
  return OBJECT_BYTES + 5 * SLOT_BYTES + 2 * ARRAY_BYTES + 2 * SLOT_BYTES * patch.idx.length;
}

function freezeObject(o: Record<string, unknown>, prev: unknown, acc: Freezing): unknown {
  const po = typeof prev === 'object' && prev !== null && !Array.isArray(prev) && !(prev instanceof Patch) ? (prev as Record<string, unknown>) : null;
  const out: Record<string, unknown> = { ...o };
  let same = po !== null;
  let fields = 0;
  let own = OBJECT_BYTES;
  const before = acc.bytes;
  for (const k in out) {
    fields++;
    const e = out[k];
    const pe = po !== null ? po[k] : undefined;
    if (typeof e === 'number' && (e | 0) !== e) own += BOXED_NUMBER_BYTES;
    if (e === pe) continue;
    if (typeof e === 'object' && e !== null) out[k] = freeze(e, pe, acc);
    if (out[k] !== pe) same = false;
  }
  if (same && fieldCount(po!) === fields) {
    acc.bytes = before;
    return po;
  }
  acc.bytes += own + SLOT_BYTES * fields;
  return out;
}

/**
 * A working copy of a state (live or frozen): everything fresh but the immutable versions,
 * patches applied, objects held in several places copied once (as the original holds them).
 */
function copyState(x: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x) || x instanceof Patch) {
    const out = x instanceof Patch ? materialize(x) : x.slice();
    if (isFlat(out)) return out;
    if (isVersionList(out)) return x instanceof Patch ? out : x;
    for (let i = 0; i < out.length; i++) {
      const e = out[i];
      if (typeof e === 'object' && e !== null) out[i] = copyState(e, seen);
    }
    return out;
  }
  const o = x as Record<string, unknown>;
  if (isVersion(o)) return x;
  const done = seen.get(x);
  if (done !== undefined) return done;
  const out: Record<string, unknown> = { ...o };
  seen.set(x, out);
  for (const k in out) {
    const e = out[k];
    if (typeof e === 'object' && e !== null) out[k] = copyState(e, seen);
  }
  return out;
}

/** Estimated bytes of frozen `x` not shared with `prev` at the same place. */
function bytesBeyond(x: unknown, prev: unknown, seen = new Set<object>()): number {
  if (x === prev || typeof x !== 'object' || x === null || seen.has(x)) return 0;
  seen.add(x);
  if (x instanceof Patch) {
    // Down the chain to the first link `prev` holds too; a whole array at its end counts
    // only the elements `prev` does not hold.
    const held = new Set<unknown>();
    for (let b: unknown = prev; b instanceof Patch || Array.isArray(b); b = b instanceof Patch ? b.base : undefined) held.add(b);
    let bytes = 0;
    let b: unknown[] | Patch = x;
    for (; b instanceof Patch && !held.has(b); b = b.base) {
      bytes += patchBytes(b);
      for (const v of b.vals) bytes += bytesBeyond(v, undefined, seen);
    }
    if (held.has(b)) return bytes;
    const whole = b as unknown[];
    const p = prev instanceof Patch ? materialize(prev) : Array.isArray(prev) ? (prev as unknown[]) : null;
    bytes += ARRAY_BYTES + SLOT_BYTES * whole.length;
    for (let i = 0; i < whole.length; i++) bytes += bytesBeyond(whole[i], p !== null ? p[i] : undefined, seen);
    return bytes;
  }
  if (Array.isArray(x)) {
    if (isVersionList(x)) return immutableBytes(x);
    const p = Array.isArray(prev) ? (prev as unknown[]) : null;
    let bytes = ARRAY_BYTES + SLOT_BYTES * x.length;
    for (let i = 0; i < x.length; i++) bytes += bytesBeyond(x[i], p !== null ? p[i] : undefined, seen);
    return bytes;
  }
  const o = x as Record<string, unknown>;
  if (isVersion(o)) return immutableBytes(x);
  const po = typeof prev === 'object' && prev !== null && !Array.isArray(prev) ? (prev as Record<string, unknown>) : null;
  let bytes = OBJECT_BYTES;
  for (const k in o) {
    const e = o[k];
    bytes += SLOT_BYTES + (typeof e === 'number' && (e | 0) !== e ? BOXED_NUMBER_BYTES : 0);
    bytes += bytesBeyond(e, po !== null ? po[k] : undefined, seen);
  }
  return bytes;
}

/** Bytes of a version or a version list (counted wherever a snapshot holds it anew). */
function immutableBytes(x: unknown): number {
  if (Array.isArray(x)) {
    let bytes = ARRAY_BYTES + SLOT_BYTES * x.length;
    for (const v of x) bytes += immutableBytes(v);
    return bytes;
  }
  const v = x as { vv: number[] | null };
  return OBJECT_BYTES + 6 * SLOT_BYTES + 2 * BOXED_NUMBER_BYTES + (v.vv === null ? 0 : ARRAY_BYTES + SLOT_BYTES * v.vv.length);
}

function fieldCount(o: Record<string, unknown>): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

// ---------------------------------------------------------------------------------------
// Markers

/** The round's timeline: chaos, commands, seat changes and phases, in tick order. */
function markersOf(rec: Recording, sc: Scenario, endTick: number): ReplayMarker[] {
  const names = new Map<string, string>();
  // A seat's human name wins over a bot's that stood in under the same id.
  for (const r of [...rec.roster, ...rec.rosterChanges]) if (!names.has(r.id) || !r.isBot) names.set(r.id, r.nickname);
  const who = (by: string): string => {
    if (by === 'team') return 'the team';
    if (by === 'tutorial') return 'the tutorial';
    if (by === 'host') return 'the host';
    const n = names.get(by);
    if (n !== undefined) return n;
    if (by.startsWith('bot-')) return `Bot ${by.slice(4)}`;
    return 'a player';
  };
  const nodes = new NodeTracker(sc, rec.commands);
  const out: { m: ReplayMarker; order: number }[] = [];
  const add = (m: ReplayMarker, order: number) => {
    if (m.tick <= endTick) out.push({ m, order });
  };

  for (const p of rec.phases) add({ tick: p.tick, kind: 'phase', text: PHASE_TEXT[p.phase] ?? p.phase }, p.phase === 'live' ? 0 : 3);
  for (const ev of rec.chaosEvents) {
    if (ev.at > endTick * rec.tickMs) continue;
    const tick = Math.floor(ev.at / rec.tickMs);
    const d = describeChaos(ev, sc, nodes.liveAt(tick));
    add({ tick, kind: 'chaos', text: d.text, ...(d.node !== undefined ? { node: d.node } : {}) }, 1);
  }
  for (const r of rec.rosterChanges) {
    add({ tick: r.tick, kind: 'roster', text: `${r.nickname} took over node ${r.node}${r.isBot ? ' (a bot standing in)' : ''}`, by: r.id, node: r.node }, 2);
  }
  const limited = new Set<number>();
  for (const c of rec.commands) {
    const cmd = c.command;
    const name = who(c.by);
    if (cmd.type === 'chaos') {
      const ev: ChaosEvent = { at: c.tick * rec.tickMs, kind: cmd.kind, durationMs: cmd.durationMs, target: cmd.target, magnitude: cmd.magnitude, source: 'host' };
      const d = describeChaos(ev, sc, nodes.liveAt(c.tick));
      add({ tick: c.tick, kind: 'chaos', text: `${d.text} (set off by ${name})`, by: c.by, ...(d.node !== undefined ? { node: d.node } : {}) }, 2);
      continue;
    }
    let what: string;
    switch (cmd.type) {
      case 'configure':
        what = `changed ${Object.entries(cmd.settings).map(([k, v]) => `${k} to ${settingText(v)}`).join(', ')}`;
        break;
      case 'scale-out':
        what = `added a node in ${sc.topology.regions[cmd.region]?.name ?? `region ${cmd.region}`}`;
        break;
      case 'stance':
        what = `set node ${cmd.node} to ${cmd.stance} when it cannot reach a quorum`;
        break;
      case 'rate-limit': {
        // The command toggles; the recording holds only accepted ones, so parity tells which way.
        const on = !limited.has(cmd.node);
        if (on) limited.add(cmd.node);
        else limited.delete(cmd.node);
        what = on ? `rate-limited the clients flooding node ${cmd.node}` : `lifted the rate limit on node ${cmd.node}`;
        break;
      }
      default:
        what = NODE_ACTION_TEXT[cmd.type].replace('#', String(cmd.node));
    }
    add({ tick: c.tick, kind: 'command', text: `${name} ${what}`, by: c.by, ...('node' in cmd ? { node: cmd.node } : {}) }, 2);
  }
  // Stable: at one tick the live phase comes first, then chaos, people, and the round's end.
  out.sort((a, b) => a.m.tick - b.m.tick || a.order - b.order);
  return out.map((x) => x.m);
}

const PHASE_TEXT: Record<string, string> = {
  live: 'The round begins',
  debrief: 'The round ends',
  interrupted: 'The recording stops: the server stopped before the round ended',
};

const NODE_ACTION_TEXT = {
  restart: 'restarted node #',
  replace: 'replaced node # with a fresh machine (empty disk)',
  'scale-up': 'moved node # to a machine twice as big',
  drain: 'drained node # (no new requests from the load balancer)',
  undrain: 'undrained node #',
  remove: 'removed node # from the cluster',
  promote: 'asked for an election with node # as candidate',
  demote: 'demoted node # (it steps down as leader)',
  repair: 'ran a repair on node #',
} as const;

function settingText(v: unknown): string {
  if (v === true) return 'on';
  if (v === false) return 'off';
  if (v === 'one' || v === 'quorum' || v === 'all') return v.toUpperCase();
  return String(v);
}

function durationText(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${Math.round(s * 10) / 10} s`;
  if (s < 120) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - 60 * m);
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}

/** A chaos event in a line, resolving its target as the simulation will (chaos.ts). */
function describeChaos(ev: ChaosEvent, sc: Scenario, live: readonly number[]): { text: string; node?: number } {
  const d = durationText(ev.durationMs);
  const node = targetNode(live, ev.target);
  const regions = sc.topology.regions;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  // With one region a regional partition splits the nodes as a random one does.
  if (ev.kind === 'partition-region' && regions.length > 1) {
    return { text: `partition: ${regions[targetRegion(regions.length, ev.target)]!.name} cut off from the other regions for ${d}` };
  }
  switch (ev.kind) {
    case 'partition-region':
    case 'partition-random': {
      const cut = cutSize(live.length, ev.target);
      return { text: `partition: ${cut} node${cut === 1 ? '' : 's'} cut off from the rest for ${d}` };
    }
    case 'crash':
      return { text: `crash: node ${node} goes down (its disk survives) for up to ${d}`, node };
    case 'crash-disk-loss':
      return { text: `crash with disk loss: node ${node} goes down and loses its data, for up to ${d}`, node };
    case 'slow-node':
      return { text: `slow node: node ${node} at ${pct(ev.magnitude)} of its capacity for ${d}`, node };
    case 'clock-skew':
      return { text: `clock skew: node ${node}'s clock ${Math.abs(ev.magnitude)} ms ${ev.magnitude > 0 ? 'ahead' : 'behind'} for ${d}`, node };
    case 'flood':
      return { text: `flood: a misbehaving client sends node ${node} ${ev.magnitude} requests per second for ${d}`, node };
    case 'latency-spike':
      return { text: `latency spike: every message ${ev.magnitude} ms slower for ${d}` };
    case 'message-loss':
      return { text: `message loss: ${pct(ev.magnitude)} of messages dropped for ${d}` };
    case 'load-surge':
      return { text: `load surge: ${ev.magnitude.toFixed(1)}× the usual traffic for ${d}` };
    case 'hot-key':
      return { text: `hot key: ${pct(ev.magnitude)} of requests hit ${sc.workload.keyPrefix}-${ev.target % sc.workload.keys} for ${d}` };
  }
}

/**
 * Which nodes are in the cluster at a tick, as far as the recording tells: the scenario's
 * nodes, plus scale-outs, minus removals from the tick they were asked for (the simulation
 * removes a node once its rebalance completes, a little later).
 */
class NodeTracker {
  private readonly changes: { tick: number; add: boolean; node: number }[] = [];
  private readonly initial: number;

  constructor(sc: Scenario, commands: readonly RecordedCommand[]) {
    this.initial = sc.topology.nodesPerRegion.reduce((a, b) => a + b, 0);
    let next = this.initial;
    for (const c of commands) {
      if (c.command.type === 'scale-out') this.changes.push({ tick: c.tick, add: true, node: next++ });
      else if (c.command.type === 'remove') this.changes.push({ tick: c.tick, add: false, node: c.command.node });
    }
  }

  liveAt(tick: number): number[] {
    const live = new Set<number>();
    for (let i = 0; i < this.initial; i++) live.add(i);
    for (const ch of this.changes) {
      if (ch.tick > tick) break;
      if (ch.add) live.add(ch.node);
      else live.delete(ch.node);
    }
    return [...live].sort((a, b) => a - b);
  }
}
