// The contract between the game server and every client: what a `cluster` room's state
// looks like on the wire. The browser client imports these classes with `import type`
// (colyseus.js rebuilds them from the handshake), so field names here are stable API.
//
// No rules live here: the classes are plain containers that server/rooms/projection.ts
// fills from the simulation's state, changing only what changed.
//
// Units: simulated milliseconds for times (`t`, `simMs`), whole seconds for phase timers,
// milliseconds for latencies, requests per second for throughput.

import { ArraySchema, MapSchema, Schema, type } from '@colyseus/schema';

/** The round's phases, in order (GAME.md "The round"). */
export { PHASES, type Phase, type ReadyMessage, type RoomEventMessage } from '../../shared/protocol/messages.js';
import type { Phase } from '../../shared/protocol/messages.js';

/** One node of the cluster, by id (`ClusterState.nodes[i].id === i`). */
export class NodeView extends Schema {
  @type('uint8') id = 0;
  /** Index into the scenario's topology.regions. */
  @type('uint8') region = 0;
  /** The simulation's status: 'up' | 'down' | 'recovering' | 'removed'. */
  @type('string') status = 'up';
  /** Gray failure: serving at a fraction of its capacity (a slow-node fault). */
  @type('boolean') slow = false;
  /** Leader-follower: shards this node currently leads (0 for leaderless). */
  @type('uint8') leaderOf = 0;
  /** Shards this node holds a replica of. */
  @type('uint8') replicaOf = 0;
  /** Key of the seat holder in `players` ('' when nobody holds the seat). */
  @type('string') ownerId = '';
  /** Nickname shown on the node: the seat holder's, or a bot's name. */
  @type('string') owner = '';
  /** True while a bot operates the node (empty seat, or its player is away). */
  @type('boolean') botControlled = true;
  /** 1 normally; doubles with each scale-up. */
  @type('uint8') size = 1;
  /** Requests and replication work waiting in the node's service queue. */
  @type('uint16') queue = 0;
  /** Queue as a percentage of the point where the node refuses new requests (may exceed 100). */
  @type('uint16') load = 0;
  /**
   * How busy the node is, as a percentage of its capacity (0–100): the larger of the
   * client requests it served in the last simulated second against what it can serve in a second
   * (nodeCapacity × size × slow factor), and its queue against the queue limit. It rises
   * with the traffic the node handles well before the node is overloaded (a node serving
   * half its capacity shows 50), reaches 100 when the queue is full, and is 0 for a node
   * that is not up.
   */
  @type('uint8') utilization = 0;
  /** What the node does without a quorum: 'refuse' (consistency) or 'serve' (availability). */
  @type('string') stance = 'refuse';
  /** The load balancer sends it no new client requests. */
  @type('boolean') drained = false;
  /** The node turns away flooding clients. */
  @type('boolean') rateLimited = false;
  /** A misbehaving client is flooding this node right now. */
  @type('boolean') flooded = false;
  /** Partition group: nodes in different groups cannot talk (all 0 when there is no partition). */
  @type('uint8') group = 0;
  /** How far the node's clock is from true time, ms. */
  @type('int32') clockOffset = 0;
  /**
   * Per hot key (same order as ClusterState.hotKeys): the newest value this node holds,
   * 0 when it holds none, -1 when it is not a replica of that key. Different numbers on
   * replicas of the same key are divergence.
   */
  @type(['int32']) versions = new ArraySchema<number>();
  /** Per hot key: how many concurrent versions (siblings) the node keeps (0 or 1 usually). */
  @type(['uint8']) siblings = new ArraySchema<number>();
}

/** Someone in the room: a person at a browser, a bot client, or a server bot on an empty seat. */
export class PlayerView extends Schema {
  /** The key of this entry in ClusterState.players (a sessionId, or `bot-<node>`). */
  @type('string') id = '';
  @type('string') nickname = '';
  /** The node whose seat this player holds (-1 none). */
  @type('int8') node = -1;
  @type('boolean') connected = true;
  /** A server bot on an empty seat, or a client that joined as a bot. */
  @type('boolean') isBot = false;
  /** Accepted commands this player sent. */
  @type('uint16') actions = 0;
  /** Client requests their node served while they operated it. */
  @type('uint32') served = 0;
  /** Their share of the team score: score × their share of the requests served. */
  @type('uint16') contribution = 0;
  /** Stale reads their node answered while they operated it. */
  @type('uint32') anomalies = 0;
}

/** The live measures of GAME.md ("Measured"), for the round so far; final at debrief. */
export class MeasuresView extends Schema {
  /** Successful requests / all requests so far (1 before any request). */
  @type('number') availability = 1;
  @type('number') nines = 0;
  /** Latency percentiles of successful requests so far, ms. */
  @type('number') p50 = 0;
  @type('number') p95 = 0;
  @type('number') p99 = 0;
  /** Successful requests per second in the last finished window. */
  @type('number') throughput = 0;
  @type('uint32') requests = 0;
  @type('uint32') staleReads = 0;
  /** Only known once the round is over (the cluster must converge first): 0 until debrief. */
  @type('uint32') lostWrites = 0;
  /** Node-seconds × size so far, and the scenario's budget for it. */
  @type('number') cost = 0;
  @type('number') budget = 0;
  /** The team score against the SLA (0–1000), on the measures so far. */
  @type('uint16') score = 0;
}

/** One finished metrics window (one simulated second), for sparklines. */
export class MetricWindowView extends Schema {
  /** Window start, simulated ms. */
  @type('uint32') t = 0;
  @type('number') availability = 1;
  @type('number') p99 = 0;
  @type('number') throughput = 0;
  @type('uint16') staleReads = 0;
  /** Requests invoked in the window (successful or not). */
  @type('uint32') requests = 0;
}

/** An entry of the event feed: the simulation's own events and the room's (votes, players). */
export class FeedItemView extends Schema {
  /** Simulated ms when it happened. */
  @type('uint32') t = 0;
  /** A chaos kind, an action ('restart', 'configure'…), 'recover', 'heal', 'phase', 'player', 'vote'. */
  @type('string') kind = '';
  @type('string') text = '';
  /** The node it concerns (-1 none). */
  @type('int8') node = -1;
}

/** A fault in force now. */
export class FaultView extends Schema {
  @type('string') kind = '';
  /** Node id for node faults, region index for a region partition, key index for a hot key. */
  @type('uint16') target = 0;
  @type('number') magnitude = 0;
  /** Simulated ms when it ends. */
  @type('uint32') until = 0;
}

/** The network between the nodes (static latencies come from the scenario's topology). */
export class NetworkView extends Schema {
  @type('boolean') partitioned = false;
  /** 'partition-region' | 'partition-random' | ''. */
  @type('string') partitionKind = '';
  /** Extra one-way latency on every link from latency spikes, ms. */
  @type('uint16') latencySpikeMs = 0;
  /** Extra share of messages lost (on top of the scenario's background loss). */
  @type('number') messageLoss = 0;
  /** Shards are moving (after a scale-out, a removal or a placement setting). */
  @type('boolean') rebalancing = false;
  /** Simulated ms when the rebalance completes (0 when none). */
  @type('uint32') rebalanceUntil = 0;
}

/** The cluster settings in force (shared/scenarios/settings.ts ClusterSettings, field for field). */
export class SettingsView extends Schema {
  @type('string') replication = 'leader-follower';
  @type('uint8') replicationFactor = 3;
  @type('string') readQuorum = 'quorum';
  @type('string') writeQuorum = 'quorum';
  @type('boolean') syncReplication = true;
  @type('string') readFrom = 'leader';
  @type('string') election = 'majority';
  @type('uint8') shardCount = 1;
  @type('string') loadBalancing = 'round-robin';
  @type('string') conflictResolution = 'last-write-wins';
  @type('uint32') antiEntropyMs = 0;
  @type('uint16') failoverTimeoutMs = 1000;
  @type('boolean') fencing = true;
  @type('boolean') hintedHandoff = false;
  @type('boolean') readRepair = false;
  @type('string') stance = 'refuse';
  @type('string') placement = 'spread';
}

/** The team's vote on a settings change (at most one open at a time). */
export class VoteView extends Schema {
  /** Increases with every proposal; 0 before the first. */
  @type('uint16') id = 0;
  /** '' (no vote yet) | 'open' | 'passed' | 'failed' | 'expired' | 'refused' (passed but the cluster could not apply it). */
  @type('string') status = '';
  /** The proposed settings change, as JSON of Partial<ClusterSettings>. */
  @type('string') proposal = '';
  @type('string') proposer = '';
  @type('uint8') yes = 0;
  @type('uint8') no = 0;
  /** Connected human players who may vote, and the strict majority of them. */
  @type('uint8') electorate = 0;
  @type('uint8') needed = 0;
  /** Seconds until an open vote expires. */
  @type('uint16') secondsLeft = 0;
  /** Ballots by player key: true agrees. */
  @type({ map: 'boolean' }) ballots = new MapSchema<boolean>();
}

/** The root state of a `cluster` room. */
export class ClusterState extends Schema {
  @type('string') phase: Phase = 'lobby';
  /** Whole seconds left in the current phase (live: simulated seconds left in the round). */
  @type('uint16') phaseSecondsLeft = 0;
  /** Simulated ms since the live phase began. */
  @type('uint32') simMs = 0;
  /** Length of the live phase, simulated ms. */
  @type('uint32') durationMs = 0;
  @type('string') scenario = '';
  @type('string') preset = '';
  /** 'none' | 'normal' | 'heavy'. */
  @type('string') chaos = 'normal';
  @type('uint32') seed = 0;
  /** A solo or invitation-only room, never matched or listed. */
  @type('boolean') isPrivate = false;
  /** Number of seats (the scenario's starting node count). */
  @type('uint8') seats = 0;
  @type([NodeView]) nodes = new ArraySchema<NodeView>();
  /** Everyone in the room by key: sessionIds for clients, `bot-<node>` for server bots. */
  @type({ map: PlayerView }) players = new MapSchema<PlayerView>();
  /** Names of the hottest keys whose per-node versions NodeView.versions shows. */
  @type(['string']) hotKeys = new ArraySchema<string>();
  @type(NetworkView) network = new NetworkView();
  @type([FaultView]) faults = new ArraySchema<FaultView>();
  @type(MeasuresView) measures = new MeasuresView();
  /** The last finished metric windows, oldest first (at most 30). */
  @type([MetricWindowView]) windows = new ArraySchema<MetricWindowView>();
  /** The last events, oldest first (at most 20). */
  @type([FeedItemView]) feed = new ArraySchema<FeedItemView>();
  @type(SettingsView) settings = new SettingsView();
  @type(VoteView) vote = new VoteView();
  /** At debrief: JSON of DebriefJson (below); '' before. */
  @type('string') debrief = '';
  /** Set when the server is shutting down: a line to show the players. */
  @type('string') notice = '';
  /** A class's teacher has paused the round (the clock and the simulation stand still). */
  @type('boolean') paused = false;
  /** In a class: the team's number (0-based) and name; -1 / '' otherwise. */
  @type('int8') team = -1;
  @type('string') teamName = '';
  /** The stored recording's id (GET /api/rounds/:id, the client's /replay/:id), once live begins; '' before. */
  @type('string') replayId = '';
}

// ---------------------------------------------------------------------------------------
// Plain types that travel as JSON (in ClusterState.debrief and in `event` messages).

/** What ClusterState.debrief holds once the round is over. */
export interface DebriefJson {
  /** shared/sim/summary.ts Summary: every measure of the round. */
  summary: import('../../shared/sim/summary.js').Summary;
  players: { id: string; nickname: string; node: number; isBot: boolean; actions: number; served: number; contribution: number; anomalies: number }[];
  /** Accepted commands and checkpoints in the round's recording. */
  commands: number;
  checkpoints: number;
  /** The round ended early because the server shut down. */
  interrupted: boolean;
  /**
   * The whole round, for the debrief's concept cards (shared/lessons/record.ts
   * roundRecordOf): every metric window, every chaos event, every accepted command with
   * `by` = the sender's nickname. Clients that saw only part of the round use this.
   */
  record: import('../../shared/lessons/pick.js').RoundRecord;
}

/** Join options a client may pass (validated by the room; unknown fields are refused). */
export interface JoinOptions {
  nickname?: string;
  /** The browser's random player key: lists its rounds; in a class, who the student is. */
  playerKey?: string;
  /** A scripted client (npm run bots); it is shown as a bot and does not vote. */
  bot?: boolean;
}

/** Room options for `create` / `joinOrCreate('cluster', …)`, validated by server/rooms/options.ts. */
export interface ClusterRoomOptions extends JoinOptions {
  scenario?: string;
  preset?: string;
  chaos?: string;
  seed?: number;
  /** Length of the live phase in seconds, 30–600 (default: the scenario's). */
  roundSeconds?: number;
  /** Solo / invitation only: never matched by joinOrCreate nor listed in the lobby. */
  private?: boolean;
  lobbySeconds?: number;
  briefingSeconds?: number;
  setupSeconds?: number;
  debriefSeconds?: number;
  /** How long a vote stays open, seconds. */
  voteSeconds?: number;
}

/** What a `cluster` room publishes in the lobby's realtime listing (RoomAvailable.metadata). */
export interface ClusterRoomMetadata {
  scenario: string;
  title: string;
  phase: Phase;
  /** Human players seated, and seats in all. */
  humans: number;
  seats: number;
}
