// Applying a validated command to the simulation. The protocol validator has already
// bounded every field; what is checked here depends on the state (does the node exist,
// is there budget, is the setting possible with this many nodes).

import type { Command, CommandResult } from './command-types.js';
import { startChaos } from './chaos.js';
import { crashNode, HOOKS, newNode, restartNode, startRebalance, type Sim } from './engine.js';
import { lfDemote, lfPromote, lfRepair } from './leader.js';
import { antiEntropy } from './leaderless.js';
import { feed } from './net.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import { MAX_NODES } from '../scenarios/types.js';
import type { NodeState } from './state.js';

/** Settings whose change moves data: they take effect when a rebalance completes. */
const PLACEMENT_SETTINGS: readonly (keyof ClusterSettings)[] = ['replication', 'replicationFactor', 'shardCount', 'placement'];

export function applyCommand(sim: Sim, cmd: Command): CommandResult {
  const { S, sc } = sim;
  if (S.finished) return { ok: false, error: 'the round is over' };
  switch (cmd.type) {
    case 'configure':
      return configure(sim, cmd.settings);
    case 'scale-out': {
      if (cmd.region >= sc.topology.regions.length) return { ok: false, error: `there is no region ${cmd.region}` };
      const live = S.nodes.filter((n) => n.status !== 'removed').length;
      if (live >= sc.budget.maxNodes) return { ok: false, error: `the cluster already has the most nodes allowed (${sc.budget.maxNodes})` };
      if (S.nodes.length >= MAX_NODES) return { ok: false, error: 'no more node slots' };
      if (S.cost >= sc.budget.limit) return { ok: false, error: 'the budget is spent' };
      if (S.rebalance !== null) return { ok: false, error: 'a rebalance is already under way' };
      const node = newNode(S.nodes.length, cmd.region, S.settings, sc.workload.keys);
      node.status = 'recovering';
      node.recoverAt = S.now + 3000;
      node.startedAt = S.now;
      S.nodes.push(node);
      S.lb.healthy.push(false);
      feed(S, 'scale-out', `Node ${node.id} is being added in ${sc.topology.regions[cmd.region]!.name}`, node.id);
      startRebalance(sim, S.settings);
      return { ok: true };
    }
    case 'chaos': {
      const ev = { at: Math.round(S.now), kind: cmd.kind, durationMs: cmd.durationMs, target: cmd.target, magnitude: cmd.magnitude, source: 'host' as const };
      S.chaosSchedule.push(ev);
      feed(S, cmd.kind, startChaos(S, sc, ev, HOOKS));
      return { ok: true };
    }
    default:
      break;
  }
  const node = S.nodes[cmd.node];
  if (node === undefined || node.status === 'removed') return { ok: false, error: `there is no node ${cmd.node}` };
  return nodeAction(sim, node, cmd);
}

function nodeAction(sim: Sim, node: NodeState, cmd: Exclude<Command, { type: 'configure' | 'scale-out' | 'chaos' }>): CommandResult {
  const { S, sc } = sim;
  const lf = S.settings.replication === 'leader-follower';
  switch (cmd.type) {
    case 'restart':
      if (node.status === 'recovering') return { ok: false, error: `node ${node.id} is already starting` };
      restartNode(S, node, node.status === 'down' ? 1500 : 2500);
      feed(S, 'restart', `Node ${node.id} is restarting`, node.id);
      return { ok: true };
    case 'replace':
      crashNode(S, node, true);
      restartNode(S, node, 4000);
      feed(S, 'replace', `Node ${node.id} is replaced by a fresh machine with an empty disk`, node.id);
      return { ok: true };
    case 'scale-up':
      if (node.size >= 4) return { ok: false, error: `node ${node.id} is already the largest size` };
      if (S.cost >= sc.budget.limit) return { ok: false, error: 'the budget is spent' };
      // A bigger machine means a restart onto it: the node is briefly unavailable.
      node.size *= 2;
      restartNode(S, node, 3000);
      feed(S, 'scale-up', `Node ${node.id} restarts on a machine twice as big`, node.id);
      return { ok: true };
    case 'drain':
      node.drained = true;
      feed(S, 'drain', `The load balancer stops sending new requests to node ${node.id}`, node.id);
      return { ok: true };
    case 'undrain':
      node.drained = false;
      return { ok: true };
    case 'remove': {
      const live = S.nodes.filter((n) => n.status !== 'removed' && !S.removing.includes(n.id)).length;
      if (live <= 1) return { ok: false, error: 'the last node cannot be removed' };
      if (S.rebalance !== null) return { ok: false, error: 'a rebalance is already under way' };
      S.removing.push(node.id);
      node.drained = true;
      feed(S, 'remove', `Node ${node.id} is leaving; its shards move elsewhere`, node.id);
      startRebalance(sim, S.settings);
      return { ok: true };
    }
    case 'promote':
      if (!lf) return { ok: false, error: 'leaderless replication has no leaders to promote' };
      if (node.status !== 'up') return { ok: false, error: `node ${node.id} is not up` };
      if (lfPromote(S, sc, node) === 0) return { ok: false, error: `node ${node.id} cannot stand for election now: it leads its shards already, or still hears a live leader (demote that leader first, then wait a failover timeout)` };
      return { ok: true };
    case 'demote':
      if (!lf) return { ok: false, error: 'leaderless replication has no leaders to demote' };
      lfDemote(S, node);
      feed(S, 'demote', `Node ${node.id} stepped down and will not stand for election for a while`, node.id);
      return { ok: true };
    case 'stance':
      node.stance = cmd.stance;
      return { ok: true };
    case 'repair':
      if (node.status !== 'up') return { ok: false, error: `node ${node.id} is not up` };
      if (lf) lfRepair(S, sc, node);
      else antiEntropy(S, sc, node, -2);
      feed(S, 'repair', `Node ${node.id} is repairing its replicas`, node.id);
      return { ok: true };
    case 'rate-limit':
      node.rateLimited = !node.rateLimited;
      return { ok: true };
  }
}

function configure(sim: Sim, patch: Partial<ClusterSettings>): CommandResult {
  const { S } = sim;
  const next: ClusterSettings = { ...S.settings, ...patch };
  const live = S.nodes.filter((n) => n.status !== 'removed' && !S.removing.includes(n.id)).length;
  if (next.replicationFactor > live) return { ok: false, error: `a replication factor of ${next.replicationFactor} needs at least that many nodes (the cluster has ${live})` };
  const moves = PLACEMENT_SETTINGS.some((k) => patch[k] !== undefined && patch[k] !== S.settings[k]);
  if (moves && S.rebalance !== null) return { ok: false, error: 'a rebalance is already under way' };
  const immediate: Partial<ClusterSettings> = {};
  for (const k of Object.keys(patch) as (keyof ClusterSettings)[]) if (!PLACEMENT_SETTINGS.includes(k)) (immediate as Record<string, unknown>)[k] = patch[k];
  S.settings = { ...S.settings, ...immediate };
  if (patch.stance !== undefined) for (const n of S.nodes) n.stance = patch.stance;
  if (moves) startRebalance(sim, next);
  feed(S, 'configure', `Settings changed: ${Object.keys(patch).join(', ')}`);
  return { ok: true };
}
