// What the players' dashboards show: latency percentiles, availability in nines, downtime,
// throughput and stale reads, per time window and per round. Plain JSON data throughout,
// because it lives inside the simulation snapshot; O(log buckets) work per operation.

import { log10 } from './det-math.js';
import { FAIL_CAUSES, FAIL_TIMEOUT, NEVER, READ, type OpRecord } from './ops.js';

// ---------------------------------------------------------------------------------------
// Latency histogram

/**
 * Counts of latencies per fixed logarithmic bucket (index = bucketOf(ms)). A plain array so
 * it snapshots as JSON; every histogram has HISTOGRAM_BUCKETS entries.
 */
export type Histogram = number[];

/** Lowest bucket bound, ms: anything faster lands in bucket 0. */
export const HISTOGRAM_MIN_MS = 0.1;
/** Highest bound, ms: anything slower lands in the last (overflow) bucket. */
export const HISTOGRAM_MAX_MS = 60_000;
/** Ratio between consecutive bounds: a bucket's geometric midpoint is within ~2% of any value in it. */
export const HISTOGRAM_RATIO = 1.04;

export function createHistogram(): Histogram {
  return new Array<number>(HISTOGRAM_BUCKETS).fill(0);
}

export function recordLatency(h: Histogram, ms: number): void {
  h[bucketOf(ms)]++;
}

/**
 * The latency at quantile p (0..1): the representative value of the bucket holding the
 * ceil(p·n)-th smallest sample (the smallest sample for p = 0). 0 for an empty histogram.
 */
export function percentile(h: Histogram, p: number): number {
  let n = 0;
  for (let i = 0; i < h.length; i++) n += h[i];
  if (n === 0) return 0;
  const rank = Math.min(n, Math.max(1, Math.ceil(p * n)));
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i];
    if (seen >= rank) return REPRESENTATIVE[i];
  }
  return REPRESENTATIVE[h.length - 1];
}

/** Adds `from`'s counts into `into`. */
export function mergeHistogram(into: Histogram, from: Histogram): void {
  for (let i = 0; i < from.length; i++) into[i] += from[i];
}

// ---------------------------------------------------------------------------------------
// Availability in nines and downtime

/** Cap for nines(1): a perfect round is shown as this many nines, not Infinity. */
export const MAX_NINES = 9;

/** −log10(1 − availability): 0.999 → 3. Capped at MAX_NINES; 0 for availability ≤ 0. */
export function nines(availability: number): number {
  if (!(availability > 0)) return 0;
  if (availability >= 1) return MAX_NINES;
  const x = -log10(1 - availability);
  // Rounded so 0.999 reads as 3, not 2.9999999999999996, and the value is engine-independent.
  return Math.min(MAX_NINES, Math.round(x * 1e6) / 1e6);
}

export interface Downtime {
  perYearS: number;
  perMonthS: number;
  perDayS: number;
}

export const DAY_S = 24 * 3600;
export const YEAR_S = 365 * DAY_S;
export const MONTH_S = YEAR_S / 12;

/** Downtime that an availability is equivalent to: (1 − a) × period (99.9% → 8.76 h/year). */
export function downtime(availability: number): Downtime {
  const down = 1 - Math.min(1, Math.max(0, availability));
  return { perYearS: down * YEAR_S, perMonthS: down * MONTH_S, perDayS: down * DAY_S };
}

/** Short human text for a duration in seconds: "8.8 h", "43.8 min", "8.6 s", "86 ms". */
export function formatDuration(seconds: number): string {
  if (!(seconds > 0)) return '0 s';
  if (seconds >= DAY_S) return `${fixed(seconds / DAY_S)} d`;
  if (seconds >= 3600) return `${fixed(seconds / 3600)} h`;
  if (seconds >= 60) return `${fixed(seconds / 60)} min`;
  if (seconds >= 1) return `${fixed(seconds)} s`;
  const ms = seconds * 1000;
  // Milliseconds read better as whole numbers ("86 ms"); keep one decimal below 10.
  return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

// ---------------------------------------------------------------------------------------
// Windowed and round metrics

export interface MetricsWindow {
  index: number;
  /** Simulated ms: the window covers ops invoked in [start, start + windowMs). */
  start: number;
  requests: number;
  ok: number;
  fail: number;
  info: number;
  reads: number;
  writes: number;
  staleReads: number;
  /** The window's failed and timed-out ops by cause (ops.ts FAIL_*): they add up to fail + info. */
  failCauses: number[];
  /** Latency percentiles of the window's ok ops, ms; 0 until the window is closed. */
  p50: number;
  p95: number;
  p99: number;
  /** ok ops per second. */
  throughput: number;
}

export interface MetricsState {
  windowMs: number;
  /** Dense: windows[i].index === i. Windows are numbered floor(invoke / windowMs). */
  windows: MetricsWindow[];
  /** Latency histogram of each open window's ok ops (null before the first one, and once closed). */
  windowHists: (Histogram | null)[];
  /** Windows [0, closed) are final: percentiles computed, histograms dropped. */
  closed: number;
  requests: number;
  ok: number;
  fail: number;
  info: number;
  reads: number;
  writes: number;
  staleReads: number;
  /** The round's failed and timed-out ops by cause (ops.ts FAIL_*): they add up to fail + info. */
  failCauses: number[];
  /** The whole round's latencies, ok ops only. */
  latency: Histogram;
}

export interface RoundSummary {
  requests: number;
  ok: number;
  fail: number;
  info: number;
  /** ok / requests; 1 when there were no requests. */
  availability: number;
  nines: number;
  downtime: Downtime;
  p50: number;
  p95: number;
  p99: number;
  throughputPerS: number;
  staleReads: number;
}

export function createMetrics(windowMs: number): MetricsState {
  if (!(windowMs > 0)) throw new Error(`createMetrics: windowMs must be > 0, got ${windowMs}`);
  return {
    windowMs,
    windows: [],
    windowHists: [],
    closed: 0,
    requests: 0,
    ok: 0,
    fail: 0,
    info: 0,
    reads: 0,
    writes: 0,
    staleReads: 0,
    failCauses: noCauses(),
    latency: createHistogram(),
  };
}

/**
 * Counts a finished client operation in the window of its invoke time and in the round
 * totals. `final` verification reads are not client traffic and are ignored. Latency
 * (complete − invoke) is recorded for ok ops only. An op whose window is already closed
 * still counts, but no longer moves that window's percentiles (close windows late enough:
 * see closeWindowsBefore).
 */
export function recordOutcome(m: MetricsState, op: OpRecord): void {
  if (op.final) return;
  const w = windowAt(m, op.invoke);
  m.requests++;
  w.requests++;
  if (op.f === READ) {
    m.reads++;
    w.reads++;
  } else {
    m.writes++;
    w.writes++;
  }
  if (op.type === 'ok') {
    m.ok++;
    w.ok++;
    w.throughput = (w.ok * 1000) / m.windowMs;
    const b = bucketOf(op.complete - op.invoke);
    m.latency[b]++;
    if (w.index >= m.closed) {
      let h = m.windowHists[w.index];
      if (!h) h = m.windowHists[w.index] = createHistogram();
      h[b]++;
    }
    return;
  }
  if (op.type === 'fail') {
    m.fail++;
    w.fail++;
  } else {
    m.info++;
    w.info++;
  }
  // An op that failed without a known cause got no answer in time.
  const cause = op.cause !== undefined && op.cause >= 0 && op.cause < FAIL_CAUSES.length ? op.cause : FAIL_TIMEOUT;
  m.failCauses[cause]++;
  w.failCauses[cause]++;
}

/**
 * Counts a read the judge found stale, in the window of the read's invoke time (which may
 * be closed already: staleness is judged after the fact). `final` reads are ignored.
 */
export function recordStale(m: MetricsState, op: OpRecord): void {
  if (op.final) return;
  m.staleReads++;
  windowAt(m, op.invoke).staleReads++;
}

/**
 * Finalises every window that ends at or before t (creating empty ones for quiet spells):
 * computes its percentiles and drops its histogram. The caller passes the horizon
 * t = now − client timeout, the same one it gives judgeAdvance: every op invoked before it
 * has finished, so those windows can take no more outcomes. Call judgeAdvance(horizon) and
 * recordStale first if the closed windows' stale counts should be final too (later stale
 * reads still count into closed windows). At the end of the round use closeAllWindows.
 */
export function closeWindowsBefore(m: MetricsState, t: number): void {
  if (!(t < NEVER)) return closeAllWindows(m);
  const end = Math.floor(t / m.windowMs); // windows [0, end) end at or before t
  if (end > m.windows.length) windowAt(m, (end - 1) * m.windowMs);
  closeUpTo(m, end);
}

/** Finalises every window that exists (end of round, once every op has finished). */
export function closeAllWindows(m: MetricsState): void {
  closeUpTo(m, m.windows.length);
}

/** Round totals; durationMs is the length of the round (for throughput). */
export function summarize(m: MetricsState, durationMs: number): RoundSummary {
  const availability = m.requests === 0 ? 1 : m.ok / m.requests;
  return {
    requests: m.requests,
    ok: m.ok,
    fail: m.fail,
    info: m.info,
    availability,
    nines: nines(availability),
    downtime: downtime(availability),
    p50: percentile(m.latency, 0.5),
    p95: percentile(m.latency, 0.95),
    p99: percentile(m.latency, 0.99),
    throughputPerS: durationMs > 0 ? (m.ok * 1000) / durationMs : 0,
    staleReads: m.staleReads,
  };
}

// ---------------------------------------------------------------------------------------
// Helpers

/**
 * Bucket bounds by repeated multiplication (not Math.pow/log, whose last bits may differ
 * between JS engines): the bucket of a latency must be the same on every machine.
 * Bucket 0 holds [0, BOUNDS[0]), bucket i holds [BOUNDS[i-1], BOUNDS[i]), the last bucket
 * holds [BOUNDS[last], ∞).
 */
const BOUNDS: number[] = (() => {
  const b = [HISTOGRAM_MIN_MS];
  while (b[b.length - 1] < HISTOGRAM_MAX_MS) b.push(b[b.length - 1] * HISTOGRAM_RATIO);
  return b;
})();

export const HISTOGRAM_BUCKETS = BOUNDS.length + 1;

/** The value a bucket reports: its geometric midpoint (sqrt is exactly rounded everywhere). */
const REPRESENTATIVE: number[] = (() => {
  const r = [HISTOGRAM_MIN_MS / 2];
  for (let i = 1; i < BOUNDS.length; i++) r.push(Math.sqrt(BOUNDS[i - 1] * BOUNDS[i]));
  r.push(BOUNDS[BOUNDS.length - 1]);
  return r;
})();

/** Number of bounds ≤ ms, by binary search (NaN and negatives land in bucket 0). */
function bucketOf(ms: number): number {
  let lo = 0;
  let hi = BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (BOUNDS[mid] <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The window holding time t, creating it and any missing earlier ones (windows stay dense). */
function windowAt(m: MetricsState, t: number): MetricsWindow {
  const index = Math.max(0, Math.floor(t / m.windowMs));
  const ws = m.windows;
  while (ws.length <= index) {
    const i = ws.length;
    ws.push({
      index: i,
      start: i * m.windowMs,
      requests: 0,
      ok: 0,
      fail: 0,
      info: 0,
      reads: 0,
      writes: 0,
      staleReads: 0,
      failCauses: noCauses(),
      p50: 0,
      p95: 0,
      p99: 0,
      throughput: 0,
    });
    m.windowHists.push(null);
  }
  return ws[index];
}

function noCauses(): number[] {
  return new Array<number>(FAIL_CAUSES.length).fill(0);
}

function closeUpTo(m: MetricsState, end: number): void {
  for (let i = m.closed; i < end && i < m.windows.length; i++) {
    const h = m.windowHists[i];
    const w = m.windows[i];
    if (h) {
      w.p50 = percentile(h, 0.5);
      w.p95 = percentile(h, 0.95);
      w.p99 = percentile(h, 0.99);
    }
    m.windowHists[i] = null;
    m.closed = i + 1;
  }
}

function fixed(x: number): string {
  return x < 100 ? x.toFixed(1) : x.toFixed(0);
}
