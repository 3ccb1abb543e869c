// Building blocks the scenario files share: the four families of preset and the empty chaos
// profile. Every preset is a complete ClusterSettings, so a scenario never leaves a field to
// an implicit default that could differ between the server, the client and a replay.

import type { ChaosKind, ChaosProfile } from './chaos-types.js';
import type { ClusterSettings } from './settings.js';

/**
 * Consistency first, active-passive: one leader per shard, a write is acknowledged once a
 * majority holds it, reads go to the leader, and only a majority may elect a new leader.
 */
export function leaderFollowerCp(overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  return {
    replication: 'leader-follower',
    replicationFactor: 3,
    // R/W levels only matter to the leaderless family; kept at quorum so switching family
    // in the setup panel starts from the safe choice.
    readQuorum: 'quorum',
    writeQuorum: 'quorum',
    syncReplication: true,
    readFrom: 'leader',
    election: 'majority',
    shardCount: 6,
    loadBalancing: 'health-checked',
    conflictResolution: 'last-write-wins',
    antiEntropyMs: 10_000,
    failoverTimeoutMs: 1_500,
    fencing: true,
    hintedHandoff: false,
    readRepair: true,
    stance: 'refuse',
    placement: 'spread',
    ...overrides,
  };
}

/**
 * Availability first, active-passive: asynchronous replication, reads from any replica, and
 * an election without a quorum, so a partition can leave two leaders accepting writes.
 */
export function leaderFollowerAp(overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  return leaderFollowerCp({
    syncReplication: false,
    readFrom: 'any-replica',
    election: 'no-quorum',
    loadBalancing: 'least-loaded',
    failoverTimeoutMs: 800,
    fencing: false,
    stance: 'serve',
    ...overrides,
  });
}

/**
 * Consistency first, active-active: Dynamo-style with R + W > N and no sloppy quorum, so a
 * read always meets at least one replica that holds the latest acknowledged write.
 */
export function leaderlessQuorum(overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  return {
    replication: 'leaderless',
    replicationFactor: 3,
    readQuorum: 'quorum',
    writeQuorum: 'quorum',
    // Leader-only fields, set to their cautious values in case the team switches family.
    syncReplication: true,
    readFrom: 'leader',
    election: 'majority',
    shardCount: 6,
    loadBalancing: 'health-checked',
    conflictResolution: 'last-write-wins',
    antiEntropyMs: 10_000,
    failoverTimeoutMs: 1_500,
    fencing: true,
    hintedHandoff: false,
    readRepair: true,
    stance: 'refuse',
    placement: 'spread',
    ...overrides,
  };
}

/**
 * Availability first, active-active: one replica is enough to answer, and hinted handoff
 * lets a write land on a stand-in node when its home replicas are out of reach.
 */
export function leaderlessOne(overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  return leaderlessQuorum({
    readQuorum: 'one',
    writeQuorum: 'one',
    syncReplication: false,
    readFrom: 'any-replica',
    election: 'no-quorum',
    loadBalancing: 'least-loaded',
    antiEntropyMs: 5_000,
    failoverTimeoutMs: 800,
    fencing: false,
    hintedHandoff: true,
    stance: 'serve',
    ...overrides,
  });
}

/** The `none` chaos level: nothing is ever scheduled (a host may still strike by hand). */
export const NO_CHAOS: ChaosProfile = {
  meanIntervalMs: 0,
  graceMs: 0,
  weights: {},
  durationMs: [0, 0],
};

/**
 * How long faults last unless the team acts: a crashed node stays down and a flood goes on
 * for up to a minute (a restart or a rate limit ends them at once); a slow node or a surge
 * lasts a while; a partition heals on its own within seconds (the profile's durationMs).
 */
const LASTING: Partial<Record<ChaosKind, [number, number]>> = {
  crash: [30_000, 60_000],
  'crash-disk-loss': [30_000, 60_000],
  flood: [30_000, 60_000],
  'slow-node': [20_000, 45_000],
  'load-surge': [15_000, 30_000],
  'hot-key': [20_000, 40_000],
};

/**
 * The `normal` chaos level: a fault every 50 s on average after a quiet first 20 s, mostly
 * faults a team can answer (restart, rate-limit, drain, scale out), so acting well is what
 * keeps the promise; partitions are short.
 */
export function normalChaos(weights: ChaosProfile['weights']): ChaosProfile {
  return { meanIntervalMs: 50_000, graceMs: 20_000, weights, durationMs: [5_000, 12_000], kindDurationMs: LASTING };
}

/** The `heavy` level: a fault every 25 s and longer partitions. */
export function heavyChaos(weights: ChaosProfile['weights']): ChaosProfile {
  return { meanIntervalMs: 25_000, graceMs: 10_000, weights, durationMs: [8_000, 20_000], kindDurationMs: LASTING };
}
