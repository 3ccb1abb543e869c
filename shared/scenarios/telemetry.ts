// Telemetry: a flood of writes where throughput and cost matter and losing a reading is
// acceptable — weak consistency, throughput vs latency.
//
// Rounds recorded before requests became batches replay on 'telemetry@1' (retired.ts), which
// is this object with the changed numbers set back. Changing a number here? Rounds already
// recorded need the old one: keep it as a new retired revision (retired.ts, replay/revisions.ts).

import { leaderFollowerCp, leaderlessOne, heavyChaos, NO_CHAOS, normalChaos } from './common.js';
import { MAX_NODES, type Scenario } from './types.js';

export const telemetry: Scenario = {
  id: 'telemetry',
  title: 'Telemetry ingest',
  briefing:
    'Thousands of our sensors send a reading every second, and the fleet keeps growing. ' +
    'Each request brings four readings from one group of sensors. ' +
    'The ingest must keep up with every sensor, at the lowest cost you can manage. ' +
    'Dropping the odd reading is fine: our dashboards only ever show averages.',
  teaches: ['weak consistency', 'latency vs throughput', 'horizontal scalability', 'load balancing'],
  // Counted in requests, each a batch of four readings. A batch takes a node four readings'
  // time, so queues are four times as slow to drain: the latency promise is 200 ms, not 150.
  sla: { availability: 0.99, p99Ms: 200, maxStaleReads: 12_500, maxLostWrites: 5_000 },
  topology: {
    regions: [{ id: 'ingest', name: 'Ingest data centre' }],
    nodesPerRegion: [10],
    // Batches per second: a node ingests 600 readings a second.
    nodeCapacity: 150,
    intraRegionMs: [1, 3],
    crossRegionMs: [[0]],
    jitterMs: 2,
    loss: 0.001,
  },
  workload: {
    // A key per group of four sensors: 25,000 sensors. It was 50,000 (12,500 keys): the
    // replicas' stores and the consistency judge keep a little for every key written, and
    // a 10-minute round's state reached 6–7 MB with the cp preset (the aim is 5).
    keys: 6_250,
    keyPrefix: 'metric',
    readFraction: 0.1,
    // A quarter of the keys, so each hot key sees as many writes a second as before.
    hotKeys: 25,
    hotFraction: 0.2,
    // The busiest scenario: 3,200 readings a second at the start, 8,320 at the end. A
    // simulated request is a batch of four (simulating each reading alone cost four times the
    // CPU: every rate, capacity and key count is divided by the same four). Writes
    // dominate, so RF 3 costs about 2.8 slots per op: 37 % of 1,500 slots/s at the start and
    // near 100 % at the end; RF 2 (the ap preset) costs 1.9, which keeps the peak near 66 %
    // — the trade the scenario is about.
    startRate: 200,
    endRate: 520,
    clientsPerRegion: 625,
    timeoutMs: 500,
    regionWeights: [1],
    batch: { size: 4, items: 'readings' },
  },
  chaos: {
    none: NO_CHAOS,
    normal: normalChaos({ flood: 3, 'slow-node': 3, 'load-surge': 3, crash: 2 }),
    heavy: heavyChaos({ 'slow-node': 4, flood: 4, 'load-surge': 4, crash: 3, 'message-loss': 1 }),
  },

  // 10 nodes × 240 s = 2,400 at the start.
  budget: { limit: 3_600, maxNodes: MAX_NODES },
  scoring: { availability: 0.35, latency: 0.2, consistency: 0.05, durability: 0.1, cost: 0.3 },
  presets: {
    cp: leaderFollowerCp({ shardCount: 16 }),
    // Two copies, one ack, no waiting: the cheapest way to keep up, at the price of the odd lost reading.
    ap: leaderlessOne({ replicationFactor: 2, shardCount: 16, antiEntropyMs: 0, readRepair: false }),
  },
  recommended: 'ap',
  worst: 'cp',
  durationMs: 240_000,
};
