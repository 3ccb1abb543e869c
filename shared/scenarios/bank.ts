// Bank ledger: a stale balance is a real loss, so consistency beats availability here.

import { leaderFollowerAp, leaderFollowerCp, leaderlessQuorum, heavyChaos, NO_CHAOS, normalChaos } from './common.js';
import type { Scenario } from './types.js';

export const bank: Scenario = {
  id: 'bank',
  title: 'Bank ledger',
  briefing:
    'We are Ledgerline Bank, and the balance a customer sees must always be the real one: ' +
    'showing an old balance lets someone spend the same money twice, and a transfer we confirmed ' +
    'must never vanish. When part of our network is cut off, we would rather turn a customer away ' +
    'for a moment than show them a wrong number.',
  teaches: ['strong consistency', 'CP', 'quorums', 'replication', 'failover'],
  sla: { availability: 0.97, p99Ms: 300, maxStaleReads: 0, maxLostWrites: 0 },
  topology: {
    // A main site and a smaller backup site: cutting either off shows which side keeps a majority.
    regions: [
      { id: 'main', name: 'Main data centre' },
      { id: 'backup', name: 'Backup data centre' },
    ],
    nodesPerRegion: [3, 2],
    nodeCapacity: 300,
    intraRegionMs: [1, 3],
    crossRegionMs: [
      [0, 40],
      [40, 0],
    ],
    jitterMs: 2,
    loss: 0,
  },
  workload: {
    keys: 1_000,
    keyPrefix: 'acct',
    readFraction: 0.7,
    // Payroll and merchant accounts see far more transfers than the rest.
    hotKeys: 20,
    hotFraction: 0.3,
    // With RF 3 a write costs three service slots: about 32 % of 1,500 slots/s at the start, 64 % at the end.
    startRate: 300,
    endRate: 600,
    clientsPerRegion: 400,
    timeoutMs: 1_000,
    regionWeights: [0.7, 0.3],
  },
  chaos: {
    none: NO_CHAOS,
    normal: normalChaos({ crash: 3, flood: 2, 'slow-node': 2, 'partition-region': 1, 'partition-random': 1, 'clock-skew': 1 }),
    heavy: heavyChaos({ crash: 4, 'crash-disk-loss': 2, flood: 2, 'slow-node': 2, 'partition-region': 2, 'partition-random': 2, 'clock-skew': 1, 'message-loss': 1 }),
  },

  // 5 nodes × 300 s = 1,500 cost units at the start.
  budget: { limit: 2_250, maxNodes: 9 },
  // The right balance and every transfer weigh most; then being there when called. Money is
  // not scored: the budget still caps the nodes a team may add.
  scoring: { availability: 0.45, latency: 0.05, consistency: 0.3, durability: 0.2, cost: 0 },
  presets: {
    cp: leaderFollowerCp({ shardCount: 10 }),
    ap: leaderFollowerAp({ shardCount: 10 }),
    // The same guarantee without a leader: R + W > N, no sloppy quorum.
    quorum: leaderlessQuorum({ shardCount: 10 }),
  },
  recommended: 'cp',
  worst: 'ap',
  durationMs: 300_000,
};
