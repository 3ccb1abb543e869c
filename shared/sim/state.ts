// The whole simulation state: plain JSON-safe data (no Map, Set, class, Infinity), so that
// a snapshot is JSON.stringify, a restore is JSON.parse, and a hash covers everything.

import type { ChaosEvent, ChaosLevel } from '../scenarios/chaos-types.js';
import type { Difficulty } from '../scenarios/difficulty.js';
import type { JudgeState } from './consistency.js';
import type { Heap } from './heap.js';
import type { MetricsState } from './metrics.js';
import type { OpRecord } from './ops.js';
import type { RngState } from './rng.js';
import type { ClusterSettings, Stance } from '../scenarios/settings.js';
import type { RunnableScenarioId } from '../scenarios/types.js';

export type NodeStatus = 'up' | 'down' | 'recovering' | 'removed';

/** One stored version of a key's value. Immutable once created (shared between replicas). */
export interface Version {
  /** The value (unique per write). */
  v: number;
  /** Last-write-wins timestamp: the writing node's clock reading. */
  ts: number;
  /** Node that stamped it (tie-break). */
  n: number;
  /** Leader-follower: the epoch and sequence number that ordered it. */
  ep: number;
  sq: number;
  /** Version vector (one counter per node id) when conflicts resolve by version vectors. */
  vv: number[] | null;
}

/** Leader-follower replication state one node keeps for one shard it replicates. */
export interface ShardReplica {
  role: 'leader' | 'follower' | 'candidate';
  /** The epoch this node currently follows or leads. */
  epoch: number;
  /** The highest epoch this node has voted in (durable with the disk). */
  votedEpoch: number;
  leader: number;
  /** Epoch and sequence of the last write applied: compared in elections (most up to date wins). */
  lastEpoch: number;
  lastSeq: number;
  lastHeard: number;
  /** Randomised per election so candidates do not collide forever. */
  electionDeadline: number;
  votes: number[];
  /** Leader: ready once a majority holds its state (or at once without majority elections). */
  ready: boolean;
  syncAcks: number[];
  /** Leader: when it last sent each follower a full copy (they are rate-limited). */
  syncSentAt: number[];
  nextSeq: number;
  /** Leader: acknowledged sequence per follower node id (index = node id). */
  match: number[];
  /** Leader: last time each follower answered (index = node id). */
  lastAck: number[];
  /** Leader: send time of the latest heartbeat each follower acknowledged (the lease's basis). */
  leaseAck: number[];
  commitSeq: number;
  pending: PendingWrite[];
  /** Read-index confirmation round (linearizable reads from the leader). */
  round: number;
  roundStart: number;
  roundAcks: number[];
  roundReads: PendingRead[];
  waitingReads: PendingRead[];
  /** After losing its disk a node may not vote until a leader has synced it. */
  amnesiac: boolean;
}

export interface PendingWrite {
  seq: number;
  key: number;
  ver: Version;
  op: number;
}

export interface PendingRead {
  key: number;
  op: number;
}

/** Leaderless: a coordinator's outstanding quorum request. */
export interface QuorumRequest {
  id: number;
  op: number;
  key: number;
  f: 0 | 1;
  /** Write: the version being written. */
  ver: Version | null;
  /** Replies so far: node ids that acked (write) or answered (read). */
  acks: number[];
  /** Read: the versions each replier holds. */
  replies: (Version[] | null)[];
  need: number;
  replicas: number[];
  started: number;
  /** Stage: 0 waiting for the quorum, 1 sloppy quorum tried, 2 read write-back, 3 done. */
  stage: number;
  /** Read write-back: nodes that hold the newest version after repair. */
  holders: number[];
  result: Version[] | null;
}

export interface Hint {
  /** The node the write was meant for. */
  target: number;
  key: number;
  ver: Version;
}

export interface NodeState {
  id: number;
  region: number;
  /** 1 normal, 2 after scale-up: capacity and cost multiply. */
  size: number;
  status: NodeStatus;
  /** Bumped on every crash: events addressed to an older incarnation are dropped. */
  incarnation: number;
  recoverAt: number;
  /** Gray failure: fraction of capacity left (1 = healthy). */
  slow: number;
  /** Clock: reading = true time + offset. */
  clockOffset: number;
  busyUntil: number;
  queue: number;
  drained: boolean;
  stance: Stance;
  /** Latest key versions this node stores, indexed by key (null = nothing stored). */
  store: (Version[] | null)[];
  /** Leader-follower state per shard index (null where this node is not a replica). */
  shards: (ShardReplica | null)[];
  /** Leaderless: outstanding quorum requests coordinated here, by request id. */
  requests: Record<string, QuorumRequest>;
  hints: Hint[];
  nextAntiEntropy: number;
  /** Requests from flooding clients are rejected here while rate-limited. */
  rateLimited: boolean;
  /** Counters for the client: requests served and refused, cost so far. */
  served: number;
  refused: number;
  /** Reads this node answered that the judge later found stale (credited to whoever ran it). */
  staleServed: number;
  startedAt: number;
  /** How many times this node lost its disk: its version-vector actor generation. */
  diskLosses: number;
  /** What it did during the current partition (null when none) and the one before (split.ts). */
  split: SplitRecord | null;
  lastSplit: SplitRecord | null;
  /**
   * Leaderless failure detector, per peer node id: when this node first asked that peer
   * something it has not answered since (-1: nothing outstanding). A peer silent for a
   * failover timeout is out of reach as far as this node can tell.
   */
  awaiting: number[];
}

/** What a node did while the cluster was split (shared/sim/split.ts). */
export interface SplitRecord {
  /** The partition's planned end: tells one partition from the next. */
  key: number;
  from: number;
  /** When it ended (-1 while it lasts). */
  until: number;
  /** On the side without a majority of the cluster's nodes. */
  minority: boolean;
  /** Reads it answered, and of them the ones the judge found stale. */
  reads: number;
  stale: number;
  /** Writes it acknowledged. */
  writes: number;
  /** Requests it turned away (or could not say whether they applied). */
  refused: number;
}

export interface ShardPlacement {
  /** Node ids holding a replica, preferred leader first. */
  replicas: number[];
  /** The cluster's metadata service's idea of the current leader (-1 none). */
  leader: number;
  leaderEpoch: number;
}

/**
 * A message in flight; `m` names its kind (see the protocol modules). A message is itself
 * the event that delivers it (and, once queued, the event that serves it): one object per
 * hop keeps the simulation's allocation rate down.
 */
export interface Message {
  /** Event fields: time, heap sequence, event kind, addressee, incarnation, free argument. */
  t: number;
  q: number;
  k: number;
  node: number;
  inc: number;
  a: number;
  m: number;
  from: number;
  shard: number;
  epoch: number;
  key: number;
  op: number;
  seq: number;
  ver: Version | null;
  vers: (Version[] | null)[] | null;
  keys: number[] | null;
  req: number;
  ok: boolean;
}

/** Every scheduled event has a message's shape (timers carry an empty one). */
export type SimEvent = Message;

export interface ActiveFault {
  kind: ChaosEvent['kind'];
  until: number;
  target: number;
  magnitude: number;
}

export interface Partition {
  /** Group number per node id (nodes in different groups cannot talk). */
  groups: number[];
  until: number;
  kind: 'partition-region' | 'partition-random';
}

export interface ClientState {
  /** Idle process ids, oldest first. */
  idle: number[];
  nextProcess: number;
}

/** A node's disk wiped (chaos or a replacement), and the shards whose data it held then. */
export interface DiskLoss {
  t: number;
  node: number;
  /** Shard indices (as placed at that moment) of which it held a copy, not just an empty slot. */
  shards: number[];
  /** Leader-follower: when a leader gave it each of those shards back in full (-1: not yet). */
  back: number[];
}

export interface FeedEntry {
  t: number;
  kind: string;
  text: string;
  node: number;
}

/**
 * The simulation's rules, numbered. A round replays only under the rules it ran on, so a
 * change to what a round does (not only to how fast it runs) takes a new number, and the
 * engine keeps the old behaviour for the rounds played before it. Recordings name their
 * rules (replay/revisions.ts); a saved state carries them here.
 *   1: every round recorded in formats 1 to 3.
 *   2: a node's periodic anti-entropy falls due at its own phase of the period, so the
 *      cluster's exchanges spread over the period (under 1 every node sent its exchange in
 *      the same tick, and a state taken then held them all in flight).
 */
export type SimVersion = 1 | 2;
/** The rules new rounds run on. */
export const SIM_VERSION: SimVersion = 2;
export const SIM_VERSIONS: readonly SimVersion[] = Object.freeze([1, 2]);

export function isSimVersion(x: unknown): x is SimVersion {
  return typeof x === 'number' && (SIM_VERSIONS as readonly number[]).includes(x);
}

export interface SimState {
  version: SimVersion;
  scenario: RunnableScenarioId;
  preset: string;
  chaosLevel: ChaosLevel;
  difficulty: Difficulty;
  seed: number;
  now: number;
  durationMs: number;
  settings: ClusterSettings;
  rng: { workload: RngState; chaos: RngState; cluster: RngState };
  events: Heap<SimEvent>;
  nodes: NodeState[];
  shards: ShardPlacement[];
  /** Shard of each key. */
  keyShard: number[];
  /** Rebalancing in progress: when it completes and the placement it will install. */
  rebalance: { until: number; settings: ClusterSettings; movedKeys: number } | null;
  /** Nodes that leave the cluster when the current rebalance completes. */
  removing: number[];
  /** Per ordered node pair, the last delivery time: links are FIFO like a TCP stream. */
  linkClock: number[];
  partition: Partition | null;
  faults: ActiveFault[];
  chaosSchedule: ChaosEvent[];
  clients: ClientState[];
  /**
   * Operations by id - inflightBase, in invoke order (so timeouts are FIFO); finished ones
   * become null, and the finished prefix is trimmed now and then.
   */
  inflight: (OpRecord | null)[];
  inflightBase: number;
  inflightHead: number;
  nextOp: number;
  nextValue: number;
  nextRequest: number;
  /**
   * Load-balancer state: round-robin cursor, health-check view per node, and per region
   * (index region × LINKS + node) whether that region's probe reached the node.
   */
  lb: { cursor: number; healthy: boolean[]; reach: boolean[]; probeAt: number };
  judge: JudgeState;
  /** Next simulated time the judge forgets values nobody can read any more (-1: never). */
  judgeCompactAt: number;
  metrics: MetricsState;
  /** Acknowledged writes' version vectors, for version-vector lost-write accounting. */
  ackedVectors: Record<string, number[]>;
  /** Counters the debrief explains. */
  counters: Counters;
  cost: number;
  feed: FeedEntry[];
  /** Every disk loss, in order: the debrief names those that took confirmed writes with them. */
  diskLossLog: DiskLoss[];
  /** Elections won, by epoch per shard: used to prove "one leader per epoch". */
  leadersByEpoch: Record<string, number[]>;
  finished: boolean;
}

export interface Counters {
  conflicts: number;
  siblingsCreated: number;
  lwwOverwrites: number;
  elections: number;
  failovers: number;
  refusedNoQuorum: number;
  servedWithoutQuorum: number;
  hintsStored: number;
  hintsDelivered: number;
  readRepairs: number;
  antiEntropyRounds: number;
  messagesSent: number;
  messagesLost: number;
  bytesMoved: number;
  rejectedOverload: number;
  shedMessages: number;
  rateLimited: number;
  floodRequests: number;
}
