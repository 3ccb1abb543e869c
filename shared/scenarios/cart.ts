// Shopping cart: two devices edit the same cart at once, and no add may ever be lost — the
// case for version vectors over last-write-wins.

import { leaderlessOne, leaderlessQuorum, heavyChaos, NO_CHAOS, normalChaos } from './common.js';
import type { Scenario } from './types.js';

export const cart: Scenario = {
  id: 'cart',
  title: 'Shopping cart',
  briefing:
    'Our shoppers fill their carts from a phone and a laptop, often both at the same moment. ' +
    'Anything they put in the cart must stay there: an item that quietly vanishes is a sale we never make. ' +
    'If two devices briefly disagree, we are glad to merge their carts, as long as neither loses an item.',
  teaches: ['eventual consistency', 'conflicts', 'version vectors', 'last-write-wins', 'clock skew', 'active-active'],
  sla: { availability: 0.993, p99Ms: 600, maxStaleReads: 5_000, maxLostWrites: 0 },
  topology: {
    regions: [
      { id: 'americas', name: 'Americas' },
      { id: 'europe', name: 'Europe' },
    ],
    nodesPerRegion: [3, 3],
    nodeCapacity: 400,
    intraRegionMs: [1, 4],
    crossRegionMs: [
      [0, 90],
      [90, 0],
    ],
    jitterMs: 3,
    loss: 0,
  },
  workload: {
    keys: 2_000,
    keyPrefix: 'cart',
    readFraction: 0.5,
    // Shared family carts and multi-device sessions: concurrent writes to the same key are common.
    hotKeys: 20,
    hotFraction: 0.4,
    // Quorum reads and writes cost about 2.5 slots per op: 25 % of 2,400 slots/s, then 50 %.
    startRate: 240,
    endRate: 480,
    clientsPerRegion: 500,
    timeoutMs: 1_000,
    regionWeights: [0.55, 0.45],
  },
  chaos: {
    none: NO_CHAOS,
    normal: normalChaos({ crash: 3, 'clock-skew': 3, 'partition-random': 1, 'partition-region': 1, flood: 2, 'slow-node': 2 }),
    heavy: heavyChaos({ 'partition-random': 5, 'clock-skew': 5, 'partition-region': 3, crash: 3, 'crash-disk-loss': 2, 'message-loss': 2 }),
  },

  // 6 nodes × 240 s = 1,440 at the start.
  budget: { limit: 2_160, maxNodes: 12 },
  scoring: { availability: 0.4, latency: 0.1, consistency: 0.05, durability: 0.35, cost: 0.1 },
  presets: {
    cp: leaderlessQuorum({ shardCount: 6, loadBalancing: 'region-aware' }),
    // Always writable, but a skewed clock lets the later-stamped write silently replace an add.
    ap: leaderlessOne({ shardCount: 6, loadBalancing: 'region-aware', conflictResolution: 'last-write-wins' }),
    // Dynamo's own cart: sloppy quorum stays writable, siblings are kept and merged, nothing is lost.
    'version-vectors': leaderlessQuorum({
      shardCount: 6,
      loadBalancing: 'region-aware',
      conflictResolution: 'version-vectors',
      hintedHandoff: true,
      stance: 'serve',
    }),
  },
  recommended: 'version-vectors',
  worst: 'ap',
  durationMs: 240_000,
};
