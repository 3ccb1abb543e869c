// The round view: what a `cluster` room shows its players, in one definition.
//
//   ClusterStateFields  the view as it travels: the room's Colyseus schema implements it
//                       (server/rooms/schema.ts), a replay in the browser keeps a plain one
//                       (newRoundState); the projection (project.ts) fills either.
//   RoundView           the same view, plain and parsed (settings, the vote's proposal, the
//                       debrief), as every screen and the map read it (roundViewOf).
//
// Units: simulated milliseconds for times (`t`, `simMs`), whole seconds for phase timers,
// milliseconds for latencies, requests per second for throughput.

import type { Phase } from '../protocol/messages.js';
import type { DebriefJson } from '../protocol/room.js';
import type { Scenario } from '../scenarios/types.js';
import type { Difficulty } from '../scenarios/difficulty.js';
import type { ClusterSettings, Stance } from '../scenarios/settings.js';
import type { NodeStatus } from '../sim/state.js';
import type { List, Table } from './lists.js';

export type { NodeStatus, Phase, DebriefJson };

/** One node of the cluster, by id (`nodes[i].id === i`). */
export interface NodeViewFields {
  id: number;
  /** Index into the scenario's topology.regions. */
  region: number;
  status: NodeStatus;
  /** Gray failure: serving at a fraction of its capacity (a slow-node fault). */
  slow: boolean;
  /** Leader-follower: shards this node currently leads (0 for leaderless). */
  leaderOf: number;
  /** Shards this node holds a replica of. */
  replicaOf: number;
  /**
   * Leader-follower: shards in which a promote now would start an election this node could
   * win (it does not lead them, hears no live leader for them, and a majority of their
   * replicas is up on its side); 0 for leaderless.
   */
  electable: number;
  /** Key of the seat holder in `players` ('' when nobody holds the seat). */
  ownerId: string;
  /** Nickname shown on the node: the seat holder's, or a bot's name. */
  owner: string;
  /** True while a bot operates the node (empty seat, or its player is away). */
  botControlled: boolean;
  /** 1 normally; doubles with each scale-up. */
  size: number;
  /** Requests and replication work waiting in the node's service queue. */
  queue: number;
  /** Queue as a percentage of the point where the node refuses new requests (may exceed 100). */
  load: number;
  /**
   * How busy the node is, as a percentage of its capacity (0–100): the larger of the
   * client requests it served in the last simulated second against what it can serve in a second
   * (nodeCapacity × size × slow factor), and its queue against the queue limit. It rises
   * with the traffic the node handles well before the node is overloaded (a node serving
   * half its capacity shows 50), reaches 100 when the queue is full, and is 0 for a node
   * that is not up.
   */
  utilization: number;
  /** What the node does without a quorum: 'refuse' (consistency) or 'serve' (availability). */
  stance: Stance;
  /** The load balancer sends it no new client requests. */
  drained: boolean;
  /** The node turns away flooding clients. */
  rateLimited: boolean;
  /** A misbehaving client is flooding this node right now. */
  flooded: boolean;
  /** Partition group: nodes in different groups cannot talk (all 0 when there is no partition). */
  group: number;
  /** How far the node's clock is from true time, ms. */
  clockOffset: number;
  /**
   * Per hot key (same order as hotKeys): the newest value this node holds, 0 when it holds
   * none, -1 when it is not a replica of that key. Different numbers on replicas of the
   * same key are divergence.
   */
  versions: List<number>;
  /** Per hot key: how many concurrent versions (siblings) the node keeps (0 or 1 usually). */
  siblings: List<number>;
  /**
   * What the node did while the cluster was split (shared/sim/split.ts): 0 no split yet,
   * 1 the split going on now, 2 the last one (then the fields below are that split's).
   */
  split: number;
  /** It was (or is) on the side without a majority of the nodes. */
  splitMinority: boolean;
  /** How long the split has lasted, whole seconds. */
  splitSeconds: number;
  /** Reads it answered during the split, and of them the ones found stale (known a second or so later). */
  splitReads: number;
  splitStale: number;
  /** Writes it acknowledged, and requests it turned away, during the split. */
  splitWrites: number;
  splitRefused: number;
}

/** Someone in the room: a person at a browser, a bot client, or a server bot on an empty seat. */
export interface PlayerViewFields {
  /** The key of this entry in `players` (a sessionId, or `bot-<node>`). */
  id: string;
  nickname: string;
  /** The node whose seat this player holds (-1 none). */
  node: number;
  connected: boolean;
  /** A server bot on an empty seat, or a client that joined as a bot. */
  isBot: boolean;
  /** Accepted commands this player sent. */
  actions: number;
  /** Client requests their node served while they operated it. */
  served: number;
  /** Their share of the team score: score × their share of everyone's points (shared/round/contributions.ts). */
  contribution: number;
  /** Stale reads their node answered while they operated it. */
  anomalies: number;
}

/** The live measures of GAME.md ("Measured"), for the round so far; final at debrief. */
export interface MeasuresViewFields {
  /** Successful requests / all requests so far (1 before any request). */
  availability: number;
  nines: number;
  /** Latency percentiles of successful requests so far, ms. */
  p50: number;
  p95: number;
  p99: number;
  /** Successful requests per second in the last finished window. */
  throughput: number;
  requests: number;
  staleReads: number;
  /** Only known once the round is over (the cluster must converge first): 0 until debrief. */
  lostWrites: number;
  /** Node-seconds × size so far, and the scenario's budget for it. */
  cost: number;
  budget: number;
  /** The team score against the SLA (0–1000), on the measures so far. */
  score: number;
}

/**
 * The SLA as an error budget (shared/sim/error-budget.ts), for the round so far: the
 * failures the promise allows over the round, those spent, and how fast they burn. Final at
 * debrief, where left ≥ 0 exactly when the availability promise was kept.
 */
export interface ErrorBudgetViewFields {
  /** The availability promised, as played (difficulty included), e.g. 0.999. */
  target: number;
  /** Failures the promise allows over the round (projected from the traffic while it runs). */
  allowed: number;
  /** Failed and timed-out requests so far. */
  spent: number;
  /** allowed − spent; negative once the promise is broken. */
  left: number;
  /** Failures of the last ~10 s against what an even spend allows (1 = even, 4 = four times too fast). */
  burnRate: number;
  /** Why most of the last ~10 s's failures failed (shared/sim/ops.ts FAIL_CAUSES), '' when none did. */
  recentCause: string;
  /** Seconds until the budget is gone at the recent pace; -1 when it lasts the round. */
  runsOutInS: number;
}

/** One finished metrics window (one simulated second), for sparklines. */
export interface MetricWindowViewFields {
  /** Window start, simulated ms. */
  t: number;
  availability: number;
  p99: number;
  throughput: number;
  staleReads: number;
  /** Requests invoked in the window (successful or not). */
  requests: number;
}

/** An entry of the event feed: the simulation's own events and the room's (votes, players). */
export interface FeedItemViewFields {
  /** Simulated ms when it happened. */
  t: number;
  /** A chaos kind, an action ('restart', 'configure'…), 'recover', 'heal', 'phase', 'player', 'vote'. */
  kind: string;
  text: string;
  /** The node it concerns (-1 none). */
  node: number;
}

/** A fault in force now. */
export interface FaultViewFields {
  kind: string;
  /** Node id for node faults, region index for a region partition, key index for a hot key. */
  target: number;
  magnitude: number;
  /** Simulated ms when it ends. */
  until: number;
}

/** The network between the nodes (static latencies come from the scenario's topology). */
export interface NetworkViewFields {
  partitioned: boolean;
  /** 'partition-region' | 'partition-random' | ''. */
  partitionKind: string;
  /** Extra one-way latency on every link from latency spikes, ms. */
  latencySpikeMs: number;
  /** Extra share of messages lost (on top of the scenario's background loss). */
  messageLoss: number;
  /** Shards are moving (after a scale-out, a removal or a placement setting). */
  rebalancing: boolean;
  /** Simulated ms when the rebalance completes (0 when none). */
  rebalanceUntil: number;
}

/** '' (no vote yet) | 'open' | 'passed' | 'failed' | 'expired' | 'refused' (passed but the cluster could not apply it). */
export type VoteStatus = '' | 'open' | 'passed' | 'failed' | 'expired' | 'refused';

/** The team's vote on a settings change (at most one open at a time). */
export interface VoteViewFields {
  /** Increases with every proposal; 0 before the first. */
  id: number;
  status: VoteStatus;
  /** The proposed settings change, as JSON of Partial<ClusterSettings>. */
  proposal: string;
  proposer: string;
  yes: number;
  no: number;
  /** Connected human players who may vote, and the strict majority of them. */
  electorate: number;
  needed: number;
  /** Seconds until an open vote expires. */
  secondsLeft: number;
  /** Ballots by player key: true agrees. */
  ballots: Table<boolean>;
}

/** The whole view of a `cluster` room (the root of its state). */
export interface ClusterStateFields {
  phase: Phase;
  /** Whole seconds left in the current phase (live: simulated seconds left in the round). */
  phaseSecondsLeft: number;
  /** Simulated ms since the live phase began. */
  simMs: number;
  /** Length of the live phase, simulated ms. */
  durationMs: number;
  scenario: string;
  preset: string;
  /** 'none' | 'normal' | 'heavy'. */
  chaos: string;
  /** 'easy' | 'normal' | 'hard' (shared/scenarios/difficulty.ts). */
  difficulty: string;
  seed: number;
  /** A solo or invitation-only room, never matched or listed. */
  isPrivate: boolean;
  /** Number of seats (the scenario's starting node count). */
  seats: number;
  nodes: List<NodeViewFields>;
  /** Everyone in the room by key: sessionIds for clients, `bot-<node>` for server bots. */
  players: Table<PlayerViewFields>;
  /** Names of the hottest keys whose per-node versions NodeViewFields.versions shows. */
  hotKeys: List<string>;
  network: NetworkViewFields;
  faults: List<FaultViewFields>;
  measures: MeasuresViewFields;
  errorBudget: ErrorBudgetViewFields;
  /** The last finished metric windows, oldest first (at most WINDOW_COUNT). */
  windows: List<MetricWindowViewFields>;
  /** The last events, oldest first (at most FEED_LENGTH). */
  feed: List<FeedItemViewFields>;
  /** The cluster settings in force. */
  settings: ClusterSettings;
  vote: VoteViewFields;
  /** At debrief: JSON of DebriefJson; '' before. */
  debrief: string;
  /** Set when the server is shutting down: a line to show the players. */
  notice: string;
  /** A class's teacher has paused the round (the clock and the simulation stand still). */
  paused: boolean;
  /** In a class: the team's number (0-based) and name; -1 / '' otherwise. */
  team: number;
  teamName: string;
  /** The stored recording's id (GET /api/rounds/:id, the client's /replay/:id), once live begins; '' before. */
  replayId: string;
}

// ---------------------------------------------------------------------------------------
// The plain, parsed view the screens read.

export interface NodeV extends NodeViewFields {
  versions: number[];
  siblings: number[];
}
export type PlayerV = PlayerViewFields;
export type MeasuresV = MeasuresViewFields;
export type ErrorBudgetV = ErrorBudgetViewFields;
export type WindowV = MetricWindowViewFields;
export type FeedV = FeedItemViewFields;
export type FaultV = FaultViewFields;
export type NetworkV = NetworkViewFields;

export interface VoteV extends Omit<VoteViewFields, 'proposal' | 'ballots'> {
  proposal: Partial<ClusterSettings>;
  ballots: Record<string, boolean>;
}

export interface RoundView {
  phase: Phase;
  phaseSecondsLeft: number;
  simMs: number;
  durationMs: number;
  scenarioId: string;
  /** The scenario from the shared catalogue as played at the round's difficulty (topology, SLA, budget, briefing, tutorial). */
  scenario: Scenario | undefined;
  preset: string;
  chaos: string;
  /** How hard the round is (normal when the state names none the game knows). */
  difficulty: Difficulty;
  seed: number;
  isPrivate: boolean;
  seats: number;
  nodes: NodeV[];
  players: PlayerV[];
  hotKeys: string[];
  network: NetworkV;
  faults: FaultV[];
  measures: MeasuresV;
  errorBudget: ErrorBudgetV;
  windows: WindowV[];
  feed: FeedV[];
  settings: ClusterSettings;
  vote: VoteV;
  debrief: DebriefJson | null;
  notice: string;
  /** The round's stored recording (its replay's id), once live begins; '' when none. */
  replayId: string;
  /** This browser's session id in the room. */
  me: string;
  /** The node whose seat this browser holds (-1 none). */
  myNode: number;
}
