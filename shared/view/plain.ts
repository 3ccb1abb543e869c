// A round view made of plain objects, arrays and Maps, with the same starting values as
// the room's schema (a test holds the two together). A replay in the browser projects its
// simulation into one of these.

import type { ViewMakers } from './project.js';
import { defaultViewSettings } from './settings.js';
import type { ClusterStateFields, ErrorBudgetViewFields, FaultViewFields, FeedItemViewFields, MeasuresViewFields, MetricWindowViewFields, NetworkViewFields, NodeV, PlayerViewFields, VoteViewFields } from './round.js';

/** ClusterStateFields with plain containers. */
export interface PlainClusterState extends ClusterStateFields {
  nodes: NodeV[];
  players: Map<string, PlayerViewFields>;
  hotKeys: string[];
  faults: FaultViewFields[];
  windows: MetricWindowViewFields[];
  feed: FeedItemViewFields[];
  vote: VoteViewFields & { ballots: Map<string, boolean> };
}

/** The projection's list entries as plain objects. */
export const PLAIN_MAKERS: ViewMakers = { node: () => newNode(0), fault: newFault, window: newWindow, feedItem: newFeedItem };

export function newRoundState(): PlainClusterState {
  return {
    phase: 'lobby', phaseSecondsLeft: 0, simMs: 0, durationMs: 0, scenario: '', preset: '', chaos: 'normal', difficulty: 'normal', seed: 0,
    isPrivate: false, seats: 0, nodes: [], players: new Map(), hotKeys: [], network: newNetwork(), faults: [],
    measures: newMeasures(), errorBudget: newErrorBudget(), windows: [], feed: [], settings: defaultViewSettings(), vote: newVote(),
    debrief: '', notice: '', paused: false, team: -1, teamName: '', replayId: '',
  };
}

export function newNode(id: number): NodeV {
  return {
    id, region: 0, status: 'up', slow: false, leaderOf: 0, replicaOf: 0, electable: 0, ownerId: '', owner: '', botControlled: true,
    size: 1, queue: 0, load: 0, utilization: 0, stance: 'refuse', drained: false, rateLimited: false, flooded: false,
    group: 0, clockOffset: 0, versions: [], siblings: [],
    split: 0, splitMinority: false, splitSeconds: 0, splitReads: 0, splitStale: 0, splitWrites: 0, splitRefused: 0,
  };
}

export function newPlayer(id: string): PlayerViewFields {
  return { id, nickname: '', node: -1, connected: true, isBot: false, actions: 0, served: 0, contribution: 0, anomalies: 0 };
}

export function newMeasures(): MeasuresViewFields {
  return { availability: 1, nines: 0, p50: 0, p95: 0, p99: 0, throughput: 0, requests: 0, staleReads: 0, lostWrites: 0, cost: 0, budget: 0, score: 0 };
}

export function newErrorBudget(): ErrorBudgetViewFields {
  return { target: 0, allowed: 0, spent: 0, left: 0, burnRate: 0, recentCause: '', runsOutInS: -1 };
}

export function newWindow(): MetricWindowViewFields {
  return { t: 0, availability: 1, p99: 0, throughput: 0, staleReads: 0, requests: 0 };
}

export function newFeedItem(): FeedItemViewFields {
  return { t: 0, kind: '', text: '', node: -1 };
}

export function newFault(): FaultViewFields {
  return { kind: '', target: 0, magnitude: 0, until: 0 };
}

export function newNetwork(): NetworkViewFields {
  return { partitioned: false, partitionKind: '', latencySpikeMs: 0, messageLoss: 0, rebalancing: false, rebalanceUntil: 0 };
}

export function newVote(): VoteViewFields & { ballots: Map<string, boolean> } {
  return { id: 0, status: '', proposal: '', proposer: '', yes: 0, no: 0, electorate: 0, needed: 0, secondsLeft: 0, ballots: new Map() };
}
