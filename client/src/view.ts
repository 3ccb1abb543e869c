// What the client draws: a plain copy of the room's state, made once per frame by toView.
// Screens and the map read only this, never the Colyseus schema, so they can be tested (and
// screenshotted) with a state built by hand, and a schema change touches one function.

import type { ClusterState, DebriefJson, Phase } from '../../server/rooms/schema.js';
import { getScenario } from '../../shared/scenarios/index.js';
import type { Scenario } from '../../shared/scenarios/types.js';
import type { ClusterSettings } from '../../shared/scenarios/settings.js';

export type { DebriefJson, Phase };

export type NodeStatus = 'up' | 'down' | 'recovering' | 'removed';

export interface NodeV {
  id: number;
  region: number;
  status: NodeStatus;
  slow: boolean;
  leaderOf: number;
  replicaOf: number;
  ownerId: string;
  owner: string;
  bot: boolean;
  size: number;
  queue: number;
  /** Queue as a percentage of the point where the node turns requests away. */
  load: number;
  /** Share of the node's capacity that is busy, percent 0–100 (server/rooms/schema.ts NodeView.utilization). */
  utilization: number;
  stance: 'refuse' | 'serve';
  drained: boolean;
  rateLimited: boolean;
  flooded: boolean;
  group: number;
  clockOffset: number;
  /** Per hot key: newest value held, 0 none, -1 not a replica. */
  versions: number[];
  siblings: number[];
}

export interface PlayerV {
  id: string;
  nickname: string;
  node: number;
  connected: boolean;
  isBot: boolean;
  actions: number;
  served: number;
  contribution: number;
}

export interface MeasuresV {
  availability: number;
  nines: number;
  p50: number;
  p95: number;
  p99: number;
  throughput: number;
  requests: number;
  staleReads: number;
  lostWrites: number;
  cost: number;
  budget: number;
  score: number;
}

export interface WindowV {
  t: number;
  availability: number;
  p99: number;
  throughput: number;
  staleReads: number;
  /** Requests invoked in the window. */
  requests: number;
}

export interface FeedV {
  t: number;
  kind: string;
  text: string;
  node: number;
}

export interface FaultV {
  kind: string;
  target: number;
  magnitude: number;
  until: number;
}

export interface NetworkV {
  partitioned: boolean;
  partitionKind: string;
  latencySpikeMs: number;
  messageLoss: number;
  rebalancing: boolean;
  rebalanceUntil: number;
}

export interface VoteV {
  id: number;
  status: '' | 'open' | 'passed' | 'failed' | 'expired' | 'refused';
  proposal: Partial<ClusterSettings>;
  proposer: string;
  yes: number;
  no: number;
  electorate: number;
  needed: number;
  secondsLeft: number;
  ballots: Record<string, boolean>;
}

export interface RoundView {
  phase: Phase;
  phaseSecondsLeft: number;
  simMs: number;
  durationMs: number;
  scenarioId: string;
  /** The scenario from the shared catalogue (topology, SLA, briefing, tutorial). */
  scenario: Scenario | undefined;
  preset: string;
  chaos: string;
  seed: number;
  isPrivate: boolean;
  seats: number;
  nodes: NodeV[];
  players: PlayerV[];
  hotKeys: string[];
  network: NetworkV;
  faults: FaultV[];
  measures: MeasuresV;
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

/** A plain copy of the room state. Cheap enough for every frame: a cluster has ≤ 15 nodes. */
export function toView(state: ClusterState, me: string): RoundView {
  const nodes: NodeV[] = [];
  state.nodes.forEach((n) => {
    nodes.push({
      id: n.id,
      region: n.region,
      status: n.status as NodeStatus,
      slow: n.slow,
      leaderOf: n.leaderOf,
      replicaOf: n.replicaOf,
      ownerId: n.ownerId,
      owner: n.owner,
      bot: n.botControlled,
      size: n.size,
      queue: n.queue,
      load: n.load,
      utilization: n.utilization,
      stance: n.stance === 'serve' ? 'serve' : 'refuse',
      drained: n.drained,
      rateLimited: n.rateLimited,
      flooded: n.flooded,
      group: n.group,
      clockOffset: n.clockOffset,
      versions: Array.from(n.versions),
      siblings: Array.from(n.siblings),
    });
  });
  const players: PlayerV[] = [];
  state.players.forEach((p) => {
    players.push({
      id: p.id,
      nickname: p.nickname,
      node: p.node,
      connected: p.connected,
      isBot: p.isBot,
      actions: p.actions,
      served: p.served,
      contribution: p.contribution,
    });
  });
  const mine = players.find((p) => p.id === me);
  const v = state.vote;
  const ballots: Record<string, boolean> = {};
  v.ballots.forEach((agree, key) => {
    ballots[key] = agree;
  });
  const s = state.settings;
  const m = state.measures;
  const net = state.network;
  return {
    phase: state.phase,
    phaseSecondsLeft: state.phaseSecondsLeft,
    simMs: state.simMs,
    durationMs: state.durationMs,
    scenarioId: state.scenario,
    scenario: getScenario(state.scenario),
    preset: state.preset,
    chaos: state.chaos,
    seed: state.seed,
    isPrivate: state.isPrivate,
    seats: state.seats,
    nodes,
    players,
    hotKeys: Array.from(state.hotKeys),
    network: {
      partitioned: net.partitioned,
      partitionKind: net.partitionKind,
      latencySpikeMs: net.latencySpikeMs,
      messageLoss: net.messageLoss,
      rebalancing: net.rebalancing,
      rebalanceUntil: net.rebalanceUntil,
    },
    faults: Array.from(state.faults, (f) => ({ kind: f.kind, target: f.target, magnitude: f.magnitude, until: f.until })),
    measures: {
      availability: m.availability,
      nines: m.nines,
      p50: m.p50,
      p95: m.p95,
      p99: m.p99,
      throughput: m.throughput,
      requests: m.requests,
      staleReads: m.staleReads,
      lostWrites: m.lostWrites,
      cost: m.cost,
      budget: m.budget,
      score: m.score,
    },
    windows: Array.from(state.windows, (w) => ({ t: w.t, availability: w.availability, p99: w.p99, throughput: w.throughput, staleReads: w.staleReads, requests: w.requests })),
    feed: Array.from(state.feed, (f) => ({ t: f.t, kind: f.kind, text: f.text, node: f.node })),
    settings: {
      replication: s.replication as ClusterSettings['replication'],
      replicationFactor: s.replicationFactor,
      readQuorum: s.readQuorum as ClusterSettings['readQuorum'],
      writeQuorum: s.writeQuorum as ClusterSettings['writeQuorum'],
      syncReplication: s.syncReplication,
      readFrom: s.readFrom as ClusterSettings['readFrom'],
      election: s.election as ClusterSettings['election'],
      shardCount: s.shardCount,
      loadBalancing: s.loadBalancing as ClusterSettings['loadBalancing'],
      conflictResolution: s.conflictResolution as ClusterSettings['conflictResolution'],
      antiEntropyMs: s.antiEntropyMs,
      failoverTimeoutMs: s.failoverTimeoutMs,
      fencing: s.fencing,
      hintedHandoff: s.hintedHandoff,
      readRepair: s.readRepair,
      stance: s.stance as ClusterSettings['stance'],
      placement: s.placement as ClusterSettings['placement'],
    },
    vote: {
      id: v.id,
      status: v.status as VoteV['status'],
      proposal: parseJson<Partial<ClusterSettings>>(v.proposal) ?? {},
      proposer: v.proposer,
      yes: v.yes,
      no: v.no,
      electorate: v.electorate,
      needed: v.needed,
      secondsLeft: v.secondsLeft,
      ballots,
    },
    debrief: parseJson<DebriefJson>(state.debrief),
    notice: state.notice,
    replayId: state.replayId ?? '',
    me,
    myNode: mine?.node ?? -1,
  };
}

// Parsing the same string every frame would be wasteful: remember the last one.
const jsonCache = new Map<string, unknown>();
function parseJson<T>(s: string): T | null {
  if (s === '') return null;
  if (jsonCache.has(s)) return jsonCache.get(s) as T;
  let value: unknown = null;
  try {
    value = JSON.parse(s);
  } catch {
    value = null;
  }
  if (jsonCache.size > 8) jsonCache.clear();
  jsonCache.set(s, value);
  return value as T;
}

/** A node's status as one word a student reads: up, down, slow, recovering, removed. */
export function statusWord(n: NodeV): 'up' | 'down' | 'slow' | 'recovering' | 'removed' {
  if (n.status === 'up' && n.slow) return 'slow';
  return n.status;
}

/** The node's role in words: "leader of 2 shards", "follower", "replica" (leaderless). */
export function roleWords(n: NodeV, settings: ClusterSettings): string {
  if (n.status === 'removed') return 'out of the cluster';
  if (settings.replication === 'leaderless') return n.replicaOf > 0 ? `replica of ${n.replicaOf} shard${n.replicaOf === 1 ? '' : 's'}` : 'no shards';
  if (n.leaderOf > 0) return `leader of ${n.leaderOf} shard${n.leaderOf === 1 ? '' : 's'}`;
  return n.replicaOf > 0 ? 'follower' : 'no shards';
}

/** Who runs the node, for labels: "Ada", "Bot 3", "Ada (a bot stands in)", "empty seat". */
export function ownerWords(n: NodeV): string {
  if (n.owner === '') return 'empty seat';
  if (n.bot && !/^bot\b/i.test(n.owner)) return `${n.owner} (a bot stands in)`;
  return n.owner;
}
