// The replay player's snapshot cache. A seek restores the nearest snapshot at or before its
// target and steps on from there, so its cost is a copy of the state plus the steps after
// the snapshot. Three things make that affordable on a long round of a big scenario, where
// the state runs to tens of megabytes (most of it the consistency judge's tables, which grow
// with every write):
//  - A snapshot shares every part that has not changed since the snapshot before it, and a
//    long array that changed in a few places (a per-key table, a node's store) is kept as a
//    patch on the earlier one. Stored versions and version lists are immutable in the
//    simulation (state.ts, versions.ts: replicas already share them), so snapshots and
//    restored states share them too instead of copying hundreds of thousands of objects.
//  - An object the state holds in several places is copied once, as the original holds it.
//  - The cache has a byte budget. Past it, snapshots far from the current position go
//    first: the one whose removal leaves the smallest gap for its distance, so the cache
//    stays dense where the viewer is looking and sparse elsewhere. Gaps are measured in
//    the simulation's work (workOf), which is what a seek into one has to step through.
// A restored snapshot is copied (never handed out), so a snapshot never changes; the copy
// refills the long arrays of the state it replaces rather than touching fresh memory, and
// makes its objects as the simulation does (clonerFor) and its arrays with the kinds
// of element the simulation's have (each place's own loops, kernels.ts), so the
// simulation's compiled code keeps running on the shapes it was compiled for. Making a
// snapshot compares the state with the snapshot before it in one pass per array, against
// that snapshot's elements as its own making left them (Freezing.known), not by
// re-applying its chain of patches.
//
// What this buys is bounded by the simulation's own speed: a seek costs a restore (tens of
// ms on a big state) plus up to one snapshot interval of steps; a seek keeps no snapshot of
// its own when the cache is already spread at the budget's spacing (the player keeps the
// one before the viewer in idle time). test/bench/replay.bench.ts has the figures.

import type { SimState } from '../sim/state.js';
import { INDEX_LIKE, isVersion, stateKernel, type ArrayKernel } from './kernels.js';

/** What the snapshot cache holds now; bytes are estimates (see estimate constants below). */
export interface ReplayCacheStats {
  snapshots: number;
  ticks: number[];
  bytes: number;
  /** The most the cache has held at once. */
  peakBytes: number;
}

/**
 * 100 MB of snapshots (estimated): a school laptop's tab holds that beside the page. Measured
 * on 10-minute rounds at normal chaos (`npm run bench:replay`): bank's 120 snapshots, one
 * every 5 s, take about 72 MB and all fit. Feed's would not: the player keeps about 87, one
 * every 7 s (worthKeeping). Telemetry's state is 3–4 MB: about 42 fit, closer late in
 * the round where its traffic is heavier. Seeks stay under 100 ms at p99 in every scenario,
 * warm or after the look-ahead, on a quiet machine.
 */
export const DEFAULT_CACHE_BYTES = 100e6;

export interface Snapshot {
  readonly tick: number;
  /** A frozen copy of SimState; never mutated, and parts of it shared with its neighbours. Restore it with copyState. */
  readonly state: unknown;
}

export interface SnapshotCacheOptions {
  /** Estimated bytes the cache may hold. */
  budget: number;
  /** The interval snapshots are kept at, in ticks: what a gap between two is measured against. */
  every: number;
  /** Ticks around the current position where the cache stays densest. */
  near: number;
  /** The last tick the replay reaches. */
  endTick: number;
}

/** Snapshots in tick order, within a byte budget. */
export class SnapshotCache {
  private readonly list: Kept[] = [];
  /** The elements of the last snapshot's patches, for the next snapshot to compare with (Freezing.known). */
  private contents: Map<Patch, unknown[]> = new Map();
  private bytes = 0;
  private peak = 0;

  constructor(private readonly opts: SnapshotCacheOptions) {}

  get stats(): ReplayCacheStats {
    return { snapshots: this.list.length, ticks: this.list.map((s) => s.tick), bytes: this.bytes, peakBytes: this.peak };
  }

  atOrBefore(tick: number): Snapshot | null {
    const i = this.indexAfter(tick) - 1;
    return i >= 0 ? this.list[i]! : null;
  }

  /**
   * Keep `S`, the state at `tick`, unless a snapshot of that tick is kept already; past the
   * budget the cache thins out around `position`, where the viewer is (by default the
   * snapshot's own tick: the viewer made it on its way).
   */
  keep(tick: number, S: SimState, position = tick): void {
    const i = this.indexAfter(tick);
    const prev = i > 0 ? this.list[i - 1]! : null;
    if (prev !== null && prev.tick === tick) return;
    const acc: Freezing = { bytes: 0, seen: new Map<object, unknown>(), known: this.contents, contents: new Map() };
    const state = freeze(S, prev?.state, acc, STATE);
    this.contents = acc.contents;
    this.list.splice(i, 0, { tick, state, bytes: acc.bytes, work: workOf(S) });
    this.bytes += acc.bytes;
    this.peak = Math.max(this.peak, this.bytes);
    this.thin(position);
  }

  /**
   * Whether a snapshot of `S`, the state at `tick`, is worth making on the way through the
   * round. A big state's snapshots are few in the budget (a 10-minute telemetry round's hold
   * about twenty), and one made closer to its neighbours than the spacing the budget allows
   * is thinned out again at once: its copy, the costliest part of playing a big round
   * through, wasted. The spacing comes from what the snapshots kept cost on average, and is
   * measured in the simulation's work (workOf), not in ticks: traffic grows over a round, so
   * the snapshots are closer where a second costs more to simulate. When they all fit, every
   * interval is kept.
   */
  worthKeeping(tick: number, S: SimState): boolean {
    const c = this.list;
    if (c.length < 2) return true;
    const { every, endTick } = this.opts;
    const fit = this.fit();
    if (fit * every >= endTick) return true;
    const spacing = this.endWork() / fit;
    const i = this.indexAfter(tick);
    const w = workOf(S);
    // Tick 0 needs no snapshot, and counts as one (a fresh start is cheap).
    const before = i > 0 ? c[i - 1]!.work : 0;
    const after = i < c.length ? c[i]!.work : Number.POSITIVE_INFINITY;
    return w - before >= spacing && after - w >= spacing;
  }

  /**
   * The widest stretch between two snapshots (or from the round's start to the first) that
   * spans at least `spacings` of the budget's spacing, and does not begin at a tick in
   * `tried`: where idle time best fills in what a long seek stepped through (the stretch
   * beyond the last snapshot is the look-ahead's). Null when there is none.
   */
  gapToFill(spacings: number, tried: ReadonlySet<number>): { from: Snapshot | null; to: number } | null {
    const c = this.list;
    if (c.length === 0) return null;
    let widest = spacings * this.spacing();
    let found: { from: Snapshot | null; to: number } | null = null;
    for (let i = 0; i < c.length; i++) {
      const from = i > 0 ? c[i - 1]! : null;
      const gap = c[i]!.work - (from?.work ?? 0);
      if (gap >= widest && !tried.has(from?.tick ?? 0)) {
        widest = gap;
        found = { from, to: c[i]!.tick };
      }
    }
    return found;
  }

  /** The gap in work between snapshots spread evenly over the round, as many as the budget holds (at most one an interval). */
  private spacing(): number {
    const { every, endTick } = this.opts;
    return this.endWork() / Math.min(this.fit(), Math.ceil(endTick / every));
  }

  /** How many snapshots of the average size kept so far the budget holds (at least one). */
  private fit(): number {
    return Math.max(1, Math.floor(this.opts.budget / (this.bytes / Math.max(1, this.list.length))));
  }

  /** The work the whole round takes, as far as the snapshots tell: the latest's, and on at its pace. */
  private endWork(): number {
    const c = this.list;
    const last = c[c.length - 1];
    if (last === undefined) return 0;
    const prev = c.length > 1 ? c[c.length - 2]! : { tick: 0, work: 0 };
    const pace = last.tick > prev.tick ? (last.work - prev.work) / (last.tick - prev.tick) : 0;
    return last.work + pace * Math.max(0, this.opts.endTick - last.tick);
  }

  /** Index of the first snapshot with a tick above `tick`. */
  private indexAfter(tick: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.tick <= tick) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Over budget: drop the snapshot whose removal leaves the smallest gap for its distance
   * from the current position `at`. Within `near` of it density falls off with distance,
   * like a log scale (scrubbing, a step back); beyond, snapshots spread evenly, which keeps
   * the longest walk from a snapshot short wherever the viewer jumps next.
   */
  private thin(at: number): void {
    const c = this.list;
    const { budget, every, near } = this.opts;
    while (this.bytes > budget && c.length > 1) {
      let victim = 0;
      let best = Infinity;
      const end = this.endWork();
      for (let i = 0; i < c.length; i++) {
        // The gap in the simulation's work: what a seek into it may have to step through.
        const before = i > 0 ? c[i - 1]!.work : 0;
        const after = i + 1 < c.length ? c[i + 1]!.work : Math.max(end, c[i]!.work);
        const score = (after - before) / (Math.min(Math.abs(c[i]!.tick - at), near) + every);
        if (score < best) {
          best = score;
          victim = i;
        }
      }
      const [gone] = c.splice(victim, 1);
      this.bytes -= gone!.bytes;
      // The next snapshot shared parts with the one removed: what it owns alone is now more.
      const next = c[victim];
      if (next !== undefined) {
        const owned = bytesBeyond(next.state, victim > 0 ? c[victim - 1]!.state : undefined);
        this.bytes += owned - next.bytes;
        next.bytes = owned;
      }
    }
  }
}

/**
 * A working copy of a state (live or a snapshot's): everything fresh but the immutable
 * versions, patches applied, objects held in several places copied once (as the original
 * holds them). With `into`, a working state the caller discards (the viewer's, replaced by a
 * restore), its long arrays are filled again instead of new ones made: a long array is
 * fresh memory, and touching fresh memory for the first time (page faults) costs more than
 * the copy itself, several times over on a state of tens of megabytes.
 */
export function copyState(state: unknown, into?: SimState): SimState {
  return copyDeep(state, new Map(), into, into === undefined ? null : new Set(), STATE) as SimState;
}

// ---------------------------------------------------------------------------------------
// Structural sharing, copying, and byte estimates

interface Kept extends Snapshot {
  /** Estimated bytes of what it does not share with the snapshot before it. */
  bytes: number;
  /** workOf its state. */
  work: number;
}

/**
 * How much simulating it took to reach `S`: the events scheduled so far (the event queue's
 * sequence number). Simulating costs about the same per event all round long, while the
 * events per second grow with the traffic, so this measures what stepping from one
 * snapshot to the next costs better than the ticks between them do; and it is part of the
 * state, the same on every run.
 */
function workOf(S: SimState): number {
  return S.events.seq;
}

// Byte estimates of the V8 heap (64-bit): an array is a header plus a slot per element; an
// object a header plus a slot per field, and a field holding a non-integer number points
// to a boxed double. Strings are shared with the live state and not counted. Within ±30 %
// of measured heap growth in test/bench/replay.bench.ts.
const ARRAY_BYTES = 32;
const OBJECT_BYTES = 24;
const SLOT_BYTES = 8;
const BOXED_NUMBER_BYTES = 16;

/** The kernel for the state itself, and one for the odd look at any array (bytesBeyond). */
const STATE = stateKernel();
const ANY_ARRAY = STATE.field(' any');

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
    /** No element is an object: a restore copies nothing further. */
    readonly flat: boolean,
  ) {}
}

/** Arrays shorter than this are copied whole. */
const PATCH_MIN_LENGTH = 256;
/** A patch may change at most this share of the elements; beyond it, a whole copy. */
const PATCH_MAX_SHARE = 0.25;
const PATCH_MAX_DEPTH = 16;

/** The elements a frozen array or patch stands for, in a fresh array or in `into`. */
function materialize(p: unknown[] | Patch, into: unknown[] | null, K: ArrayKernel): unknown[] {
  const chain: Patch[] = [];
  let b: unknown[] | Patch = p;
  while (b instanceof Patch) {
    chain.push(b);
    b = b.base;
  }
  let out: unknown[];
  if (into === null) out = b.slice();
  else {
    out = into;
    K.refill(out, b, b.length);
  }
  for (let c = chain.length - 1; c >= 0; c--) K.apply(out, chain[c]!.length, chain[c]!.idx, chain[c]!.vals);
  return out;
}

interface Freezing {
  bytes: number;
  seen: Map<object, unknown>;
  counted?: Set<unknown>;
  /**
   * The elements the previous snapshot's patches stand for, as its freezing left them: a
   * snapshot made after it compares with those instead of applying the patch chains again
   * (most of what a snapshot cost). Each is used once, then updated in place into `contents`.
   */
  known: Map<Patch, unknown[]>;
  /** The same for this snapshot's patches. */
  contents: Map<Patch, unknown[]>;
}

/** The elements frozen `prev` stands for, and whether the caller now owns that array (it may change it). */
function elementsOf(prev: unknown, acc: Freezing, K: ArrayKernel): { p: unknown[] | null; owned: boolean } {
  if (Array.isArray(prev)) return { p: prev, owned: false };
  if (!(prev instanceof Patch)) return { p: null, owned: false };
  const known = acc.known.get(prev);
  if (known !== undefined) {
    acc.known.delete(prev);
    return { p: known, owned: true };
  }
  return { p: materialize(prev, null, K), owned: true };
}

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
 * patch on it; versions are shared. `K` is the kernel for the place `x` is at: arrays are
 * compared, copied and patched by their place's own loops (kernels.ts), which keep each
 * array's kind of elements as the simulation made it.
 */
function freeze(x: unknown, prev: unknown, acc: Freezing, K: ArrayKernel): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) return freezeArray(x, prev, acc, K);
  const o = x as Record<string, unknown>;
  if (isVersion(o)) {
    if (x !== prev) acc.bytes += sharedBytes(x, acc);
    return x;
  }
  // An object held in several places (an operation in flight, queued and in the judge's
  // calendar) is copied once, and the copy held in the same places.
  const seen = acc.seen.get(x);
  if (seen !== undefined) return seen;
  const frozen = freezeObject(o, prev, acc, K);
  acc.seen.set(x, frozen);
  return frozen;
}

/** freeze for an array; `K` is the kernel for its place in the state. */
function freezeArray(x: unknown[], prev: unknown, acc: Freezing, K: ArrayKernel): unknown {
  if (K.isVersionList(x)) {
    // A new list of the same versions (a merge that changed nothing): the earlier one serves.
    if (x === prev || (Array.isArray(prev) && K.same(x, prev))) return prev;
    acc.bytes += sharedBytes(x, acc);
    return x;
  }
  const { p, owned } = elementsOf(prev, acc, K);
  if (K.isFlat(x)) return freezeFlat(x, p, owned, prev, acc, K);
  // One pass: each element frozen against the earlier copy's (an unchanged one comes back
  // as that very copy), the changes collected for a patch while one may still pay, and a
  // whole copy made from there on once it does not.
  const n = x.length;
  const idx = K.indices();
  const vals = K.values();
  const inner = K.elements;
  const out = K.freezeElements(x, p, p === null ? 0 : patchLimit(n, prev), idx, vals, (e, pe) => freeze(e, pe, acc, inner));
  if (out !== null) {
    acc.bytes += ARRAY_BYTES + SLOT_BYTES * n;
    return out;
  }
  if (idx.length === 0 && n === p!.length) return unchanged(prev, p!, owned, acc);
  return newPatch(prev, n, idx, vals, false, p!, owned, acc, K);
}

/** Changes at most this many elements of an array of `n` kept as a patch on `prev`; 0: none. */
function patchLimit(n: number, prev: unknown): number {
  const depth = prev instanceof Patch ? prev.depth : 0;
  return n >= PATCH_MIN_LENGTH && depth < PATCH_MAX_DEPTH ? n * PATCH_MAX_SHARE : 0;
}

/** `prev` again, its elements `p` kept for the next snapshot when they are the caller's. */
function unchanged(prev: unknown, p: unknown[], owned: boolean, acc: Freezing): unknown {
  if (owned) acc.contents.set(prev as Patch, p);
  return prev;
}

/** A patch of `idx`/`vals` on `prev` (whose elements are `p`), counted, its elements kept when `p` is the caller's. */
function newPatch(prev: unknown, n: number, idx: number[], vals: unknown[], flat: boolean, p: unknown[], owned: boolean, acc: Freezing, K: ArrayKernel): Patch {
  const base = prev as unknown[] | Patch;
  const patch = new Patch(base, n, idx, vals, (base instanceof Patch ? base.depth : 0) + 1, flat);
  acc.bytes += patchBytes(patch);
  if (owned) acc.contents.set(patch, K.apply(p, n, idx, vals));
  return patch;
}

/**
 * freezeArray for an array of numbers (or other non-objects), in one pass: the earlier copy
 * when nothing changed, else a patch on it when few elements did, else a whole copy. `p` is
 * what `prev` stands for; when `owned`, it is updated in place into the patch's elements.
 */
function freezeFlat(x: unknown[], p: unknown[] | null, owned: boolean, prev: unknown, acc: Freezing, K: ArrayKernel): unknown {
  const n = x.length;
  if (p !== null) {
    const limit = patchLimit(n, prev);
    const idx = K.indices();
    const vals = K.values();
    const fits = K.diffFlat(x, p, limit, idx, vals);
    if (fits && idx.length === 0 && n === p.length) return unchanged(prev, p, owned, acc);
    if (fits && limit > 0) return newPatch(prev, n, idx, vals, true, p, owned, acc, K);
  }
  acc.bytes += ARRAY_BYTES + SLOT_BYTES * n;
  return x.slice();
}

function patchBytes(patch: Patch): number {
  return OBJECT_BYTES + 5 * SLOT_BYTES + 2 * ARRAY_BYTES + 2 * SLOT_BYTES * patch.idx.length;
}

function freezeObject(o: Record<string, unknown>, prev: unknown, acc: Freezing, K: ArrayKernel): unknown {
  const po = typeof prev === 'object' && prev !== null && !Array.isArray(prev) && !(prev instanceof Patch) ? (prev as Record<string, unknown>) : null;
  const out: Record<string, unknown> = { ...o };
  frozenObjects.add(out);
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
    if (typeof e === 'object' && e !== null) out[k] = freeze(e, pe, acc, K.field(k));
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
 * copyState, recursively; `seen` maps each object held in several places to its one copy.
 * `old` is what the discarded state held at the same place (or undefined); `reused` the
 * arrays of it refilled so far, each refilled once, or null when there is no such state.
 */
function copyDeep(x: unknown, seen: Map<object, unknown>, old: unknown, reused: Set<unknown> | null, K: ArrayKernel): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (x instanceof Patch) {
    const out = materialize(x, spare(old, x.length, reused, K), K);
    if (x.flat || K.isVersionList(out)) return out;
    return K.copyElements(out, null, copier(seen, reused, K.elements));
  }
  if (Array.isArray(x)) {
    if (K.isVersionList(x)) return x;
    const into = spare(old, x.length, reused, K);
    if (into !== null) {
      // The discarded elements are overwritten: their own arrays are not refilled.
      K.refill(into, x, x.length);
      return K.isFlat(into) ? into : K.copyElements(into, null, copier(seen, reused, K.elements));
    }
    const out = x.slice();
    return K.isFlat(out) ? out : K.copyElements(out, Array.isArray(old) ? old : null, copier(seen, reused, K.elements));
  }
  const o = x as Record<string, unknown>;
  if (isVersion(o)) return x;
  const done = seen.get(x);
  if (done !== undefined) return done;
  const oo = typeof old === 'object' && old !== null && !Array.isArray(old) ? (old as Record<string, unknown>) : null;
  // The state is plain data without cycles: the copy is made whole, its fields copied first.
  const out = clonerFor(o)(o, copyField, oo, K, seen, reused);
  seen.set(x, out);
  return out;
}

/** copyDeep for field `k` of an object at place `K` (`oo`: the discarded state's object there). */
function copyField(e: object, k: string, oo: Record<string, unknown> | null, K: ArrayKernel, seen: Map<object, unknown>, reused: Set<unknown> | null): unknown {
  return copyDeep(e, seen, oo !== null ? oo[k] : undefined, reused, K.field(k));
}

/** copyDeep for the elements of an array whose elements' kernel is `K`. */
function copier(seen: Map<object, unknown>, reused: Set<unknown> | null, K: ArrayKernel): (e: object, old: unknown) => unknown {
  return (e, old) => copyDeep(e, seen, old, reused, K);
}

/** Arrays at least this long are refilled rather than made anew (shorter ones cost little either way). */
const REFILL_MIN_LENGTH = 1024;

/**
 * The discarded state's array at this place, to be refilled with `length` elements: a long
 * one, not refilled already, and not a version list (those are shared with snapshots).
 */
function spare(old: unknown, length: number, reused: Set<unknown> | null, K: ArrayKernel): unknown[] | null {
  if (reused === null || !Array.isArray(old) || length < REFILL_MIN_LENGTH || old.length < REFILL_MIN_LENGTH) return null;
  if (reused.has(old) || K.isVersionList(old)) return null;
  reused.add(old);
  return old;
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
    const p = prev instanceof Patch ? materialize(prev, null, ANY_ARRAY) : Array.isArray(prev) ? (prev as unknown[]) : null;
    bytes += ARRAY_BYTES + SLOT_BYTES * whole.length;
    for (let i = 0; i < whole.length; i++) bytes += bytesBeyond(whole[i], p !== null ? p[i] : undefined, seen);
    return bytes;
  }
  if (Array.isArray(x)) {
    if (ANY_ARRAY.isVersionList(x)) return immutableBytes(x);
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

/**
 * What a copied object is made by: an object literal with the same fields in the same order,
 * each object-valued field copied (copyField) as the literal is evaluated.
 */
type Cloner = (o: Record<string, unknown>, copy: typeof copyField, oo: Record<string, unknown> | null, K: ArrayKernel, seen: Map<object, unknown>, reused: Set<unknown> | null) => Record<string, unknown>;
/** Cloners by field list, and each snapshot object's (copied again at every restore; never changed). */
const clonersByFields = new Map<string, Cloner>();
const clonerOf = new WeakMap<object, Cloner>();
/** The objects snapshots hold: their fields never change, so their cloner can be remembered. */
const frozenObjects = new WeakSet<object>();
const spreadClone: Cloner = (o, copy, oo, K, seen, reused) => {
  const out = { ...o };
  for (const k in out) {
    const e = out[k];
    if (typeof e === 'object' && e !== null) out[k] = copy(e, k, oo, K, seen, reused);
  }
  return out;
};
/** Past this many fields an object may be a table (dictionary mode): copied by spread. */
const LITERAL_MAX_FIELDS = 40;

/**
 * How to copy plain object `o` so that the copy has the hidden class an object literal of
 * the same fields has, which is what the simulation made its objects with. A copy by spread
 * gets a class of its own (V8 gives clones another map), so a restored state mixed with
 * objects the simulation makes afterwards sends its code through two shapes everywhere:
 * each seek deoptimised what it had compiled, and the first seeks after playing through
 * stepped several times slower than later ones. And each field gets its final value in the
 * literal: V8 notes which fields are never written after an object is made, the
 * simulation's code is compiled trusting that, and a copy whose fields were filled in
 * afterwards threw all of it away at the first restore. The literal is compiled once per
 * field list.
 */
function clonerFor(o: Record<string, unknown>): Cloner {
  let c = clonerOf.get(o);
  if (c === undefined) {
    const fields = Object.keys(o);
    // A table keyed by numbers (a node's open requests by id) has other keys every time:
    // copied by spread, and never remembered by its keys (that would grow without end). A
    // literal's "__proto__" would set the prototype, not a field: spread too.
    if (fields.length > LITERAL_MAX_FIELDS || fields.some((f) => INDEX_LIKE.test(f) || f === '__proto__')) c = spreadClone;
    else {
      const sig = fields.join('\u0000');
      c = clonersByFields.get(sig);
      if (c === undefined) {
        c = compileCloner(fields);
        clonersByFields.set(sig, c);
      }
    }
    if (frozenObjects.has(o)) clonerOf.set(o, c);
  }
  return c;
}

/** How many field lists have a compiled literal: bounded by the kinds of object the simulation makes. */
export function literalShapesKnown(): number {
  return clonersByFields.size;
}

function compileCloner(fields: readonly string[]): Cloner {
  const body = fields
    .map((f) => {
      const q = JSON.stringify(f);
      return `${q}: typeof o[${q}] === 'object' && o[${q}] !== null ? copy(o[${q}], ${q}, oo, K, seen, reused) : o[${q}]`;
    })
    .join(', ');
  return new Function('o', 'copy', 'oo', 'K', 'seen', 'reused', `return { ${body} };`) as Cloner;
}
