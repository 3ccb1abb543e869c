// The SLA as an error budget, the way SRE teams run one: a promise of 99.9 % of this round's
// requests is a number of failures the team may spend. This file does the arithmetic, for
// the HUD while the round runs and for the debrief at its end:
//
//   allowed   the most failures that still keep the promise: the largest F with
//             (requests − F) / requests ≥ target, so "budget left ≥ 0" is exactly the
//             availability verdict (ok / requests ≥ target), float for float.
//   requests  the round's requests: at the end, what the metrics counted; while it runs,
//             the requests so far plus what the workload's linear ramp still expects, so the
//             budget stays put instead of growing from zero (a surge still adds to it).
//   burn rate the last ~10 s's share of failed requests against the share the promise
//             allows (1 − target): 1 spends the budget evenly over the round's requests,
//             4 spends it four times too fast. (SRE's burn rate: error rate / (1 − SLO).)
//
// A failure is what metrics.ts counts against availability: a failed or timed-out op.

import { FAIL_CAUSES, type FailCause } from './ops.js';
import type { MetricsState, MetricsWindow } from './metrics.js';
import type { Sim } from './engine.js';
import type { Scenario } from '../scenarios/types.js';

/** The burn rate looks at this many finished metrics windows (1 s each): the last ~10 s. */
export const BURN_WINDOWS = 10;
/** Shown instead of an infinite burn (failures under a promise of 100 %). */
export const MAX_BURN = 99;

export type CauseCounts = Record<FailCause, number>;

export interface ErrorBudget {
  /** The availability promised (the scenario as played: difficulty included). */
  target: number;
  /** The requests the budget is reckoned on (see the top of the file). */
  requests: number;
  /** Failures the promise allows over the round. */
  allowed: number;
  /** Failures so far. */
  spent: number;
  /** allowed − spent: negative once the promise is broken. */
  left: number;
  /** The failures so far, by cause; they add up to `spent`. */
  byCause: CauseCounts;
  /** How fast the budget burns (1 = evenly; 0 when nothing failed lately). */
  burnRate: number;
  /** Failed and all requests in the windows the burn rate looked at. */
  recentFailures: number;
  recentRequests: number;
  /** The cause of most recent failures ('' when none failed). */
  recentCause: FailCause | '';
  /** Seconds until the budget is gone at the recent pace; -1 when it lasts the round (or is gone). */
  runsOutInS: number;
}

/** What the debrief tells of the budget: the numbers and the stretches that spent the most. */
export interface BudgetStory extends Pick<ErrorBudget, 'target' | 'requests' | 'allowed' | 'spent' | 'left' | 'byCause'> {
  /** The stretches that spent the most, the most costly first. */
  stretches: BudgetStretch[];
  /** The budget's story in one plain sentence. */
  headline: string;
}

export interface BudgetStretch {
  /** Simulated ms: the stretch covers requests sent in [start, end). */
  start: number;
  end: number;
  failures: number;
  /** failures / allowed (over 1 when a stretch alone broke the promise); of all failures when nothing was allowed. */
  share: number;
  /** The cause of most of the stretch's failures, and its share of them. */
  cause: FailCause;
  causeShare: number;
  /** What was going on: chaos, actions, or the traffic, in words. */
  context: string[];
  /** The whole line, e.g. "1:10–1:25: 38% of the budget — mostly requests refused without a quorum. At the time: …". */
  text: string;
}

/**
 * The most failures among `requests` that keep availability ≥ target, computed the way the
 * verdict is: (requests − F) / requests ≥ target. 0 for a round without requests.
 */
export function allowedFailures(target: number, requests: number): number {
  const r = Math.max(0, Math.floor(requests));
  if (r === 0) return 0;
  const keeps = (f: number) => (r - f) / r >= target;
  let f = Math.min(r, Math.max(0, Math.floor((1 - target) * r)));
  // The product above can miss by one in the last bit: settle on the verdict's own test.
  while (f < r && keeps(f + 1)) f++;
  while (f > 0 && !keeps(f)) f--;
  return f;
}

/**
 * Requests the workload's linear ramp expects in simulated [fromMs, durationMs): the area
 * under the rate line (surges are chaos, not expected).
 */
export function expectedRequests(sc: Scenario, durationMs: number, fromMs: number): number {
  if (!(durationMs > 0) || fromMs >= durationMs) return 0;
  const w = sc.workload;
  const from = Math.max(0, fromMs);
  const rateAt = (t: number) => w.startRate + ((w.endRate - w.startRate) * t) / durationMs;
  return (((durationMs - from) / 1000) * (rateAt(from) + rateAt(durationMs))) / 2;
}

/** Failure share against the share the promise allows; 0 without failures, MAX_BURN at most. */
export function burnRate(target: number, failures: number, requests: number): number {
  if (failures <= 0 || requests <= 0) return 0;
  const allowedShare = 1 - target;
  if (!(allowedShare > 0)) return MAX_BURN;
  return Math.min(MAX_BURN, failures / requests / allowedShare);
}

/** Failures (failed and timed-out ops) of a window or of the round. */
export function failuresOf(m: Pick<MetricsWindow, 'fail' | 'info'>): number {
  return m.fail + m.info;
}

/** Per-cause counts from a metrics failCauses array (missing entries count 0). */
export function causeCounts(list: readonly number[] | undefined): CauseCounts {
  const out = {} as CauseCounts;
  FAIL_CAUSES.forEach((c, i) => {
    out[c] = list?.[i] ?? 0;
  });
  return out;
}

/** The cause with the most failures ('' when there are none); ties go to the earlier cause. */
export function mainCause(counts: CauseCounts): FailCause | '' {
  let best: FailCause | '' = '';
  let most = 0;
  for (const c of FAIL_CAUSES) {
    if (counts[c] > most) {
      most = counts[c];
      best = c;
    }
  }
  return best;
}

/** The budget of a simulation as it stands: live (projected requests) or, once finished, final. */
export function errorBudgetOf(sim: Sim): ErrorBudget {
  const { S, sc } = sim;
  const m = S.metrics;
  // Every client request sent so far (in flight included) until the round closes; then the
  // counted ones (the verification reads after the round are not client traffic).
  const sent = S.finished ? m.requests : S.nextOp;
  const requests = S.finished ? m.requests : Math.round(sent + expectedRequests(sc, S.durationMs, S.now));
  return budgetFrom(sc.sla.availability, requests, m, Math.max(0, S.durationMs - S.now));
}

/**
 * The budget from the metrics and the requests it is reckoned on; `remainingMs` of round
 * left bounds "runs out in". The final budget is budgetFrom(target, m.requests, m, 0).
 */
export function budgetFrom(target: number, requests: number, m: MetricsState, remainingMs: number): ErrorBudget {
  const allowed = allowedFailures(target, requests);
  const spent = failuresOf(m);
  const recent = recentWindows(m);
  let recentFailures = 0;
  let recentRequests = 0;
  const recentCauses = new Array<number>(FAIL_CAUSES.length).fill(0);
  for (const w of recent) {
    recentFailures += failuresOf(w);
    recentRequests += w.requests;
    w.failCauses?.forEach((n, i) => {
      if (i < recentCauses.length) recentCauses[i] += n;
    });
  }
  const left = allowed - spent;
  let runsOutInS = -1;
  if (left > 0 && recentFailures > 0 && recent.length > 0) {
    const perS = recentFailures / ((recent.length * m.windowMs) / 1000);
    const s = left / perS;
    if (s * 1000 < remainingMs) runsOutInS = Math.max(1, Math.round(s));
  }
  return {
    target,
    requests,
    allowed,
    spent,
    left,
    byCause: causeCounts(m.failCauses),
    burnRate: Math.round(burnRate(target, recentFailures, recentRequests) * 10) / 10,
    recentFailures,
    recentRequests,
    recentCause: mainCause(causeCounts(recentCauses)),
    runsOutInS,
  };
}

/** The last BURN_WINDOWS finished windows (finished ones have every outcome counted). */
function recentWindows(m: MetricsState): MetricsWindow[] {
  return m.windows.slice(Math.max(0, m.closed - BURN_WINDOWS), m.closed);
}
