// The game's consistency judge: which reads were stale, which acknowledged writes were
// lost. It must agree with an independent linearizability checker run on the exported
// history, so it implements an exact rule rather than a heuristic.
//
// The rule (per key; a register where every write writes a unique value, initially null),
// from Gibbons & Korach's zone characterization of read-mapped register histories:
// a *cluster* is one written value: its write plus the ok reads that returned it; the
// *null cluster* is the implicit initial write (completed at −∞) plus the reads of null.
// fail ops and info reads are ignored; an info write belongs to its cluster but never
// completes. For a cluster C, as seen by a read r:
//   low(C)     = the earliest completion among C's ops strictly before r.invoke
//                (−∞ for null; +∞ if none yet),
//   lastInv(C) = the latest invocation among C's ops at or before r.invoke (−∞ if none).
// A read r of C is stale iff some other cluster D has low(D) < r.invoke (D established)
// and lastInv(D) > low(C): an op of D was invoked after C was established, so D's write
// follows C's in every linearization and precedes r. A read of an in-flight write
// (low(C) = +∞) is never stale. Sibling reads (several values) belong to each value's
// cluster and are stale iff the best established cluster outside the list beats every
// listed value's low.
//
// Evaluation is a time sweep over invoke and complete events. At equal times:
// (0) invocations raise lastInv, (1) reads invoked then are judged, (2) completions set
// low — so a.complete == b.invoke counts as concurrent, as in the checker. Judging after
// same-instant invocations matters: two reads invoked at the same instant, after two
// writes both completed, that return the two different values cannot both be right (the
// checker says violation), and only then does each see the other's cluster. Per key we
// keep the top TOP_K established clusters by lastInv (lastInv only grows, establishment
// only turns on, so a streaming top-K is exact), making each judgement O(1).
//
// Judgement is deferred: an op's cluster is known only once it finishes, at most a client
// timeout after its invoke. judgeRecord buffers finished ops; judgeAdvance(horizon)
// processes buffered events before the horizon (callers pass now − timeoutMs).

import { BEFORE_TIME, NEVER, READ, WRITE, type OpRecord } from './ops.js';

/** [low, lastInv, writeOk]: see the rule above; writeOk is 1 once the value's write completed ok. */
export type Cluster = [low: number, lastInv: number, writeOk: number];

export interface JudgeState {
  keyCount: number;
  /** Per key: clusters keyed by written value; key 0 is the null cluster. */
  clusters: Record<string, Cluster>[];
  /**
   * Per key: up to TOP_K established clusters with the largest lastInv, flattened as
   * [value, lastInv, value, lastInv, …] in descending lastInv. Only clusters with an
   * invoked op (lastInv > BEFORE_TIME) enter: the others can never make a read stale.
   */
  top: number[][];
  /** Stale client reads (final reads excluded), in total and per key. */
  staleReads: number;
  staleReadsByKey: number[];
  /** Per key: whether the post-round verification read was stale. */
  finalStaleByKey: boolean[];
  /** Per key: lost acknowledged writes, set when the key's final read is judged. */
  lostByKey: number[];
  /**
   * Buffered events: a binary min-heap over (time, ord) in three parallel arrays, where
   * ord = phase · PHASE_SPAN + sequence (phase order at equal times, then FIFO).
   * heapOp holds the records themselves (JSON-restored snapshots hold copies).
   */
  heapTime: number[];
  heapOrd: number[];
  heapOp: OpRecord[];
  seq: number;
  /** Time and phase of the last processed event, to detect late records. */
  doneTime: number;
  donePhase: number;
  /**
   * Events recorded after later events had been processed (the caller advanced the
   * horizon past an op that had not finished yet): judged out of order, so counted here.
   * 0 when the horizon contract is kept.
   */
  late: number;
}

/** What one judgeAdvance / judgeFlush call found, in processing order. */
export interface JudgeStep {
  /** Client reads newly found stale (op.stale set): count these in the metrics. */
  stale: OpRecord[];
  /** Final verification reads found stale (op.stale set); not client stale reads. */
  finalStale: OpRecord[];
}

export interface LostWrites {
  total: number;
  byKey: number[];
}

export function createJudge(keyCount: number): JudgeState {
  const j: JudgeState = {
    keyCount: 0,
    clusters: [],
    top: [],
    staleReads: 0,
    staleReadsByKey: [],
    finalStaleByKey: [],
    lostByKey: [],
    heapTime: [],
    heapOrd: [],
    heapOp: [],
    seq: 0,
    doneTime: BEFORE_TIME,
    donePhase: 0,
    late: 0,
  };
  growKeys(j, keyCount);
  return j;
}

/**
 * Buffers a finished operation (call it when the op completes, fails or times out; any
 * type). fail ops and info reads are dropped at once: they say nothing about the register.
 */
export function judgeRecord(j: JudgeState, op: OpRecord): void {
  if (op.type === 'fail') return;
  const isRead = op.f === READ;
  if (isRead && op.type !== 'ok') return;
  if (op.key >= j.keyCount) growKeys(j, op.key + 1);
  push(j, op.invoke, INVOKE, op);
  if (isRead) push(j, op.invoke, JUDGE, op);
  if (op.type === 'ok') push(j, op.complete, COMPLETE, op);
}

/**
 * Processes every buffered event with time < horizon; later ones stay buffered. Pass
 * horizon = now − client timeout: every op invoked before it has finished and been
 * recorded, so no later record can belong before it. Marks stale reads (op.stale = true).
 */
export function judgeAdvance(j: JudgeState, horizon: number): JudgeStep {
  const step: JudgeStep = { stale: [], finalStale: [] };
  while (j.heapTime.length > 0 && j.heapTime[0] < horizon) popAndProcess(j, step);
  return step;
}

/** Processes everything buffered (end of round, after the final reads finished). */
export function judgeFlush(j: JudgeState): JudgeStep {
  const step: JudgeStep = { stale: [], finalStale: [] };
  while (j.heapTime.length > 0) popAndProcess(j, step);
  return step;
}

/**
 * Lost acknowledged writes, per key with a final read returning V (after judgeFlush): the
 * clusters D ∉ V whose write completed ok and with lastInv(D) > low(V) when the final
 * read was invoked — acknowledged, provably ordered after V, and yet gone. For a sibling
 * final read, V's low is the largest low of its values (D must follow all of them).
 */
export function judgeLostWrites(j: JudgeState): LostWrites {
  let total = 0;
  for (const n of j.lostByKey) total += n;
  return { total, byKey: j.lostByKey.slice() };
}

// ---------------------------------------------------------------------------------------
// Helpers

const INVOKE = 0;
const JUDGE = 1;
const COMPLETE = 2;
/** Room for 2^44 sequence numbers per phase; 3 · 2^44 stays an exact integer. */
const PHASE_SPAN = 2 ** 44;
/** Clusters kept per key for judging; sibling reads listing all of them fall back to a scan. */
const TOP_K = 4;

function growKeys(j: JudgeState, keyCount: number): void {
  for (let k = j.keyCount; k < keyCount; k++) {
    j.clusters.push({ 0: [BEFORE_TIME, BEFORE_TIME, 0] });
    j.top.push([]);
    j.staleReadsByKey.push(0);
    j.finalStaleByKey.push(false);
    j.lostByKey.push(0);
  }
  if (keyCount > j.keyCount) j.keyCount = keyCount;
}

function popAndProcess(j: JudgeState, step: JudgeStep): void {
  const t = j.heapTime[0];
  const ord = j.heapOrd[0];
  const op = j.heapOp[0];
  heapPop(j);
  const phase = ord >= 2 * PHASE_SPAN ? COMPLETE : ord >= PHASE_SPAN ? JUDGE : INVOKE;
  j.doneTime = t;
  j.donePhase = phase;
  const key = op.key;
  const table = j.clusters[key];
  if (phase === JUDGE) {
    judgeRead(j, op, table, step);
    return;
  }
  const v = op.value;
  if (!Array.isArray(v)) {
    if (phase === INVOKE) invoked(j.top[key], table, v === null ? 0 : v, t);
    else completed(j.top[key], table, v === null ? 0 : v, t, op.f === WRITE);
  } else if (v.length === 0) {
    if (phase === INVOKE) invoked(j.top[key], table, 0, t);
    else completed(j.top[key], table, 0, t, false);
  } else {
    for (let i = 0; i < v.length; i++) {
      if (phase === INVOKE) invoked(j.top[key], table, v[i], t);
      else completed(j.top[key], table, v[i], t, false);
    }
  }
}

function clusterOf(table: Record<string, Cluster>, id: number): Cluster {
  let c = table[id];
  if (c === undefined) c = table[id] = [NEVER, BEFORE_TIME, 0];
  return c;
}

function invoked(top: number[], table: Record<string, Cluster>, id: number, t: number): void {
  const c = clusterOf(table, id);
  if (t > c[1]) {
    c[1] = t;
    if (c[0] < NEVER) topUpdate(top, id, t);
  }
}

function completed(top: number[], table: Record<string, Cluster>, id: number, t: number, isWrite: boolean): void {
  const c = clusterOf(table, id);
  if (t < c[0]) {
    const wasEstablished = c[0] < NEVER;
    c[0] = t;
    if (!wasEstablished && c[1] > BEFORE_TIME) topUpdate(top, id, c[1]);
  }
  if (isWrite) c[2] = 1;
}

/** Raises (or inserts) cluster id's lastInv in a key's top list, keeping it sorted. */
function topUpdate(top: number[], id: number, lastInv: number): void {
  let i = -1;
  for (let k = 0; k < top.length; k += 2) {
    if (top[k] === id) {
      i = k;
      break;
    }
  }
  if (i >= 0) {
    top[i + 1] = lastInv;
  } else if (top.length < 2 * TOP_K) {
    i = top.length;
    top.push(id, lastInv);
  } else if (lastInv > top[top.length - 1]) {
    // Evicting the minimum is safe: it can only come back through its own update.
    i = top.length - 2;
    top[i] = id;
    top[i + 1] = lastInv;
  } else {
    return;
  }
  while (i > 0 && top[i - 1] < top[i + 1]) {
    const pid = top[i - 2];
    const pv = top[i - 1];
    top[i - 2] = top[i];
    top[i - 1] = top[i + 1];
    top[i] = pid;
    top[i + 1] = pv;
    i -= 2;
  }
}

/** Judges an ok read: completions strictly before its invoke, invocations up to it. */
function judgeRead(j: JudgeState, op: OpRecord, table: Record<string, Cluster>, step: JudgeStep): void {
  const v = op.value;
  // The read's cluster(s) must all have been established; with siblings, the latest low counts.
  let maxLow: number;
  if (!Array.isArray(v)) maxLow = lowOf(table, v === null ? 0 : v);
  else if (v.length === 0) maxLow = lowOf(table, 0);
  else {
    maxLow = BEFORE_TIME;
    for (let i = 0; i < v.length; i++) maxLow = Math.max(maxLow, lowOf(table, v[i]));
  }
  const key = op.key;
  const stale = maxLow < NEVER && bestOutside(j.top[key], table, v) > maxLow;
  if (op.final) {
    j.lostByKey[key] = maxLow < NEVER ? countLost(table, v, maxLow) : 0;
    if (stale) {
      op.stale = true;
      j.finalStaleByKey[key] = true;
      step.finalStale.push(op);
    }
  } else if (stale) {
    op.stale = true;
    j.staleReads++;
    j.staleReadsByKey[key]++;
    step.stale.push(op);
  }
}

function lowOf(table: Record<string, Cluster>, id: number): number {
  const c = table[id];
  return c === undefined ? NEVER : c[0];
}

/** The largest lastInv among established clusters a read's value does not name. */
function bestOutside(top: number[], table: Record<string, Cluster>, v: OpRecord['value']): number {
  for (let k = 0; k < top.length; k += 2) if (!names(v, top[k])) return top[k + 1];
  if (top.length < 2 * TOP_K) return BEFORE_TIME; // the list holds every candidate
  // A sibling read naming every cluster of a full list: rare, so scan the key's table.
  let best = BEFORE_TIME;
  for (const id in table) {
    const c = table[id];
    if (c[0] < NEVER && c[1] > best && !names(v, Number(id))) best = c[1];
  }
  return best;
}

/** Acknowledged clusters outside v that provably follow it: lost writes (final read only). */
function countLost(table: Record<string, Cluster>, v: OpRecord['value'], maxLow: number): number {
  let n = 0;
  for (const id in table) {
    const c = table[id];
    if (c[2] === 1 && c[1] > maxLow && !names(v, Number(id))) n++;
  }
  return n;
}

/** Whether a read's value names cluster id (null and [] name the null cluster 0). */
function names(v: OpRecord['value'], id: number): boolean {
  if (v === null) return id === 0;
  if (!Array.isArray(v)) return v === id;
  if (v.length === 0) return id === 0;
  for (let i = 0; i < v.length; i++) if (v[i] === id) return true;
  return false;
}

function push(j: JudgeState, t: number, phase: number, op: OpRecord): void {
  const ord = phase * PHASE_SPAN + j.seq++;
  if (t < j.doneTime || (t === j.doneTime && phase < j.donePhase)) j.late++;
  const T = j.heapTime;
  const O = j.heapOrd;
  const P = j.heapOp;
  let i = T.length;
  T.push(t);
  O.push(ord);
  P.push(op);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (T[p] < t || (T[p] === t && O[p] < ord)) break;
    T[i] = T[p];
    O[i] = O[p];
    P[i] = P[p];
    i = p;
  }
  T[i] = t;
  O[i] = ord;
  P[i] = op;
}

/** Removes the heap's minimum (the caller has read it). */
function heapPop(j: JudgeState): void {
  const T = j.heapTime;
  const O = j.heapOrd;
  const P = j.heapOp;
  const t = T.pop()!;
  const ord = O.pop()!;
  const op = P.pop()!;
  const n = T.length;
  if (n === 0) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    let c = l;
    const r = l + 1;
    if (r < n && (T[r] < T[l] || (T[r] === T[l] && O[r] < O[l]))) c = r;
    if (t < T[c] || (t === T[c] && ord < O[c])) break;
    T[i] = T[c];
    O[i] = O[c];
    P[i] = P[c];
    i = c;
  }
  T[i] = t;
  O[i] = ord;
  P[i] = op;
}
