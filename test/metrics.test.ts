import { describe, expect, it } from 'vitest';
import {
  closeAllWindows,
  closeWindowsBefore,
  createHistogram,
  createMetrics,
  downtime,
  formatDuration,
  HISTOGRAM_BUCKETS,
  mergeHistogram,
  nines,
  percentile,
  recordLatency,
  recordOutcome,
  recordStale,
  summarize,
} from '../shared/sim/metrics.js';
import { NEVER, READ, WRITE, type OpKind, type OpRecord, type OpType } from '../shared/sim/ops.js';
import { mulberry32 } from './support/prng.js';


let nextId = 0;
function op(f: OpKind, invoke: number, complete: number, type: OpType = 'ok', extra: Partial<OpRecord> = {}): OpRecord {
  return { id: nextId++, process: 0, key: 0, f, value: f === WRITE ? nextId : null, invoke, complete, type, region: 0, ...extra };
}

/** Exact quantile of sorted samples with the same rank convention as percentile(). */
function exactQuantile(sorted: number[], p: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1];
}

const within = (got: number, want: number, rel: number): void => {
  expect(Math.abs(got - want) / want, `got ${got}, want ${want}`).toBeLessThanOrEqual(rel);
};

describe('latency histogram', () => {
  it('gives percentiles of a uniform distribution within 3%', () => {
    const h = createHistogram();
    expect(h).toHaveLength(HISTOGRAM_BUCKETS);
    for (let ms = 1; ms <= 10_000; ms++) recordLatency(h, ms);
    within(percentile(h, 0.5), 5000, 0.03);
    within(percentile(h, 0.95), 9500, 0.03);
    within(percentile(h, 0.99), 9900, 0.03);
    within(percentile(h, 0), 1, 0.03);
    within(percentile(h, 1), 10_000, 0.03);
  });

  it('gives percentiles of exponential and log-normal samples within 3% of the exact ones', () => {
    for (const seed of [1, 2, 3]) {
      const rand = mulberry32(seed);
      const h = createHistogram();
      const samples: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const x =
          seed === 3
            ? Math.exp(3 + 1.5 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())) // log-normal
            : 0.2 - 40 * Math.log(1 - rand()); // exponential, mean 40 ms
        samples.push(x);
        recordLatency(h, x);
      }
      samples.sort((a, b) => a - b);
      for (const p of [0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999]) within(percentile(h, p), exactQuantile(samples, p), 0.03);
    }
  });

  it('returns 0 when empty and clamps the extremes', () => {
    const h = createHistogram();
    expect(percentile(h, 0.5)).toBe(0);
    recordLatency(h, 0);
    expect(percentile(h, 0.5)).toBeLessThan(0.1);
    const slow = createHistogram();
    recordLatency(slow, 3_600_000);
    within(percentile(slow, 0.99), 60_000, 0.05);
  });

  it('merges counts', () => {
    const a = createHistogram();
    const b = createHistogram();
    const all = createHistogram();
    for (let i = 1; i <= 1000; i++) {
      recordLatency(i % 2 ? a : b, i * 1.7);
      recordLatency(all, i * 1.7);
    }
    mergeHistogram(a, b);
    expect(a).toEqual(all);
  });
});

describe('nines and downtime', () => {
  it('computes nines', () => {
    expect(nines(0.9)).toBe(1);
    expect(nines(0.999)).toBe(3);
    expect(nines(0.9999)).toBe(4);
    expect(nines(0.99999)).toBe(5);
    expect(nines(0.5)).toBeCloseTo(Math.log10(2), 5);
    expect(nines(1)).toBe(9);
    expect(nines(0.99999999999)).toBe(9);
    expect(nines(0)).toBe(0);
    expect(Number.isFinite(nines(1))).toBe(true);
  });

  // The seed notes' table: availability → downtime per year, month, day.
  const table: [number, [number, string], [number, string], [number, string]][] = [
    [0.999, [8.76 * 3600, '8.8 h'], [43.8 * 60, '43.8 min'], [1.44 * 60, '1.4 min']],
    [0.9999, [52.56 * 60, '52.6 min'], [4.38 * 60, '4.4 min'], [8.64, '8.6 s']],
    [0.99999, [5.256 * 60, '5.3 min'], [26.28, '26.3 s'], [0.864, '864 ms']],
    [0.999999, [31.536, '31.5 s'], [2.628, '2.6 s'], [0.0864, '86 ms']],
  ];
  for (const [a, year, month, day] of table) {
    it(`matches the table for ${a * 100}%`, () => {
      const d = downtime(a);
      within(d.perYearS, year[0], 1e-6);
      within(d.perMonthS, month[0], 1e-6);
      within(d.perDayS, day[0], 1e-6);
      expect(formatDuration(d.perYearS)).toBe(year[1]);
      expect(formatDuration(d.perMonthS)).toBe(month[1]);
      expect(formatDuration(d.perDayS)).toBe(day[1]);
    });
  }

  it('handles the ends and formats other magnitudes', () => {
    expect(downtime(1)).toEqual({ perYearS: 0, perMonthS: 0, perDayS: 0 });
    expect(downtime(0).perDayS).toBe(86_400);
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(downtime(0.9).perYearS)).toBe('36.5 d');
    expect(formatDuration(downtime(0.5).perYearS)).toBe('183 d');
    expect(formatDuration(0.0042)).toBe('4.2 ms');
  });
});

describe('windowed metrics', () => {
  it('attributes ops to the window of their invoke time and closes windows', () => {
    const m = createMetrics(1000);
    recordOutcome(m, op(READ, 100, 150)); // 50 ms
    recordOutcome(m, op(WRITE, 900, 1500)); // finishes in window 1, counts in window 0
    recordOutcome(m, op(WRITE, 950, 1200, 'fail'));
    recordOutcome(m, op(READ, 980, NEVER, 'info'));
    recordOutcome(m, op(READ, 1200, 1210));
    recordOutcome(m, op(READ, 5000, 5010, 'ok', { final: true })); // verification read: ignored

    expect(m.windows).toHaveLength(2);
    expect(m.windows[0]).toMatchObject({ index: 0, start: 0, requests: 4, ok: 2, fail: 1, info: 1, reads: 2, writes: 2 });
    expect(m.windows[1]).toMatchObject({ index: 1, start: 1000, requests: 1, ok: 1, reads: 1, writes: 0 });
    expect(m.windows[0].p50).toBe(0); // open: not computed yet

    closeWindowsBefore(m, 1999); // window 1 ends at 2000: still open
    expect(m.closed).toBe(1);
    expect(m.windowHists[0]).toBeNull();
    expect(m.windowHists[1]).not.toBeNull();
    within(m.windows[0].p50, 50, 0.03);
    within(m.windows[0].p99, 600, 0.03);
    expect(m.windows[0].throughput).toBe(2);
    expect(m.windows[1].p50).toBe(0);

    closeWindowsBefore(m, 2000);
    expect(m.closed).toBe(2);
    within(m.windows[1].p50, 10, 0.03);
  });

  it('attributes stale reads to the read’s window, even a closed one', () => {
    const m = createMetrics(1000);
    const read = op(READ, 500, 520);
    recordOutcome(m, read);
    recordOutcome(m, op(READ, 2500, 2510));
    closeWindowsBefore(m, 2000);
    expect(m.closed).toBe(2);
    recordStale(m, read);
    recordStale(m, { ...read, final: true }); // final reads are not client stale reads
    expect(m.windows[0].staleReads).toBe(1);
    expect(m.windows[1].staleReads).toBe(0);
    expect(m.staleReads).toBe(1);
  });

  it('creates empty windows for quiet spells and closes everything at the end', () => {
    const m = createMetrics(500);
    recordOutcome(m, op(READ, 100, 110));
    closeWindowsBefore(m, 2600);
    expect(m.windows.map((w) => w.index)).toEqual([0, 1, 2, 3, 4]);
    expect(m.closed).toBe(5);
    expect(m.windows[3]).toMatchObject({ requests: 0, p50: 0, throughput: 0 });
    recordOutcome(m, op(READ, 2700, 2750));
    closeWindowsBefore(m, NEVER); // no runaway window creation
    closeAllWindows(m);
    expect(m.windows).toHaveLength(6);
    expect(m.closed).toBe(6);
    within(m.windows[5].p50, 50, 0.03);
  });

  it('summarizes the round', () => {
    expect(summarize(createMetrics(1000), 10_000)).toMatchObject({ requests: 0, availability: 1, nines: 9, p50: 0 });
    const m = createMetrics(1000);
    for (let i = 0; i < 999; i++) recordOutcome(m, op(i % 3 ? READ : WRITE, i * 10, i * 10 + 1 + (i % 100)));
    recordOutcome(m, op(WRITE, 9990, NEVER, 'info'));
    recordStale(m, op(READ, 20, 25));
    const s = summarize(m, 10_000);
    expect(s).toMatchObject({ requests: 1000, ok: 999, fail: 0, info: 1, staleReads: 1 });
    expect(s.availability).toBe(0.999);
    expect(s.nines).toBe(3);
    within(s.downtime.perYearS, 8.76 * 3600, 1e-6);
    within(s.p50, 50, 0.03);
    within(s.p99, 99, 0.03);
    expect(s.throughputPerS).toBeCloseTo(99.9, 9);
  });

  it('survives a JSON round trip mid-run', () => {
    const run = (restore: boolean) => {
      let m = createMetrics(250);
      const rand = mulberry32(7);
      for (let i = 0; i < 2000; i++) {
        const inv = i * 3;
        recordOutcome(m, op(rand() < 0.5 ? READ : WRITE, inv, inv + rand() * 200, rand() < 0.9 ? 'ok' : 'fail'));
        if (i % 97 === 0) closeWindowsBefore(m, inv - 200);
        if (restore && i === 1000) m = JSON.parse(JSON.stringify(m));
      }
      closeAllWindows(m);
      return m;
    };
    expect(run(true)).toEqual(run(false));
  });
});
