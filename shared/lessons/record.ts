// A round record (what pick.ts reads) built straight from a simulation: used by the server
// at the end of a round, by replays in the browser, and by tests.

import { CHAOS_KINDS } from '../scenarios/chaos-types.js';
import type { Sim } from '../sim/engine.js';
import { summary as summarizeSim } from '../sim/summary.js';
import { shardLosses } from '../sim/durability.js';
import type { RoundEvent, RoundRecord } from './pick.js';

const CHAOS = new Set<string>(CHAOS_KINDS);
/** The host's actor key (shared/round/actor.ts actorKey(HOST)): the round, whose debrief builds this record, sits above the lessons. */
const HOST_KEY = 'host';

/**
 * The record of a round. Chaos comes from the round's schedule (complete, with durations);
 * everything else from the sim's event feed, which keeps only its latest entries, so a
 * caller that logged more (the server logs every accepted command) passes those as `extra`,
 * and one that has the sim's summary already (a closing computes it in slices) passes it.
 */
export function roundRecordOf(sim: Sim, extra: readonly RoundEvent[] = [], sum = summarizeSim(sim)): RoundRecord {
  const { S, sc } = sim;
  const losses = sum.lostWrites > 0 ? shardLosses(S) : [];
  const rec: RoundRecord = {
    scenario: S.scenario,
    sla: sc.sla,
    budgetLimit: sc.budget.limit,
    regions: sc.topology.regions.length,
    nodes: S.nodes.filter((n) => n.status !== 'removed').length,
    settings: { ...S.settings },
    summary: sum,
    windows: S.metrics.windows.map((w) => ({
      start: w.start,
      requests: w.requests,
      ok: w.ok,
      staleReads: w.staleReads,
      p99: w.p99,
      throughput: w.throughput,
      reads: w.reads,
    })),
    windowMs: S.metrics.windowMs,
    events: roundEventsOf(sim, extra),
    durationMs: S.durationMs,
  };
  if (losses.length > 0) rec.shardLosses = losses;
  return rec;
}

/** Chaos from the schedule (with partition heals), other events from the feed and `extra`, in time order. */
export function roundEventsOf(sim: Sim, extra: readonly RoundEvent[] = []): RoundEvent[] {
  const { S } = sim;
  const horizon = Math.min(S.now, S.durationMs);
  const out: RoundEvent[] = [];
  const chaos = S.chaosSchedule.filter((c) => c.at <= horizon).sort((a, b) => a.at - b.at);
  chaos.forEach((c, i) => {
    out.push({ t: c.at, kind: c.kind, durationMs: c.durationMs, by: c.source === 'host' ? HOST_KEY : undefined });
    if (c.kind === 'partition-region' || c.kind === 'partition-random') {
      // A partition ends when its time is up, when another replaces it, or with the round.
      const next = chaos.slice(i + 1).find((d) => d.kind === 'partition-region' || d.kind === 'partition-random');
      const end = Math.min(c.at + c.durationMs, next?.at ?? Infinity, S.durationMs);
      if (end <= horizon && next?.at !== end) out.push({ t: end, kind: 'heal' });
    }
  });
  // Feed texts describe chaos best: attach them to the schedule's entries.
  for (const f of S.feed) {
    if (CHAOS.has(f.kind)) {
      const match = out.find((e) => e.kind === f.kind && e.t === Math.round(f.t) && e.text === undefined);
      if (match !== undefined) {
        match.text = f.text;
        if (f.node >= 0) match.node = f.node;
      }
    }
  }
  const seen = new Set(out.map(key));
  const rest: RoundEvent[] = [];
  const feedText = new Map<string, string>();
  for (const f of S.feed) {
    if (CHAOS.has(f.kind) || f.kind === 'heal') continue;
    const e: RoundEvent = { t: f.t, kind: f.kind, text: f.text };
    if (f.node >= 0) e.node = f.node;
    rest.push(e);
    if (!feedText.has(key(e))) feedText.set(key(e), f.text);
  }
  // An event in `extra` that the feed also has keeps its `by` and takes the feed's text.
  const merged = extra.map((e) => {
    const text = feedText.get(key(e));
    return text === undefined ? e : { ...e, text };
  });
  for (const e of [...merged, ...rest]) {
    const k = key(e);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out.sort((a, b) => a.t - b.t);
}

function key(e: RoundEvent): string {
  return `${Math.round(e.t)}|${e.kind}|${e.node ?? -1}`;
}
