// The tutorial's scripted faults. The guided round cannot wait for random chaos to show a
// crash or a partition, so the client says which step the player reached (`tutorial-step`)
// and the round strikes the step's fault through the simulation's ordinary chaos command,
// queued and recorded like any accepted command (replays stay deterministic).
//
//   restart   → the player's own node crashes: a player may act only on their own node,
//               so that is the one they can restart (the failover chapter).
//   crash     → a bot's node crashes (the bot restarts it): the player watches two of three
//               still make a quorum.
//   partition → the player's node is cut off from the rest (the next steps ask for a stance
//               on the cut-off node, and to drain it, which again must be theirs).
//   surge     → client traffic doubles for a minute (the scaling chapter).

import type { Command } from '../protocol/commands.js';
import { liveNodes, targetCutting, targetOfNode } from '../sim/chaos.js';
import type { SimState } from '../sim/state.js';

/**
 * How long each scripted fault lasts, simulated ms. The bot's crash is short because the
 * split waits for every node to be up; the split is short enough that a learner who refuses
 * and never drains still keeps the promise, long enough to choose and see.
 */
export const TUTORIAL_FAULT_MS = { crash: 12_000, restart: 60_000, partition: 20_000, surge: 60_000 } as const;

/** The scaling chapter's surge: traffic times this. */
export const TUTORIAL_SURGE = 2;

/** Steps whose arrival makes the room strike a fault (live phase only). */
export const TUTORIAL_FAULT_STEPS: readonly string[] = Object.keys(TUTORIAL_FAULT_MS);

/**
 * The chaos command for a step, or null when the step strikes nothing or its fault is
 * already showing (so a repeated or replayed message does not pile faults up).
 * `playerNode` is the node of the player who reached the step.
 */
export function tutorialChaos(S: SimState, step: string, playerNode: number): Command | null {
  const live = liveNodes(S);
  const strike = (node: number) => targetOfNode(live.length, live.indexOf(node));
  switch (step) {
    case 'crash': {
      if (S.nodes.some((n) => n.status === 'down')) return null;
      const victim = live.find((id) => id !== playerNode && S.nodes[id]!.status === 'up');
      const target = victim === undefined ? null : strike(victim);
      if (target === null) return null;
      return { type: 'chaos', kind: 'crash', target, durationMs: TUTORIAL_FAULT_MS.crash, magnitude: 0 };
    }
    case 'restart': {
      const me = S.nodes[playerNode];
      const target = strike(playerNode);
      if (me === undefined || me.status !== 'up' || target === null) return null;
      return { type: 'chaos', kind: 'crash', target, durationMs: TUTORIAL_FAULT_MS.restart, magnitude: 0 };
    }
    case 'partition': {
      // Not while a node is down or starting: with one node cut off and another down, no
      // side would hold a majority, and the lesson is about the one cut-off node.
      if (S.partition !== null || live.some((id) => S.nodes[id]!.status !== 'up')) return null;
      const target = targetCutting(live.length, live.indexOf(playerNode));
      if (target === null) return null;
      return { type: 'chaos', kind: 'partition-random', target, durationMs: TUTORIAL_FAULT_MS.partition, magnitude: 0 };
    }
    case 'surge': {
      if (S.faults.some((f) => f.kind === 'load-surge')) return null;
      return { type: 'chaos', kind: 'load-surge', target: 0, durationMs: TUTORIAL_FAULT_MS.surge, magnitude: TUTORIAL_SURGE };
    }
    default:
      return null;
  }
}
