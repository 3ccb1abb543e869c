// What a round amounts to: the measures of GAME.md, the score against the scenario's SLA,
// a state hash for checkpoints, snapshots, and the exported history (HISTORY.md).

import { log10 } from './det-math.js';
import { summarize, type RoundSummary } from './metrics.js';
import { NEVER, type OpRecord } from './ops.js';
import { lostWriteSteps, type Sim } from './engine.js';
import { visibleValue } from './versions.js';
import { isSimVersion, type SimState } from './state.js';
import type { Scenario } from '../scenarios/types.js';
import { atDifficulty } from '../scenarios/difficulty.js';
import { currentIdOf, runnableScenario } from '../scenarios/index.js';
import { countWork } from './work.js';

export interface Summary extends RoundSummary {
  scenario: string;
  preset: string;
  chaos: string;
  seed: number;
  durationMs: number;
  lostWrites: number;
  conflicts: number;
  /** Share of keys whose replicas currently disagree. */
  divergence: number;
  cost: number;
  score: number;
  scoreParts: { availability: number; latency: number; consistency: number; durability: number; cost: number };
  elections: number;
  failovers: number;
  refusedNoQuorum: number;
  servedWithoutQuorum: number;
  stateHash: string;
}

export function summary(sim: Sim): Summary {
  return drain(summarySteps(sim));
}

/**
 * summary() in slices of a few ms each, yielding between them: at the end of a big round
 * the lost-write count, the divergence and the state hash take a second or more in all,
 * which a server must not spend in one piece (other rooms keep their pace).
 */
export function* summarySteps(sim: Sim): Generator<void, Summary, void> {
  const { S, sc } = sim;
  const base = summarize(S.metrics, S.durationMs);
  const lost = S.finished ? (yield* lostWriteSteps(S)).total : 0;
  const parts = scoreParts(sc, base, lost, S.cost);
  const score = scoreOf(sc, parts);
  yield;
  const diverged = yield* divergenceSteps(S);
  const hash = yield* stateHashSteps(S);
  return {
    scenario: S.scenario,
    preset: S.preset,
    chaos: S.chaosLevel,
    seed: S.seed,
    durationMs: S.durationMs,
    ...base,
    lostWrites: lost,
    conflicts: S.counters.conflicts,
    divergence: diverged,
    cost: round2(S.cost),
    score,
    scoreParts: parts,
    elections: S.counters.elections,
    failovers: S.counters.failovers,
    refusedNoQuorum: S.counters.refusedNoQuorum,
    servedWithoutQuorum: S.counters.servedWithoutQuorum,
    stateHash: hash,
  };
}

/** Runs a generator of slices to its end, at once. */
function drain<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/** The score: 1000 × the scenario's weighted mean of the parts. The one definition, live or final. */
export function scoreOf(sc: Scenario, parts: Summary['scoreParts']): number {
  const w = sc.scoring;
  const totalW = w.availability + w.latency + w.consistency + w.durability + w.cost;
  return Math.round((1000 * (w.availability * parts.availability + w.latency * parts.latency + w.consistency * parts.consistency + w.durability * parts.durability + w.cost * parts.cost)) / totalW);
}

/**
 * A player's share of the team score: the score times their share of everyone's points
 * (the requests their node served while they ran it, adjusted as shared/round/contributions.ts says).
 */
export function contribution(score: number, points: number, totalPoints: number): number {
  return totalPoints === 0 ? 0 : Math.round((score * points) / totalPoints);
}

/** Each part is 1 when its SLA target is met and falls toward 0 the further it misses. */
export function scoreParts(sc: Scenario, m: RoundSummary, lost: number, cost: number): Summary['scoreParts'] {
  const sla = sc.sla;
  // The error budget's view: the share of requests the promise lets fail, over the share
  // that did. Within budget it is 1; spending twice the budget halves it. (No request: 1.)
  const allowed = 1 - sla.availability;
  const failed = m.requests > 0 ? 1 - m.availability : 0;
  const availability = failed <= allowed ? 1 : allowed / failed;
  const latency = m.p99 <= sla.p99Ms || m.p99 === 0 ? 1 : sla.p99Ms / m.p99;
  const reads = Math.max(1, m.requests);
  const excessStale = Math.max(0, m.staleReads - sla.maxStaleReads);
  const consistency = excessStale === 0 ? 1 : Math.max(0, 1 - log10(1 + excessStale) / log10(1 + reads / 100));
  const excessLost = Math.max(0, lost - sla.maxLostWrites);
  const durability = excessLost === 0 ? 1 : 1 / (1 + log10(1 + excessLost));
  const costPart = cost <= sc.budget.limit ? 1 : sc.budget.limit / cost;
  return { availability: round3(availability), latency: round3(latency), consistency: round3(consistency), durability: round3(durability), cost: round3(costPart) };
}

/** Share of keys (with any value) whose up replicas hold different visible values. */
export function divergence(S: SimState): number {
  return drain(divergenceSteps(S));
}

/** Keys compared per slice of divergenceSteps. */
const DIVERGENCE_KEYS_PER_SLICE = 250;

function* divergenceSteps(S: SimState): Generator<void, number, void> {
  let keys = 0;
  let diverged = 0;
  for (let k = 0; k < S.keyShard.length; k++) {
    if (k > 0 && k % DIVERGENCE_KEYS_PER_SLICE === 0) yield;
    countWork(1);
    const reps = S.shards[S.keyShard[k]!]!.replicas;
    let first: string | null = null;
    let differs = false;
    let any = false;
    for (const r of reps) {
      const n = S.nodes[r]!;
      if (n.status !== 'up') continue;
      const v = visibleValue(n.store[k] ?? null);
      if (v !== null) any = true;
      const s = JSON.stringify(v);
      if (first === null) first = s;
      else if (s !== first) differs = true;
    }
    if (!any) continue;
    keys++;
    if (differs) diverged++;
  }
  return keys === 0 ? 0 : round3(diverged / keys);
}

/**
 * A 64-bit hash of the whole state, as 16 hex digits, for replay checkpoints. The judge's
 * bulk tables (one entry per written value) are folded in numerically rather than through
 * JSON, which keeps a checkpoint of a long round cheap; everything else goes through JSON.
 */
export function stateHash(S: SimState): string {
  return drain(stateHashSteps(S));
}

/**
 * stateHash in slices: the same hash (of the same text), the JSON written and hashed piece
 * by piece — whole big arrays element by element — yielding after every HASH_SLICE_CHARS
 * characters or so, a few ms of work.
 */
export function* stateHashSteps(S: SimState): Generator<void, string, void> {
  const h = new StreamHash();
  yield* jsonPieces(yield* hashedStateSteps(S), h, 0);
  return h.digest();
}

/** What stateHash hashes the JSON text of: the state, the judge's tables digested. */
export function hashedState(S: SimState): unknown {
  return drain(hashedStateSteps(S));
}

function* hashedStateSteps(S: SimState): Generator<void, unknown, void> {
  const judge: Record<string, unknown> = {};
  const tally = { n: 0, counted: 0 };
  for (const [k, v] of Object.entries(S.judge)) {
    judge[k] = Array.isArray(v) ? yield* digestArraySteps(v, tally) : v;
    if (Array.isArray(v) && v.length > 1000) yield;
  }
  countWork((tally.n - tally.counted) / DIGESTED_PER_UNIT);
  return { ...S, judge };
}

/** Array elements digested between two yields of hashedStateSteps (a few ms). */
const DIGESTED_PER_SLICE = 16 * 1024;
/** Array elements digested that count as one unit of the closing's work (work.ts). */
const DIGESTED_PER_UNIT = 16;
/** An element digested through JSON (a flag, an operation) counts as this many numbers, plus a quarter of its length. */
const DIGEST_JSON_WEIGHT = 8;

/** Characters hashed that count as one unit of the closing's work (work.ts). */
const HASHED_CHARS_PER_UNIT = 256;
/** Characters hashed between two yields of stateHashSteps. */
const HASH_SLICE_CHARS = 32 * 1024;
/**
 * Written piece by piece: containers this near the state's root, arrays longer than this,
 * and objects holding such an array (a message carrying a shard's versions, a node).
 */
const PIECEWISE_LENGTH = 64;
const PIECEWISE_DEPTH = 2;

/**
 * Feeds JSON.stringify(x)'s text to h, yielding now and then: containers that may be big are
 * written element by element (JSON's own rules: keys in property order, undefined and
 * functions left out of objects and written as null in arrays), everything else at once —
 * runs of small array elements together, as one JSON.stringify of the run.
 */
function* jsonPieces(x: unknown, h: StreamHash, depth: number): Generator<void, void, void> {
  if (!piecewise(x, depth)) {
    h.feed(JSON.stringify(x));
    return;
  }
  if (Array.isArray(x)) {
    h.feed('[');
    let i = 0;
    while (i < x.length) {
      if (i > 0) h.feed(',');
      if (piecewise(x[i], depth + 1)) {
        yield* jsonPieces(x[i], h, depth + 1);
        i++;
      } else {
        let end = i + 1;
        while (end < x.length && end - i < RUN_LENGTH && !piecewise(x[end], depth + 1)) end++;
        const run = JSON.stringify(x.slice(i, end));
        h.feed(run.slice(1, run.length - 1));
        i = end;
      }
      if (h.sinceYield >= HASH_SLICE_CHARS) {
        h.sinceYield = 0;
        yield;
      }
    }
    h.feed(']');
    return;
  }
  h.feed('{');
  let first = true;
  for (const k of Object.keys(x as object)) {
    const e = (x as Record<string, unknown>)[k];
    if (e === undefined || typeof e === 'function' || typeof e === 'symbol') continue;
    h.feed(first ? '' : ',');
    first = false;
    h.feed(JSON.stringify(k) + ':');
    yield* jsonPieces(e, h, depth + 1);
    if (h.sinceYield >= HASH_SLICE_CHARS) {
      h.sinceYield = 0;
      yield;
    }
  }
  h.feed('}');
}

/** Array elements written by one JSON.stringify call, at most. */
const RUN_LENGTH = 1024;

function piecewise(x: unknown, depth: number): boolean {
  if (typeof x !== 'object' || x === null) return false;
  if (depth < PIECEWISE_DEPTH) return true;
  return Array.isArray(x) ? x.length > PIECEWISE_LENGTH : holdsLongArray(x);
}

function holdsLongArray(o: object): boolean {
  for (const k in o) {
    const e = (o as Record<string, unknown>)[k];
    if (Array.isArray(e) && e.length > PIECEWISE_LENGTH) return true;
  }
  return false;
}

/** hashString over text fed in pieces: the same result as hashing their concatenation. */
class StreamHash {
  h1 = 0x811c9dc5;
  h2 = 0x050c5d1f;
  sinceYield = 0;

  feed(s: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.sinceYield += s.length;
    countWork(s.length / HASHED_CHARS_PER_UNIT);
  }

  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }
}

/**
 * Fold a (possibly nested) array of numbers, booleans, nulls and objects into a short string,
 * yielding after every DIGESTED_PER_SLICE elements (counted in `tally`, across the nesting):
 * the judge's per-key tables of a big key space are hundreds of thousands of numbers.
 */
function* digestArraySteps(a: unknown[], tally: { n: number; counted: number }): Generator<void, string, void> {
  let h1 = 0x811c9dc5;
  let h2 = a.length | 0;
  for (let i = 0; i < a.length; i++) {
    if (tally.n - tally.counted >= DIGESTED_PER_SLICE) {
      countWork((tally.n - tally.counted) / DIGESTED_PER_UNIT);
      tally.counted = tally.n;
      yield;
    }
    const x = a[i];
    if (typeof x === 'number') {
      tally.n++;
      // Integer part and fraction both count: times are fractional milliseconds.
      h1 = Math.imul(h1 ^ (x | 0), 0x01000193);
      h2 = Math.imul(h2 ^ ((x * 65536) % 2147483647 | 0), 0x01000193) ^ (h1 >>> 15);
    } else {
      const str = Array.isArray(x) && x.length > 16 ? yield* digestArraySteps(x, tally) : JSON.stringify(x) ?? 'u';
      // Written as JSON: a number's worth of work several times over, and more the longer.
      tally.n += DIGEST_JSON_WEIGHT + (str.length >> 2);
      for (let j = 0; j < str.length; j++) h1 = Math.imul(h1 ^ str.charCodeAt(j), 0x01000193);
      h2 = Math.imul(h2 ^ h1, 0x01000193);
    }
  }
  return `#${a.length}:${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}`;
}

export function hashString(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

export interface HistoryOpJson {
  process: number;
  key: string;
  f: 'read' | 'write';
  value: number | number[] | null;
  invoke: number;
  complete: number | null;
  type: 'ok' | 'fail' | 'info';
  final?: true;
}

export interface HistoryJson {
  format: 'splitbrain-history/1';
  scenario: string;
  seed: number;
  settings: unknown;
  ops: HistoryOpJson[];
}

/** The exported history (HISTORY.md): every operation in invoke order. */
export function exportHistory(sim: Sim, initialSettings: unknown): HistoryJson {
  const { S, sc } = sim;
  const ops = (sim.log ?? []).slice().sort((a, b) => a.invoke - b.invoke || a.id - b.id);
  return {
    format: 'splitbrain-history/1',
    // The contract (HISTORY.md) names scenarios by the ids players know: a round played under
    // a retired revision ('telemetry@1') exports as its scenario ('telemetry').
    scenario: currentIdOf(S.scenario) ?? S.scenario,
    seed: S.seed,
    settings: initialSettings,
    ops: ops.map((op) => historyOp(op, sc.workload.keyPrefix)),
  };
}

function historyOp(op: OpRecord, prefix: string): HistoryOpJson {
  const out: HistoryOpJson = {
    process: op.process,
    key: `${prefix}-${op.key}`,
    f: op.f === 1 ? 'write' : 'read',
    value: op.f === 0 && op.type !== 'ok' ? null : op.value,
    invoke: op.invoke,
    complete: op.complete >= NEVER || op.type === "info" ? null : op.complete,
    type: op.type,
  };
  if (op.final === true) out.final = true;
  return out;
}

/** A compact snapshot from which a run continues exactly. */
export function snapshot(sim: Sim): string {
  return JSON.stringify(sim.S);
}

export function restore(snap: string, sc: Scenario, recordHistory = false): Sim {
  const S = JSON.parse(snap) as SimState;
  if (!isSimVersion(S.version) || S.scenario !== sc.id) throw new Error('snapshot does not match this scenario or version');
  // The catalogue's scenario, scaled to the snapshot's difficulty (whatever copy was passed).
  return { S, sc: atDifficulty(runnableScenario(sc.id) ?? sc, S.difficulty), log: recordHistory ? [] : null };
}


function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
