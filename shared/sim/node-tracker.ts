// Which nodes a round had at each moment, read from its scale-outs and removals alone (no
// simulation run): what a replay's timeline and a debrief's record need to name the node a
// chaos event struck.

import type { Scenario } from '../scenarios/types.js';

/** A command as far as membership goes: a recording's commands and a round's events both fit. */
export interface MembershipCommand {
  tick: number;
  command: { type: string; node?: number };
}

/**
 * Which nodes are in the cluster at a tick, as far as the recording tells: the scenario's
 * nodes, plus scale-outs, minus removals from the tick they were asked for (the simulation
 * removes a node once its rebalance completes, a little later).
 */
export class NodeTracker {
  private readonly changes: { tick: number; add: boolean; node: number }[] = [];
  private readonly initial: number;

  constructor(sc: Pick<Scenario, 'topology'>, commands: readonly MembershipCommand[]) {
    this.initial = sc.topology.nodesPerRegion.reduce((a, b) => a + b, 0);
    let next = this.initial;
    for (const c of commands) {
      if (c.command.type === 'scale-out') this.changes.push({ tick: c.tick, add: true, node: next++ });
      else if (c.command.type === 'remove' && c.command.node !== undefined) this.changes.push({ tick: c.tick, add: false, node: c.command.node });
    }
  }

  liveAt(tick: number): number[] {
    const live = new Set<number>();
    for (let i = 0; i < this.initial; i++) live.add(i);
    for (const ch of this.changes) {
      if (ch.tick > tick) break;
      if (ch.add) live.add(ch.node);
      else live.delete(ch.node);
    }
    return [...live].sort((a, b) => a - b);
  }
}
