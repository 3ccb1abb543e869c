// The class model (shared/session/state.ts) copied into the session room's schema. Only
// what differs is written, so a patch carries what changed and nothing else.

import type { ClassState } from '../../shared/session/state.js';
import type { TeamStatus } from '../sessions/bus.js';
import { copyTeamNodes } from '../../shared/view/team-status.js';
import { BannedView, StudentView, TeamNodeView, type SessionState, type TeamView } from './session-schema.js';

export function projectClass(cls: ClassState, st: SessionState): void {
  st.code = cls.code;
  st.phase = cls.phase;
  st.round = cls.round;
  st.locked = cls.locked;
  st.allowLate = cls.allowLate;
  st.paused = cls.paused;
  st.card = cls.card;
  Object.assign(st.settings, cls.settings);
  for (const [id, s] of cls.students) {
    const v = st.students.get(id) ?? new StudentView();
    v.id = s.id;
    v.nickname = s.nickname;
    v.team = s.team;
    v.connected = s.connected;
    v.pinned = s.pinned;
    if (!st.students.has(id)) st.students.set(id, v);
  }
  for (const id of [...st.students.keys()]) if (!cls.students.has(id)) st.students.delete(id);
  const banned = new Set<string>();
  for (const s of cls.banned.values()) {
    banned.add(s.id);
    if (st.banned.has(s.id)) continue;
    const b = new BannedView();
    b.id = s.id;
    b.nickname = s.nickname;
    st.banned.set(s.id, b);
  }
  for (const id of [...st.banned.keys()]) if (!banned.has(id)) st.banned.delete(id);
  cls.teams.forEach((t, i) => {
    const v = st.teams[i];
    if (v === undefined) return;
    v.index = t.index;
    v.name = t.name;
    v.roomId = t.roomId;
    v.phase = t.phase;
  });
  const p = cls.poll;
  const poll = st.poll;
  poll.id = p.id;
  poll.question = p.question;
  if (poll.options.length !== p.options.length || p.options.some((o, i) => poll.options[i] !== o)) {
    poll.options.clear();
    poll.options.push(...p.options);
  }
  if (poll.counts.length !== p.counts.length) {
    poll.counts.clear();
    poll.counts.push(...p.counts);
  } else p.counts.forEach((c, i) => poll.counts[i] !== c && (poll.counts[i] = c));
  poll.answered = p.answered;
  poll.open = p.open;
  poll.revealed = p.revealed;
  poll.answer = p.answer;
  if (resultsShown.get(st) !== cls.rounds.length) {
    resultsShown.set(st, cls.rounds.length);
    st.results = JSON.stringify(cls.rounds);
  }
}

/** A team's status, as its room reported it, for the projector. */
export function showTeamStatus(view: TeamView, s: TeamStatus): void {
  view.roomId = s.roomId;
  view.replayId = s.replayId;
  view.phase = s.phase;
  view.paused = s.paused;
  view.simMs = Math.round(s.simMs);
  view.durationMs = s.durationMs;
  copyTeamNodes(view.nodes, s.nodes, () => new TeamNodeView());
  view.partitioned = s.partitioned;
  view.score = s.score;
  view.availability = s.availability;
  view.staleReads = s.staleReads;
  view.lostWrites = s.lostWrites;
  view.p99 = s.p99;
  view.humans = s.humans;
}

/** How many rounds each schema's results hold (stringified again only when one is added). */
const resultsShown = new WeakMap<SessionState, number>();
