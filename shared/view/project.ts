// Simulation state → round view. The only place that reads SimState for players: the room
// runs it into its Colyseus schema a few times a second, a replay in the browser into a
// plain view. It assigns only values that changed (the schema skips equal assignments on
// fields; list items are compared here), and rounds floats so a value that wobbles in its
// last digits does not cost bytes on every patch.
//
// New list entries come from the caller's ViewMakers: schema instances on the server,
// plain objects in the browser (plain.ts PLAIN_MAKERS).

import { queueLimit } from '../sim/net.js';
import { lfElectable, shardsLed } from '../sim/leader.js';
import { summarize, type RoundSummary } from '../sim/metrics.js';
import { errorBudgetOf, type BudgetStory, type ErrorBudget } from '../sim/error-budget.js';
import { scoreOf, scoreParts, type Summary } from '../sim/summary.js';
import type { Sim } from '../sim/engine.js';
import type { FeedEntry, NodeState } from '../sim/state.js';
import type { Scenario } from '../scenarios/types.js';
import { copySettings } from './settings.js';
import { causePhrase, CAUSE_WINDOW_MS, electionsText, GROUP_WINDOW_MS, GROUPED_KINDS, stepDownsText, type FeedCause } from '../words/feed.js';
import type { ClusterStateFields, ErrorBudgetViewFields, FaultViewFields, FeedItemViewFields, MeasuresViewFields, MetricWindowViewFields, NodeViewFields } from './round.js';

export const FEED_LENGTH = 20;
export const WINDOW_COUNT = 30;
/** How many of the hottest keys show their per-node versions. */
export const HOT_KEY_COUNT = 3;
/** Utilization's served rate is measured over this much simulated time. */
export const UTILIZATION_WINDOW_MS = 1000;

/** Makes the entries the projection adds to the view's lists. */
export interface ViewMakers {
  node(): NodeViewFields;
  fault(): FaultViewFields;
  window(): MetricWindowViewFields;
  feedItem(): FeedItemViewFields;
}

/** What the projection remembers between calls, to copy only what is new. */
export interface ProjectionMemory {
  /** The last simulation feed entry copied (entries are never mutated once pushed). */
  lastFeed: FeedEntry | null;
  /** Metric windows [0, windowsCopied) are already in the view (or were skipped). */
  windowsCopied: number;
  faultsKey: string;
  /** Per node: node.served at `servedAt` (simulated ms), for the served rate behind utilization. */
  served: number[];
  servedAt: number;
  /** Per node: requests served per simulated second, over the last whole second measured. */
  servedRate: number[];
  /** The feed's bursts being folded into one line each, by kind (feedGroups). */
  groups: Map<string, FeedGroup>;
  /** The latest fault or action the feed showed: what a burst of elections is told as following. */
  cause: (FeedCause & { t: number }) | null;
}

/** A burst of one kind of cluster event told as one feed line that grows. */
export interface FeedGroup {
  item: FeedItemViewFields;
  /** The simulation's text for the burst's first event (a burst of one keeps it). */
  first: string;
  last: number;
  count: number;
  nodes: number[];
  cause: string | null;
}

export function createProjectionMemory(): ProjectionMemory {
  return { lastFeed: null, windowsCopied: 0, faultsKey: '', served: [], servedAt: 0, servedRate: [], groups: new Map(), cause: null };
}

/** Set up the parts that never change during a round (hot key names, budget, durations). */
export function projectStatic(state: ClusterStateFields, sim: Sim): void {
  const { sc, S } = sim;
  const hot = Math.min(HOT_KEY_COUNT, sc.workload.keys, Math.max(1, sc.workload.hotKeys));
  state.hotKeys.length = 0;
  for (let k = 0; k < hot; k++) state.hotKeys.push(`${sc.workload.keyPrefix}-${k}`);
  state.scenario = sc.id;
  state.durationMs = S.durationMs;
  state.chaos = S.chaosLevel;
  state.difficulty = S.difficulty;
  state.seed = S.seed;
  state.measures.budget = sc.budget.limit;
}

/** Copy the simulation's current state into the view. */
export function projectSim(state: ClusterStateFields, sim: Sim, mem: ProjectionMemory, make: ViewMakers): void {
  const { S } = sim;
  state.simMs = Math.round(S.now);
  projectNodes(state, sim, mem, make);
  projectNetwork(state, sim, mem, make);
  copySettings(state.settings, S.settings);
  projectFeed(state, S.feed, mem, make);
  projectWindows(state, sim, mem, make);
  if (!S.finished) projectLiveMeasures(state.measures, sim);
  projectErrorBudget(state.errorBudget, errorBudgetOf(sim));
}

/** The error budget's numbers into the view (shared/sim/error-budget.ts computes them). */
export function projectErrorBudget(view: ErrorBudgetViewFields, b: ErrorBudget): void {
  view.target = b.target;
  view.allowed = Math.min(4e9, b.allowed);
  view.spent = Math.min(4e9, b.spent);
  view.left = Math.max(-2e9, Math.min(2e9, b.left));
  view.burnRate = b.burnRate;
  view.recentCause = b.recentCause;
  view.runsOutInS = Math.min(2e9, b.runsOutInS);
}

/**
 * The debrief's budget (judged on the round's summary, which for a round cut short is not
 * the simulation's final state) over the live one: the HUD ends on the verdict's numbers.
 */
export function projectFinalBudget(view: ErrorBudgetViewFields, story: BudgetStory): void {
  view.target = story.target;
  view.allowed = Math.min(4e9, story.allowed);
  view.spent = Math.min(4e9, story.spent);
  view.left = Math.max(-2e9, Math.min(2e9, story.left));
  view.runsOutInS = -1;
}

/**
 * A node's queue against its queue limit (`load`) and its busy share (`utilization`), both in
 * percent, as the node panel shows them; `servedPerS` is its measured rate of client requests.
 */
export function nodeBusy(sc: Scenario, n: NodeState, servedPerS: number): { load: number; utilization: number } {
  const load = Math.min(65535, Math.round((100 * n.queue) / queueLimit(sc, n)));
  return { load, utilization: utilizationOf(n.status === 'up', servedPerS, sc.topology.nodeCapacity * n.size * n.slow, load) };
}

/**
 * NodeViewFields.utilization: the share of the node's capacity that is busy, in percent.
 * The served rate against capacity (requests per second) rises with the traffic before any
 * overload; the queue's share of its limit (`load`) takes over once work piles up.
 */
export function utilizationOf(up: boolean, servedPerS: number, capacityPerS: number, loadPct: number): number {
  if (!up || capacityPerS <= 0) return 0;
  const busy = Math.max((100 * servedPerS) / capacityPerS, loadPct);
  return Math.min(100, Math.max(0, Math.round(busy)));
}

/** Append an event to the view's feed, keeping the newest FEED_LENGTH. */
export function pushFeed(state: ClusterStateFields, make: ViewMakers, t: number, kind: string, text: string, node = -1): void {
  const item = make.feedItem();
  item.t = Math.max(0, Math.round(t));
  item.kind = kind;
  item.text = text.slice(0, 200);
  item.node = node >= -1 && node < 128 ? node : -1;
  state.feed.push(item);
  while (state.feed.length > FEED_LENGTH) state.feed.shift();
}

/** The final measures, from the round's summary (after finishSim). */
export function projectFinalMeasures(view: MeasuresViewFields, s: Summary): void {
  view.availability = round(s.availability, 6);
  view.nines = round(s.nines, 2);
  view.p50 = round(s.p50, 1);
  view.p95 = round(s.p95, 1);
  view.p99 = round(s.p99, 1);
  view.throughput = Math.round(s.throughputPerS);
  view.requests = s.requests;
  view.staleReads = s.staleReads;
  view.lostWrites = s.lostWrites;
  view.cost = round(s.cost, 1);
  view.score = s.score;
}

/**
 * The score on the measures so far, lost writes not yet known: the same scoreOf that
 * summary() uses (summary() itself also hashes the whole state, too slow to call live).
 */
export function liveScore(sc: Scenario, r: RoundSummary, cost: number, lost = 0): number {
  return scoreOf(sc, scoreParts(sc, r, lost, cost));
}

/** Reset the per-round parts of the view (a new simulation in setup). */
export function resetProjection(state: ClusterStateFields, mem: ProjectionMemory): void {
  Object.assign(mem, createProjectionMemory());
  state.faults.length = 0;
  state.windows.length = 0;
  // Node views are reused in place (same ids), so clients keep their sprites.
}

// ---------------------------------------------------------------------------------------

/** The node's record of the current split, or else of the last one (shared/sim/split.ts). */
function projectSplit(v: NodeViewFields, n: NodeState, now: number): void {
  const cur = n.split ?? null;
  const rec = cur ?? n.lastSplit ?? null;
  const split = rec === null ? 0 : cur !== null ? 1 : 2;
  if (v.split !== split) v.split = split;
  if (rec === null) return;
  const seconds = Math.min(65535, Math.round(((cur !== null ? now : rec.until) - rec.from) / 1000));
  if (v.splitMinority !== rec.minority) v.splitMinority = rec.minority;
  if (v.splitSeconds !== seconds) v.splitSeconds = seconds;
  if (v.splitReads !== rec.reads) v.splitReads = rec.reads;
  if (v.splitStale !== rec.stale) v.splitStale = rec.stale;
  if (v.splitWrites !== rec.writes) v.splitWrites = rec.writes;
  if (v.splitRefused !== rec.refused) v.splitRefused = rec.refused;
}

function projectNodes(state: ClusterStateFields, sim: Sim, mem: ProjectionMemory, make: ViewMakers): void {
  const { S, sc } = sim;
  measureServedRates(sim, mem);
  const hot = state.hotKeys.length;
  while (state.nodes.length < S.nodes.length) {
    const v = make.node();
    v.id = state.nodes.length;
    for (let k = 0; k < hot; k++) {
      v.versions.push(-1);
      v.siblings.push(0);
    }
    state.nodes.push(v);
  }
  const replicaOf = new Array<number>(S.nodes.length).fill(0);
  for (const sh of S.shards) for (const r of sh.replicas) replicaOf[r]++;
  const flooded = new Array<boolean>(S.nodes.length).fill(false);
  for (const f of S.faults) if (f.kind === 'flood' && f.target < flooded.length) flooded[f.target] = true;
  for (let i = 0; i < S.nodes.length; i++) {
    const n = S.nodes[i]!;
    const v = state.nodes[i]!;
    v.region = n.region;
    v.status = n.status;
    v.slow = n.slow < 1;
    v.leaderOf = shardsLed(n);
    v.replicaOf = n.status === 'removed' ? 0 : replicaOf[i]!;
    v.electable = Math.min(255, lfElectable(S, n));
    v.size = n.size;
    v.queue = Math.min(65535, n.queue);
    const busy = nodeBusy(sc, n, mem.servedRate[i] ?? 0);
    v.load = busy.load;
    v.utilization = busy.utilization;
    v.stance = n.stance;
    v.drained = n.drained;
    v.rateLimited = n.rateLimited;
    v.flooded = flooded[i]!;
    v.group = S.partition === null ? 0 : (S.partition.groups[i] ?? 0);
    v.clockOffset = Math.round(n.clockOffset);
    projectSplit(v, n, S.now);
    for (let k = 0; k < hot; k++) {
      let value = -1;
      let siblings = 0;
      const replicas = S.shards[S.keyShard[k]!]?.replicas;
      if (n.status !== 'removed' && replicas !== undefined && replicas.includes(i)) {
        const list = n.store[k] ?? null;
        value = 0;
        if (list !== null) {
          siblings = list.length;
          for (const ver of list) if (ver.v > value) value = ver.v;
        }
      }
      if (v.versions[k] !== value) v.versions[k] = value;
      if (v.siblings[k] !== siblings) v.siblings[k] = Math.min(255, siblings);
    }
  }
}

/** Every UTILIZATION_WINDOW_MS of simulated time: each node's requests served per second since the last sample. */
function measureServedRates(sim: Sim, mem: ProjectionMemory): void {
  const { S } = sim;
  const elapsed = S.now - mem.servedAt;
  if (elapsed < 0 || mem.served.length === 0) {
    // A new simulation (or the first look): start measuring from here.
    mem.servedAt = S.now;
    mem.served = S.nodes.map((n) => n.served);
    mem.servedRate = S.nodes.map(() => 0);
    return;
  }
  if (elapsed < UTILIZATION_WINDOW_MS) return;
  for (let i = 0; i < S.nodes.length; i++) {
    const served = S.nodes[i]!.served;
    mem.servedRate[i] = (Math.max(0, served - (mem.served[i] ?? served)) * 1000) / elapsed;
    mem.served[i] = served;
  }
  mem.servedAt = S.now;
}

function projectNetwork(state: ClusterStateFields, sim: Sim, mem: ProjectionMemory, make: ViewMakers): void {
  const { S } = sim;
  const net = state.network;
  net.partitioned = S.partition !== null;
  net.partitionKind = S.partition?.kind ?? '';
  let spike = 0;
  let loss = 0;
  for (const f of S.faults) {
    if (f.kind === 'latency-spike') spike += f.magnitude;
    else if (f.kind === 'message-loss') loss += f.magnitude;
  }
  net.latencySpikeMs = Math.min(65535, Math.round(spike));
  net.messageLoss = round(loss, 3);
  net.rebalancing = S.rebalance !== null;
  net.rebalanceUntil = S.rebalance === null ? 0 : Math.round(S.rebalance.until);
  let key = '';
  for (const f of S.faults) key += `${f.kind}:${f.target}:${f.until};`;
  if (key !== mem.faultsKey) {
    mem.faultsKey = key;
    state.faults.length = 0;
    for (const f of S.faults) {
      const v = make.fault();
      v.kind = f.kind;
      v.target = Math.min(65535, f.target);
      v.magnitude = round(f.magnitude, 3);
      v.until = Math.round(Math.min(f.until, 4e9));
      state.faults.push(v);
    }
  }
}

function projectFeed(state: ClusterStateFields, feed: FeedEntry[], mem: ProjectionMemory, make: ViewMakers): void {
  let from = 0;
  if (mem.lastFeed !== null) {
    const at = feed.lastIndexOf(mem.lastFeed);
    from = at >= 0 ? at + 1 : 0;
  }
  if (from >= feed.length) return;
  // Every new entry counts for the bursts, but far more than fit are only skipped over.
  for (let i = Math.max(from, feed.length - 3 * FEED_LENGTH); i < feed.length; i++) {
    const e = feed[i]!;
    if (foldIntoGroup(state, e, mem)) continue;
    pushFeed(state, make, e.t, e.kind, e.text, e.node);
    if (GROUPED_KINDS.has(e.kind)) startGroup(state, e, mem);
    else if (causePhrase(e) !== null) mem.cause = { kind: e.kind, text: e.text, node: e.node, t: e.t };
  }
  mem.lastFeed = feed[feed.length - 1]!;
}

/**
 * A repeated cluster event (an election, a step-down) joins the burst of its kind while the
 * burst's line is still in the feed and the last one was recent: the line is re-worded in
 * place ("3 shards elected new leaders after node 2 crashed") instead of a line per shard.
 */
function foldIntoGroup(state: ClusterStateFields, e: FeedEntry, mem: ProjectionMemory): boolean {
  if (!GROUPED_KINDS.has(e.kind)) return false;
  const g = mem.groups.get(e.kind);
  if (g === undefined || e.t - g.last > GROUP_WINDOW_MS || !inFeed(state, g.item)) return false;
  g.count++;
  g.last = e.t;
  if (e.node >= 0 && !g.nodes.includes(e.node)) g.nodes.push(e.node);
  g.item.text = groupText(e.kind, g).slice(0, 200);
  return true;
}

/** The entry just pushed starts a burst of its kind, told with what set it off. */
function startGroup(state: ClusterStateFields, e: FeedEntry, mem: ProjectionMemory): void {
  const item = state.feed[state.feed.length - 1];
  if (item === undefined) return;
  const c = mem.cause;
  const cause = c !== null && e.t - c.t <= CAUSE_WINDOW_MS ? causePhrase(c) : null;
  const g: FeedGroup = { item, first: e.text, last: e.t, count: 1, nodes: e.node >= 0 ? [e.node] : [], cause };
  mem.groups.set(e.kind, g);
  item.text = groupText(e.kind, g).slice(0, 200);
}

function groupText(kind: string, g: FeedGroup): string {
  return kind === 'election' ? electionsText(g.count, g.nodes, g.cause, g.first) : stepDownsText(g.count, g.nodes, g.first);
}

function inFeed(state: ClusterStateFields, item: FeedItemViewFields): boolean {
  for (let i = state.feed.length - 1; i >= 0; i--) if (state.feed[i] === item) return true;
  return false;
}

function projectWindows(state: ClusterStateFields, sim: Sim, mem: ProjectionMemory, make: ViewMakers): void {
  const m = sim.S.metrics;
  if (mem.windowsCopied >= m.closed) return;
  const from = Math.max(mem.windowsCopied, m.closed - WINDOW_COUNT);
  for (let i = from; i < m.closed; i++) {
    const w = m.windows[i]!;
    const v = make.window();
    v.t = w.start;
    v.availability = w.requests === 0 ? 1 : round(w.ok / w.requests, 5);
    v.p99 = round(w.p99, 1);
    v.throughput = Math.round(w.throughput);
    v.staleReads = Math.min(65535, w.staleReads);
    v.requests = w.requests;
    state.windows.push(v);
  }
  while (state.windows.length > WINDOW_COUNT) state.windows.shift();
  mem.windowsCopied = m.closed;
}

function projectLiveMeasures(view: MeasuresViewFields, sim: Sim): void {
  const { S, sc } = sim;
  const m = S.metrics;
  const r: RoundSummary = summarize(m, Math.max(1, S.now));
  view.availability = round(r.availability, 6);
  view.nines = round(r.nines, 2);
  view.p50 = round(r.p50, 1);
  view.p95 = round(r.p95, 1);
  view.p99 = round(r.p99, 1);
  view.requests = m.requests;
  view.staleReads = m.staleReads;
  // The last closed window's rate, 0 before the first closes: set on every call, never left
  // from an earlier one, so a view drawn again for an earlier moment (a replay sought back,
  // a new round's setup) shows that moment's, as the round showed it then.
  const last = m.closed > 0 ? m.windows[m.closed - 1] : undefined;
  view.throughput = last === undefined ? 0 : Math.round(last.throughput);
  view.cost = round(S.cost, 1);
  view.score = liveScore(sc, r, S.cost);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
