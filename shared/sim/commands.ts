// Applying a validated command to the simulation. The protocol validator has already
// bounded every field; what depends on the state (does the node exist, is there budget, is
// the setting possible with this many nodes) is checked by blocked() (preconditions.ts),
// the same rules the action panel shows.

import type { Command, CommandResult } from '../scenarios/command-types.js';
import { startChaos } from './chaos.js';
import { crashNode, HOOKS, newNode, restartNode, startRebalance, type Sim } from './engine.js';
import { lfDemote, lfPromote, lfRepair } from './leader.js';
import { antiEntropy } from './leaderless.js';
import { feed } from './net.js';
import { blocked, movesData, PLACEMENT_SETTINGS, simFacts } from './preconditions.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import type { NodeState } from './state.js';
import { commandFeedText, settingsChangedText } from '../words/commands.js';
import { likeLiteral } from './literal.js';

export function applyCommand(sim: Sim, cmd: Command): CommandResult {
  const { S, sc } = sim;
  const refused = blocked(cmd, simFacts(S, sc));
  if (refused !== null) return { ok: false, code: refused.code, error: refused.error };
  switch (cmd.type) {
    case 'configure':
      return configure(sim, cmd.settings);
    case 'scale-out': {
      const node = newNode(S.version, S.nodes.length, cmd.region, S.settings, sc.workload.keys);
      node.status = 'recovering';
      node.recoverAt = S.now + 3000;
      node.startedAt = S.now;
      S.nodes.push(node);
      S.lb.healthy.push(false);
      feed(S, 'scale-out', commandFeedText('scale-out', node.id, { region: sc.topology.regions[cmd.region]!.name })!, node.id);
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
  return nodeAction(sim, S.nodes[cmd.node]!, cmd);
}

function nodeAction(sim: Sim, node: NodeState, cmd: Exclude<Command, { type: 'configure' | 'scale-out' | 'chaos' }>): CommandResult {
  const { S, sc } = sim;
  const lf = S.settings.replication === 'leader-follower';
  switch (cmd.type) {
    case 'restart':
      restartNode(S, node, node.status === 'down' ? 1500 : 2500);
      feed(S, 'restart', commandFeedText('restart', node.id)!, node.id);
      return { ok: true };
    case 'replace':
      crashNode(S, node, true);
      restartNode(S, node, 4000);
      feed(S, 'replace', commandFeedText('replace', node.id)!, node.id);
      return { ok: true };
    case 'scale-up':
      // A bigger machine means a restart onto it: the node is briefly unavailable.
      node.size *= 2;
      restartNode(S, node, 3000);
      feed(S, 'scale-up', commandFeedText('scale-up', node.id)!, node.id);
      return { ok: true };
    case 'drain':
      node.drained = true;
      feed(S, 'drain', commandFeedText('drain', node.id)!, node.id);
      return { ok: true };
    case 'undrain':
      node.drained = false;
      return { ok: true };
    case 'remove': {
      S.removing.push(node.id);
      node.drained = true;
      feed(S, 'remove', commandFeedText('remove', node.id)!, node.id);
      startRebalance(sim, S.settings);
      return { ok: true };
    }
    case 'promote':
      // Whether the node may stand for election shows only once the election is tried.
      if (lfPromote(S, sc, node) === 0) return { ok: false, code: 'node-state', error: `node ${node.id} cannot stand for election now: it leads its shards already, or still hears a live leader (demote that leader first, then wait a failover timeout)` };
      return { ok: true };
    case 'demote':
      lfDemote(S, node);
      feed(S, 'demote', commandFeedText('demote', node.id)!, node.id);
      return { ok: true };
    case 'stance':
      node.stance = cmd.stance;
      return { ok: true };
    case 'repair':
      if (lf) lfRepair(S, sc, node);
      else antiEntropy(S, sc, node, -2);
      feed(S, 'repair', commandFeedText('repair', node.id)!, node.id);
      return { ok: true };
    case 'rate-limit':
      node.rateLimited = !node.rateLimited;
      return { ok: true };
  }
}

function configure(sim: Sim, patch: Partial<ClusterSettings>): CommandResult {
  const { S } = sim;
  const next: ClusterSettings = { ...S.settings, ...patch };
  const moves = movesData(patch, S.settings);
  const immediate: Partial<ClusterSettings> = {};
  for (const k of Object.keys(patch) as (keyof ClusterSettings)[]) if (!PLACEMENT_SETTINGS.includes(k)) (immediate as Record<string, unknown>)[k] = patch[k];
  S.settings = likeLiteral({ ...S.settings, ...immediate });
  if (patch.stance !== undefined) for (const n of S.nodes) n.stance = patch.stance;
  if (moves) startRebalance(sim, next);
  feed(S, 'configure', settingsChangedText(patch));
  return { ok: true };
}
