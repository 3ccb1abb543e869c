// The class flow as a pure model: `handle(state, input)` applies one thing that happened
// (a student at the door, a host action, a poll answer, a team's report) to the session's
// state and returns what the server must do about it (effects). No clock and no randomness:
// ids and seeds come in with the input, timers go out as effects.
//
//   lobby ──start──▶ running ──every team's result──▶ results ──next──▶ lobby …
//
// A team room reports once a second; one silent for TEAM_SILENT_MS is gone (its process
// died): made again if its round had not begun, else marked lost, and the results stop
// waiting for it.

import type { ConceptId } from '../lessons/cards.js';
import type { ErrorCode } from '../protocol/messages.js';
import { cleanNickname, uniqueNickname } from '../protocol/player.js';
import { validateHostAction, validatePollAnswer, type HostAction, type Membership, type SessionDown, type SessionSettings } from '../protocol/session.js';
import { TICK_MS } from '../round/runner.js';
import { TEAM_ROOM_LOST } from '../words/phases.js';
import { normalizeJoinCode } from './codes.js';
import type { TeamResult } from './results.js';
import { settingsAfter } from './settings.js';
import { MAX_STUDENTS, teamCount, type ClassState, type ClassStudent, type ClassTeam, type TeamReport } from './state.js';
import { balanceTeams, smallestTeam, teamName } from './teams.js';

/** Host chaos strikes this many ticks after the furthest team's last reported tick (status lags ≤ 1 s). */
export const CHAOS_LEAD_TICKS = 2000 / TICK_MS;
/** After the host ends a round, teams that have not reported by then are left out of its results. */
export const RESULTS_WAIT_MS = 20_000;
/** A team room that has not reported for this long (wall-clock; it reports once a second) is gone. */
export const TEAM_SILENT_MS = 10_000;

export type Role = 'host' | 'student';

export type ClassInput =
  /** A student asks to come in (`player`: their key's hash, null when the key is malformed). */
  | { type: 'knock'; code: unknown; player: string | null; nickname: unknown }
  /** An admitted student is in; `newId` is their id if they are new. */
  | { type: 'join'; player: string; nickname: string; newId: string }
  | { type: 'here'; student: string }
  | { type: 'away'; student: string }
  /** A `host` message; `seed` is the next round's, should it start one. */
  | { type: 'host'; role: Role; action: unknown; seed: number }
  | { type: 'answer'; role: Role; student: string; answer: unknown }
  /** A team's cluster room was made for `round`. */
  | { type: 'team-room'; round: number; team: number; roomId: string }
  /** Every team room of `round` has been asked for (made or failed). */
  | { type: 'team-rooms-made'; round: number }
  | { type: 'status'; report: TeamReport }
  | { type: 'result'; round: number; team: number; result: TeamResult }
  /** The wait for `round`'s results (RESULTS_WAIT_MS after the host ended it) is over. */
  | { type: 'results-due'; round: number }
  /** Wall-clock time passed (the session room says so about once a second). */
  | { type: 'time'; ms: number };

export type ClassEffect =
  /** The knock is answered yes: a known student's id, or '' for a new one. */
  | { type: 'admit'; student: string }
  | { type: 'turn-away'; status: 400 | 403; error: string }
  | { type: 'joined'; student: string }
  /** Refuse the sender's message. */
  | { type: 'refuse'; error: string; code: ErrorCode }
  /** Tell the team rooms who a student is (null: no longer a member). */
  | { type: 'member'; player: string; membership: Membership | null }
  /** An order to every team room. */
  | { type: 'down'; msg: SessionDown }
  /** Tell a student they are out; `leave` closes their connection with that code. */
  | { type: 'kicked'; student: string; reason: string; leave?: number }
  | { type: 'card'; card: ConceptId }
  /** A new round's teams replace the last round's (fresh team views). */
  | { type: 'new-teams' }
  /** Make one cluster room per team for `round` (after the members above are shared). */
  | { type: 'make-team-rooms'; round: number; teams: number; seed: number; settings: SessionSettings }
  /** Make team `team`'s cluster room again: the first went silent before its round began. */
  | { type: 'remake-team-room'; round: number; team: number; seed: number; settings: SessionSettings }
  | { type: 'results-timer'; round: number; ms: number }
  /** A team's status was accepted: show it on the projector. */
  | { type: 'team-status'; team: number }
  /** Close the class: everyone is let go, the code freed. */
  | { type: 'close' };

export function handle(st: ClassState, input: ClassInput): ClassEffect[] {
  switch (input.type) {
    case 'knock':
      return knock(st, input.code, input.player, input.nickname);
    case 'join':
      return join(st, input.player, input.nickname, input.newId);
    case 'here':
    case 'away': {
      const s = st.students.get(input.student);
      if (s !== undefined) s.connected = input.type === 'here';
      return [];
    }
    case 'host': {
      if (input.role !== 'host') return [refuse('only the teacher can do that', 'forbidden')];
      const v = validateHostAction(input.action);
      if (!v.ok) return [refuse(v.error, 'invalid')];
      return hostAction(st, v.value, input.seed);
    }
    case 'answer':
      return answer(st, input.role, input.student, input.answer);
    case 'team-room':
      if (st.round === input.round && st.teams[input.team] !== undefined) {
        st.teams[input.team]!.roomId = input.roomId;
        st.teams[input.team]!.quietMs = 0;
        st.expected.add(input.team);
      }
      return [];
    case 'team-rooms-made':
      if (st.round === input.round && st.expected.size === 0) {
        // Not one team room could be made: back to the lobby rather than waiting for nothing.
        st.phase = 'lobby';
        st.round--;
      }
      return [];
    case 'status':
      return status(st, input.report);
    case 'result': {
      if (input.round !== st.round || st.phase !== 'running') return [];
      st.pending.set(input.team, input.result);
      const team = st.teams[input.team];
      if (team !== undefined) team.phase = 'debrief';
      if ([...st.expected].every((t) => st.pending.has(t))) closeRound(st);
      return [];
    }
    case 'results-due':
      if (st.round === input.round && st.phase === 'running') closeRound(st);
      return [];
    case 'time':
      return time(st, input.ms);
  }
}

// ---------------------------------------------------------------------------------
// Admission

function knock(st: ClassState, code: unknown, player: string | null, nickname: unknown): ClassEffect[] {
  const away = (status: 400 | 403, error: string): ClassEffect[] => [{ type: 'turn-away', status, error }];
  if (normalizeJoinCode(code) !== st.code) return away(403, 'that join code is not this class\'s');
  if (player === null) return away(400, 'playerKey must be 16-64 letters, digits, dashes or underscores');
  if (st.banned.has(player)) return away(403, 'the teacher removed you from this class');
  const known = st.byPlayer.get(player);
  if (known === undefined) {
    if (st.locked) return away(403, 'the class is locked: ask your teacher to let you in');
    if (st.phase !== 'lobby' && !st.allowLate) return away(403, 'the round has started and the teacher is not letting anyone else in');
    if (st.students.size >= MAX_STUDENTS) return away(403, 'this class is full');
  }
  if (nickname !== undefined && (typeof nickname !== 'string' || nickname.length > 100)) return away(400, 'nickname must be at most 20 characters');
  return [{ type: 'admit', student: known ?? '' }];
}

/** Known by their player key, or new (created only now that they are in: a refused knock leaves no trace). */
function join(st: ClassState, player: string, rawNickname: string, newId: string): ClassEffect[] {
  const known = st.byPlayer.get(player);
  if (known !== undefined) {
    st.students.get(known)!.connected = true;
    return [{ type: 'joined', student: known }];
  }
  const clean = cleanNickname(rawNickname);
  const nickname = uniqueNickname(clean !== '' ? clean : `Student ${st.students.size + 1}`, takenNames(st, ''));
  // A late joiner goes to the smallest team of the running round.
  const sizes = new Array<number>(Math.max(teamCount(st), st.teams.length)).fill(0);
  for (const s of st.students.values()) if (s.team < sizes.length) sizes[s.team]!++;
  const s: ClassStudent = { id: newId, player, nickname, team: smallestTeam(sizes), pinned: false, connected: true };
  st.students.set(newId, s);
  st.byPlayer.set(player, newId);
  const out: ClassEffect[] = [];
  if (st.phase !== 'lobby') out.push(member(s));
  out.push({ type: 'joined', student: newId });
  return out;
}

// ---------------------------------------------------------------------------------
// The host's controls

function hostAction(st: ClassState, a: HostAction, seed: number): ClassEffect[] {
  const phase = (error: string) => [refuse(error, 'phase')];
  const invalid = (error: string) => [refuse(error, 'invalid')];
  switch (a.action) {
    case 'settings': {
      if (st.phase === 'running') return phase('settings change between rounds');
      const next = settingsAfter(st.settings, a.settings);
      if (typeof next === 'string') return invalid(next);
      st.settings = next;
      rebalance(st);
      return [];
    }
    case 'lock':
      st.locked = a.locked;
      return [];
    case 'late-join':
      st.allowLate = a.allow;
      return [];
    case 'move': {
      const s = st.students.get(a.student);
      if (s === undefined) return invalid('no such student');
      const teams = teamCount(st);
      if (a.team >= teams) return invalid(`there are ${teams} teams`);
      s.team = a.team;
      s.pinned = true;
      return st.phase === 'running' ? [member(s)] : [];
    }
    case 'kick': {
      const s = st.students.get(a.student);
      if (s === undefined) return invalid('no such student');
      st.students.delete(s.id);
      st.byPlayer.delete(s.player);
      st.banned.set(s.player, s);
      return [
        { type: 'member', player: s.player, membership: null },
        { type: 'down', msg: { type: 'kick', player: s.player } },
        { type: 'kicked', student: s.id, reason: 'The teacher removed you from this class.', leave: 4003 },
      ];
    }
    case 'allow': {
      const entry = [...st.banned.entries()].find(([, s]) => s.id === a.student);
      if (entry === undefined) return invalid('no such removed student');
      st.banned.delete(entry[0]);
      return [];
    }
    case 'rename': {
      const s = st.students.get(a.student);
      if (s === undefined) return invalid('no such student');
      const clean = cleanNickname(a.nickname);
      if (clean === '') return invalid('that name is not allowed');
      s.nickname = uniqueNickname(clean, takenNames(st, s.id));
      return [...(st.phase !== 'lobby' ? [member(s)] : []), { type: 'down', msg: { type: 'rename', player: s.player, nickname: s.nickname } }];
    }
    case 'start':
      if (st.phase === 'running') return phase('a round is already running');
      return startRound(st, seed);
    case 'pause':
    case 'resume':
      if (st.phase !== 'running') return phase('no round is running');
      st.paused = a.action === 'pause';
      return [{ type: 'down', msg: { type: a.action } }];
    case 'end':
      if (st.phase !== 'running') return phase('no round is running');
      st.paused = false;
      // A team whose room is gone (its process died) would hold the results up for ever.
      return [{ type: 'down', msg: { type: 'end' } }, { type: 'results-timer', round: st.round, ms: RESULTS_WAIT_MS }];
    case 'next':
      if (st.phase !== 'results') return phase('the next round comes after this one\'s results');
      st.phase = 'lobby';
      for (const t of st.teams) t.phase = '';
      return [{ type: 'down', msg: { type: 'close', round: st.round } }];
    case 'chaos': {
      if (st.phase !== 'running') return phase('chaos strikes a running round');
      // One live team is enough: a team still in briefing or setup keeps the order and strikes
      // at the same tick of its own live phase, so every team still meets the same fault.
      const live = [...st.reports.values()].filter((r) => r.round === st.round && r.phase === 'live');
      if (live.length === 0) return phase('wait until a team is live');
      // The furthest team's tick plus a lead: every team reaches it after hearing the order.
      const atTick = Math.max(...live.map((r) => r.tick)) + CHAOS_LEAD_TICKS;
      return [{ type: 'down', msg: { type: 'chaos', atTick, command: { type: 'chaos', kind: a.kind, target: a.target, durationMs: a.durationMs, magnitude: a.magnitude } } }];
    }
    case 'card':
      st.card = a.card;
      return [{ type: 'card', card: a.card }];
    case 'poll': {
      const p = st.poll;
      p.id++;
      p.question = a.question;
      p.options = [...a.options];
      p.counts = a.options.map(() => 0);
      p.answered = 0;
      p.open = true;
      p.revealed = false;
      p.answer = -1;
      p.answers.clear();
      return [];
    }
    case 'reveal':
      if (st.poll.id === 0) return phase('there is no poll to reveal');
      if (a.answer !== undefined && a.answer >= st.poll.options.length) return invalid(`the poll has ${st.poll.options.length} answers`);
      st.poll.open = false;
      st.poll.revealed = true;
      st.poll.answer = a.answer ?? -1;
      return [];
    case 'close-poll':
      st.poll.open = false;
      return [];
    case 'close': {
      const told: ClassEffect[] = [...st.students.values()].map((s) => ({ type: 'kicked', student: s.id, reason: 'Your teacher has closed this class.' }));
      return [...told, { type: 'down', msg: { type: 'close', round: Number.MAX_SAFE_INTEGER } }, { type: 'close' }];
    }
  }
}

// ---------------------------------------------------------------------------------
// Polls

function answer(st: ClassState, role: Role, student: string, raw: unknown): ClassEffect[] {
  if (role !== 'student') return [refuse('the teacher does not answer polls', 'forbidden')];
  const v = validatePollAnswer(raw);
  if (!v.ok) return [refuse(v.error, 'invalid')];
  const p = st.poll;
  if (!p.open || v.value.poll !== p.id) return [refuse('this poll is closed', 'phase')];
  if (v.value.choice >= p.options.length) return [refuse(`choose one of the ${p.options.length} answers`, 'invalid')];
  p.answers.set(student, v.value.choice);
  p.counts = p.options.map(() => 0);
  for (const c of p.answers.values()) p.counts[c]!++;
  p.answered = p.answers.size;
  return [];
}

// ---------------------------------------------------------------------------------
// Rounds

function startRound(st: ClassState, seed: number): ClassEffect[] {
  st.phase = 'running';
  st.paused = false;
  st.round++;
  st.pending.clear();
  st.expected.clear();
  st.reports.clear();
  st.roundSeed = seed;
  rebalance(st);
  const teams = teamCount(st);
  st.teams = Array.from({ length: teams }, (_, t) => ({ index: t, name: teamName(t), roomId: '', phase: '', quietMs: 0, remade: false }));
  return [
    { type: 'new-teams' },
    ...[...st.students.values()].map(member),
    { type: 'make-team-rooms', round: st.round, teams, seed, settings: { ...st.settings } },
  ];
}

function status(st: ClassState, r: TeamReport): ClassEffect[] {
  if (r.round !== st.round) return [];
  const team = st.teams[r.team];
  // A room the team no longer plays in (replaced after it went silent) is not heard.
  if (team !== undefined && team.roomId !== '' && team.roomId !== r.roomId) return [];
  st.reports.set(r.team, r);
  if (team === undefined) return [];
  // A room thought gone that reports after all (it was only slow) is the team's again.
  if (team.phase === TEAM_ROOM_LOST) st.expected.add(team.index);
  team.roomId = r.roomId;
  team.phase = r.phase;
  team.quietMs = 0;
  return [{ type: 'team-status', team: r.team }];
}

/** Count each team room's silence; a room silent for TEAM_SILENT_MS is gone. */
function time(st: ClassState, ms: number): ClassEffect[] {
  if (st.phase !== 'running') return [];
  const out: ClassEffect[] = [];
  for (const t of st.teams) {
    // Only rooms that were made and still owe their result; a finished team's room may go.
    if (!st.expected.has(t.index) || st.pending.has(t.index)) continue;
    t.quietMs += ms;
    if (t.quietMs >= TEAM_SILENT_MS) out.push(...teamRoomGone(st, t));
  }
  return out;
}

/**
 * A team's room stopped reporting. Before its round began (no live phase yet) it is made
 * again, once; otherwise the team is marked lost (the screens say so instead of sending
 * students to a room that is not there) and the results stop waiting for it.
 */
function teamRoomGone(st: ClassState, t: ClassTeam): ClassEffect[] {
  st.reports.delete(t.index);
  t.quietMs = 0;
  const begun = t.phase === 'live' || t.phase === 'debrief';
  if (!begun && !t.remade) {
    t.remade = true;
    t.roomId = '';
    t.phase = '';
    return [{ type: 'remake-team-room', round: st.round, team: t.index, seed: st.roundSeed, settings: { ...st.settings } }];
  }
  t.roomId = '';
  t.phase = TEAM_ROOM_LOST;
  st.expected.delete(t.index);
  if ([...st.expected].every((i) => st.pending.has(i))) closeRound(st);
  return [];
}

/** Every team has reported (or the wait after the host's end is over): the round's results. */
function closeRound(st: ClassState): void {
  const set = st.settings;
  st.rounds.push({
    round: st.round, scenario: set.scenario, preset: set.preset, chaos: set.chaos, difficulty: set.difficulty, seed: st.roundSeed,
    teams: [...st.pending.values()].sort((a, b) => a.team - b.team),
  });
  st.phase = 'results';
  st.paused = false;
}

// ---------------------------------------------------------------------------------
// Students and teams

/** Balance the unpinned students over the teams (in the lobby; a running round keeps its teams). */
function rebalance(st: ClassState): void {
  if (st.phase === 'running' && st.teams.length > 0) return;
  const ids = [...st.students.keys()];
  const current = new Map(ids.map((id) => [id, st.students.get(id)!.team]));
  const pinned = new Set(ids.filter((id) => st.students.get(id)!.pinned));
  for (const [id, team] of balanceTeams(ids, teamCount(st), current, pinned)) st.students.get(id)!.team = team;
}

function member(s: ClassStudent): ClassEffect {
  return { type: 'member', player: s.player, membership: { team: s.team, nickname: s.nickname } };
}

function takenNames(st: ClassState, except: string): Set<string> {
  return new Set([...st.students.values()].filter((s) => s.id !== except).map((s) => s.nickname.toLowerCase()));
}

function refuse(error: string, code: ErrorCode): ClassEffect {
  return { type: 'refuse', error, code };
}
