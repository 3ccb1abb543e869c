/**
 * An independent linearizability checker for per-key read/write registers, reading the
 * exported history format (shared/design/HISTORY.md, "splitbrain-history/1").
 *
 * It deliberately imports nothing from shared/: it is the outside check of the game's own
 * stale-read judge, so it must not share that judge's code or its bugs.
 *
 * Method: a register history is linearizable iff each key's sub-history is
 * (P-compositionality), so every key is checked on its own with the Wing & Gong / Lowe
 * "just-in-time" linearization search (WGL), memoizing (set of linearized ops, register
 * value) as Porcupine does, plus two exact dominance prunings. A step budget bounds the
 * search; a key that exceeds it is decided by Gibbons & Korach's zone test instead (exact
 * and O(n log n), but only when every write's value is unique, as the contract promises),
 * else reported 'unknown'.
 */

export interface HistoryOp {
  process: number;
  key: string;
  f: 'read' | 'write';
  value: number | number[] | null;
  invoke: number;
  complete: number | null;
  type: 'ok' | 'fail' | 'info';
  [extra: string]: unknown;
}

export interface History {
  format: string;
  scenario: string;
  seed: number;
  settings: unknown;
  ops: HistoryOp[];
}

export type KeyVerdict = 'linearizable' | 'violation' | 'skipped' | 'unknown';

export interface KeyResult {
  key: string;
  verdict: KeyVerdict;
  /** How many operations of this key the history holds (all types, before any are dropped). */
  ops: number;
  /** When violation: a short human explanation, e.g. the op that could not be linearized
   *  (also set for 'skipped' and 'unknown', saying why). */
  detail?: string;
}

export interface CheckResult {
  /** True iff no key has 'violation' or 'unknown' ('skipped' keys are not register histories). */
  linearizable: boolean;
  keys: KeyResult[];
  /** Keys with verdict 'violation'. */
  violations: string[];
}

const HISTORY_FORMAT = 'splitbrain-history/1';
const DEFAULT_MAX_STEPS = 5_000_000;

/** Checks every key of a history independently. Keys are reported in sorted order. */
export function checkHistory(history: History, opts: { maxStepsPerKey?: number } = {}): CheckResult {
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of history.ops) {
    let list = byKey.get(op.key);
    if (!list) byKey.set(op.key, (list = []));
    list.push(op);
  }
  const names = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const keys = names.map((k) => checkKey(byKey.get(k)!, { maxSteps: opts.maxStepsPerKey }));
  const violations = keys.filter((k) => k.verdict === 'violation').map((k) => k.key);
  const linearizable = keys.every((k) => k.verdict === 'linearizable' || k.verdict === 'skipped');
  return { linearizable, keys, violations };
}

/** Checks the operations of a single key (in any order). Throws on malformed ops. */
export function checkKey(ops: HistoryOp[], opts: { maxSteps?: number } = {}): KeyResult {
  const key = ops.length > 0 ? ops[0].key : '';
  for (const op of ops) {
    if (op.key !== key) throw new Error(`checkKey: ops of several keys ("${key}", "${op.key}")`);
  }
  const prepared = prepareKey(ops);
  if (prepared.kind !== 'search') return { key, verdict: prepared.kind, ops: ops.length, detail: prepared.detail };
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  let outcome = wglSearch(prepared, maxSteps);
  if (outcome.kind === 'unknown' && prepared.uniqueValues) {
    // Too concurrent for the search: with unique values the zone test decides exactly.
    outcome = zoneCheck(prepared);
    if (outcome.kind === 'violation') outcome.detail += ` (zone test; the search exceeded ${maxSteps} steps)`;
  }
  if (outcome.kind === 'linearizable') return { key, verdict: 'linearizable', ops: ops.length };
  return { key, verdict: outcome.kind, ops: ops.length, detail: outcome.detail };
}

/** Parses an exported history file, checking its shape; throws an Error naming what is wrong. */
export function parseHistory(json: string): History {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`history: not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(raw)) throw new Error('history: top level must be a JSON object');
  if (raw.format !== HISTORY_FORMAT) {
    throw new Error(`history: "format" must be "${HISTORY_FORMAT}", got ${JSON.stringify(raw.format)}`);
  }
  if (typeof raw.scenario !== 'string') throw new Error('history: "scenario" must be a string');
  if (typeof raw.seed !== 'number' || !Number.isFinite(raw.seed)) throw new Error('history: "seed" must be a number');
  if (!('settings' in raw)) throw new Error('history: "settings" is missing');
  if (!Array.isArray(raw.ops)) throw new Error('history: "ops" must be an array');
  raw.ops.forEach((op, i) => validateOp(op, i));
  return raw as unknown as History;
}

// ---------------------------------------------------------------------------------------
// Preparation: reduce a key's ops to the ones the search must order.

/** A key's ops as the search sees them, sorted by invoke; values interned as small ints. */
interface Prepared {
  kind: 'search';
  /** Original ops, for messages. */
  ops: HistoryOp[];
  invoke: Float64Array;
  /** +Infinity for optional ops (info writes that may never have happened). */
  complete: Float64Array;
  isWrite: Uint8Array;
  /** Value id: NULL_ID is the initial null, DEAD_ID any value written once and never read
   *  (all such values behave alike: no read can follow them), the others from 2 on. */
  value: Int32Array;
  mandatory: Uint8Array;
  /** Value id -> how to print it. */
  valueNames: string[];
  /** Per op: the value written or read (a lone sibling unwrapped). */
  raw: (number | null)[];
  /** No two live writes wrote the same value (the contract); enables the zone test. */
  uniqueValues: boolean;
}

const NULL_ID = 0;
const DEAD_ID = 1;

type Early = { kind: 'violation' | 'skipped'; detail: string };

function prepareKey(all: HistoryOp[]): Prepared | Early {
  for (const op of all) validateOp(op, undefined);

  // fail ops did not happen; an info read taught us nothing.
  const live: { op: HistoryOp; read: number | null; complete: number; mandatory: boolean }[] = [];
  for (const op of all) {
    if (op.type === 'fail') continue;
    if (op.f === 'read') {
      if (op.type === 'info') continue;
      let v = op.value;
      if (Array.isArray(v)) {
        // A single "sibling" is just a value; several mean the store is not a register.
        if (v.length > 1) return { kind: 'skipped', detail: `${describe(op)} returned siblings: not a register history` };
        v = v.length === 1 ? v[0] : null;
      }
      live.push({ op, read: v, complete: op.complete!, mandatory: true });
    } else {
      const complete = op.type === 'info' ? Infinity : op.complete!;
      live.push({ op, read: null, complete, mandatory: op.type === 'ok' });
    }
  }

  const writers = new Map<number, number>(); // value -> how many live writes wrote it
  for (const l of live) if (l.op.f === 'write') writers.set(l.op.value as number, (writers.get(l.op.value as number) ?? 0) + 1);

  // Reads of a value no live write wrote can never be linearized: say so plainly. Also note,
  // per value, its reads that completed first and last.
  const firstReadOf = new Map<number, HistoryOp>();
  const lastReadOf = new Map<number, HistoryOp>();
  for (const l of live) {
    if (l.op.f !== 'read' || l.read === null) continue;
    if (!writers.has(l.read)) {
      const failed = all.some((o) => o.f === 'write' && o.type === 'fail' && o.value === l.read);
      return {
        kind: 'violation',
        detail: `${describe(l.op)} saw ${l.read}, which ${failed ? 'only a failed write wrote' : 'no write wrote'}`,
      };
    }
    const early = firstReadOf.get(l.read);
    if (!early || l.op.complete! < early.complete!) firstReadOf.set(l.read, l.op);
    const late = lastReadOf.get(l.read);
    if (!late || late.complete! < l.op.complete!) lastReadOf.set(l.read, l.op);
  }

  // With unique values, the write of v precedes every read of v. So an info write nobody read
  // can be dropped (wherever it went, no read saw it), and a read one must be linearized
  // before the last read of its value completes: it becomes mandatory with that deadline.
  // This keeps info writes from staying open forever, which would blow up the search.
  const kept: typeof live = [];
  for (const l of live) {
    if (l.op.f === 'write' && writers.get(l.op.value as number) === 1) {
      const early = firstReadOf.get(l.op.value as number);
      if (early && early.complete! < l.op.invoke) {
        return { kind: 'violation', detail: `${describe(early)} completed before ${describe(l.op)} was invoked` };
      }
      const last = lastReadOf.get(l.op.value as number);
      if (l.op.type === 'info') {
        if (!last) continue;
        l.complete = last.complete!;
        l.mandatory = true;
      }
    }
    kept.push(l);
  }
  // Duplicate values break the contract; the search still handles them (info writes then
  // stay optional with an open end), only the shortcut above is unsafe.

  kept.sort((a, b) => a.op.invoke - b.op.invoke);
  const n = kept.length;
  const ids = new Map<number, number>();
  const valueNames = ['null', 'a value no read returned'];
  const idOf = (v: number | null): number => {
    if (v === null) return NULL_ID;
    if (writers.get(v) === 1 && !lastReadOf.has(v)) return DEAD_ID;
    let id = ids.get(v);
    if (id === undefined) {
      ids.set(v, (id = valueNames.length));
      valueNames.push(String(v));
    }
    return id;
  };
  const p: Prepared = {
    kind: 'search',
    ops: kept.map((l) => l.op),
    invoke: new Float64Array(n),
    complete: new Float64Array(n),
    isWrite: new Uint8Array(n),
    value: new Int32Array(n),
    mandatory: new Uint8Array(n),
    valueNames,
    raw: kept.map((l) => (l.op.f === 'write' ? (l.op.value as number) : l.read)),
    uniqueValues: [...writers.values()].every((c) => c === 1),
  };
  kept.forEach((l, i) => {
    p.invoke[i] = l.op.invoke;
    p.complete[i] = l.complete;
    p.isWrite[i] = l.op.f === 'write' ? 1 : 0;
    p.value[i] = idOf(l.op.f === 'write' ? (l.op.value as number) : l.read);
    p.mandatory[i] = l.mandatory ? 1 : 0;
  });
  return p;
}

// ---------------------------------------------------------------------------------------
// The WGL search.

type Outcome = { kind: 'linearizable' } | { kind: 'violation' | 'unknown'; detail: string };

/**
 * Lowe's formulation: a doubly linked list of call and return events in time order. The
 * search walks it from the head; at a call it tries to linearize that op now (lifting its
 * call and return out of the list), at a return it has met an op that had to be linearized
 * already, so it backtracks. Mandatory ops all lifted = a linearization exists.
 * Optional ops (info writes) have no return event, so nothing ever forces them.
 */
function wglSearch(p: Prepared, maxSteps: number): Outcome {
  const n = p.invoke.length;

  // Events sorted by time; at equal times calls come first, because equal times are
  // concurrent (a precedes b only if a.complete < b.invoke).
  const events: { t: number; call: boolean; op: number }[] = [];
  for (let i = 0; i < n; i++) {
    events.push({ t: p.invoke[i], call: true, op: i });
    if (p.complete[i] !== Infinity) events.push({ t: p.complete[i], call: false, op: i });
  }
  events.sort((a, b) => a.t - b.t || (a.call === b.call ? a.op - b.op : a.call ? -1 : 1));

  // Linked list over event indices 1..E, with head 0 and tail E+1 as sentinels.
  const E = events.length;
  const HEAD = 0;
  const TAIL = E + 1;
  const next = new Int32Array(E + 2);
  const prev = new Int32Array(E + 2);
  const opOf = new Int32Array(E + 2);
  const isCall = new Uint8Array(E + 2);
  const returnOf = new Int32Array(n).fill(-1); // op -> its return event
  for (let e = 0; e <= E + 1; e++) {
    next[e] = e + 1;
    prev[e] = e - 1;
  }
  events.forEach((ev, k) => {
    const e = k + 1;
    opOf[e] = ev.op;
    isCall[e] = ev.call ? 1 : 0;
    if (!ev.call) returnOf[ev.op] = e;
  });
  const unlink = (e: number): void => {
    next[prev[e]] = next[e];
    prev[next[e]] = prev[e];
  };
  const relink = (e: number): void => {
    next[prev[e]] = e;
    prev[next[e]] = e;
  };

  // Linearized set as a bitset over ops (invoke order). For the memo key it is described
  // exactly and compactly by f, the first unlinearized op, plus the bits of f's window:
  // everything before f is linearized, and an op linearized while f is not cannot have been
  // invoked after f completed (f's return would have blocked it), so it lies in
  // (f, windowEnd[f]].
  const bits = new Uint32Array((n >>> 5) + 2);
  const windowEnd = new Int32Array(n);
  for (let i = 0; i < n; i++) windowEnd[i] = lastInvokedBy(p.invoke, p.complete[i]);
  let first = 0;
  const memo = new Set<string>();
  const memoKey = (state: number): string => {
    if (first >= n) return `${state}|all`;
    let s = `${state}|${first}|`;
    const hi = windowEnd[first] >>> 5;
    for (let w = (first + 1) >>> 5; w <= hi; w++) s += bits[w].toString(36) + ',';
    return s;
  };
  const isSet = (i: number): boolean => (bits[i >>> 5] & (1 << (i & 31))) !== 0;

  let mandatoryLeft = 0;
  for (let i = 0; i < n; i++) mandatoryLeft += p.mandatory[i];

  const stackCall: number[] = [];
  const stackState: number[] = [];
  const stackFirst: number[] = [];
  const stackForced: boolean[] = [];
  let state: number = NULL_ID;
  let steps = 0;
  // For the explanation: the deepest point the search reached and what stopped it there.
  let best = -1;
  let bestOp = -1;
  let bestState = 0;

  /** Linearizes the op of call event e unless (set, value) was already explored. */
  const lift = (e: number, forced: boolean): boolean => {
    const op = opOf[e];
    const newState = p.isWrite[op] ? p.value[op] : state;
    const oldFirst = first;
    bits[op >>> 5] |= 1 << (op & 31);
    if (op === first) while (first < n && isSet(first)) first++;
    const k = memoKey(newState);
    if (memo.has(k)) {
      bits[op >>> 5] &= ~(1 << (op & 31));
      first = oldFirst;
      return false;
    }
    memo.add(k);
    stackCall.push(e);
    stackState.push(state);
    stackFirst.push(oldFirst);
    stackForced.push(forced);
    state = newState;
    unlink(e);
    if (returnOf[op] >= 0) unlink(returnOf[op]);
    mandatoryLeft -= p.mandatory[op];
    return true;
  };

  const FRESH = -2; // entry value: a new configuration, look for a forced move first
  const FAILED = -1; // from backtrack: nothing left to try

  /** Undoes moves until one that had alternatives; returns the event to resume at. */
  const backtrack = (): number => {
    for (;;) {
      const e = stackCall.pop();
      if (e === undefined) return FAILED;
      state = stackState.pop()!;
      first = stackFirst.pop()!;
      const forced = stackForced.pop()!;
      const op = opOf[e];
      bits[op >>> 5] &= ~(1 << (op & 31));
      // Relink in reverse order of unlinking.
      if (returnOf[op] >= 0) relink(returnOf[op]);
      relink(e);
      mandatoryLeft += p.mandatory[op];
      // A forced move was as good as any alternative, so its failure fails its parent too.
      if (!forced) return next[e];
    }
  };

  /**
   * A callable op that may be linearized right now without losing any solution: a read
   * that fits the current value (moving a read earlier changes no other op's view), or a
   * never-read write while the register already holds a never-read value (such a write is
   * always directly followed by another write, so dropping it there and doing it now
   * changes nothing). Taking these without branching keeps concurrent reads and unread
   * writes from multiplying the search.
   */
  const forcedMove = (): number => {
    for (let e = next[HEAD]; e !== TAIL && isCall[e]; e = next[e]) {
      const op = opOf[e];
      if (p.value[op] === state && (!p.isWrite[op] || state === DEAD_ID)) return e;
    }
    return -1;
  };

  let entry = FRESH;
  while (mandatoryLeft > 0) {
    if (++steps > maxSteps) {
      return { kind: 'unknown', detail: `search exceeded ${maxSteps} steps (${n} ops to order)` };
    }
    if (entry === FRESH) {
      const e = forcedMove();
      if (e < 0) entry = next[HEAD];
      else if (!lift(e, true)) entry = backtrack(); // leads somewhere already failed
      if (entry === FAILED) break;
      continue;
    }
    if (entry === TAIL) throw new Error('linearizability: walked off the event list (internal error)');
    const op = opOf[entry];
    if (isCall[entry]) {
      // Only writes can fit here: a fitting read would have been a forced move.
      if ((p.isWrite[op] === 1 || p.value[op] === state) && lift(entry, false)) entry = FRESH;
      else entry = next[entry];
    } else {
      // op had to be linearized by now and is not: backtrack.
      if (stackCall.length > best) {
        best = stackCall.length;
        bestOp = op;
        bestState = state;
      }
      entry = backtrack();
      if (entry === FAILED) break;
    }
  }
  if (mandatoryLeft === 0) return { kind: 'linearizable' };
  if (bestOp < 0) return { kind: 'violation', detail: 'no linearization exists' }; // not expected
  return {
    kind: 'violation',
    detail:
      `${describe(p.ops[bestOp])} cannot be linearized: the longest linearizable prefix orders ` +
      `${best} of ${n} ops and leaves the register at ${p.valueNames[bestState]}`,
  };
}

// ---------------------------------------------------------------------------------------
// The zone test (Gibbons & Korach, "Testing shared memories", 1997), for unique values.

/**
 * Group each write with the reads of its value (null reads with a virtual write at -∞).
 * In any linearization a group occupies one contiguous stretch, so it must span its zone:
 * from its earliest completion f to its latest invocation s. If f < s the group holds the
 * register throughout (f, s) (a forward zone); otherwise it can shrink to any instant of
 * [s, f] (a backward zone). A linearization exists iff no two forward zones overlap and no
 * backward zone lies strictly inside a forward zone. Touching is allowed: equal times are
 * concurrent. Assumes prepareKey's checks passed (every read value has its write, and no
 * read completed before its write was invoked).
 */
function zoneCheck(p: Prepared): Outcome {
  interface Zone { name: string; f: number; s: number }
  const groups = new Map<number | null, Zone>([[null, { name: 'null', f: -Infinity, s: -Infinity }]]);
  const zones: Zone[] = [...groups.values()];
  for (let i = 0; i < p.raw.length; i++) {
    const v = p.raw[i];
    let z = groups.get(v);
    if (!z) {
      groups.set(v, (z = { name: String(v), f: Infinity, s: -Infinity }));
      zones.push(z);
    }
    z.f = Math.min(z.f, p.complete[i]);
    z.s = Math.max(z.s, p.invoke[i]);
  }
  const forward = zones.filter((z) => z.f < z.s).sort((a, b) => a.f - b.f);
  for (let i = 1; i < forward.length; i++) {
    const [a, b] = [forward[i - 1], forward[i]];
    if (b.f < a.s) {
      return {
        kind: 'violation',
        detail: `the register had to hold ${a.name} throughout (${a.f}, ${a.s}) and ${b.name} throughout (${b.f}, ${b.s}), which overlap`,
      };
    }
  }
  for (const z of zones) {
    if (z.f < z.s) continue;
    // Only the last forward zone starting before z can contain it: the ones before it end
    // before that one starts.
    let lo = 0;
    let hi = forward.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (forward[mid].f < z.s) lo = mid + 1;
      else hi = mid - 1;
    }
    const u = forward[hi];
    if (u && z.f < u.s) {
      return {
        kind: 'violation',
        detail: `the ops of ${z.name} all happened within (${u.f}, ${u.s}), where the register had to hold ${u.name}`,
      };
    }
  }
  return { kind: 'linearizable' };
}

/** Index of the last op (by invoke order) invoked at or before t. */
function lastInvokedBy(invoke: Float64Array, t: number): number {
  let lo = 0;
  let hi = invoke.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (invoke[mid] <= t) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}

// ---------------------------------------------------------------------------------------
// Validation and messages.

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function validateOp(op: unknown, index: number | undefined): void {
  const where = index === undefined ? 'history op' : `history: ops[${index}]`;
  const bad = (why: string): never => {
    throw new Error(`${where}: ${why} (${JSON.stringify(op)})`);
  };
  if (!isObject(op)) return bad('must be an object');
  if (!isNum(op.process)) bad('"process" must be a number');
  if (typeof op.key !== 'string') bad('"key" must be a string');
  if (op.f !== 'read' && op.f !== 'write') bad('"f" must be "read" or "write"');
  if (op.type !== 'ok' && op.type !== 'fail' && op.type !== 'info') bad('"type" must be "ok", "fail" or "info"');
  if (!isNum(op.invoke)) bad('"invoke" must be a number');
  if (op.complete !== null && !isNum(op.complete)) bad('"complete" must be a number or null');
  if (op.type === 'ok' && op.complete === null) bad('an ok op must have a "complete" time');
  if (isNum(op.complete) && op.complete < (op.invoke as number)) bad('"complete" is before "invoke"');
  const v = op.value;
  if (op.f === 'write') {
    if (!isNum(v)) bad('a write\'s "value" must be a number');
  } else if (!(v === null || isNum(v) || (Array.isArray(v) && v.every(isNum)))) {
    bad('a read\'s "value" must be null, a number or an array of numbers');
  }
}

function describe(op: HistoryOp): string {
  const what = op.f === 'write' ? `write ${String(op.value)}` : `read → ${JSON.stringify(op.value)}`;
  const end = op.complete === null ? '…' : String(op.complete);
  const type = op.type === 'ok' ? '' : ` (${op.type})`;
  return `process ${op.process}'s ${what}${type} [${op.invoke}, ${end}]`;
}
