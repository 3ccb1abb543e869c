// When a command cannot be applied, and why: the one place these rules are written. The
// simulation asks before applying a command; the action panel asks to say why a button is
// off. Both answer from a few facts, which the simulation state and the client's round view
// can each provide.

import type { Budget } from '../scenarios/types.js';
import { MAX_NODES, type Scenario } from '../scenarios/types.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import type { Command, RefusalCode } from '../scenarios/command-types.js';
import type { NodeStatus, SimState } from './state.js';

/** What the preconditions look at. */
export interface CommandFacts {
  /** The round is over: nothing more is applied. */
  finished: boolean;
  settings: ClusterSettings;
  /** How many regions the topology has. */
  regions: number;
  /** Every node the round has had, removed ones included, indexed by node id. */
  nodes: readonly NodeFacts[];
  /** Nodes on their way out (they leave when the rebalance completes). */
  removing: readonly number[];
  rebalancing: boolean;
  /** Cost spent so far, in the budget's units. */
  cost: number;
  budget: Budget;
}

export interface NodeFacts {
  id: number;
  status: NodeStatus;
  /** Machine size: 1, 2 or 4 (scale-up doubles it). */
  size: number;
}

export interface Refusal {
  code: RefusalCode;
  /** The sentence sent to whoever asked. */
  error: string;
  /** A few words for a button's "not now" hint. */
  short: string;
}

/** The largest machine a node can scale up to. */
export const MAX_NODE_SIZE = 4;

/**
 * Why `cmd` cannot be applied now, or null when nothing stands in its way. The simulation
 * may still refuse a promotion it finds impossible once it looks (see applyCommand).
 */
export function blocked(cmd: Command, f: CommandFacts): Refusal | null {
  if (f.finished) return refusal('phase', 'the round is over');
  switch (cmd.type) {
    case 'configure':
      return configureBlocked(cmd.settings, f);
    case 'scale-out': {
      if (cmd.region >= f.regions) return refusal('invalid', `there is no region ${cmd.region}`, `no region ${cmd.region}`);
      const inCluster = f.nodes.filter((n) => n.status !== 'removed').length;
      if (inCluster >= f.budget.maxNodes) return refusal('budget', `the cluster already has the most nodes allowed (${f.budget.maxNodes})`, `at most ${f.budget.maxNodes} nodes`);
      // Removed nodes keep their ids, so their slots stay taken.
      if (f.nodes.length >= MAX_NODES) return refusal('budget', 'no more node slots');
      if (f.cost >= f.budget.limit) return refusal('budget', 'the budget is spent');
      if (f.rebalancing) return refusal('rebalancing', 'a rebalance is already under way', 'a rebalance is under way');
      return null;
    }
    case 'chaos':
      return null;
    default:
      break;
  }
  const node = f.nodes[cmd.node];
  if (node === undefined || node.status === 'removed') return refusal('unknown-node', `there is no node ${cmd.node}`, 'no such node');
  const lf = f.settings.replication === 'leader-follower';
  switch (cmd.type) {
    case 'restart':
      return node.status === 'recovering' ? refusal('node-state', `node ${node.id} is already starting`, 'already starting') : null;
    case 'scale-up':
      if (node.size >= MAX_NODE_SIZE) return refusal('node-state', `node ${node.id} is already the largest size`, 'already the largest size');
      return f.cost >= f.budget.limit ? refusal('budget', 'the budget is spent') : null;
    case 'remove':
      if (staying(f) <= 1) return refusal('node-state', 'the last node cannot be removed', 'it is the last node');
      return f.rebalancing ? refusal('rebalancing', 'a rebalance is already under way', 'a rebalance is under way') : null;
    case 'promote':
      if (!lf) return refusal('invalid', 'leaderless replication has no leaders to promote', 'leaderless: no leaders');
      return node.status !== 'up' ? refusal('node-state', `node ${node.id} is not up`, 'node is not up') : null;
    case 'demote':
      return lf ? null : refusal('invalid', 'leaderless replication has no leaders to demote', 'leaderless: no leaders');
    case 'repair':
      return node.status !== 'up' ? refusal('node-state', `node ${node.id} is not up`, 'node is not up') : null;
    case 'replace':
    case 'drain':
    case 'undrain':
    case 'stance':
    case 'rate-limit':
      return null;
  }
}

/** Settings whose change moves data: they take effect when a rebalance completes. */
/** A scale-out pays back only over this much of the round: later, its rebalance costs more than the node adds. */
export const SCALE_OUT_PAYBACK_MS = 45_000;

/**
 * Whether one more node is worth asking for now — by a bot or by the advisor's hint: enough
 * of the round left for it to pay back, and the money for the cluster as it is plus one node
 * to the end of the round (cost grows by each node's size every second).
 */
export function scaleOutPays(x: { now: number; durationMs: number; cost: number; limit: number; sizes: readonly number[] }): boolean {
  const leftMs = Math.max(0, x.durationMs - x.now);
  if (leftMs < SCALE_OUT_PAYBACK_MS) return false;
  const perSecond = x.sizes.reduce((sum, size) => sum + size, 0) + 1;
  return x.cost + (perSecond * leftMs) / 1000 <= x.limit;
}

export const PLACEMENT_SETTINGS: readonly (keyof ClusterSettings)[] = ['replication', 'replicationFactor', 'shardCount', 'placement'];

/** Whether a settings change moves data (and so needs a rebalance). */
export function movesData(patch: Partial<ClusterSettings>, current: ClusterSettings): boolean {
  return PLACEMENT_SETTINGS.some((k) => patch[k] !== undefined && patch[k] !== current[k]);
}

/** The facts as the simulation knows them (no copy: it reads the state as it is). */
export function simFacts(S: SimState, sc: Scenario): CommandFacts {
  return {
    finished: S.finished,
    settings: S.settings,
    regions: sc.topology.regions.length,
    nodes: S.nodes,
    removing: S.removing,
    rebalancing: S.rebalance !== null,
    cost: S.cost,
    budget: sc.budget,
  };
}

function configureBlocked(patch: Partial<ClusterSettings>, f: CommandFacts): Refusal | null {
  const next: ClusterSettings = { ...f.settings, ...patch };
  const nodes = staying(f);
  if (next.replicationFactor > nodes) {
    return refusal('invalid', `a replication factor of ${next.replicationFactor} needs at least that many nodes (the cluster has ${nodes})`, `needs ${next.replicationFactor} nodes`);
  }
  if (movesData(patch, f.settings) && f.rebalancing) return refusal('rebalancing', 'a rebalance is already under way', 'a rebalance is under way');
  return null;
}

/** Nodes in the cluster that are not on their way out. */
function staying(f: CommandFacts): number {
  return f.nodes.filter((n) => n.status !== 'removed' && !f.removing.includes(n.id)).length;
}

function refusal(code: RefusalCode, error: string, short = error): Refusal {
  return { code, error, short };
}
