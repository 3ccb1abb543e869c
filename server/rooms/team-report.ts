// What a class's team room tells its session: its cluster at a glance every second (the
// projector's board), and the team's result when the round is over.

import type { DebriefJson } from '../../shared/protocol/room.js';
import type { RoundModel } from '../../shared/round/model.js';
import { teamName } from '../../shared/session/teams.js';
import type { TeamResult } from '../../shared/session/results.js';
import { teamStatusOf, type TeamStatus } from '../../shared/view/team-status.js';
import type { SessionLink } from './options.js';
import type { ClusterState } from './schema.js';

export function teamStatus(link: SessionLink, roomId: string, state: ClusterState, round: RoundModel): TeamStatus {
  return teamStatusOf(state, { team: link.team, round: link.round, roomId, tick: round.tick });
}

export function teamResult(link: SessionLink, replayId: string, d: DebriefJson, round: RoundModel): TeamResult {
  const s = d.summary;
  return {
    team: link.team, name: teamName(link.team), replayId, interrupted: d.interrupted,
    score: s.score, availability: Math.round(s.availability * 1e6) / 1e6, p99: Math.round(s.p99 * 10) / 10, staleReads: s.staleReads, lostWrites: s.lostWrites, cost: s.cost, requests: s.requests,
    students: [...round.everyone].filter((p) => !p.bot && !p.kicked).map((p) => ({
      nickname: p.nickname, team: link.team, node: p.node, score: p.contribution, actions: p.actions, served: p.served, anomalies: p.anomalies, connected: p.connected,
    })),
  };
}
