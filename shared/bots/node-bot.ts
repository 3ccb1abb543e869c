// A bot that operates one node the way a player of a given style would: it restarts its node
// when it is down, turns away a flooding client, takes a gray-failing node out of the
// balancer, sets the stance that fits the promise, and (the lowest-numbered live node's bot
// only, so bots do not stampede) scales the cluster out before it saturates, while the money
// lasts. It reads only what a player sees and returns commands, so the server, a remote bot
// client, the command-line round and tests all use it alike, and it stays deterministic.

import type { Command } from '../scenarios/command-types.js';
import type { Scenario } from '../scenarios/types.js';
import { scaleOutPays } from '../sim/preconditions.js';
import { fittingStance, STYLES, type PlayStyle } from './policies.js';

/**
 * The little of a round a bot looks at, as a player sees it: the room's view satisfies it
 * (server/bots/bot-client.ts), and so does the adapter the tick runner builds from the
 * simulation (shared/round/bot-view.ts).
 */
export interface BotView {
  now: number;
  /** When the live phase ends, simulated ms. */
  durationMs: number;
  /** Money spent so far (node-seconds × size). */
  cost: number;
  /** Status and kind arrive as plain strings from a room's state; the bot only compares them. */
  nodes: readonly {
    id: number;
    region: number;
    size: number;
    status: string;
    queue: number;
    rateLimited: boolean;
    drained: boolean;
    slow: boolean;
    stance: string;
    /** Share of its capacity the node is using, percent (what the node panel shows). */
    utilization: number;
    /** Its side of a partition (0 when the network is whole). */
    group: number;
    /** Shards it leads now (leader-follower). */
    leaderOf: number;
  }[];
  faults: readonly { kind: string; target: number }[];
  rebalance: unknown;
}

export interface BotMemory {
  /** When the bot first saw its node down (-1 while up), so it reacts after its pause. */
  downSince: number;
  floodSince: number;
  slowSince: number;
  /** When the cluster was first seen too busy (-1 while it is not). */
  busySince: number;
  /** It drained its node because the node was cut off (so it undrains it after the heal). */
  drainedCutOff: boolean;
}

export function createBotMemory(): BotMemory {
  return { downSince: -1, floodSince: -1, slowSince: -1, busySince: -1, drainedCutOff: false };
}

/** Sustained condition: how long it has held, remembering when it began. */
function heldFor(mem: BotMemory, key: 'downSince' | 'floodSince' | 'slowSince' | 'busySince', on: boolean, now: number): number {
  if (!on) {
    mem[key] = -1;
    return -1;
  }
  if (mem[key] < 0) mem[key] = now;
  return now - mem[key];
}

/**
 * What the bot does now for its node, or null. `style` defaults to the steady seat bot;
 * `sc` is the scenario as played (its budget, capacity and promise).
 */
export function botDecide(S: BotView, nodeId: number, mem: BotMemory, sc: Scenario, style: PlayStyle = STYLES.steady): Command | null {
  const node = S.nodes[nodeId];
  if (node === undefined || node.status === 'removed') return null;
  if (heldFor(mem, 'downSince', node.status === 'down', S.now) >= style.reactionMs) {
    mem.downSince = -1;
    return { type: 'restart', node: nodeId };
  }
  if (node.status !== 'up') return null;

  const flooded = S.faults.some((f) => f.kind === 'flood' && f.target === nodeId);
  if (style.rateLimit && heldFor(mem, 'floodSince', flooded, S.now) >= style.reactionMs && !node.rateLimited) return { type: 'rate-limit', node: nodeId };
  if (!flooded && node.rateLimited) return { type: 'rate-limit', node: nodeId };

  if (style.drainCutOff) {
    // A node on the side without a majority that refuses turns every client away: the
    // balancer should send them to the side that can answer (undrained after the heal).
    const cutOff = minoritySide(S, node.group) && node.stance === 'refuse';
    if (cutOff && !node.drained) {
      mem.drainedCutOff = true;
      return { type: 'drain', node: nodeId };
    }
    if (!cutOff && mem.drainedCutOff) {
      mem.drainedCutOff = false;
      if (node.drained && !node.slow) return { type: 'undrain', node: nodeId };
    }
  }

  if (style.sidelineSlow) {
    // A gray-failing node drags down every request it touches: the balancer stops sending it
    // clients, and it stops leading so its shards elect healthy leaders (leadership comes back
    // to it once it is healthy again).
    const others = S.nodes.filter((n) => n.id !== nodeId && n.status === 'up' && !n.drained).length;
    const slowFor = heldFor(mem, 'slowSince', node.slow, S.now);
    if (slowFor >= style.reactionMs && !node.drained && others >= 2) return { type: 'drain', node: nodeId };
    if (slowFor >= style.reactionMs && node.leaderOf > 0) return { type: 'demote', node: nodeId };
    if (!node.slow && node.drained && !mem.drainedCutOff) return { type: 'undrain', node: nodeId };
  }

  if (style.fitStance && node.stance !== fittingStance(sc)) return { type: 'stance', node: nodeId, stance: fittingStance(sc) };

  const live = S.nodes.filter((n) => n.status !== 'removed');
  if (style.scaleOutAt !== null && live[0]?.id === nodeId) return scaleOut(S, mem, sc, style.scaleOutAt, style.scaleOutAfterMs, live);
  return null;
}

/**
 * The coordinating bot adds a node in the busiest region once a region has been busy a while:
 * its nodes near the threshold on average, a third of them past it, or one past it while it
 * leads several shards (a new node takes one of them over, which spreads the hot spot; a
 * node leading a single shard gains nothing from more nodes). A surge often hits one region
 * only, so each region is judged on its own nodes.
 */
function scaleOut(S: BotView, mem: BotMemory, sc: Scenario, at: number, afterMs: number, live: BotView['nodes']): Command | null {
  const serving = live.filter((n) => n.status === 'up' && !n.drained);
  if (serving.length === 0) return null;
  let best = -1;
  let bestMean = -1;
  for (let r = 0; r < sc.topology.regions.length; r++) {
    const inRegion = serving.filter((n) => n.region === r);
    if (inRegion.length === 0) continue;
    const mean = inRegion.reduce((sum, n) => sum + n.utilization, 0) / inRegion.length;
    const hot = inRegion.filter((n) => n.utilization >= at).length;
    const crowded = inRegion.some((n) => n.utilization >= at && n.leaderOf >= 2);
    const busy = mean >= at - 10 || hot * 3 >= inRegion.length || crowded;
    if (busy && mean > bestMean) {
      best = r;
      bestMean = mean;
    }
  }
  if (heldFor(mem, 'busySince', best >= 0, S.now) < afterMs) return null;
  if (S.rebalance !== null || live.length >= sc.budget.maxNodes) return null;
  if (!scaleOutPays({ now: S.now, durationMs: S.durationMs, cost: S.cost, limit: sc.budget.limit, sizes: live.map((n) => n.size) })) return null;
  mem.busySince = -1;
  return { type: 'scale-out', region: best };
}

/** Whether nodes on this side of a partition are fewer than half of the live ones. */
function minoritySide(S: BotView, group: number): boolean {
  const live = S.nodes.filter((n) => n.status !== 'removed');
  const groups = new Set(live.map((n) => n.group));
  if (groups.size < 2) return false;
  return 2 * live.filter((n) => n.group === group).length < live.length;
}
