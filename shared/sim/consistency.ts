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
// processes buffered events before the horizon (callers pass now − timeoutMs). Invoke
// events wait in a binary heap (ops finish out of invoke order); completion events arrive
// in time order when ops are recorded as they finish, so they wait in a FIFO queue (an
// out-of-order one goes to the heap instead). Per op: one heap push and pop, O(log n).

import { BEFORE_TIME, NEVER, READ, WRITE, type OpRecord } from './ops.js';

export interface JudgeState {
  keyCount: number;
  /**
   * The clusters of written values, as flat triples indexed by value:
   * [low, lastInv, writeOk] at 3·value (writeOk = 1 once the value's write completed ok).
   * Values are unique per round across keys and issued sequentially from 1, so this stays
   * dense; slot 0 is unused (the null cluster is per key, below). One flat array rather
   * than per-key objects keyed by value: those go to dictionary mode and made the judge
   * ~1.7× slower.
   */
  clusters: number[];
  /** Per key: ops recorded (any type), so callers know which keys saw traffic. */
  opsByKey: number[];
  /** Per key: lastInv of the null cluster (its low is always BEFORE_TIME, i.e. −∞). */
  nullLastInv: number[];
  /** Per key: the values whose cluster has an invoked op (for the rare full scans). */
  keyValues: number[][];
  /**
   * Per key: up to TOP_K established clusters with the largest lastInv, flattened as
   * [value, lastInv, value, lastInv, …] in descending lastInv (value 0 = null). Only
   * clusters with an invoked op enter: the others can never make a read stale.
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
   * Invoke events (and out-of-order completions): a binary min-heap over (time, ord) in
   * parallel arrays; ord = phase · PHASE_SPAN + sequence. The records themselves are held
   * (a JSON-restored state holds copies: match returned records to yours by id).
   */
  heapTime: number[];
  heapOrd: number[];
  heapOp: OpRecord[];
  seq: number;
  /** Completion events in time order: a FIFO queue, consumed from doneHead. */
  doneQTime: number[];
  doneQOp: OpRecord[];
  doneHead: number;
  /** Reads invoked at the instant being processed, judged once its invocations are in. Empty between calls. */
  judging: OpRecord[];
  /** Time and phase of the last processed event, to detect late records. */
  lastTime: number;
  lastPhase: number;
  /**
   * Events recorded older than an event already processed (the caller advanced the
   * horizon past an op that had not finished yet): judged out of order, so counted here.
   * Always 0 when the horizon contract is kept.
   */
  late: number;
}

/**
 * What one judgeAdvance / judgeFlush call found, in processing order. Read-only: calls
 * that find nothing share one empty result (no allocation on the hot path).
 */
export interface JudgeStep {
  /** Client reads newly found stale (op.stale set): count these in the metrics. */
  readonly stale: readonly OpRecord[];
  /** Final verification reads found stale (op.stale set); not client stale reads. */
  readonly finalStale: readonly OpRecord[];
}

export interface LostWrites {
  total: number;
  byKey: number[];
}

export function createJudge(keyCount: number): JudgeState {
  const j: JudgeState = {
    keyCount: 0,
    clusters: [NEVER, BEFORE_TIME, 0],
    opsByKey: [],
    nullLastInv: [],
    keyValues: [],
    top: [],
    staleReads: 0,
    staleReadsByKey: [],
    finalStaleByKey: [],
    lostByKey: [],
    heapTime: [],
    heapOrd: [],
    heapOp: [],
    seq: 0,
    doneQTime: [],
    doneQOp: [],
    doneHead: 0,
    judging: [],
    lastTime: BEFORE_TIME,
    lastPhase: INVOKE,
    late: 0,
  };
  growKeys(j, keyCount);
  return j;
}

/**
 * Buffers a finished operation (call it when the op completes, fails or times out; any
 * type). fail ops and info reads are dropped at once: they say nothing about the register.
 * Written values must be positive integers (see JudgeState.clusters).
 */
export function judgeRecord(j: JudgeState, op: OpRecord): void {
  if (op.key >= j.keyCount) growKeys(j, op.key + 1);
  j.opsByKey[op.key]++;
  if (op.type === 'fail') return;
  if (op.f === READ && op.type !== 'ok') return;
  checkValue(op);
  if (op.invoke < j.lastTime || (op.invoke === j.lastTime && j.lastPhase > INVOKE)) j.late++;
  heapPush(j, op.invoke, j.seq++, op);
  if (op.type !== 'ok') return;
  const t = op.complete;
  if (t < j.lastTime) j.late++;
  const q = j.doneQTime;
  if (q.length > j.doneHead && t < q[q.length - 1]) {
    heapPush(j, t, COMPLETE_ORD + j.seq++, op); // out of order: the heap sorts it
  } else {
    q.push(t);
    j.doneQOp.push(op);
  }
}

/**
 * Processes every buffered event with time < horizon; later ones stay buffered. Pass
 * horizon = now − client timeout: every op invoked before it has finished and been
 * recorded, so no later record can belong before it. Marks stale reads (op.stale = true).
 */
export function judgeAdvance(j: JudgeState, horizon: number): JudgeStep {
  return run(j, horizon, false);
}

/** Processes everything buffered (end of round, after the final reads finished). */
export function judgeFlush(j: JudgeState): JudgeStep {
  return run(j, 0, true);
}

/** Whether any op of this key has been recorded (e.g. to decide which keys get a final read). */
export function judgeKeyTouched(j: JudgeState, key: number): boolean {
  return key < j.keyCount && j.opsByKey[key] > 0;
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
/** Room for 2^44 sequence numbers; 2 · 2^44 + seq stays an exact integer. */
const PHASE_SPAN = 2 ** 44;
const COMPLETE_ORD = COMPLETE * PHASE_SPAN;
/** Clusters kept per key for judging; sibling reads naming all of them fall back to a scan. */
const TOP_K = 4;
/** judgeRead's verdicts. */
const FRESH = 0;
const STALE = 1;
const FINAL_STALE = 2;
/** Largest jump past the values seen so far that the dense cluster table accepts. */
const MAX_VALUE_GAP = 1 << 20;
/** Consumed queue entries are dropped in batches of at least this many. */
const COMPACT_AT = 1024;

function growKeys(j: JudgeState, keyCount: number): void {
  for (let k = j.keyCount; k < keyCount; k++) {
    j.opsByKey.push(0);
    j.nullLastInv.push(BEFORE_TIME);
    j.keyValues.push([]);
    j.top.push([]);
    j.staleReadsByKey.push(0);
    j.finalStaleByKey.push(false);
    j.lostByKey.push(0);
  }
  if (keyCount > j.keyCount) j.keyCount = keyCount;
}

const NOTHING: JudgeStep = Object.freeze({ stale: Object.freeze([]), finalStale: Object.freeze([]) });

/** Found stale reads, allocated on the first find. */
interface Found {
  stale: OpRecord[];
  finalStale: OpRecord[];
}

/** Merges the heap and the completion queue in (time, phase) order up to the horizon. */
function run(j: JudgeState, horizon: number, all: boolean): JudgeStep {
  let found: Found | null = null;
  const HT = j.heapTime;
  const HO = j.heapOrd;
  const QT = j.doneQTime;
  for (;;) {
    const hasHeap = HT.length > 0;
    const hasQueue = j.doneHead < QT.length;
    let fromHeap: boolean;
    if (hasHeap && hasQueue) {
      const ht = HT[0];
      const qt = QT[j.doneHead];
      fromHeap = ht < qt || (ht === qt && HO[0] < COMPLETE_ORD);
    } else if (hasHeap) fromHeap = true;
    else if (hasQueue) fromHeap = false;
    else break;
    const t = fromHeap ? HT[0] : QT[j.doneHead];
    if (!all && !(t < horizon)) break;
    let op: OpRecord;
    let phase: number;
    if (fromHeap) {
      op = j.heapOp[0];
      phase = HO[0] >= COMPLETE_ORD ? COMPLETE : INVOKE;
      heapPop(j);
    } else {
      op = j.doneQOp[j.doneHead++];
      phase = COMPLETE;
    }
    // Reads invoked at the previous instant see all of its invocations, none of its completions.
    if (j.judging.length > 0 && (phase === COMPLETE || t !== j.lastTime)) found = judgeBatch(j, found);
    j.lastTime = t;
    j.lastPhase = phase;
    if (phase === INVOKE) {
      forEachCluster(j, op, t, invoked);
      if (op.f === READ) j.judging.push(op);
    } else {
      forEachCluster(j, op, t, op.f === WRITE ? completedWrite : completed);
    }
  }
  if (j.judging.length > 0) found = judgeBatch(j, found);
  if (j.doneHead >= COMPACT_AT && j.doneHead * 2 >= QT.length) {
    QT.splice(0, j.doneHead);
    j.doneQOp.splice(0, j.doneHead);
    j.doneHead = 0;
  }
  return found ?? NOTHING;
}

function judgeBatch(j: JudgeState, found: Found | null): Found | null {
  const q = j.judging;
  for (let i = 0; i < q.length; i++) {
    const verdict = judgeRead(j, q[i]);
    if (verdict === FRESH) continue;
    if (!found) found = { stale: [], finalStale: [] };
    (verdict === STALE ? found.stale : found.finalStale).push(q[i]);
  }
  // Popping keeps the backing store (setting length = 0 would reallocate on every read).
  while (q.length > 0) q.pop();
  j.lastPhase = JUDGE;
  return found;
}

type ClusterUpdate = (j: JudgeState, key: number, id: number, t: number) => void;

function forEachCluster(j: JudgeState, op: OpRecord, t: number, f: ClusterUpdate): void {
  const v = op.value;
  if (v === null) f(j, op.key, 0, t);
  else if (!Array.isArray(v)) f(j, op.key, v, t);
  else if (v.length === 0) f(j, op.key, 0, t);
  else for (let i = 0; i < v.length; i++) f(j, op.key, v[i], t);
}

function invoked(j: JudgeState, key: number, id: number, t: number): void {
  if (id === 0) {
    if (t > j.nullLastInv[key]) {
      j.nullLastInv[key] = t;
      topUpdate(j.top[key], 0, t);
    }
    return;
  }
  const c = j.clusters;
  const i = slot(c, id);
  if (t > c[i + 1]) {
    if (c[i + 1] === BEFORE_TIME) j.keyValues[key].push(id);
    c[i + 1] = t;
    if (c[i] < NEVER) topUpdate(j.top[key], id, t);
  }
}

function completed(j: JudgeState, key: number, id: number, t: number): void {
  if (id === 0) return; // established from the start
  const c = j.clusters;
  const i = slot(c, id);
  if (t < c[i]) {
    const wasEstablished = c[i] < NEVER;
    c[i] = t;
    if (!wasEstablished && c[i + 1] > BEFORE_TIME) topUpdate(j.top[key], id, c[i + 1]);
  }
}

function completedWrite(j: JudgeState, key: number, id: number, t: number): void {
  completed(j, key, id, t);
  if (id !== 0) j.clusters[3 * id + 2] = 1;
}

/** Index of value id's triple, growing the table densely (no holes: JSON would make them null). */
function slot(c: number[], id: number): number {
  const i = 3 * id;
  if (c.length <= i) {
    if (id > c.length / 3 + MAX_VALUE_GAP) throw new Error(`judge: value ${id} is far beyond the values seen so far (not issued sequentially?)`);
    while (c.length <= i) c.push(NEVER, BEFORE_TIME, 0);
  }
  return i;
}

/** Values index the cluster table: they must be positive integers. A programming error otherwise. */
function checkValue(op: OpRecord): void {
  const v = op.value;
  if (v === null) return;
  if (!Array.isArray(v)) {
    if (!(v >= 1 && Math.floor(v) === v)) throw new Error(`judge: op ${op.id} has value ${v}; values must be positive integers`);
    return;
  }
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] >= 1 && Math.floor(v[i]) === v[i])) throw new Error(`judge: op ${op.id} has value ${JSON.stringify(v)}; values must be positive integers`);
  }
}

function lowOf(j: JudgeState, id: number): number {
  if (id === 0) return BEFORE_TIME;
  const i = 3 * id;
  return i < j.clusters.length ? j.clusters[i] : NEVER;
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
function judgeRead(j: JudgeState, op: OpRecord): number {
  const v = op.value;
  // The read's cluster(s) must all have been established; with siblings, the latest low counts.
  let maxLow: number;
  if (v === null) maxLow = BEFORE_TIME;
  else if (!Array.isArray(v)) maxLow = lowOf(j, v);
  else {
    maxLow = BEFORE_TIME;
    for (let i = 0; i < v.length; i++) maxLow = Math.max(maxLow, lowOf(j, v[i]));
  }
  const key = op.key;
  const stale = maxLow < NEVER && bestOutside(j, key, v) > maxLow;
  if (op.final) {
    j.lostByKey[key] = maxLow < NEVER ? countLost(j, key, v, maxLow) : 0;
    if (stale) {
      op.stale = true;
      j.finalStaleByKey[key] = true;
      return FINAL_STALE;
    }
  } else if (stale) {
    op.stale = true;
    j.staleReads++;
    j.staleReadsByKey[key]++;
    return STALE;
  }
  return FRESH;
}

/** The largest lastInv among established clusters a read's value does not name. */
function bestOutside(j: JudgeState, key: number, v: OpRecord['value']): number {
  const top = j.top[key];
  for (let k = 0; k < top.length; k += 2) if (!names(v, top[k])) return top[k + 1];
  if (top.length < 2 * TOP_K) return BEFORE_TIME; // the list holds every candidate
  // A sibling read naming every cluster of a full list: rare, so scan the key's clusters.
  let best = names(v, 0) ? BEFORE_TIME : j.nullLastInv[key];
  const c = j.clusters;
  for (const id of j.keyValues[key]) {
    const i = 3 * id;
    if (c[i] < NEVER && c[i + 1] > best && !names(v, id)) best = c[i + 1];
  }
  return best;
}

/** Acknowledged clusters outside v that provably follow it: lost writes (final read only). */
function countLost(j: JudgeState, key: number, v: OpRecord['value'], maxLow: number): number {
  let n = 0;
  const c = j.clusters;
  for (const id of j.keyValues[key]) {
    const i = 3 * id;
    if (c[i + 2] === 1 && c[i + 1] > maxLow && !names(v, id)) n++;
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

function heapPush(j: JudgeState, t: number, ord: number, op: OpRecord): void {
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
