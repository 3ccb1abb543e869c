// The cluster settings a team chooses: one definition, imported by the simulation, the
// protocol validator, the scenarios, the server and the client.

export type ReplicationFamily = 'leader-follower' | 'leaderless';
/** Dynamo-style read/write levels, resolved against the replication factor N. */
export type ConsistencyLevel = 'one' | 'quorum' | 'all';
export type LoadBalancing = 'round-robin' | 'least-loaded' | 'health-checked' | 'region-aware';
export type ConflictResolution = 'last-write-wins' | 'version-vectors';
/** Leader-follower: serve reads from the shard leader (linearizable) or from any replica. */
export type ReadFrom = 'leader' | 'any-replica';
/** Leader-follower failover: an election needs a majority of the shard's replicas, or not. */
export type ElectionMode = 'majority' | 'no-quorum';
/** What a node does when it cannot reach a quorum: refuse (consistency) or serve (availability). */
export type Stance = 'refuse' | 'serve';
/** Replica placement: spread a shard's replicas over the regions, or keep them in one region. */
export type Placement = 'spread' | 'single-region';

export interface ClusterSettings {
  replication: ReplicationFamily;
  replicationFactor: number;
  readQuorum: ConsistencyLevel;
  writeQuorum: ConsistencyLevel;
  /** Leader-follower: true = a write is acknowledged once a majority of replicas hold it. */
  syncReplication: boolean;
  readFrom: ReadFrom;
  election: ElectionMode;
  shardCount: number;
  loadBalancing: LoadBalancing;
  conflictResolution: ConflictResolution;
  /** 0 turns periodic anti-entropy off. */
  antiEntropyMs: number;
  failoverTimeoutMs: number;
  fencing: boolean;
  /** Leaderless: sloppy quorum with hinted handoff (the AP option). */
  hintedHandoff: boolean;
  readRepair: boolean;
  /** The stance every node starts with; each node's owner may change their own. */
  stance: Stance;
  placement: Placement;
}

/** Every field's bounds, in one place: the validator and the setup panel both read these. */
export const SETTING_BOUNDS = {
  replicationFactor: { min: 1, max: 5 },
  shardCount: { min: 1, max: 32 },
  antiEntropyMs: { min: 0, max: 60_000 },
  failoverTimeoutMs: { min: 100, max: 10_000 },
} as const;

export const SETTING_CHOICES = {
  replication: ['leader-follower', 'leaderless'],
  readQuorum: ['one', 'quorum', 'all'],
  writeQuorum: ['one', 'quorum', 'all'],
  readFrom: ['leader', 'any-replica'],
  election: ['majority', 'no-quorum'],
  loadBalancing: ['round-robin', 'least-loaded', 'health-checked', 'region-aware'],
  conflictResolution: ['last-write-wins', 'version-vectors'],
  stance: ['refuse', 'serve'],
  placement: ['spread', 'single-region'],
} as const satisfies Partial<Record<keyof ClusterSettings, readonly string[]>>;

export const BOOLEAN_SETTINGS = ['syncReplication', 'fencing', 'hintedHandoff', 'readRepair'] as const;

/** How many replicas a level needs out of n. */
export function levelCount(level: ConsistencyLevel, n: number): number {
  if (level === 'one') return 1;
  if (level === 'all') return n;
  return Math.floor(n / 2) + 1;
}

export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}
