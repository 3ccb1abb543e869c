// The `cluster` room's state on the wire: Colyseus schema classes that implement the round
// view's one definition (shared/view/round.ts, where every field is documented). The field
// types here set the bytes a patch costs; field names are the view's.
//
// No rules live here: the classes are plain containers that the shared projection
// (shared/view/project.ts, through ./projection.ts) fills from the simulation's state,
// changing only what changed. Clients read them through shared/view's interfaces.

import { ArraySchema, MapSchema, Schema, type } from '@colyseus/schema';
import type { Phase } from '../../shared/protocol/messages.js';
import type { ConflictResolution, ConsistencyLevel, ElectionMode, LoadBalancing, Placement, ReadFrom, ReplicationFamily, Stance, ClusterSettings } from '../../shared/scenarios/settings.js';
import type { NodeStatus } from '../../shared/sim/state.js';
import type {
  ClusterStateFields, ErrorBudgetViewFields, FaultViewFields, FeedItemViewFields, MeasuresViewFields, MetricWindowViewFields, NetworkViewFields,
  NodeViewFields, PlayerViewFields, VoteStatus, VoteViewFields,
} from '../../shared/view/round.js';

/** One node of the cluster, by id (`ClusterState.nodes[i].id === i`). */
export class NodeView extends Schema implements NodeViewFields {
  @type('uint8') id = 0;
  @type('uint8') region = 0;
  @type('string') status: NodeStatus = 'up';
  @type('boolean') slow = false;
  @type('uint8') leaderOf = 0;
  @type('uint8') replicaOf = 0;
  @type('uint8') electable = 0;
  @type('string') ownerId = '';
  @type('string') owner = '';
  @type('boolean') botControlled = true;
  @type('uint8') size = 1;
  @type('uint16') queue = 0;
  @type('uint16') load = 0;
  @type('uint8') utilization = 0;
  @type('string') stance: Stance = 'refuse';
  @type('boolean') drained = false;
  @type('boolean') rateLimited = false;
  @type('boolean') flooded = false;
  @type('uint8') group = 0;
  @type('int32') clockOffset = 0;
  @type(['int32']) versions = new ArraySchema<number>();
  @type(['uint8']) siblings = new ArraySchema<number>();
  @type('uint8') split = 0;
  @type('boolean') splitMinority = false;
  @type('uint16') splitSeconds = 0;
  @type('uint32') splitReads = 0;
  @type('uint32') splitStale = 0;
  @type('uint32') splitWrites = 0;
  @type('uint32') splitRefused = 0;
}

/** Someone in the room: a person at a browser, a bot client, or a server bot on an empty seat. */
export class PlayerView extends Schema implements PlayerViewFields {
  @type('string') id = '';
  @type('string') nickname = '';
  @type('int8') node = -1;
  @type('boolean') connected = true;
  @type('boolean') isBot = false;
  @type('uint16') actions = 0;
  @type('uint32') served = 0;
  @type('uint16') contribution = 0;
  @type('uint32') anomalies = 0;
}

/** The live measures of GAME.md ("Measured"), for the round so far; final at debrief. */
export class MeasuresView extends Schema implements MeasuresViewFields {
  @type('number') availability = 1;
  @type('number') nines = 0;
  @type('number') p50 = 0;
  @type('number') p95 = 0;
  @type('number') p99 = 0;
  @type('number') throughput = 0;
  @type('uint32') requests = 0;
  @type('uint32') staleReads = 0;
  @type('uint32') lostWrites = 0;
  @type('number') cost = 0;
  @type('number') budget = 0;
  @type('uint16') score = 0;
}

/** The SLA as an error budget: failures allowed, spent, left, and how fast they burn. */
export class ErrorBudgetView extends Schema implements ErrorBudgetViewFields {
  @type('number') target = 0;
  @type('uint32') allowed = 0;
  @type('uint32') spent = 0;
  @type('int32') left = 0;
  @type('number') burnRate = 0;
  @type('string') recentCause = '';
  @type('int32') runsOutInS = -1;
}

/** One finished metrics window (one simulated second), for sparklines. */
export class MetricWindowView extends Schema implements MetricWindowViewFields {
  @type('uint32') t = 0;
  @type('number') availability = 1;
  @type('number') p99 = 0;
  @type('number') throughput = 0;
  @type('uint16') staleReads = 0;
  @type('uint32') requests = 0;
}

/** An entry of the event feed: the simulation's own events and the room's (votes, players). */
export class FeedItemView extends Schema implements FeedItemViewFields {
  @type('uint32') t = 0;
  @type('string') kind = '';
  @type('string') text = '';
  @type('int8') node = -1;
}

/** A fault in force now. */
export class FaultView extends Schema implements FaultViewFields {
  @type('string') kind = '';
  @type('uint16') target = 0;
  @type('number') magnitude = 0;
  @type('uint32') until = 0;
}

/** The network between the nodes (static latencies come from the scenario's topology). */
export class NetworkView extends Schema implements NetworkViewFields {
  @type('boolean') partitioned = false;
  @type('string') partitionKind = '';
  @type('uint16') latencySpikeMs = 0;
  @type('number') messageLoss = 0;
  @type('boolean') rebalancing = false;
  @type('uint32') rebalanceUntil = 0;
}

/** The cluster settings in force (shared/scenarios/settings.ts ClusterSettings, field for field). */
export class SettingsView extends Schema implements ClusterSettings {
  @type('string') replication: ReplicationFamily = 'leader-follower';
  @type('uint8') replicationFactor = 3;
  @type('string') readQuorum: ConsistencyLevel = 'quorum';
  @type('string') writeQuorum: ConsistencyLevel = 'quorum';
  @type('boolean') syncReplication = true;
  @type('string') readFrom: ReadFrom = 'leader';
  @type('string') election: ElectionMode = 'majority';
  @type('uint8') shardCount = 1;
  @type('string') loadBalancing: LoadBalancing = 'round-robin';
  @type('string') conflictResolution: ConflictResolution = 'last-write-wins';
  @type('uint32') antiEntropyMs = 0;
  @type('uint16') failoverTimeoutMs = 1000;
  @type('boolean') fencing = true;
  @type('boolean') hintedHandoff = false;
  @type('boolean') readRepair = false;
  @type('string') stance: Stance = 'refuse';
  @type('string') placement: Placement = 'spread';
}

/** The team's vote on a settings change (at most one open at a time). */
export class VoteView extends Schema implements VoteViewFields {
  @type('uint16') id = 0;
  @type('string') status: VoteStatus = '';
  @type('string') proposal = '';
  @type('string') proposer = '';
  @type('uint8') yes = 0;
  @type('uint8') no = 0;
  @type('uint8') electorate = 0;
  @type('uint8') needed = 0;
  @type('uint16') secondsLeft = 0;
  @type({ map: 'boolean' }) ballots = new MapSchema<boolean>();
}

/** The root state of a `cluster` room. */
export class ClusterState extends Schema implements ClusterStateFields {
  @type('string') phase: Phase = 'lobby';
  @type('uint16') phaseSecondsLeft = 0;
  @type('uint32') simMs = 0;
  @type('uint32') durationMs = 0;
  @type('string') scenario = '';
  @type('string') preset = '';
  @type('string') chaos = 'normal';
  @type('string') difficulty = 'normal';
  @type('uint32') seed = 0;
  @type('boolean') isPrivate = false;
  @type('uint8') seats = 0;
  @type([NodeView]) nodes = new ArraySchema<NodeView>();
  @type({ map: PlayerView }) players = new MapSchema<PlayerView>();
  @type(['string']) hotKeys = new ArraySchema<string>();
  @type(NetworkView) network = new NetworkView();
  @type([FaultView]) faults = new ArraySchema<FaultView>();
  @type(MeasuresView) measures = new MeasuresView();
  @type(ErrorBudgetView) errorBudget = new ErrorBudgetView();
  @type([MetricWindowView]) windows = new ArraySchema<MetricWindowView>();
  @type([FeedItemView]) feed = new ArraySchema<FeedItemView>();
  @type(SettingsView) settings = new SettingsView();
  @type(VoteView) vote = new VoteView();
  @type('string') debrief = '';
  @type('string') notice = '';
  @type('boolean') paused = false;
  @type('int8') team = -1;
  @type('string') teamName = '';
  @type('string') replayId = '';
}
