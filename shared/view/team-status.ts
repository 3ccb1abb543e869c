// What a class's team room reports to its session room once a second, for the projector and
// the host's dashboard to draw every team side by side: built from the team's round view by
// one pure function, carried by presence (server/sessions/bus.ts), shown in the session's
// state (TeamViewFields in ./session.ts) and read by the class screens as it is.

import type { NodeStatus } from '../sim/state.js';
import type { List } from './lists.js';
import type { ClusterStateFields } from './round.js';

/** One node of a team's cluster, as the projector draws it. */
export interface TeamNodeStatus {
  status: NodeStatus;
  /** Up but serving at a fraction of its capacity. */
  slow: boolean;
  /** A connected person runs it (false: a bot stands in, or nobody holds the seat). */
  human: boolean;
  /** Shards it leads (crowns); 0 for a follower and under leaderless replication. */
  leaderOf: number;
  /** Its side of the partition (the same number, the same side); 0 for every node when the network is whole. */
  group: number;
}

/** How a team's round stands: what its room reports and what the session shows of it. */
export interface TeamReportFields {
  /** The team's cluster room this round ('' before the round starts). */
  roomId: string;
  replayId: string;
  /** The cluster room's phase: briefing, setup, live, debrief ('' before). */
  phase: string;
  paused: boolean;
  /** Simulated ms of the live phase (0 before it); tick = simMs / TICK_MS. */
  simMs: number;
  durationMs: number;
  partitioned: boolean;
  score: number;
  availability: number;
  staleReads: number;
  lostWrites: number;
  p99: number;
  /** Students connected to the team's room. */
  humans: number;
}

/** A team room's report to its session, once a second. */
export interface TeamStatus extends TeamReportFields {
  team: number;
  round: number;
  tick: number;
  nodes: TeamNodeStatus[];
}

/** Who the team room is within its session, and its step count (not part of the view). */
export interface TeamRoomOf {
  team: number;
  round: number;
  roomId: string;
  tick: number;
}

/** The team's status, from its round view. */
export function teamStatusOf(view: ClusterStateFields, room: TeamRoomOf): TeamStatus {
  const nodes: TeamNodeStatus[] = [];
  for (const n of view.nodes) {
    nodes.push({ status: n.status, slow: n.status === 'up' && n.slow, human: !n.botControlled, leaderOf: n.leaderOf, group: n.group });
  }
  let humans = 0;
  view.players.forEach((p) => {
    if (p.connected && !p.isBot) humans++;
  });
  const m = view.measures;
  return {
    team: room.team, round: room.round, roomId: room.roomId, replayId: view.replayId, phase: view.phase, paused: view.paused,
    simMs: view.phase === 'live' || view.phase === 'debrief' ? view.simMs : 0, tick: room.tick, durationMs: view.durationMs,
    nodes, partitioned: view.network.partitioned, score: m.score, availability: m.availability, staleReads: m.staleReads,
    lostWrites: m.lostWrites, p99: m.p99, humans,
  };
}

/**
 * Copy a status's nodes into a list the session's state holds (the schema's, or a plain
 * one), changing only what changed; `make` makes a new entry.
 */
export function copyTeamNodes(into: List<TeamNodeStatus>, from: readonly TeamNodeStatus[], make: () => TeamNodeStatus): void {
  if (into.length > from.length) into.length = 0;
  while (into.length < from.length) into.push(make());
  from.forEach((n, i) => {
    const v = into[i]!;
    v.status = n.status;
    v.slow = n.slow;
    v.human = n.human;
    v.leaderOf = Math.min(255, n.leaderOf);
    v.group = Math.min(255, n.group);
  });
}
