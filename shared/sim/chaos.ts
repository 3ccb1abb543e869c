// Chaos: the schedule drawn from the seed's chaos stream when the round is created, and
// what each kind of event does to the cluster when it starts and when it ends.

import { CHAOS_KINDS, type ChaosEvent, type ChaosKind } from '../scenarios/chaos-types.js';
import { exponential, random, randomInt, uniform, weightedIndex, type RngState } from './rng.js';
import { feed } from './net.js';
import type { NodeState, SimState } from './state.js';
import type { Scenario } from '../scenarios/types.js';
import type { ChaosLevel } from '../scenarios/chaos-types.js';
import { alreadyDownText, chaosStartText, HEAL_TEXT } from '../words/chaos.js';

/** The round's whole chaos schedule, drawn up front so it never depends on tactics. */
export function scheduleChaos(rng: RngState, sc: Scenario, level: ChaosLevel, durationMs: number): ChaosEvent[] {
  const profile = sc.chaos[level];
  const out: ChaosEvent[] = [];
  if (profile.meanIntervalMs <= 0) return out;
  const kinds = CHAOS_KINDS.filter((k) => (profile.weights[k] ?? 0) > 0);
  if (kinds.length === 0) return out;
  const weights = kinds.map((k) => profile.weights[k]!);
  let t = profile.graceMs;
  for (;;) {
    t += exponential(rng, profile.meanIntervalMs);
    if (t >= durationMs) break;
    const kind = kinds[weightedIndex(rng, weights)]!;
    const range = profile.kindDurationMs?.[kind] ?? profile.durationMs;
    const durationMsDrawn = Math.round(uniform(rng, range[0], range[1]));
    const target = randomInt(rng, 1000);
    const magnitude = drawMagnitude(rng, kind, sc.topology.nodeCapacity);
    out.push({ at: Math.round(t), kind, durationMs: durationMsDrawn, target, magnitude, source: 'schedule' });
  }
  return out;
}

/** A fault's strength; a flood's is in requests per second, against one node's capacity. */
function drawMagnitude(rng: RngState, kind: ChaosKind, nodeCapacity: number): number {
  const x = random(rng);
  switch (kind) {
    case 'slow-node':
      return 0.1 + 0.3 * x;
    case 'latency-spike':
      return Math.round(50 + 250 * x);
    case 'message-loss':
      return 0.05 + 0.2 * x;
    case 'clock-skew':
      return Math.round((x < 0.5 ? -1 : 1) * (500 + 4500 * x));
    case 'load-surge':
      // Half as much traffic again at most: a surge a team answers by scaling out in time.
      return 1.2 + 0.4 * x;
    case 'hot-key':
      // A fifth to two fifths of all traffic on one key: its shard's leader runs hot, not dead.
      return 0.2 + 0.2 * x;
    case 'flood':
      return Math.round(nodeCapacity * (0.6 + 0.9 * x));
    default:
      return 0;
  }
}

export interface ChaosHooks {
  crash(S: SimState, node: NodeState, diskLost: boolean): void;
  restart(S: SimState, node: NodeState): void;
}

// Targeting: which part of the cluster an event's `target` number strikes, and the inverses
// that pick a target to strike a chosen part (the tutorial strikes the player's own node).
// Node faults and random partitions count among the live nodes: those still in the cluster,
// in id order.

/** The nodes a chaos target can land on: those still in the cluster, in id order. */
export function liveNodes(S: SimState): number[] {
  return S.nodes.filter((n) => n.status !== 'removed').map((n) => n.id);
}

/** The node a node fault (crash, slow node, clock skew, flood) strikes; 0 when none is live. */
export function targetNode(live: readonly number[], target: number): number {
  return live.length > 0 ? live[target % live.length]! : 0;
}

/** A target whose node fault strikes the live node at `index` among `liveCount`, or null. */
export function targetOfNode(liveCount: number, index: number): number | null {
  return index >= 0 && index < liveCount ? index : null;
}

/** The region a regional partition cuts off (with more than one region). */
export function targetRegion(regionCount: number, target: number): number {
  return target % regionCount;
}

/** How many nodes a random partition cuts off: 1 + target mod ⌊liveCount/2⌋ (at least one). */
export function cutSize(liveCount: number, target: number): number {
  return 1 + (target % Math.max(1, Math.floor(liveCount / 2)));
}

/**
 * The live indices a random partition cuts off: cutSize of them in a row, wrapping, from
 * index ⌊target/7⌋ mod liveCount.
 */
export function cutIndices(liveCount: number, target: number): number[] {
  const size = Math.min(cutSize(liveCount, target), liveCount);
  const offset = Math.floor(target / 7);
  return Array.from({ length: size }, (_, i) => (i + offset) % liveCount);
}

/**
 * The smallest target whose random partition cuts off exactly the live node at `index`
 * among `liveCount`; null when that cannot be (fewer than two live nodes, or no such index).
 */
export function targetCutting(liveCount: number, index: number): number | null {
  if (liveCount < 2 || index < 0 || index >= liveCount) return null;
  const half = Math.max(1, Math.floor(liveCount / 2));
  // A cut of one needs target ≡ 0 (mod half) and ⌊target/7⌋ ≡ index (mod liveCount):
  // target = 7·index + r for some r in 0..6 always qualifies, since half ≤ 7.
  for (let target = 0; target < 7 * liveCount * half + 7; target++) {
    if (target % half === 0 && Math.floor(target / 7) % liveCount === index) return target;
  }
  return null;
}

/** Start a chaos event now. Returns a one-line description for the event feed. */
export function startChaos(S: SimState, sc: Scenario, ev: ChaosEvent, hooks: ChaosHooks): string {
  const until = S.now + ev.durationMs;
  const nodeTarget = targetNode(liveNodes(S), ev.target);
  switch (ev.kind) {
    case 'partition-region':
    case 'partition-random': {
      const groups = partitionGroups(S, sc, ev);
      S.partition = { groups, until, kind: ev.kind };
      const cut = S.nodes.filter((n) => n.status !== 'removed' && groups[n.id] === 1).map((n) => n.id);
      const regions = sc.topology.regions;
      const region = ev.kind === 'partition-region' && regions.length > 1 ? regions[targetRegion(regions.length, ev.target)]!.name : undefined;
      S.faults.push({ kind: ev.kind, until, target: ev.target, magnitude: ev.magnitude });
      return chaosStartText(ev.kind, ev.magnitude, region !== undefined ? { region } : { cut });
    }
    case 'crash':
    case 'crash-disk-loss': {
      const node = S.nodes[nodeTarget]!;
      if (node.status === 'down') return alreadyDownText(node.id);
      hooks.crash(S, node, ev.kind === 'crash-disk-loss');
      S.faults.push({ kind: ev.kind, until, target: node.id, magnitude: 0 });
      return chaosStartText(ev.kind, ev.magnitude, { node: node.id });
    }
    case 'slow-node': {
      const node = S.nodes[nodeTarget]!;
      node.slow = ev.magnitude;
      S.faults.push({ kind: ev.kind, until, target: node.id, magnitude: ev.magnitude });
      return chaosStartText(ev.kind, ev.magnitude, { node: node.id });
    }
    case 'clock-skew': {
      const node = S.nodes[nodeTarget]!;
      node.clockOffset += ev.magnitude;
      S.faults.push({ kind: ev.kind, until, target: node.id, magnitude: ev.magnitude });
      return chaosStartText(ev.kind, ev.magnitude, { node: node.id });
    }
    case 'flood': {
      const node = S.nodes[nodeTarget]!;
      S.faults.push({ kind: ev.kind, until, target: node.id, magnitude: ev.magnitude });
      return chaosStartText(ev.kind, ev.magnitude, { node: node.id });
    }
    default:
      // Whole-cluster faults: latency, message loss, load and the hot key.
      S.faults.push({ kind: ev.kind, until, target: ev.target, magnitude: ev.magnitude });
      return chaosStartText(ev.kind, ev.magnitude, { key: `${sc.workload.keyPrefix}-${ev.target % sc.workload.keys}` });
  }
}

/** End every fault whose time is up (and, at the end of a round, every fault). */
export function endFaults(S: SimState, hooks: ChaosHooks, all: boolean): void {
  if (S.partition !== null && (all || S.now >= S.partition.until)) {
    S.partition = null;
    feed(S, 'heal', HEAL_TEXT);
  }
  const keep = [];
  for (const f of S.faults) {
    if (!all && S.now < f.until) {
      keep.push(f);
      continue;
    }
    const node = S.nodes[f.target];
    switch (f.kind) {
      case 'crash':
      case 'crash-disk-loss':
        if (node !== undefined && node.status === 'down') hooks.restart(S, node);
        break;
      case 'slow-node':
        if (node !== undefined) node.slow = 1;
        break;
      case 'clock-skew':
        if (node !== undefined) node.clockOffset -= f.magnitude;
        break;
      default:
        break;
    }
  }
  S.faults = keep;
}

/** Group 1 is the cut-off side. Both sides are non-empty whenever there are two nodes. */
function partitionGroups(S: SimState, sc: Scenario, ev: ChaosEvent): number[] {
  const groups = new Array(S.nodes.length).fill(0);
  const live = liveNodes(S);
  const regions = sc.topology.regions.length;
  if (ev.kind === 'partition-region' && regions > 1) {
    const r = targetRegion(regions, ev.target);
    for (const id of live) groups[id] = S.nodes[id]!.region === r ? 1 : 0;
    return groups;
  }
  for (const i of cutIndices(live.length, ev.target)) groups[live[i]!] = 1;
  return groups;
}

/** Flood work is modelled as occupied service time, not as individual requests. */
export function floodWork(S: SimState, node: NodeState, periodMs: number): number {
  let reqs = 0;
  for (const f of S.faults) if (f.kind === 'flood' && f.target === node.id) reqs += (f.magnitude * periodMs) / 1000;
  return reqs;
}
