// What a class's team room tells its session: its cluster at a glance every second (the
// projector's board), and the team's result when the round is over.

import type { Debrief } from '../../shared/round/debrief.js';
import type { RoundModel } from '../../shared/round/model.js';
import { teamName } from '../../shared/session/teams.js';
import type { TeamResult } from '../../shared/session/results.js';
import type { TeamStatus } from '../sessions/bus.js';
import type { SessionLink } from './options.js';
import type { ClusterState } from './schema.js';

export function teamStatus(link: SessionLink, roomId: string, state: ClusterState, round: RoundModel): TeamStatus {
  const { S } = round.sim;
  const m = state.measures;
  let nodes = '';
  const leaders: number[] = [];
  S.nodes.forEach((n, i) => {
    const ch = n.status === 'up' ? (n.slow < 1 ? 'S' : 'U') : n.status === 'down' ? 'D' : n.status === 'recovering' ? 'R' : 'X';
    nodes += round.humanAt(i) ? ch : ch.toLowerCase();
    leaders.push(state.nodes[i]?.leaderOf ?? 0);
  });
  const phase = round.phase;
  return {
    team: link.team, round: link.round, roomId, replayId: state.replayId, phase, paused: round.paused,
    simMs: phase === 'live' || phase === 'debrief' ? S.now : 0, tick: round.tick, durationMs: S.durationMs,
    nodes, leaders, partitioned: S.partition !== null, groups: S.partition === null ? '' : S.nodes.map((_, i) => String(Math.min(9, S.partition!.groups[i] ?? 0))).join(''), score: m.score, availability: m.availability, staleReads: m.staleReads,
    lostWrites: m.lostWrites, p99: m.p99, humans: round.humans(),
  };
}

export function teamResult(link: SessionLink, replayId: string, d: Debrief, round: RoundModel): TeamResult {
  const s = d.summary;
  return {
    team: link.team, name: teamName(link.team), replayId, interrupted: d.interrupted,
    score: s.score, availability: Math.round(s.availability * 1e6) / 1e6, p99: Math.round(s.p99 * 10) / 10, staleReads: s.staleReads, lostWrites: s.lostWrites, cost: s.cost, requests: s.requests,
    students: [...round.everyone].filter((p) => !p.bot && !p.kicked).map((p) => ({
      nickname: p.nickname, team: link.team, node: p.node, score: p.contribution, actions: p.actions, served: p.served, anomalies: p.anomalies, connected: p.connected,
    })),
  };
}
