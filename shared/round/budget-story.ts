// When and why the error budget was spent, for the debrief: the round's budget judged on its
// summary (so it agrees with the availability verdict), its failures by cause, and the
// stretches that spent the most, each with its main cause and what was going on then
// ("1:10–1:25: 38% of the budget — mostly requests refused without a quorum. At the time:
// Network partition: region eu-west is cut off").

import { CHAOS_KINDS } from '../scenarios/chaos-types.js';
import { COMMAND_TYPES } from '../protocol/validate.js';
import { clockTime, int, type RoundEvent } from '../lessons/pick.js';
import { allowedFailures, causeCounts, failuresOf, mainCause, type BudgetStory, type BudgetStretch } from '../sim/error-budget.js';
import type { Sim } from '../sim/engine.js';
import type { MetricsWindow } from '../sim/metrics.js';
import { FAIL_CAUSES } from '../sim/ops.js';
import type { Summary } from '../sim/summary.js';
import { CHAOS_WORDS } from '../words/chaos.js';
import { budgetHeadline, budgetShareText, CAUSE_WORDS } from '../words/budget.js';

/** The round is cut into blocks this long; neighbouring costly blocks make one stretch. */
export const STRETCH_BLOCK_MS = 5000;
/** A stretch is at most this long, so a bad minute is told in the parts that differed. */
export const MAX_STRETCH_MS = 15_000;
/** A block is costly when it burns at least this many times the even pace. */
export const STRETCH_BURN = 2;
/** The debrief tells at most this many stretches. */
export const MAX_STRETCHES = 4;
/** Stretches that spent less than this share of the budget are not worth a line. */
export const MIN_STRETCH_SHARE = 0.03;
/** Chaos that ended this shortly before a stretch still explains it (clients time out late). */
const CONTEXT_LEAD_MS = 2000;

const CHAOS = new Set<string>(CHAOS_KINDS);
const ACTIONS = new Set<string>(COMMAND_TYPES.filter((t) => t !== 'chaos'));

/** The budget's story of a finished (or cut short) round, from its summary and its events. */
export function budgetStoryOf(sim: Sim, summary: Pick<Summary, 'requests' | 'ok'>, events: readonly RoundEvent[]): BudgetStory {
  const { S, sc } = sim;
  const target = sc.sla.availability;
  const requests = summary.requests;
  const spent = requests - summary.ok;
  const allowed = allowedFailures(target, requests);
  const stretches = costlyStretches(S.metrics.windows, target, allowed, spent).map((s) => tell(s, events, allowed));
  return {
    target,
    requests,
    allowed,
    spent,
    left: allowed - spent,
    byCause: causeCounts(S.metrics.failCauses),
    stretches,
    headline: budgetHeadline(spent, allowed),
  };
}

// ---------------------------------------------------------------------------------------

interface Raw {
  start: number;
  end: number;
  failures: number;
  requests: number;
  causes: number[];
}

/**
 * Neighbouring blocks that burned the budget fast, merged while their main cause stays the
 * same (up to MAX_STRETCH_MS), the costliest first.
 */
function costlyStretches(windows: readonly MetricsWindow[], target: number, allowed: number, spent: number): Raw[] {
  const blocks: Raw[] = [];
  for (const w of windows) {
    const b = Math.floor(w.start / STRETCH_BLOCK_MS);
    while (blocks.length <= b) {
      const start = blocks.length * STRETCH_BLOCK_MS;
      blocks.push({ start, end: start + STRETCH_BLOCK_MS, failures: 0, requests: 0, causes: new Array<number>(FAIL_CAUSES.length).fill(0) });
    }
    const block = blocks[b]!;
    block.failures += failuresOf(w);
    block.requests += w.requests;
    w.failCauses?.forEach((n, i) => {
      if (i < block.causes.length) block.causes[i] += n;
    });
  }
  const costly = (b: Raw) => b.failures > 0 && b.failures >= STRETCH_BURN * (1 - target) * b.requests;
  const out: Raw[] = [];
  let open: Raw | null = null;
  for (const b of blocks) {
    if (!costly(b)) {
      open = null;
      continue;
    }
    if (open === null || open.end - open.start >= MAX_STRETCH_MS || mainCause(causeCounts(b.causes)) !== mainCause(causeCounts(open.causes))) {
      open = { ...b, causes: [...b.causes] };
      out.push(open);
    } else {
      open.end = b.end;
      open.failures += b.failures;
      open.requests += b.requests;
      b.causes.forEach((n, i) => (open!.causes[i] += n));
    }
  }
  const whole = Math.max(1, allowed > 0 ? allowed : spent);
  return out
    .filter((s) => s.failures / whole >= MIN_STRETCH_SHARE)
    .sort((a, b) => b.failures - a.failures || a.start - b.start)
    .slice(0, MAX_STRETCHES);
}

function tell(s: Raw, events: readonly RoundEvent[], allowed: number): BudgetStretch {
  const counts = causeCounts(s.causes);
  const cause = mainCause(counts) || 'timeout';
  const causeShare = s.failures > 0 ? counts[cause] / s.failures : 0;
  const share = allowed > 0 ? s.failures / allowed : 1;
  const context = contextOf(s, events, cause === 'overload');
  const mostly = causeShare >= 0.95 ? '' : 'mostly ';
  const text =
    `${clockTime(s.start)}–${clockTime(s.end)}: ${budgetShareText(share, allowed === 0)} — ${mostly}requests ${CAUSE_WORDS[cause].happened}` +
    (causeShare < 0.95 ? ` (${pct(causeShare)} of them)` : '') +
    `. At the time: ${context.join('; ')}.`;
  return { start: s.start, end: s.end, failures: s.failures, share: round3(share), cause, causeShare: round3(causeShare), context, text };
}

/** What was going on: the chaos in force, what the team did just before, or the traffic. */
function contextOf(s: Raw, events: readonly RoundEvent[], overload: boolean): string[] {
  const chaos: string[] = [];
  const actions: string[] = [];
  for (const e of events) {
    if (CHAOS.has(e.kind)) {
      const until = e.t + (e.durationMs ?? 0);
      if (e.t < s.end && until >= s.start - CONTEXT_LEAD_MS) chaos.push(e.text ?? `a ${CHAOS_WORDS[e.kind as keyof typeof CHAOS_WORDS].name}`);
    } else if (ACTIONS.has(e.kind) && e.t < s.end && e.t >= s.start - STRETCH_BLOCK_MS && e.text !== undefined) {
      actions.push(e.text);
    }
  }
  const out = [...dedupe(chaos).slice(0, 2), ...dedupe(actions).slice(0, 1)];
  const perS = s.requests / ((s.end - s.start) / 1000);
  if (out.length === 0 || overload) out.push(`about ${int(perS)} requests a second`);
  if (out.length === 1 && !overload && chaos.length === 0 && actions.length === 0) out.unshift('no chaos struck');
  return out;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
