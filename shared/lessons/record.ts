// A round record (what pick.ts reads) built straight from a simulation: used by the server
// at the end of a round, by replays in the browser, and by tests.

import { CHAOS_KINDS, type ChaosEvent } from '../scenarios/chaos-types.js';
import { cutIndices, targetNode, targetRegion } from '../sim/chaos.js';
import { NodeTracker, type MembershipCommand } from '../sim/node-tracker.js';
import { chaosStartText, HEAL_TEXT, type ChaosHit } from '../words/chaos.js';
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
  // The feed keeps only its latest entries: older strikes are told from the schedule, the
  // target resolved against the nodes the cluster had then, as the simulation resolved it.
  const nodes = new NodeTracker(sim.sc, membershipChanges(extra));
  chaos.forEach((c) => {
    const e = out.find((x) => x.kind === c.kind && x.t === c.at && x.text === undefined);
    if (e === undefined) return;
    const hit = chaosHitOf(sim, c, nodes.liveAt(c.at - 1));
    e.text = chaosStartText(c.kind, c.magnitude, hit);
    if (hit.node !== undefined) e.node = hit.node;
  });
  for (const e of out) if (e.kind === 'heal' && e.text === undefined) e.text = HEAL_TEXT;
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

/** What a scheduled strike hit, resolved as shared/sim/chaos.ts startChaos resolves it. */
function chaosHitOf(sim: Sim, c: ChaosEvent, live: readonly number[]): ChaosHit {
  const { sc } = sim;
  const regions = sc.topology.regions;
  switch (c.kind) {
    case 'partition-region':
    case 'partition-random':
      if (c.kind === 'partition-region' && regions.length > 1) return { region: regions[targetRegion(regions.length, c.target)]!.name };
      return { cut: cutIndices(live.length, c.target).map((i) => live[i]!).sort((a, b) => a - b) };
    case 'crash':
    case 'crash-disk-loss':
    case 'slow-node':
    case 'clock-skew':
    case 'flood':
      return { node: targetNode(live, c.target) };
    default:
      return { key: `${sc.workload.keyPrefix}-${c.target % sc.workload.keys}` };
  }
}

/** Scale-outs and removals among the round's accepted commands, by simulated ms, for NodeTracker. */
function membershipChanges(extra: readonly RoundEvent[]): MembershipCommand[] {
  const out: MembershipCommand[] = [];
  for (const e of extra) {
    if (e.kind === 'scale-out') out.push({ tick: e.t, command: { type: 'scale-out' } });
    else if (e.kind === 'remove' && e.node !== undefined) out.push({ tick: e.t, command: { type: 'remove', node: e.node } });
  }
  return out;
}

function key(e: RoundEvent): string {
  return `${Math.round(e.t)}|${e.kind}|${e.node ?? -1}`;
}
