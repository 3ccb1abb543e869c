// Inventory flash sale: strong consistency while the crowd grows, surges come and go, and
// most clicks land on a handful of products: scaling out in time is the team's job.

import { leaderFollowerAp, leaderFollowerCp, heavyChaos, NO_CHAOS, normalChaos } from './common.js';
import type { Scenario } from './types.js';

export const inventory: Scenario = {
  id: 'inventory',
  title: 'Inventory flash sale',
  briefing:
    'Our flash sale opens in a minute, and the new games console will draw most of the clicks. ' +
    'Every order has to check the true stock count, because selling a console we do not have ' +
    'means a refund and an angry customer. The crowd keeps growing through the sale, and it ' +
    'must not overwhelm the servers that hold the most wanted products.',
  teaches: ['strong consistency', 'sharding', 'hot keys', 'performance vs scalability', 'horizontal scalability'],
  sla: { availability: 0.99, p99Ms: 300, maxStaleReads: 0, maxLostWrites: 0 },
  topology: {
    regions: [{ id: 'store', name: 'Store data centre' }],
    nodesPerRegion: [6],
    nodeCapacity: 400,
    intraRegionMs: [1, 3],
    crossRegionMs: [[0]],
    jitterMs: 2,
    loss: 0,
  },
  workload: {
    keys: 5_000,
    keyPrefix: 'sku',
    // Mostly stock checks; the writes are purchases.
    readFraction: 0.8,
    hotKeys: 3,
    hotFraction: 0.3,
    // At 1.4 slots per op (RF 3): 16 % of 2,400 slots/s at the start, 48 % at the end; the hot
    // products' leaders run far hotter, and a surge or a hot key tips them over unless the
    // team adds nodes in time.
    startRate: 270,
    endRate: 820,
    clientsPerRegion: 3_000,
    timeoutMs: 800,
    regionWeights: [1],
  },
  chaos: {
    none: NO_CHAOS,
    normal: normalChaos({ 'load-surge': 2, 'hot-key': 2, crash: 3, flood: 3, 'slow-node': 3, 'partition-random': 1 }),
    heavy: heavyChaos({ 'load-surge': 5, 'hot-key': 5, crash: 4, 'slow-node': 2, flood: 2, 'partition-random': 2, 'crash-disk-loss': 1 }),
  },

  // 6 nodes × 240 s = 1,440 at the start; enough to double the cluster for the second half.
  budget: { limit: 2_160, maxNodes: 12 },
  scoring: { availability: 0.35, latency: 0.2, consistency: 0.25, durability: 0.1, cost: 0.1 },
  presets: {
    // Eight shards: the hot products still crowd a few leaders.
    cp: leaderFollowerCp({ shardCount: 8 }),
    ap: leaderFollowerAp({ shardCount: 8 }),
  },
  recommended: 'cp',
  worst: 'ap',
  durationMs: 240_000,
};
