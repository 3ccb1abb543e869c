// A bot that operates one node the way a sensible player would: it restarts its node when
// it is down, turns away a flooding client, and (when it may spend) scales out a cluster
// that is drowning. It reads only simulation state and returns commands, so the server,
// the command-line round and tests all use it alike, and it stays deterministic.

import type { Command } from '../scenarios/command-types.js';
import type { ActiveFault, NodeState } from '../sim/state.js';

/**
 * The little of the simulation a bot looks at. SimState satisfies it, and so does a view a
 * remote bot client rebuilds from the room's state: a bot sees no more than a player does.
 */
export interface BotView {
  now: number;
  /** Status and kind arrive as plain strings from a room's state; the bot only compares them. */
  nodes: readonly (Pick<NodeState, 'id' | 'region' | 'size' | 'queue' | 'rateLimited'> & { status: string })[];
  faults: readonly (Pick<ActiveFault, 'target'> & { kind: string })[];
  rebalance: unknown;
}

export interface BotMemory {
  /** When the bot first saw its node down (-1 while up), so it reacts after a human-like pause. */
  downSince: number;
}

export function createBotMemory(): BotMemory {
  return { downSince: -1 };
}

/** How long a bot waits before reacting, in simulated ms. */
export const BOT_REACTION_MS = 2500;

export function botDecide(S: BotView, nodeId: number, mem: BotMemory, maxNodes: number): Command | null {
  const node = S.nodes[nodeId];
  if (node === undefined || node.status === 'removed') return null;
  if (node.status === 'down') {
    if (mem.downSince < 0) mem.downSince = S.now;
    if (S.now - mem.downSince >= BOT_REACTION_MS) {
      mem.downSince = -1;
      return { type: 'restart', node: nodeId };
    }
    return null;
  }
  mem.downSince = -1;
  if (node.status !== 'up') return null;
  const flooded = S.faults.some((f) => f.kind === 'flood' && f.target === nodeId);
  if (flooded && !node.rateLimited) return { type: 'rate-limit', node: nodeId };
  if (!flooded && node.rateLimited) return { type: 'rate-limit', node: nodeId };
  // Only the lowest-numbered live node's bot considers scaling out, so bots do not stampede.
  const live = S.nodes.filter((n) => n.status !== 'removed');
  if (live[0]?.id === nodeId && S.rebalance === null && live.length < maxNodes) {
    const overloaded = live.filter((n) => n.status === 'up' && n.queue > 200 * n.size).length;
    if (overloaded * 2 > live.length) return { type: 'scale-out', region: node.region };
  }
  return null;
}
