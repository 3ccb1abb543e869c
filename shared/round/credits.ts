// Credit for node actions: for each accepted action, the measure it should move (p99
// latency, the share of requests that succeeded, stale reads) over a few simulated seconds
// before it against a few seconds after it has taken effect, from the simulation's metric
// windows. An action that clearly helped gets a sentence in the debrief ("Ada's scale-out
// at 1:42 cut p99 latency from 600 ms to 180 ms") and points for its player.
//
// Before and after is not proof of cause, so the comparison is kept honest: no credit when
// a fault healed (or its time ran out) between the action and the end of the window after
// it, because then the healing may be what helped; and an action needs a clear change, not
// noise, to count.

import type { Command, CommandType } from '../scenarios/command-types.js';
import type { Sim } from '../sim/engine.js';
import type { MetricsWindow } from '../sim/metrics.js';
import { liveNodes, targetNode } from '../sim/chaos.js';
import { actionNoun, creditText, type CreditMeasure } from '../words/credit.js';
import { actorKey, actorName, type Actor } from './actor.js';
import { TICK_MS } from './runner.js';

/** How long before and after an action its measure is compared, simulated ms. */
export const CREDIT_SPAN_MS = 5_000;
/** The last seconds before an action: what the cluster looked like when the player acted. */
const RECENT_MS = 2_000;

/** A helpful action, as the debrief tells it. */
export interface ActionCredit {
  /** Simulated ms when it was applied. */
  t: number;
  /** The actor's key (a player's key, or bot-<node>). */
  by: string;
  type: CommandType;
  node: number;
  measure: CreditMeasure;
  before: number;
  after: number;
  /** Requests it improved in the window after it: its points (shared/round/contributions.ts). */
  points: number;
  text: string;
}

export interface CreditInput {
  tick: number;
  command: Command;
  by: Actor;
}

/**
 * How long each action takes to show its effect (boot, rebalance), and the measures it is
 * meant to move, most direct first.
 */
const JUDGED: Partial<Record<CommandType, { settleMs: number; measures: CreditMeasure[] }>> = {
  restart: { settleMs: 3_000, measures: ['availability', 'p99'] },
  replace: { settleMs: 5_000, measures: ['availability', 'p99'] },
  'scale-up': { settleMs: 4_000, measures: ['p99', 'availability'] },
  'scale-out': { settleMs: 6_000, measures: ['p99', 'availability'] },
  remove: { settleMs: 6_000, measures: ['p99', 'availability'] },
  drain: { settleMs: 1_000, measures: ['p99', 'availability'] },
  undrain: { settleMs: 1_000, measures: ['p99', 'availability'] },
  'rate-limit': { settleMs: 1_000, measures: ['p99', 'availability'] },
  promote: { settleMs: 3_000, measures: ['availability', 'p99'] },
  demote: { settleMs: 3_000, measures: ['availability', 'p99'] },
  repair: { settleMs: 2_000, measures: ['stale', 'availability'] },
  stance: { settleMs: 1_000, measures: ['stale', 'availability'] },
};

/** The measures over windows [from, to) of simulated time (closed windows only). */
interface Span {
  seconds: number;
  requests: number;
  availability: number;
  p99: number;
  stalePerS: number;
}

function spanOf(windows: readonly MetricsWindow[], closed: number, windowMs: number, from: number, to: number): Span | null {
  const a = Math.max(0, Math.ceil(from / windowMs));
  const b = Math.min(closed, Math.floor(to / windowMs));
  if (b - a < 2) return null;
  let requests = 0;
  let ok = 0;
  let stale = 0;
  let p99 = 0;
  let p99n = 0;
  for (let i = a; i < b; i++) {
    const w = windows[i]!;
    requests += w.requests;
    ok += w.ok;
    stale += w.staleReads;
    if (w.ok > 0) {
      p99 += w.p99;
      p99n++;
    }
  }
  if (requests === 0) return null;
  const seconds = ((b - a) * windowMs) / 1000;
  // The mean of the per-second p99s: percentiles of different seconds do not merge exactly.
  return { seconds, requests, availability: ok / requests, p99: p99n > 0 ? p99 / p99n : 0, stalePerS: stale / seconds };
}

/** Was the measure already getting better before the action (then the action is not why)? */
function mending(measure: CreditMeasure, earlier: Span, recent: Span): boolean {
  switch (measure) {
    case 'p99':
      return earlier.p99 > 0 && recent.p99 > 0 && earlier.p99 >= 1.1 * recent.p99;
    case 'availability':
      return recent.availability - earlier.availability >= 0.005;
    case 'stale':
      return earlier.stalePerS >= 1 && recent.stalePerS <= 0.75 * earlier.stalePerS;
  }
}

/** Did the measure clearly improve, and by how many requests' worth? 0 when it did not. */
function gain(measure: CreditMeasure, before: Span, after: Span): { before: number; after: number; points: number } | null {
  switch (measure) {
    case 'p99': {
      if (!(before.p99 > 0 && after.p99 > 0)) return null;
      if (before.p99 < 1.25 * after.p99 || before.p99 - after.p99 < 20) return null;
      return { before: before.p99, after: after.p99, points: Math.round((after.requests * (before.p99 - after.p99)) / before.p99) };
    }
    case 'availability': {
      const d = after.availability - before.availability;
      if (d < 0.01) return null;
      return { before: before.availability, after: after.availability, points: Math.round(after.requests * d) };
    }
    case 'stale': {
      if (before.stalePerS < 1 || after.stalePerS > 0.5 * before.stalePerS) return null;
      const d = before.stalePerS - after.stalePerS;
      return { before: before.stalePerS, after: after.stalePerS, points: Math.round(d * after.seconds) };
    }
  }
}

/** When each scheduled fault ends (its time up, or the round's end), with the node it struck. */
function faultEnds(sim: Sim): { t: number; kind: string; node: number }[] {
  const { S } = sim;
  const live = liveNodes(S);
  return S.chaosSchedule.map((c) => ({ t: Math.min(c.at + c.durationMs, S.durationMs), kind: c.kind, node: targetNode(live, c.target) }));
}

/**
 * The credits of a round's accepted commands (chaos and team votes are not node actions).
 * `nicknameOf` names the players by actor key.
 */
export function actionCredits(sim: Sim, applied: readonly CreditInput[], nicknameOf: (key: string) => string | undefined): ActionCredit[] {
  const { S, sc } = sim;
  const m = S.metrics;
  const ends = faultEnds(sim);
  const limited = new Set<number>();
  const out: ActionCredit[] = [];
  for (const c of applied) {
    const cmd = c.command;
    let rateLimitOn: boolean | undefined;
    if (cmd.type === 'rate-limit') {
      rateLimitOn = !limited.has(cmd.node);
      if (rateLimitOn) limited.add(cmd.node);
      else limited.delete(cmd.node);
    }
    const judged = JUDGED[cmd.type];
    if (judged === undefined || c.by.kind === 'team' || c.by.kind === 'host' || c.by.kind === 'tutorial') continue;
    const t = c.tick * TICK_MS;
    const node = 'node' in cmd ? cmd.node : -1;
    const afterFrom = t + judged.settleMs;
    const afterTo = afterFrom + CREDIT_SPAN_MS;
    // A fault that ended meanwhile may be what helped (the crash this restart answers aside).
    const healed = ends.some((e) => e.t >= t && e.t < afterTo && !((cmd.type === 'restart' || cmd.type === 'replace') && (e.kind === 'crash' || e.kind === 'crash-disk-loss') && e.node === node));
    if (healed) continue;
    // Before: the last seconds the player saw as they acted; earlier: the seconds before
    // those, to tell a cluster already mending itself (a failover under way) from one stuck.
    const earlier = spanOf(m.windows, m.closed, m.windowMs, t - CREDIT_SPAN_MS, t - RECENT_MS);
    const before = spanOf(m.windows, m.closed, m.windowMs, t - RECENT_MS, t);
    const after = spanOf(m.windows, m.closed, m.windowMs, afterFrom, afterTo);
    if (before === null || after === null) continue;
    for (const measure of judged.measures) {
      if (earlier !== null && mending(measure, earlier, before)) continue;
      const g = gain(measure, before, after);
      if (g === null || g.points <= 0) continue;
      const by = actorKey(c.by);
      const region = cmd.type === 'scale-out' ? sc.topology.regions[cmd.region]?.name : undefined;
      const noun = actionNoun(cmd, { rateLimitOn, region });
      out.push({ t, by, type: cmd.type, node, measure, before: g.before, after: g.after, points: g.points, text: creditText(actorName(c.by, nicknameOf), noun, t, measure, g.before, g.after) });
      break;
    }
  }
  return out;
}
