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
// processes buffered events before the horizon (callers pass now − timeoutMs). Ops finish
// out of invoke order, so invoke events wait in a calendar queue: a ring of time buckets
// (1/BUCKETS_PER_MS ms each) spanning the open window, each kept sorted by insertion from
// its end — a handful of entries, so O(1) per op where a binary heap over the whole window
// (thousands of pending ops) took O(log n) cache-missing steps per pop. Completion events
// arrive in time order when ops are recorded as they finish, so they wait in a FIFO
// queue. What fits neither (a late record, an out-of-order completion, an invoke beyond
// the ring's reach) goes to a binary heap, merged in exact (time, phase, record order):
// the processing order, and so every verdict and the whole state, is that of one heap.
//
// Bounded state: a cluster stays in the tables only while a future verdict can need it.
// judgeCompact (called now and then by the engine with the values still held anywhere in the
// simulation) drops the clusters of values no read can still return — overwritten
// everywhere, or never applied — once their ops are all processed. What such a cluster
// could still contribute is kept per key in aggregate form: its lastInv for the rare full
// scan (droppedBest), and its acknowledged write for lost-write counts (droppedAcked, and
// per kept cluster V the dropped writes that follow V: lostAbove). A dropped value's
// lastInv is frozen and no later-established cluster can be followed by it (its lastInv
// is at most the sweep's time, a later low at least that), so these aggregates are exact
// and every verdict is the same as without compaction. Old chunks of the dense table are
// retired: their surviving clusters move to a short table sorted by value (binary search),
// so state stays flat over a round.
//
// Performance notes (this runs for every client op): all state is flat number arrays
// indexed by value or key — no per-key or per-value objects (objects keyed by sparse
// values go to dictionary mode; small per-key arrays cost pointer chases and garbage) —
// and nothing is allocated per op once the arrays have grown.

import { BEFORE_TIME, NEVER, READ, WRITE, type OpRecord } from './ops.js';
import { countWork } from './work.js';

export interface JudgeState {
  keyCount: number;
  /**
   * The clusters of written values, indexed by value in chunks of CHUNK values: value v
   * is at clusters[v >> CHUNK_SHIFT][STRIDE · (v & CHUNK_MASK)] as [low, lastInv, link],
   * link = 2 · prevOfKey + writeOk — writeOk = 1 once the value's write completed ok;
   * prevOfKey links the key's clusters that have an invoked op (see keyLast), 0 ends the
   * list. Values are unique per round across keys and issued sequentially from 1, so this
   * stays dense; value 0 is unused (the null cluster is per key, below). Fixed-size chunks
   * rather than one growing array: growing copies the table again and again, into fresh
   * memory each time (page faults are most of that cost).
   */
  clusters: number[][];
  /** Chunk number of clusters[0]: values below base · CHUNK are retired (see `old`). */
  base: number;
  /**
   * Retired clusters still kept (values below base · CHUNK whose value may still be read),
   * sorted by value: [value, low, lastInv, link, lostAbove] per cluster.
   */
  old: number[];
  /** Per key: the largest lastInv among dropped established clusters (BEFORE_TIME: none). */
  droppedBest: number[];
  /** Per key: dropped clusters whose write completed ok. */
  droppedAcked: number[];
  /**
   * Keys with ops recorded since the last compaction, and a flag per key (1: listed): only
   * their clusters can have become droppable through traffic. (A value lost otherwise — a
   * wiped disk — stays kept, which is always safe.)
   */
  dirtyKeys: number[];
  dirty: number[];
  /** Clusters dropped so far, and the value count at the last compaction (chunks below it retire next time). */
  dropped: number;
  compactMark: number;
  /**
   * Ops naming a value already dropped: a value judgeCompact was told nobody could read any
   * more. Always 0 when the caller's list of live values is complete; their verdicts would
   * treat that value as never established.
   */
  unknownValues: number;
  /** Per key: ops recorded (any type), so callers know which keys saw traffic. */
  opsByKey: number[];
  /** Per key: lastInv of the null cluster (its low is always BEFORE_TIME, i.e. −∞). */
  nullLastInv: number[];
  /**
   * Per key: the last value whose cluster got an invoked op, heading a list through the
   * clusters' prevOfKey (0 = none); the rare full scans and lost-write counts walk it.
   */
  keyLast: number[];
  /**
   * Per key: up to TOP_K established clusters with the largest lastInv, as pairs
   * (value, lastInv) in descending lastInv (value 0 = null), in slots
   * [2·TOP_K·key, 2·TOP_K·(key + 1)); topLen[key] of them used (0 to 2·TOP_K). Only
   * clusters with an invoked op enter: the others can never make a read stale.
   */
  top: number[];
  topLen: number[];
  /** Stale client reads (final reads excluded), in total and per key. */
  staleReads: number;
  staleReadsByKey: number[];
  /** Per key: whether the post-round verification read was stale. */
  finalStaleByKey: boolean[];
  /** Per key: lost acknowledged writes, set when the key's final read is judged. */
  lostByKey: number[];
  /**
   * Invoke events, bucketed by time: a ring of calTime.length (a power of two) buckets;
   * absolute bucket b = floor(t · BUCKETS_PER_MS) lives at ring slot
   * (calSlot + b − calBase) mod length, for calBase ≤ b < calBase + length. Each bucket is
   * sorted by time, equal times in record order; the first calPos entries of bucket
   * calBase are consumed (a bucket is emptied when the sweep leaves it). calCount:
   * unconsumed entries in all. The records themselves are held (a JSON-restored state
   * holds copies: match returned records to yours by id).
   */
  calTime: number[][];
  calOp: OpRecord[][];
  calBase: number;
  calSlot: number;
  calPos: number;
  calCount: number;
  /**
   * Events that fit neither the calendar nor the completion queue (late records, invoke
   * times beyond the ring, out-of-order completions): a binary min-heap over (time, ord)
   * in parallel arrays; ord = phase · PHASE_SPAN + sequence. Usually empty.
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

/**
 * A judge for keyCount keys. fromValue: the first value it will know (default: all of
 * them); ops naming earlier values are not judged (they count in unknownValues) — for a
 * re-run from mid-round, whose earlier history is not kept.
 */
export function createJudge(keyCount: number, fromValue = 0): JudgeState {
  const j: JudgeState = {
    keyCount: 0,
    clusters: [],
    base: Math.floor(fromValue / CHUNK),
    old: [],
    droppedBest: [],
    droppedAcked: [],
    dirtyKeys: [],
    dirty: [],
    dropped: 0,
    compactMark: 0,
    unknownValues: 0,
    opsByKey: [],
    nullLastInv: [],
    keyLast: [],
    top: [],
    topLen: [],
    staleReads: 0,
    staleReadsByKey: [],
    finalStaleByKey: [],
    lostByKey: [],
    calTime: [],
    calOp: [],
    calBase: Math.floor(BEFORE_TIME * BUCKETS_PER_MS),
    calSlot: 0,
    calPos: 0,
    calCount: 0,
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
  for (let i = 0; i < MIN_RING; i++) {
    j.calTime.push([]);
    j.calOp.push([]);
  }
  growKeys(j, keyCount);
  return j;
}

/** Keys whose tables createJudgeSteps lays out per piece (a big key space takes tens of ms at once). */
const KEYS_PER_PIECE = 2_048;

/** createJudge, yielding between pieces of its per-key tables: the same judge. */
export function* createJudgeSteps(keyCount: number, fromValue = 0): Generator<void, JudgeState, void> {
  const j = createJudge(0, fromValue);
  for (let k = 0; k < keyCount; ) {
    if (k > 0) yield;
    k = Math.min(keyCount, k + KEYS_PER_PIECE);
    countWork((k - j.keyCount) / 2);
    growKeys(j, k);
  }
  return j;
}

/**
 * Buffers a finished operation (call it when the op completes, fails or times out; any
 * type). fail ops and info reads are dropped at once: they say nothing about the register.
 * Written values must be positive integers (see JudgeState.clusters).
 */
export function judgeRecord(j: JudgeState, op: OpRecord): void {
  const key = op.key;
  if (key >= j.keyCount) growKeys(j, key + 1);
  j.opsByKey[key]++;
  if (j.dirty[key] === 0) {
    j.dirty[key] = 1;
    j.dirtyKeys.push(key);
  }
  if (op.type === 'fail') return;
  if (op.f === READ && op.type !== 'ok') return;
  checkValue(op);
  const ti = op.invoke;
  if (ti < j.lastTime || (ti === j.lastTime && j.lastPhase > INVOKE)) {
    j.late++;
    heapPush(j, ti, j.seq++, op);
  } else calInsert(j, ti, op);
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

/** The same as judgeKeyTouched. */
export const judgeTouchedKey = judgeKeyTouched;

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

/**
 * Drops the clusters no future verdict needs (see "Bounded state" above) and retires old
 * chunks of the dense table. `held(v)` must be true for every value some future op may
 * still name: any value a replica, a message, a hint or a request in flight holds, and any
 * write in flight. (Ops already recorded here and not yet processed are covered by the
 * judge itself.) nextValue: the values issued so far; chunks wholly below the previous
 * call's nextValue are retired, so recent values stay in the fast dense table.
 */
export function judgeCompact(j: JudgeState, held: (value: number) => boolean, nextValue: number): void {
  // Not past the table's end: values issued may not have reached the judge yet.
  const retireTo = Math.max(j.base, Math.min(j.compactMark >> CHUNK_SHIFT, j.base + j.clusters.length));
  j.compactMark = nextValue;
  const limit = retireTo * CHUNK;
  const buffered = bufferedValues(j);
  const keep = (id: number): boolean => id >= limit || held(id) || buffered.has(id);
  const droppedTimes: number[] = [];
  // Keys with clusters too recent to drop yet are walked again next time.
  const again: number[] = [];
  for (const key of j.dirtyKeys) {
    j.dirty[key] = 0;
    // Unlink the key's droppable clusters, noting what they leave behind.
    let prev = 0;
    let prevI = -1;
    let prevArr: number[] = at;
    let recent = false;
    for (let id = j.keyLast[key]; id !== 0; ) {
      const i = locate(j, id);
      const c = at;
      const link = c[i + LINK];
      const next = Math.floor(link / 2);
      if (keep(id)) {
        if (id >= limit) recent = true;
        prev = id;
        prevI = i;
        prevArr = c;
      } else {
        if (c[i + LOW] < NEVER && c[i + LAST_INV] > j.droppedBest[key]) j.droppedBest[key] = c[i + LAST_INV];
        if (link % 2 === 1) droppedTimes.push(c[i + LAST_INV]);
        c[i + LINK] = DROPPED_LINK;
        j.dropped++;
        if (prev === 0) j.keyLast[key] = next;
        else prevArr[prevI + LINK] = 2 * next + (prevArr[prevI + LINK] % 2);
      }
      id = next;
    }
    if (recent) {
      j.dirty[key] = 1;
      again.push(key);
    }
    if (droppedTimes.length === 0) continue;
    // Kept established clusters: count the dropped acknowledged writes that follow each.
    droppedTimes.sort((a, b) => a - b);
    j.droppedAcked[key] += droppedTimes.length;
    for (let id = j.keyLast[key]; id !== 0; ) {
      const i = locate(j, id);
      const c = at;
      const low = c[i + LOW];
      if (low < NEVER) c[i + LOST_ABOVE] += droppedTimes.length - countAtMost(droppedTimes, low);
      id = Math.floor(c[i + LINK] / 2);
    }
    droppedTimes.length = 0;
  }
  j.dirtyKeys = again;
  // Keep retired clusters still listed, or not yet invoked and still held: filtered in
  // place (a fresh copy of the table each time would be most of this function's cost).
  const old = j.old;
  let w = 0;
  for (let i = 0; i < old.length; i += OLD_STRIDE) {
    if (!survives(old, i + 1, old[i], keep)) continue;
    if (w !== i) for (let f = 0; f < OLD_STRIDE; f++) old[w + f] = old[i + f];
    w += OLD_STRIDE;
  }
  while (old.length > w) old.pop();
  for (let ci = 0; ci < retireTo - j.base; ci++) {
    const c = j.clusters[ci];
    const first = (j.base + ci) * CHUNK;
    for (let s = 0; s < CHUNK; s++) {
      const id = first + s;
      if (id === 0 || !survives(c, STRIDE * s, id, keep)) continue;
      old.push(id);
      for (let f = 0; f < STRIDE; f++) old.push(c[STRIDE * s + f]);
    }
  }
  if (retireTo > j.base) {
    j.clusters.splice(0, retireTo - j.base);
    j.base = retireTo;
  }
}

/** Whether a cluster stays in the retired table: listed and not dropped, or unlisted and still held. */
function survives(c: number[], i: number, id: number, keep: (id: number) => boolean): boolean {
  if (c[i + LINK] === DROPPED_LINK) return false;
  return c[i + LAST_INV] > BEFORE_TIME || keep(id);
}

/** How many of the sorted times are ≤ x. */
function countAtMost(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (sorted[m] <= x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** Values named by ops recorded and not yet (wholly) processed. */
function bufferedValues(j: JudgeState): Set<number> {
  const out = new Set<number>();
  const add = (op: OpRecord): void => {
    const v = op.value;
    if (typeof v === 'number') out.add(v);
    else if (v !== null) for (const x of v) out.add(x);
  };
  for (const bucket of j.calOp) for (const op of bucket) add(op);
  for (const op of j.heapOp) add(op);
  for (let i = j.doneHead; i < j.doneQOp.length; i++) add(j.doneQOp[i]);
  for (const op of j.judging) add(op);
  return out;
}

// ---------------------------------------------------------------------------------------
// Helpers

const INVOKE = 0;
const JUDGE = 1;
const COMPLETE = 2;
/** Room for 2^44 sequence numbers; 2 · 2^44 + seq stays an exact integer. */
const PHASE_SPAN = 2 ** 44;
const COMPLETE_ORD = COMPLETE * PHASE_SPAN;
/** Numbers per cluster in JudgeState.clusters, and their offsets. */
const STRIDE = 4;
const LOW = 0;
const LAST_INV = 1;
const LINK = 2;
/** Dropped acknowledged writes of the key that follow this cluster (its lastInv > this low). */
const LOST_ABOVE = 3;
/** Numbers per cluster in JudgeState.old: the value, then the STRIDE fields. */
const OLD_STRIDE = 1 + STRIDE;
/** A dropped cluster's link while judgeCompact runs. */
const DROPPED_LINK = -1;
/** Values per chunk of JudgeState.clusters. */
const CHUNK_SHIFT = 8;
const CHUNK = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK - 1;
/**
 * Clusters kept per key for judging. Two answer every read of one value exactly (the best
 * cluster, or the next when the read names the best); a read of siblings naming both falls
 * back to a scan of the key's clusters. Four cost twice the table — the biggest of the
 * judge's, and copied into every replay snapshot — for scans that are rare.
 */
const TOP_K = 2;
const TOP_SPAN = 2 * TOP_K;
/** judgeRead's verdicts. */
const FRESH = 0;
const STALE = 1;
const FINAL_STALE = 2;
/** Largest jump past the values seen so far that the dense cluster table accepts. */
const MAX_VALUE_GAP = 1 << 20;
/** Consumed queue entries are dropped in batches of at least this many. */
const COMPACT_AT = 1024;
/** Calendar buckets per simulated ms (a power of two: exact bucket edges). */
const BUCKETS_PER_MS = 1;
/** Calendar ring sizes (powers of two): it starts small and doubles up to MAX_RING. */
const MIN_RING = 16;
const MAX_RING = 1 << 14;
/** Event sources in run(). */
const NONE = 0;
const CAL = 1;
const QUEUE = 2;
const HEAP = 3;

function growKeys(j: JudgeState, keyCount: number): void {
  const add = keyCount - j.keyCount;
  if (add <= 0) return;
  // Whole runs at a time: a big key space is hundreds of thousands of entries, and one
  // push each (growing every table step by step) was most of creating a judge.
  extend(j.opsByKey, add, 0);
  extend(j.nullLastInv, add, BEFORE_TIME);
  extend(j.keyLast, add, 0);
  extend(j.top, add * TOP_SPAN, 0);
  extend(j.topLen, add, 0);
  extend(j.staleReadsByKey, add, 0);
  extend(j.finalStaleByKey, add, false);
  extend(j.lostByKey, add, 0);
  extend(j.droppedBest, add, BEFORE_TIME);
  extend(j.droppedAcked, add, 0);
  extend(j.dirty, add, 0);
  if (keyCount > j.keyCount) j.keyCount = keyCount;
}

/** Appends n copies of x. */
function extend<T>(a: T[], n: number, x: T): void {
  const from = a.length;
  a.length = from + n;
  a.fill(x, from);
}

const NOTHING: JudgeStep = Object.freeze({ stale: Object.freeze([]), finalStale: Object.freeze([]) });

/** Found stale reads, allocated on the first find. */
interface Found {
  stale: OpRecord[];
  finalStale: OpRecord[];
}

/**
 * Merges the calendar, the completion queue and the heap in (time, phase, record) order up
 * to the horizon. At equal times: heap invokes (recorded before any calendar entry of that
 * time: late, or beyond the ring then), calendar invokes, queued completions, heap
 * completions (recorded after the queue's last entry of that time).
 */
function run(j: JudgeState, horizon: number, all: boolean): JudgeStep {
  let found: Found | null = null;
  const HT = j.heapTime;
  const HO = j.heapOrd;
  const QT = j.doneQTime;
  const QO = j.doneQOp;
  const calT = j.calTime;
  const calO = j.calOp;
  const mask = calT.length - 1;
  let slot = j.calSlot;
  let bt = calT[slot];
  let pos = j.calPos;
  let calCount = j.calCount;
  let qh = j.doneHead;
  for (;;) {
    let src = NONE;
    let t = 0;
    if (calCount > 0) {
      // Leave exhausted buckets wholly before the horizon: they take no more records.
      while (pos >= bt.length) {
        if (!all && !((j.calBase + 1) / BUCKETS_PER_MS <= horizon)) break;
        clearBucket(bt, calO[slot]);
        pos = 0;
        j.calBase++;
        slot = (slot + 1) & mask;
        bt = calT[slot];
      }
      if (pos < bt.length) {
        t = bt[pos];
        src = CAL;
      }
    }
    if (qh < QT.length) {
      const qt = QT[qh];
      if (src === NONE || qt < t) {
        t = qt;
        src = QUEUE;
      }
    }
    if (HT.length > 0) {
      const ht = HT[0];
      if (src === NONE || ht < t || (ht === t && HO[0] < COMPLETE_ORD)) {
        t = ht;
        src = HEAP;
      }
    }
    if (src === NONE) break;
    if (!all && !(t < horizon)) break;
    let op: OpRecord;
    let phase: number;
    if (src === CAL) {
      op = calO[slot][pos++];
      calCount--;
      phase = INVOKE;
    } else if (src === QUEUE) {
      op = QO[qh++];
      phase = COMPLETE;
    } else {
      op = j.heapOp[0];
      phase = HO[0] >= COMPLETE_ORD ? COMPLETE : INVOKE;
      heapPop(j);
    }
    // Reads invoked at the previous instant see all of its invocations, none of its completions.
    if (j.judging.length > 0 && (phase === COMPLETE || t !== j.lastTime)) found = judgeBatch(j, found);
    j.lastTime = t;
    j.lastPhase = phase;
    const v = op.value;
    if (phase === INVOKE) {
      if (typeof v === 'number') invoked(j, op.key, v, t);
      else if (v === null || v.length === 0) invokedNull(j, op.key, t);
      else for (let i = 0; i < v.length; i++) invoked(j, op.key, v[i], t);
      if (op.f === READ) j.judging.push(op);
    } else if (typeof v === 'number') {
      completed(j, op.key, v, t, op.f === WRITE);
    } else if (v !== null) {
      // The null cluster ([] too) is established from the start: only listed values need it.
      for (let i = 0; i < v.length; i++) completed(j, op.key, v[i], t, op.f === WRITE);
    }
  }
  j.calSlot = slot;
  j.calPos = pos;
  j.calCount = calCount;
  j.doneHead = qh;
  if (j.judging.length > 0) found = judgeBatch(j, found);
  if (calCount === 0 && !all) {
    // Nothing pending: move the ring up to the horizon, where the next records belong.
    const b = Math.floor(horizon * BUCKETS_PER_MS);
    if (b > j.calBase && b < NEVER) {
      clearBucket(bt, calO[slot]);
      j.calPos = 0;
      j.calBase = b;
    }
  }
  if (qh >= COMPACT_AT && qh * 2 >= QT.length) {
    QT.splice(0, qh);
    QO.splice(0, qh);
    j.doneHead = 0;
  }
  return found ?? NOTHING;
}

/** Buffers an invoke event in its calendar bucket (or, when it does not fit, the heap). */
function calInsert(j: JudgeState, t: number, op: OpRecord): void {
  const d = Math.floor(t * BUCKETS_PER_MS) - j.calBase;
  if (!(d >= 0 && d < MAX_RING)) {
    heapPush(j, t, j.seq++, op);
    return;
  }
  if (d >= j.calTime.length) growRing(j, d + 1);
  const idx = (j.calSlot + d) & (j.calTime.length - 1);
  const T = j.calTime[idx];
  const O = j.calOp[idx];
  // Sorted insertion from the end, after equal times. It must land after the consumed
  // prefix: true when t ≥ lastTime, except after a late record moved lastTime back.
  if (d === 0 && j.calPos > 0 && t < T[j.calPos - 1]) {
    heapPush(j, t, j.seq++, op);
    return;
  }
  let n = T.length;
  T.push(t);
  O.push(op);
  while (n > 0 && T[n - 1] > t) {
    T[n] = T[n - 1];
    O[n] = O[n - 1];
    n--;
  }
  T[n] = t;
  O[n] = op;
  j.calCount++;
}

/** Doubles the ring until it has `need` buckets, laying it out again from slot 0. */
function growRing(j: JudgeState, need: number): void {
  const n = j.calTime.length;
  let size = n;
  while (size < need) size *= 2;
  const T: number[][] = [];
  const O: OpRecord[][] = [];
  for (let k = 0; k < n; k++) {
    const idx = (j.calSlot + k) & (n - 1);
    T.push(j.calTime[idx]);
    O.push(j.calOp[idx]);
  }
  for (let k = n; k < size; k++) {
    T.push([]);
    O.push([]);
  }
  j.calTime = T;
  j.calOp = O;
  j.calSlot = 0;
}

/** Empties a bucket, keeping its arrays' storage (length = 0 would drop it). */
function clearBucket(T: number[], O: OpRecord[]): void {
  while (T.length > 0) {
    T.pop();
    O.pop();
  }
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

/** An op of the null cluster (a read of null or []) was invoked at t. */
function invokedNull(j: JudgeState, key: number, t: number): void {
  if (t > j.nullLastInv[key]) {
    j.nullLastInv[key] = t;
    topUpdate(j, key, 0, t);
  }
}

/** An op of cluster id (a written value, > 0) was invoked at t. */
function invoked(j: JudgeState, key: number, id: number, t: number): void {
  const i = locate(j, id);
  if (i < 0) {
    j.unknownValues++;
    return;
  }
  const c = at;
  const last = c[i + LAST_INV];
  if (t > last) {
    if (last === BEFORE_TIME) {
      // First invoked op: link the cluster into its key's list.
      c[i + LINK] += 2 * j.keyLast[key];
      j.keyLast[key] = id;
    }
    c[i + LAST_INV] = t;
    if (c[i + LOW] < NEVER) topUpdate(j, key, id, t);
  }
}

/** An op of cluster id (a written value, > 0) completed ok at t. */
function completed(j: JudgeState, key: number, id: number, t: number, isWrite: boolean): void {
  const i = locate(j, id);
  if (i < 0) {
    j.unknownValues++;
    return;
  }
  const c = at;
  const low = c[i + LOW];
  if (t < low) {
    c[i + LOW] = t;
    const last = c[i + LAST_INV];
    if (low === NEVER && last > BEFORE_TIME) topUpdate(j, key, id, last); // just established
  }
  if (isWrite && c[i + LINK] % 2 === 0) c[i + LINK] += 1;
}

/**
 * The array holding the cluster the last locate() found (a chunk, or JudgeState.old):
 * module scratch rather than a returned pair, so the hot path allocates nothing.
 */
let at: number[] = [];

/**
 * Finds value id's cluster: sets `at` and returns the offset of its fields there, growing
 * the dense table as needed; -1 for a retired value that was dropped (or never kept).
 */
function locate(j: JudgeState, id: number): number {
  // Grown (or refused) first: the shift below is exact only for values the table can reach.
  if (id >= (j.base + j.clusters.length) * CHUNK) growClusters(j, id);
  const ci = (id >> CHUNK_SHIFT) - j.base;
  if (ci >= 0) {
    at = j.clusters[ci];
    return STRIDE * (id & CHUNK_MASK);
  }
  const o = j.old;
  let lo = 0;
  let hi = o.length / OLD_STRIDE;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (o[m * OLD_STRIDE] < id) lo = m + 1;
    else hi = m;
  }
  if (lo * OLD_STRIDE < o.length && o[lo * OLD_STRIDE] === id) {
    at = o;
    return lo * OLD_STRIDE + 1;
  }
  return -1;
}

/** Adds chunks up to value id's (no holes: JSON would make them null). */
function growClusters(j: JudgeState, id: number): void {
  const c = j.clusters;
  if (id > (j.base + c.length) * CHUNK + MAX_VALUE_GAP) throw new Error(`judge: value ${id} is far beyond the values seen so far (not issued sequentially?)`);
  while ((j.base + c.length) * CHUNK <= id) {
    const chunk: number[] = [];
    for (let k = 0; k < CHUNK; k++) {
      chunk.push(NEVER);
      chunk.push(BEFORE_TIME);
      chunk.push(0);
      chunk.push(0);
    }
    c.push(chunk);
  }
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

/** A cluster's low; NEVER for one the table does not hold (not grown to yet, or dropped). */
function lowOf(j: JudgeState, id: number): number {
  if (id >= (j.base + j.clusters.length) * CHUNK) return NEVER;
  const i = locate(j, id);
  return i < 0 ? NEVER : at[i + LOW];
}

/** Raises (or inserts) cluster id's lastInv in a key's top list, keeping it sorted. */
function topUpdate(j: JudgeState, key: number, id: number, lastInv: number): void {
  const top = j.top;
  const base = key * TOP_SPAN;
  const len = j.topLen[key];
  const end = base + len;
  let i = -1;
  for (let k = base; k < end; k += 2) {
    if (top[k] === id) {
      i = k;
      break;
    }
  }
  if (i >= 0) {
    top[i + 1] = lastInv;
  } else if (len < TOP_SPAN) {
    i = end;
    top[i] = id;
    top[i + 1] = lastInv;
    j.topLen[key] = len + 2;
  } else if (lastInv > top[end - 1]) {
    // Evicting the minimum is safe: it can only come back through its own update.
    i = end - 2;
    top[i] = id;
    top[i + 1] = lastInv;
  } else {
    return;
  }
  while (i > base && top[i - 1] < top[i + 1]) {
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
  else if (typeof v === 'number') maxLow = lowOf(j, v);
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
  const top = j.top;
  const base = key * TOP_SPAN;
  const len = j.topLen[key];
  for (let k = base; k < base + len; k += 2) if (!names(v, top[k])) return top[k + 1];
  if (len < TOP_SPAN) return BEFORE_TIME; // the list holds every candidate
  // A sibling read naming every cluster of a full list: rare, so scan the key's clusters.
  let best = names(v, 0) ? BEFORE_TIME : j.nullLastInv[key];
  // Dropped clusters: no read names them any more.
  if (j.droppedBest[key] > best) best = j.droppedBest[key];
  for (let id = j.keyLast[key]; id !== 0; ) {
    const i = locate(j, id);
    const c = at;
    if (c[i + LOW] < NEVER && c[i + LAST_INV] > best && !names(v, id)) best = c[i + LAST_INV];
    id = Math.floor(c[i + LINK] / 2);
  }
  return best;
}

/** Acknowledged clusters outside v that provably follow it: lost writes (final read only). */
function countLost(j: JudgeState, key: number, v: OpRecord['value'], maxLow: number): number {
  let n = droppedLost(j, key, v, maxLow);
  for (let id = j.keyLast[key]; id !== 0; ) {
    const i = locate(j, id);
    const c = at;
    if (c[i + LINK] % 2 === 1 && c[i + LAST_INV] > maxLow && !names(v, id)) n++;
    id = Math.floor(c[i + LINK] / 2);
  }
  return n;
}

/**
 * The dropped acknowledged writes of a key that follow a final read's value(s): all of them
 * after null (maxLow = BEFORE_TIME), else those counted in the lostAbove of the value whose
 * low is maxLow (values with equal lows have equal counts).
 */
function droppedLost(j: JudgeState, key: number, v: OpRecord['value'], maxLow: number): number {
  if (maxLow === BEFORE_TIME) return j.droppedAcked[key];
  const ids = typeof v === 'number' ? [v] : v ?? [];
  for (const id of ids) {
    const i = locate(j, id);
    if (i >= 0 && at[i + LOW] === maxLow) return at[i + LOST_ABOVE];
  }
  return 0;
}

/** Whether a read's value names cluster id (null and [] name the null cluster 0). */
function names(v: OpRecord['value'], id: number): boolean {
  if (v === null) return id === 0;
  if (typeof v === 'number') return v === id;
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
