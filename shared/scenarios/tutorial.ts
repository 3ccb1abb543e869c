// The guided solo round: a tiny, calm cluster so each concept can be met on its own.

import { leaderFollowerAp, leaderFollowerCp, NO_CHAOS } from './common.js';
import type { Scenario, TutorialStep } from './types.js';

/**
 * `expects` names a command type (or 'observe'). Scenarios sit below the command types, so
 * test/scenarios.test.ts checks each name exists: a renamed command fails it.
 */
function step(id: string, prompt: string, expects: string): TutorialStep {
  return { id, prompt, expects };
}

export const tutorial: Scenario = {
  id: 'tutorial',
  title: 'Tutorial: your first cluster',
  briefing:
    'Welcome to the team! Our little note-taking app runs on three servers in one data centre, ' +
    'and people expect their notes to be there when they open the app. We will hand you one ' +
    'problem at a time, so take it slowly and learn what each control does.',
  teaches: ['nodes', 'replication', 'failover', 'network partitions', 'CAP theorem', 'availability in nines'],
  // 98 % (96 % at the tutorial's easy difficulty): room for a learner to try both stances.
  sla: { availability: 0.98, p99Ms: 500, maxStaleReads: 1_000, maxLostWrites: 10 },
  topology: {
    regions: [{ id: 'home', name: 'Home data centre' }],
    nodesPerRegion: [3],
    nodeCapacity: 300,
    intraRegionMs: [1, 3],
    crossRegionMs: [[0]],
    jitterMs: 1,
    loss: 0,
  },
  workload: {
    keys: 100,
    keyPrefix: 'note',
    readFraction: 0.7,
    hotKeys: 5,
    hotFraction: 0.2,
    // Low on purpose: a learner should see faults, not overload, until they know the controls.
    startRate: 100,
    endRate: 180,
    clientsPerRegion: 100,
    timeoutMs: 1_000,
    regionWeights: [1],
  },
  chaos: {
    none: NO_CHAOS,
    normal: {
      meanIntervalMs: 45_000,
      graceMs: 20_000,
      weights: { crash: 3, 'partition-random': 2, 'slow-node': 1 },
      durationMs: [5_000, 15_000],
    },
    heavy: {
      meanIntervalMs: 20_000,
      graceMs: 15_000,
      weights: { crash: 3, 'partition-random': 3, 'slow-node': 2, 'latency-spike': 1 },
      durationMs: [8_000, 20_000],
    },
  },
  // 3 nodes × 300 s = 900 cost units at the start; half as much again pays for the node the
  // scaling chapter adds and leaves room to experiment.
  budget: { limit: 1350, maxNodes: 6 },
  scoring: { availability: 0.4, latency: 0.2, consistency: 0.15, durability: 0.15, cost: 0.1 },
  presets: {
    cp: leaderFollowerCp({ shardCount: 3 }),
    ap: leaderFollowerAp({ shardCount: 3 }),
  },
  recommended: 'cp',
  worst: 'ap',
  durationMs: 300_000,
  // One chapter a concept (shared/words/tutorial.ts groups these steps into chapters); each
  // fault is scripted (shared/round/tutorial.ts) and struck when the learner reaches its step.
  tutorial: [
    // A node and its load. Selecting is a client-side act with no command behind it: 'observe'.
    step('select-node', 'Click or tap a node, or move to it with Tab, to open its panel: its load, its queue of waiting requests, and the actions its owner can take.', 'observe'),
    // Leader and followers.
    step('find-leader', 'Find a leader: select a node whose panel says it is leader of a shard.', 'observe'),
    // A crash and failover: the learner's own node crashes (a player acts only on their own node).
    step('restart', 'Your node has just crashed. Its shards elect a new leader among the followers within a couple of seconds. Select your node and press Restart.', 'restart'),
    // A quorum: a bot's node crashes, and two of three still decide.
    step('crash', 'Watch: another node crashes. Two of the three copies are still up, a majority, so writes are still saved.', 'observe'),
    step('vote', 'Settings change only with a majority of your team. Open Settings & votes, set Failover timeout to 800 ms (followers elect a new leader sooner) and press Propose.', 'configure'),
    // A partition and the stance: the learner's node is cut off.
    // The stance is chosen before the cut, so everything the cut-off node does follows from it.
    step('stance', 'Soon the network will cut your node off from the other two, and it will not reach a quorum. Choose now what it does then, in its panel: Refuse or Serve.', 'stance'),
    step('partition', 'Here is the split: the cut across the links leaves your node alone. Watch what your stance does to its clients, the hot keys and the error budget.', 'observe'),
    step('drain', 'Either way its clients suffer. Press Drain: the load balancer sends them to the two nodes that can still answer.', 'drain'),
    step('heal', 'Wait for the network to heal. Your node then catches up on the writes it missed.', 'observe'),
    step('undrain', 'The split is over. Press Undrain to give your node its clients back.', 'undrain'),
    // Nines and the error budget.
    step('budget', 'Look at the error budget at the top: tap it to see what it means and how much is left.', 'observe'),
    // Scaling out.
    step('surge', 'Watch: traffic doubles. The load on every node climbs.', 'observe'),
    step('scale-out', 'Add a node: select your node and press Add a node here. It joins the cluster and takes a share of the requests.', 'scale-out'),
  ],
};
