// What a bot sees of a running simulation, rebuilt once a look: the same fields a player's
// round view shows (a node's utilization is its served rate against its capacity, or its
// queue against the queue limit once work piles up), so a bot in a headless round decides
// from exactly what a bot client connected to a room would see.

import type { BotView } from '../bots/node-bot.js';
import { shardsLed } from '../sim/leader.js';
import type { Sim } from '../sim/engine.js';
import { nodeBusy } from '../view/project.js';

export class SimBotView {
  private served: number[] = [];
  private at = -1;

  /** The view now; the served rates are measured since the previous look. */
  look(sim: Sim): BotView {
    const { S, sc } = sim;
    const elapsed = this.at < 0 ? 0 : S.now - this.at;
    const nodes = S.nodes.map((n, i) => {
      const rate = elapsed > 0 ? (Math.max(0, n.served - (this.served[i] ?? n.served)) * 1000) / elapsed : 0;
      return {
        id: n.id, region: n.region, size: n.size, status: n.status, queue: n.queue, rateLimited: n.rateLimited, drained: n.drained,
        slow: n.slow < 1, stance: n.stance, group: S.partition === null ? 0 : (S.partition.groups[i] ?? 0),
        leaderOf: shardsLed(n), utilization: nodeBusy(sc, n, rate).utilization,
      };
    });
    this.served = S.nodes.map((n) => n.served);
    this.at = S.now;
    return { now: S.now, durationMs: S.durationMs, cost: S.cost, nodes, faults: S.faults, rebalance: S.rebalance };
  }
}
