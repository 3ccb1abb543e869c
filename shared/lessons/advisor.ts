// The advisor: during the live round, what a newcomer should do next, as at most one short
// hint with its action and the idea it teaches. It reads only what the player sees (the
// round view's shape, below) and is a pure function of that and of its own previous answer,
// so the same view gives the same hint in a live room, a replay and a test.
//
// Situations, most urgent first:
//   node-down       your node is down                         → restart          (availability)
//   minority-side   your node is cut off from most of the      → the stance that fits the promise:
//                   cluster                                      refuse where no stale read is
//                                                                allowed, serve otherwise (CAP)
//   cut-off-drain   your node is cut off and refuses           → drain it, so clients go to the
//                                                                side that can answer (load balancing)
//   flood           a client floods your node                  → rate-limit       (load balancing)
//   undrain         your node is drained, healthy, and the     → undrain          (load balancing)
//                   network whole
//   overload        a node at ~90 % of its capacity, or its    → scale out        (performance vs
//                   queue filling up                                               scalability)
//   leaderless      shards without a leader for longer than    → promote your node (failover)
//                   a failover takes
//   hot-key         a hot key strains the nodes holding it     → more shards      (sharding)
// A hint is only given when its command would be accepted now (preconditions.ts `blocked`),
// and, for scale-out, when the budget can pay for the extra node until the end.
//
// Hysteresis, so a hint does not flicker from one look to the next: noisy situations must
// last a moment before they are shown, the shown hint is checked against looser thresholds
// than a new one must meet, and a shown hint keeps its words while its facts hardly move.

import { blocked, scaleOutPays, type CommandFacts } from '../sim/preconditions.js';
import type { NodeStatus } from '../sim/state.js';
import type { Command, CommandType } from '../scenarios/command-types.js';
import { SETTING_BOUNDS, type ClusterSettings, type Stance } from '../scenarios/settings.js';
import { MAX_NODES, type Scenario } from '../scenarios/types.js';
import { adviceDrainCutOff, adviceFlood, adviceUndrain, adviceHotKey, adviceLeaderless, adviceMinoritySide, adviceNodeDown, adviceOverload, ADVICE_CONCEPT_NAMES, type AdviceConcept } from '../words/advice.js';

/** A node as the advisor sees it: the round view's node (NodeV) has all of it. */
export interface AdvisorNode {
  id: number;
  region: number;
  status: NodeStatus;
  /** Gray failure: its overload is the fault's doing, not a lack of capacity. */
  slow: boolean;
  size: number;
  /** Busy share of its capacity, 0–100 (NodeViewFields.utilization). */
  utilization: number;
  /** Queue as a percentage of the point where it turns requests away. */
  load: number;
  stance: Stance;
  rateLimited: boolean;
  flooded: boolean;
  /** The load balancer sends it no new client requests. */
  drained: boolean;
  /** Partition group (all 0 without a partition). */
  group: number;
  /** Leader-follower: shards it leads now; and shards it holds a copy of. */
  leaderOf: number;
  replicaOf: number;
  /** Leader-follower: shards in which a promote now could elect it (NodeViewFields.electable). */
  electable: number;
}

/** What the advisor looks at: the round view (RoundView) satisfies it as it is. */
export interface AdvisorView {
  /** Hints are given only while this is 'live'. */
  phase: string;
  simMs: number;
  durationMs: number;
  /** The node this player runs (-1 none: no hints). */
  myNode: number;
  nodes: readonly AdvisorNode[];
  faults: readonly { kind: string; target: number; magnitude: number }[];
  network: { partitioned: boolean; rebalancing: boolean };
  settings: ClusterSettings;
  /** Cost so far and the round's budget for it (the difficulty's, which the scenario card lacks). */
  measures: { cost: number; budget: number };
  /** The scenario from the catalogue: its SLA, topology and node limit. */
  scenario: Scenario | undefined;
}

export type HintId = 'node-down' | 'minority-side' | 'cut-off-drain' | 'flood' | 'undrain' | 'overload' | 'leaderless' | 'hot-key';

/** The situations in priority order: the first that applies is the hint. */
export const HINT_PRIORITY: readonly HintId[] = ['node-down', 'minority-side', 'cut-off-drain', 'flood', 'undrain', 'overload', 'leaderless', 'hot-key'];

export interface Hint {
  id: HintId;
  /** The sentence the player reads. */
  text: string;
  /** The command type to use, and the command itself as the advisor would send it. */
  action: CommandType;
  command: Command;
  /** The course's idea it shows: a concept card's id (shared/lessons/cards.ts) and its name. */
  concept: AdviceConcept;
  conceptName: string;
  /** The node the hint is about (the overloaded one, your own…). */
  node: number;
  /** The number the text quotes (a percentage, a count), to tell when the words are out of date. */
  value: number;
}

/** The advisor's answer, fed back in at the next look. */
export interface Advice {
  hint: Hint | null;
  /** Simulated ms since when each situation has held without a break (noisy ones must last). */
  since: Partial<Record<HintId, number>>;
}

export const NO_ADVICE: Advice = Object.freeze({ hint: null, since: Object.freeze({}) });

/** A node is overloaded at this utilization (percent), and no longer once below RELAX. */
export const OVERLOAD_ENTER = 90;
export const OVERLOAD_RELAX = 75;
/** A queue this full (percent of its limit) means requests wait: overloaded too. */
export const QUEUE_ENTER = 50;
export const QUEUE_RELAX = 30;
/** A hot key is worth acting on once a node is this busy (percent). */
export const HOT_KEY_BUSY = 75;
/** How long noisy situations must hold before they are shown, simulated ms. */
export const OVERLOAD_HOLD_MS = 2000;
export const HOT_KEY_HOLD_MS = 3000;
/** Beyond the failover timeout, how long a shard must stay leaderless before promoting helps. */
export const LEADERLESS_GRACE_MS = 1500;
/** A shown hint's words are refreshed when its number moves by this much. */
const REWORD_STEP = 10;

/**
 * The hint for this look, given the previous answer (NO_ADVICE at first). Pure: the
 * previous answer is not changed.
 */
export function advise(v: AdvisorView, prev: Advice = NO_ADVICE): Advice {
  const me = v.nodes[v.myNode];
  const sc = v.scenario;
  if (v.phase !== 'live' || me === undefined || me.id !== v.myNode || me.status === 'removed' || sc === undefined) return NO_ADVICE;
  const shown = prev.hint?.id ?? null;
  const facts = factsOf(v, sc);
  const since: Partial<Record<HintId, number>> = {};
  let pick: Hint | null = null;
  for (const id of HINT_PRIORITY) {
    const found = DETECT[id](v, me, sc, shown === id);
    if (found === null || blocked(found.command, facts) !== null) continue;
    const seen = prev.since[id];
    // (A time ahead of now comes from another round's answer: start afresh.)
    const start = seen !== undefined && seen <= v.simMs ? seen : v.simMs;
    since[id] = start;
    if (pick === null && (shown === id || v.simMs - start >= holdMs(id, v))) pick = found;
  }
  return { hint: pick === null ? null : steady(pick, prev.hint), since };
}

/** Each situation's hint, or null when it does not apply; `shown` loosens the thresholds. */
const DETECT: Readonly<Record<HintId, (v: AdvisorView, me: AdvisorNode, sc: Scenario, shown: boolean) => Hint | null>> = {
  'node-down': (_v, me) => (me.status === 'down' ? hint('node-down', adviceNodeDown(me.id), { type: 'restart', node: me.id }, 'nines', me.id, 0) : null),

  'minority-side': (v, me, sc) => {
    if (me.status !== 'up' || !cutOff(v, me)) return null;
    const want = fittingStance(sc);
    if (me.stance === want) return null;
    return hint('minority-side', adviceMinoritySide(me.id, want), { type: 'stance', node: me.id, stance: want }, 'cap', me.id, 0);
  },

  // A cut-off node that refuses still takes clients from the load balancer (which sees it
  // up) and turns them away; drained, they go to the side that can answer.
  'cut-off-drain': (v, me, sc) => {
    if (me.status !== 'up' || me.drained || !cutOff(v, me)) return null;
    if (fittingStance(sc) !== 'refuse' || me.stance !== 'refuse') return null;
    return hint('cut-off-drain', adviceDrainCutOff(me.id), { type: 'drain', node: me.id }, 'load-balancing', me.id, 0);
  },

  flood: (v, me) => {
    if (me.status !== 'up' || me.rateLimited) return null;
    const flooded = me.flooded || v.faults.some((f) => f.kind === 'flood' && f.target === me.id);
    return flooded ? hint('flood', adviceFlood(me.id), { type: 'rate-limit', node: me.id }, 'load-balancing', me.id, 0) : null;
  },

  // Once the network is whole again a drained healthy node is capacity left idle.
  undrain: (v, me) => {
    if (me.status !== 'up' || !me.drained || me.slow || me.flooded || v.network.partitioned) return null;
    return hint('undrain', adviceUndrain(me.id), { type: 'undrain', node: me.id }, 'load-balancing', me.id, 0);
  },

  overload: (v, me, sc, shown) => {
    const enter = shown ? OVERLOAD_RELAX : OVERLOAD_ENTER;
    const queue = shown ? QUEUE_RELAX : QUEUE_ENTER;
    let worst: AdvisorNode | null = null;
    for (const n of v.nodes) {
      // A slow or flooded node is overloaded by its fault; more nodes would not cure it.
      if (n.status !== 'up' || n.slow || n.flooded) continue;
      if (n.utilization < enter && n.load < queue) continue;
      if (worst === null || severity(n) > severity(worst)) worst = n;
    }
    if (worst === null) return null;
    const limit = v.measures.budget > 0 ? v.measures.budget : sc.budget.limit;
    const sizes = v.nodes.filter((n) => n.status !== 'removed').map((n) => n.size);
    if (!scaleOutPays({ now: v.simMs, durationMs: v.durationMs, cost: v.measures.cost, limit, sizes })) return null;
    // Region-aware balancing keeps traffic in its region: the node must go where the load is.
    const region = v.settings.loadBalancing === 'region-aware' ? worst.region : me.region;
    const regionName = v.settings.loadBalancing === 'region-aware' && sc.topology.regions.length > 1 ? (sc.topology.regions[region]?.name ?? null) : null;
    // Named by what tripped it: the busy share, or else the queue filling up.
    const queuing = worst.utilization < enter;
    const percent = Math.round(queuing ? worst.load : Math.max(worst.utilization, worst.load));
    return hint('overload', adviceOverload(worst.id, percent, queuing, regionName), { type: 'scale-out', region }, 'performance-scalability', worst.id, percent);
  },

  leaderless: (v, me) => {
    if (v.settings.replication !== 'leader-follower' || v.network.rebalancing) return null;
    if (me.status !== 'up' || me.replicaOf === 0) return null;
    let led = 0;
    for (const n of v.nodes) if (n.status === 'up') led += n.leaderOf;
    const missing = v.settings.shardCount - led;
    if (missing <= 0) return null;
    // Promoting from a side without a majority cannot win an election.
    if (cutOff(v, me)) return null;
    // A node that still hears its shards' leaders (a crashed leader is heard until a failover
    // timeout has passed) would refuse to stand, and one whose shards lost their majority
    // cannot win: the hint waits until a promote can make a leader.
    if (me.electable === 0) return null;
    return hint('leaderless', adviceLeaderless(missing, me.id), { type: 'promote', node: me.id }, 'failover', me.id, missing);
  },

  'hot-key': (v, _me, sc) => {
    const hot = v.faults.find((f) => f.kind === 'hot-key');
    if (hot === undefined || v.network.rebalancing) return null;
    const shards = Math.min(SETTING_BOUNDS.shardCount.max, v.settings.shardCount * 2);
    if (shards <= v.settings.shardCount) return null;
    const strained = v.nodes.some((n) => n.status === 'up' && n.utilization >= HOT_KEY_BUSY);
    if (!strained) return null;
    const key = `${sc.workload.keyPrefix}-${hot.target % Math.max(1, sc.workload.keys)}`;
    return hint('hot-key', adviceHotKey(key, hot.magnitude, shards), { type: 'configure', settings: { shardCount: shards } }, 'sharding', -1, shards);
  },
};

/** The stance that keeps this customer's promise when a node is cut off. */
export function fittingStance(sc: Scenario): Stance {
  return sc.sla.maxStaleReads === 0 ? 'refuse' : 'serve';
}

/** The preconditions' facts as the view shows them (nodes on their way out are not shown). */
export function advisorFacts(v: AdvisorView): CommandFacts | null {
  return v.scenario === undefined ? null : factsOf(v, v.scenario);
}

// ---------------------------------------------------------------------------------------

/** The node is on a side of a partition without more than half the cluster: no quorum there. */
function cutOff(v: AdvisorView, me: AdvisorNode): boolean {
  if (!v.network.partitioned) return false;
  let all = 0;
  let mine = 0;
  for (const n of v.nodes) {
    if (n.status === 'removed') continue;
    all++;
    if (n.group === me.group) mine++;
  }
  return mine * 2 <= all;
}

function factsOf(v: AdvisorView, sc: Scenario): CommandFacts {
  return {
    finished: v.phase === 'debrief',
    settings: v.settings,
    regions: sc.topology.regions.length,
    nodes: v.nodes,
    removing: [],
    rebalancing: v.network.rebalancing,
    cost: v.measures.cost,
    budget: { limit: v.measures.budget > 0 ? v.measures.budget : sc.budget.limit, maxNodes: Math.min(MAX_NODES, sc.budget.maxNodes) },
  };
}

function hint(id: HintId, text: string, command: Command, concept: AdviceConcept, node: number, value: number): Hint {
  return { id, text, action: command.type, command, concept, conceptName: ADVICE_CONCEPT_NAMES[concept], node, value };
}

function holdMs(id: HintId, v: AdvisorView): number {
  if (id === 'overload') return OVERLOAD_HOLD_MS;
  if (id === 'hot-key') return HOT_KEY_HOLD_MS;
  if (id === 'leaderless') return v.settings.failoverTimeoutMs + LEADERLESS_GRACE_MS;
  return 0;
}

/** How overloaded a node is, to name the worst one. */
function severity(n: AdvisorNode): number {
  return Math.max(n.utilization, n.load * 2);
}

/** Keep the shown hint as it is while it says the same thing, so its card stays still. */
function steady(next: Hint, shown: Hint | null): Hint {
  if (shown === null || shown.id !== next.id || shown.node !== next.node || shown.action !== next.action) return next;
  if (JSON.stringify(shown.command) !== JSON.stringify(next.command)) return next;
  return Math.abs(shown.value - next.value) < REWORD_STEP ? shown : next;
}
