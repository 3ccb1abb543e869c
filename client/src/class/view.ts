// What the class screens draw: a plain copy of the session room's state, made by toClassView.
// The dashboard, the projector and the students' screens read only this, so they can be
// tested with a view built by hand.

import type { RoundResults } from '../../../shared/session/results.js';
import { teamCountFor, teamName } from '../../../shared/session/teams.js';
import { teamPhaseName } from '../../../shared/words/phases.js';
import type { BannedViewFields, PollViewFields, SessionSettingsViewFields, SessionStateFields, StudentViewFields, TeamViewFields } from '../../../shared/view/session.js';
import type { TeamNodeStatus } from '../../../shared/view/team-status.js';

export type NodeWord = 'up' | 'slow' | 'down' | 'recovering' | 'removed';

export interface NodeDot {
  id: number;
  word: NodeWord;
  /** A bot runs it (nobody of the team is at this node). */
  bot: boolean;
  /** Shards it leads. */
  leads: number;
  /** Cut off from most of the cluster by the partition (not on its largest side). */
  cutOff: boolean;
}

/** A team as the class screens draw it: its status, with each node as a dot. */
export type TeamV = Omit<TeamViewFields, 'nodes'> & { nodes: NodeDot[] };

export type StudentV = StudentViewFields;

export type PollV = Omit<PollViewFields, 'options' | 'counts'> & { options: string[]; counts: number[] };

export type SettingsV = SessionSettingsViewFields;

/** The session's state with plain arrays, students sorted, the results parsed. */
export type ClassView = Omit<SessionStateFields, 'students' | 'banned' | 'teams' | 'poll' | 'results'> & {
  /** By team, then by name. */
  students: StudentV[];
  banned: BannedViewFields[];
  teams: TeamV[];
  /** How many teams there are now (in the lobby: how many the next round will have). */
  teamCount: number;
  poll: PollV;
  results: RoundResults[];
};

/** Tests read the class's state through window.splitBrainClass; people never need it. */
export function exposeForTests(view: () => ClassView | null): void {
  (window as unknown as { splitBrainClass: unknown }).splitBrainClass = { view };
}

export function toClassView(s: SessionStateFields): ClassView {
  const set = s.settings;
  const settings: SettingsV = {
    scenario: set.scenario, preset: set.preset, chaos: set.chaos, difficulty: set.difficulty, roundSeconds: set.roundSeconds,
    teamCount: set.teamCount, teamSize: set.teamSize, briefingSeconds: set.briefingSeconds, setupSeconds: set.setupSeconds,
  };
  const students: StudentV[] = [];
  s.students.forEach((v) => students.push({ id: v.id, nickname: v.nickname, team: v.team, connected: v.connected, pinned: v.pinned }));
  students.sort((a, b) => a.team - b.team || a.nickname.localeCompare(b.nickname));
  const banned: BannedViewFields[] = [];
  s.banned.forEach((b) => banned.push({ id: b.id, nickname: b.nickname }));
  const teams: TeamV[] = [];
  for (const t of s.teams) {
    teams.push({
      index: t.index, name: t.name, roomId: t.roomId, replayId: t.replayId, phase: t.phase, paused: t.paused,
      simMs: t.simMs, durationMs: t.durationMs, nodes: nodeDots([...t.nodes], t.partitioned), partitioned: t.partitioned,
      score: t.score, availability: t.availability, staleReads: t.staleReads, lostWrites: t.lostWrites, p99: t.p99, humans: t.humans,
    });
  }
  const p = s.poll;
  const running = s.phase === 'running' && teams.length > 0;
  return {
    code: s.code, sessionId: s.sessionId, phase: s.phase, round: s.round, locked: s.locked, allowLate: s.allowLate,
    paused: s.paused, hostConnected: s.hostConnected, settings, students, banned, teams,
    teamCount: running ? teams.length : teamCountFor(students.length, set.teamSize > 0 ? { teamSize: set.teamSize } : { teamCount: set.teamCount }),
    poll: { id: p.id, question: p.question, options: [...p.options], counts: [...p.counts], answered: p.answered, open: p.open, revealed: p.revealed, answer: p.answer },
    card: s.card,
    results: parseResults(s.results),
  };
}

/** A team's nodes as its room reported them → one dot per node. */
export function nodeDots(nodes: readonly TeamNodeStatus[], partitioned: boolean): NodeDot[] {
  // The largest side is "the cluster"; a node on any other side is cut off from it.
  const count = new Map<number, number>();
  for (const n of nodes) count.set(n.group, (count.get(n.group) ?? 0) + 1);
  let main = -1;
  for (const [g, c] of count) if (main === -1 || c > count.get(main)!) main = g;
  return nodes.map((n, id) => ({
    id, word: n.status === 'up' && n.slow ? 'slow' : n.status, bot: !n.human, leads: n.leaderOf,
    cutOff: partitioned && n.group !== main,
  }));
}

export function parseResults(json: string): RoundResults[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as RoundResults[]) : [];
  } catch {
    return [];
  }
}

/** The name of team `i`, whether or not its round has begun. */
export function teamLabel(v: ClassView, i: number): string {
  return v.teams[i]?.name ?? teamName(i);
}

/** A team's phase in a word or two, with the time left when live. */
export function teamPhaseWords(t: TeamV): string {
  if (t.paused) return 'paused';
  return t.phase === 'live' ? `${teamPhaseName(t.phase)} · ${clock(t.durationMs - t.simMs)} left` : teamPhaseName(t.phase);
}

/** Teams best first (score, then availability). */
export function ranked(teams: readonly TeamV[]): TeamV[] {
  return [...teams].sort((a, b) => b.score - a.score || b.availability - a.availability || a.index - b.index);
}

/** A round's length as a teacher says it: "30 seconds", "3 minutes", "2.5 minutes". */
export function lengthWords(s: number): string {
  if (s < 60) return `${s} seconds`;
  const m = Math.round((s / 60) * 10) / 10;
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/** Places by score: equal scores share a place (1, 1, 3). */
export function places(scores: readonly number[]): number[] {
  return scores.map((s) => 1 + scores.filter((o) => o > s).length);
}

export function clock(msLeft: number): string {
  const s = Math.max(0, Math.ceil(msLeft / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Answers as whole percentages of everyone who answered. */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total === 0 ? 0 : Math.round((c * 100) / total)));
}
