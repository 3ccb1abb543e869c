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
  sla: { availability: 0.99, p99Ms: 500, maxStaleReads: 1_000, maxLostWrites: 10 },
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
  // 3 nodes × 180 s = 540 cost units at the start; half as much again leaves room to experiment.
  budget: { limit: 810, maxNodes: 6 },
  scoring: { availability: 0.4, latency: 0.2, consistency: 0.15, durability: 0.15, cost: 0.1 },
  presets: {
    cp: leaderFollowerCp({ shardCount: 3 }),
    ap: leaderFollowerAp({ shardCount: 3 }),
  },
  recommended: 'cp',
  worst: 'ap',
  durationMs: 180_000,
  tutorial: [
    step(
      'welcome',
      'This is your cluster: three nodes in one data centre, each keeping copies of the same notes. ' +
        'The gauges along the top count how many requests succeed and how long they take.',
      'observe',
    ),
    // Selecting is a client-side act with no command behind it, so the step is an 'observe'.
    step(
      'select-node',
      'Click or tap a node, or move to it with Tab, to open its panel: its load, its queue of waiting ' +
        'requests, and the actions its owner can take.',
      'observe',
    ),
    step(
      'crash',
      'Watch: one node is about to crash. Requests routed to it now go unanswered until they time out, ' +
        'and the availability gauge drops.',
      'observe',
    ),
    step(
      'restart',
      'Select the crashed node and press Restart. It comes back with its disk intact and catches up ' +
        'on the writes it missed.',
      'restart',
    ),
    step(
      'partition',
      'Now the network splits: one node can no longer reach the other two. The cut drawn across the ' +
        'links shows which nodes can still talk to each other.',
      'observe',
    ),
    step(
      'stance',
      'A node on the small side of a split has to choose. Refuse, and clients get errors but never an ' +
        'old value; serve, and clients get answers that may be out of date. Pick a stance for the cut-off node.',
      'stance',
    ),
    step(
      'vote',
      'Settings that affect the whole cluster pass only when most of your team agrees. Propose a ' +
        'change, such as the replication factor, and cast your vote.',
      'configure',
    ),
    step(
      'wrap-up',
      'That is the whole loop: watch, decide, act. After the round, the debrief shows what each ' +
        'choice cost in nines, latency and stale reads.',
      'observe',
    ),
  ],
};
