// Global chat: users on three continents, where the speed of light decides the latency —
// regions, region-aware routing and active-active replication.

import { leaderFollowerCp, leaderlessOne, heavyChaos, NO_CHAOS, normalChaos } from './common.js';
import { MAX_NODES, type Scenario } from './types.js';

export const chat: Scenario = {
  id: 'chat',
  title: 'Global chat',
  briefing:
    'Friends use our chat app to talk across the Americas, Europe and Asia, and a message that ' +
    'takes a second to send feels broken, wherever the user lives. A message may reach the far ' +
    'side of the world a moment late, but it must never go missing.',
  teaches: ['latency', 'regions', 'active-active', 'active-passive', 'load balancing', 'replication'],
  sla: { availability: 0.997, p99Ms: 250, maxStaleReads: 10_000, maxLostWrites: 0 },
  topology: {
    regions: [
      { id: 'americas', name: 'Americas' },
      { id: 'europe', name: 'Europe' },
      { id: 'asia', name: 'Asia' },
    ],
    nodesPerRegion: [3, 3, 3],
    nodeCapacity: 300,
    intraRegionMs: [1, 5],
    // One way: a round trip from Asia to the Americas alone exceeds the p99 target.
    crossRegionMs: [
      [0, 75, 150],
      [75, 0, 110],
      [150, 110, 0],
    ],
    jitterMs: 4,
    loss: 0,
  },
  workload: {
    keys: 2_000,
    keyPrefix: 'room',
    readFraction: 0.6,
    hotKeys: 10,
    hotFraction: 0.3,
    // At 1.8 slots per op (RF 3): 13 % of 2,700 slots/s at the start, 27 % at the end.
    startRate: 200,
    endRate: 400,
    clientsPerRegion: 700,
    timeoutMs: 2_000,
    regionWeights: [0.35, 0.35, 0.3],
  },
  chaos: {
    none: NO_CHAOS,
    normal: normalChaos({ crash: 3, 'slow-node': 2, flood: 2, 'partition-region': 2 }),
    heavy: heavyChaos({ 'partition-region': 3, crash: 4, 'slow-node': 2, flood: 2, 'partition-random': 1 }),
  },

  // 9 nodes × 360 s = 3,240 at the start.
  budget: { limit: 4_860, maxNodes: MAX_NODES },
  scoring: { availability: 0.3, latency: 0.35, consistency: 0.1, durability: 0.1, cost: 0.15 },
  presets: {
    // Heartbeats cross oceans, so failover waits longer before calling a leader dead.
    cp: leaderFollowerCp({ shardCount: 9, loadBalancing: 'region-aware', failoverTimeoutMs: 3_000 }),
    // Every region writes locally; concurrent messages become siblings the app merges, so none is lost.
    ap: leaderlessOne({ shardCount: 9, loadBalancing: 'region-aware', conflictResolution: 'version-vectors' }),
  },
  recommended: 'ap',
  worst: 'cp',
  durationMs: 360_000,
};
