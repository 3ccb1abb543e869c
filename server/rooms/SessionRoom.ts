// A `session` room: one classroom session. The host (a teacher, no account: a key kept in
// their browser) creates it and gets a join code; students join with the code and a
// nickname; the host splits them into teams and starts a round, and every team plays its
// own `cluster` room with the session's seed, scenario and chaos. The room is the class's
// hub: the host's controls, the projector's view of every team, polls, pushed concept
// cards and the results. It talks to its team rooms only through presence
// (server/sessions/bus.ts), so they may run in other processes.
//
//   lobby ──start──▶ running ──every team's result──▶ results ──next──▶ lobby …

import { randomBytes, randomInt } from 'node:crypto';
import { matchMaker, Room, ServerError, type Client } from '@colyseus/core';
import { MSG, type ErrorCode, type ErrorMessage } from '../../shared/protocol/messages.js';
import { SESSION_MSG, checkPreset, validateHostAction, validatePollAnswer, type HostAction, type SessionSettings } from '../../shared/protocol/session.js';
import { normalizeJoinCode } from '../../shared/session/codes.js';
import { balanceTeams, smallestTeam, teamCountFor, teamName } from '../../shared/session/teams.js';
import type { RoundResults, TeamResult } from '../../shared/session/results.js';
import { TICK_MS } from '../../shared/sim/round.js';
import { getScenario } from '../../shared/scenarios/index.js';
import { cleanNickname, PLAYER_KEY_PATTERN, uniqueNickname } from './options.js';
import { createBucket, takeToken, type TokenBucket } from './rate-limit.js';
import { BannedView, SessionState, StudentView, TeamNodeView, TeamView, type SessionWelcome } from './session-schema.js';
import { copyTeamNodes } from '../../shared/view/team-status.js';
import {
  asMessage, claimJoinCode, downChannel, newSecret, playerKeyHash, registerSession, releaseJoinCode, setMember,
  unregisterSession, upChannel, type SessionDown, type SessionUp, type TeamStatus,
} from '../sessions/bus.js';
import { fieldsOf, Problem } from '../../shared/protocol/validate.js';
import { refuseUnknownMessages } from './guard.js';

/** Host chaos strikes this many ticks after the furthest team's last reported tick (status lags ≤ 1 s). */
const CHAOS_LEAD_TICKS = 2000 / TICK_MS;
/** A session nobody is connected to closes after this long. */
const EMPTY_CLOSE_MS = 15 * 60_000;
/** A team's debrief stays open this long unless the host moves on. */
const TEAM_DEBRIEF_SECONDS = 3600;
/** After the host ends a round, teams that have not reported by then are left out of its results. */
const RESULTS_WAIT_MS = 20_000;
/** Most students in one session. */
export const MAX_STUDENTS = 120;

interface Student {
  id: string;
  player: string;
  nickname: string;
  team: number;
  pinned: boolean;
  client: Client | null;
}

interface Member {
  role: 'host' | 'student';
  /** Set on join (a new student gets their id then, so a refused join leaves no trace). */
  studentId: string;
  /** A student's player-key hash and the nickname they asked for. */
  player: string;
  nickname: string;
  bucket: TokenBucket;
}

export class SessionRoom extends Room<SessionState> {
  /** Every session room alive in this process (tests). */
  static readonly live = new Set<SessionRoom>();

  override maxClients = MAX_STUDENTS + 10;
  override autoDispose = false;

  private hostHash = '';
  private secret = '';
  private students = new Map<string, Student>();
  private byPlayer = new Map<string, string>();
  /** Kicked students by player hash: refused until the host allows them back. */
  private banned = new Map<string, Student>();
  private members = new Map<string, Member>();
  private answers = new Map<string, number>();
  private statuses = new Map<number, TeamStatus>();
  private pending = new Map<number, TeamResult>();
  /** Teams whose room was created this round: the results wait for these. */
  private expected = new Set<number>();
  private rounds: RoundResults[] = [];
  private roundSeed = 0;
  private emptySince = 0;
  private readonly onUp = (data: unknown) => {
    const msg = asMessage<SessionUp>(data);
    if (msg !== null) this.fromTeam(msg);
  };

  override async onCreate(options: unknown): Promise<void> {
    const f = fieldsOf(options ?? {}, 'options', ['hostKey', 'settings', 'nickname', 'playerKey']);
    if (f instanceof Problem) throw new ServerError(400, f.error);
    const hostKey = f.get('hostKey');
    if (typeof hostKey !== 'string' || !PLAYER_KEY_PATTERN.test(hostKey)) throw new ServerError(400, 'hostKey must be 16-64 letters, digits, dashes or underscores');
    this.hostHash = playerKeyHash(hostKey);
    this.secret = newSecret();
    this.state = new SessionState();
    this.state.sessionId = randomBytes(12).toString('base64url');
    if (f.has('settings')) {
      const problem = this.applySettings(f.get('settings'));
      if (problem !== null) throw new ServerError(400, problem);
    }
    this.state.code = await claimJoinCode(this.presence, this.roomId);
    await registerSession(this.presence, this.state.sessionId, this.secret);
    await this.presence.subscribe(upChannel(this.state.sessionId), this.onUp);
    await this.setPrivate(true);
    this.onMessage(SESSION_MSG.host, (client, raw) => this.onHost(client, raw));
    this.onMessage(SESSION_MSG.answer, (client, raw) => this.onAnswer(client, raw));
    refuseUnknownMessages(this, [SESSION_MSG.host, SESSION_MSG.answer]);
    this.clock.setInterval(() => this.closeIfAbandoned(), 30_000);
    SessionRoom.live.add(this);
  }

  override async onAuth(_client: Client, options: unknown): Promise<Member> {
    const f = fieldsOf(options ?? {}, 'options', ['hostKey', 'code', 'nickname', 'playerKey', 'settings']);
    if (f instanceof Problem) throw new ServerError(400, f.error);
    const hostKey = f.get('hostKey');
    if (typeof hostKey === 'string' && playerKeyHash(hostKey) === this.hostHash) return { role: 'host', studentId: '', player: '', nickname: '', bucket: createBucket(Date.now()) };
    if (normalizeJoinCode(f.get('code')) !== this.state.code) throw new ServerError(403, 'that join code is not this class\'s');
    const key = f.get('playerKey');
    if (typeof key !== 'string' || !PLAYER_KEY_PATTERN.test(key)) throw new ServerError(400, 'playerKey must be 16-64 letters, digits, dashes or underscores');
    const player = playerKeyHash(key);
    if (this.banned.has(player)) throw new ServerError(403, 'the teacher removed you from this class');
    const known = this.byPlayer.get(player);
    if (known === undefined) {
      if (this.state.locked) throw new ServerError(403, 'the class is locked: ask your teacher to let you in');
      if (this.state.phase !== 'lobby' && !this.state.allowLate) throw new ServerError(403, 'the round has started and the teacher is not letting anyone else in');
      if (this.students.size >= MAX_STUDENTS) throw new ServerError(403, 'this class is full');
    }
    const raw = f.get('nickname');
    if (raw !== undefined && (typeof raw !== 'string' || raw.length > 100)) throw new ServerError(400, 'nickname must be at most 20 characters');
    return { role: 'student', studentId: known ?? '', player, nickname: typeof raw === 'string' ? raw : '', bucket: createBucket(Date.now()) };
  }

  override onJoin(client: Client, _options: unknown, member: Member): void {
    this.members.set(client.sessionId, member);
    this.emptySince = 0;
    if (member.role === 'host') this.state.hostConnected = true;
    else {
      // Known by their player key, or new (checked in onAuth; created only now that they are in).
      member.studentId = this.byPlayer.get(member.player) ?? this.newStudent(member.player, member.nickname);
      const s = this.students.get(member.studentId)!;
      // The same browser on a second tab or after a reload: the newest connection is the student.
      if (s.client !== null && s.client !== client) s.client.leave(4000);
      s.client = client;
      this.sync(s);
    }
    client.send('welcome', { role: member.role, studentId: member.studentId } satisfies SessionWelcome);
  }

  override async onLeave(client: Client, consented: boolean): Promise<void> {
    const member = this.members.get(client.sessionId);
    this.members.delete(client.sessionId);
    if (member === undefined) return;
    if (member.role === 'host') {
      this.state.hostConnected = [...this.members.values()].some((m) => m.role === 'host');
      return;
    }
    const s = this.students.get(member.studentId);
    if (s === undefined || s.client !== client) return;
    s.client = null;
    this.sync(s);
    if (!consented) {
      try {
        const back = await this.allowReconnection(client, 60);
        this.members.set(back.sessionId, member);
        if (this.students.get(member.studentId) === s && s.client === null) {
          s.client = back;
          this.sync(s);
        }
      } catch {
        // They can still come back with their code: their player key finds their place.
      }
    }
  }

  override async onDispose(): Promise<void> {
    SessionRoom.live.delete(this);
    this.publish({ type: 'close', round: Number.MAX_SAFE_INTEGER });
    this.presence.unsubscribe(upChannel(this.state.sessionId), this.onUp);
    await releaseJoinCode(this.presence, this.state.code);
    await unregisterSession(this.presence, this.state.sessionId);
  }

  // ---------------------------------------------------------------------------------
  // The host's controls

  private onHost(client: Client, raw: unknown): void {
    const member = this.admit(client);
    if (member === null) return;
    if (member.role !== 'host') return this.refuse(client, 'only the teacher can do that', 'forbidden');
    const v = validateHostAction(raw);
    if (!v.ok) return this.refuse(client, v.error, 'invalid');
    const problem = this.hostAction(v.value);
    if (problem !== null) this.refuse(client, problem.error, problem.code);
  }

  private hostAction(a: HostAction): { error: string; code: ErrorCode } | null {
    const st = this.state;
    const phase = (error: string) => ({ error, code: 'phase' as const });
    switch (a.action) {
      case 'settings': {
        if (st.phase === 'running') return phase('settings change between rounds');
        const problem = this.applySettings(a.settings);
        if (problem !== null) return { error: problem, code: 'invalid' };
        this.rebalance();
        return null;
      }
      case 'lock':
        st.locked = a.locked;
        return null;
      case 'late-join':
        st.allowLate = a.allow;
        return null;
      case 'move': {
        const s = this.students.get(a.student);
        if (s === undefined) return { error: 'no such student', code: 'invalid' };
        if (a.team >= this.teamCount()) return { error: `there are ${this.teamCount()} teams`, code: 'invalid' };
        s.team = a.team;
        s.pinned = true;
        this.sync(s);
        if (st.phase === 'running') this.shareMember(s);
        return null;
      }
      case 'kick': {
        const s = this.students.get(a.student);
        if (s === undefined) return { error: 'no such student', code: 'invalid' };
        this.students.delete(s.id);
        this.byPlayer.delete(s.player);
        this.banned.set(s.player, s);
        st.students.delete(s.id);
        const b = new BannedView();
        b.id = s.id;
        b.nickname = s.nickname;
        st.banned.set(s.id, b);
        void setMember(this.presence, st.sessionId, s.player, null);
        this.publish({ type: 'kick', player: s.player });
        s.client?.send(SESSION_MSG.kicked, { reason: 'The teacher removed you from this class.' });
        s.client?.leave(4003);
        return null;
      }
      case 'allow': {
        const entry = [...this.banned.entries()].find(([, s]) => s.id === a.student);
        if (entry === undefined) return { error: 'no such removed student', code: 'invalid' };
        this.banned.delete(entry[0]);
        st.banned.delete(a.student);
        return null;
      }
      case 'rename': {
        const s = this.students.get(a.student);
        if (s === undefined) return { error: 'no such student', code: 'invalid' };
        const clean = cleanNickname(a.nickname);
        if (clean === '') return { error: 'that name is not allowed', code: 'invalid' };
        s.nickname = uniqueNickname(clean, this.takenNames(s.id));
        this.sync(s);
        if (st.phase !== 'lobby') this.shareMember(s);
        this.publish({ type: 'rename', player: s.player, nickname: s.nickname });
        return null;
      }
      case 'start':
        if (st.phase === 'running') return phase('a round is already running');
        void this.startRound();
        return null;
      case 'pause':
      case 'resume':
        if (st.phase !== 'running') return phase('no round is running');
        st.paused = a.action === 'pause';
        this.publish({ type: a.action });
        return null;
      case 'end': {
        if (st.phase !== 'running') return phase('no round is running');
        st.paused = false;
        this.publish({ type: 'end' });
        // A team whose room is gone (its process died) would hold the results up for ever.
        const round = st.round;
        this.clock.setTimeout(() => {
          if (st.round === round && st.phase === 'running') this.closeRound();
        }, RESULTS_WAIT_MS);
        return null;
      }
      case 'next':
        if (st.phase !== 'results') return phase('the next round comes after this one\'s results');
        this.publish({ type: 'close', round: st.round });
        st.phase = 'lobby';
        for (const t of st.teams) t.phase = '';
        return null;
      case 'chaos': {
        if (st.phase !== 'running') return phase('chaos strikes a running round');
        const live = [...this.statuses.values()].filter((s) => s.round === st.round);
        if (live.length < st.teams.length || live.some((s) => s.phase !== 'live')) return phase('wait until every team is live');
        // The furthest team's tick plus a lead: every team reaches it after hearing the order.
        const atTick = Math.max(...live.map((s) => s.tick)) + CHAOS_LEAD_TICKS;
        this.publish({ type: 'chaos', atTick, command: { type: 'chaos', kind: a.kind, target: a.target, durationMs: a.durationMs, magnitude: a.magnitude } });
        return null;
      }
      case 'card':
        st.card = a.card;
        this.broadcast(SESSION_MSG.card, { card: a.card });
        return null;
      case 'poll': {
        const p = st.poll;
        p.id++;
        p.question = a.question;
        p.options.clear();
        p.counts.clear();
        for (const o of a.options) {
          p.options.push(o);
          p.counts.push(0);
        }
        p.answered = 0;
        p.open = true;
        p.revealed = false;
        p.answer = -1;
        this.answers.clear();
        return null;
      }
      case 'reveal':
        if (st.poll.id === 0) return phase('there is no poll to reveal');
        if (a.answer !== undefined && a.answer >= st.poll.options.length) return { error: `the poll has ${st.poll.options.length} answers`, code: 'invalid' };
        st.poll.open = false;
        st.poll.revealed = true;
        st.poll.answer = a.answer ?? -1;
        return null;
      case 'close-poll':
        st.poll.open = false;
        return null;
      case 'close':
        this.closeSession();
        return null;
    }
  }

  private onAnswer(client: Client, raw: unknown): void {
    const member = this.admit(client);
    if (member === null) return;
    if (member.role !== 'student') return this.refuse(client, 'the teacher does not answer polls', 'forbidden');
    const v = validatePollAnswer(raw);
    if (!v.ok) return this.refuse(client, v.error, 'invalid');
    const p = this.state.poll;
    if (!p.open || v.value.poll !== p.id) return this.refuse(client, 'this poll is closed', 'phase');
    if (v.value.choice >= p.options.length) return this.refuse(client, `choose one of the ${p.options.length} answers`, 'invalid');
    this.answers.set(member.studentId, v.value.choice);
    const counts = new Array<number>(p.options.length).fill(0);
    for (const c of this.answers.values()) counts[c]!++;
    counts.forEach((c, i) => p.counts[i] = c);
    p.answered = this.answers.size;
  }

  // ---------------------------------------------------------------------------------
  // Rounds

  private async startRound(): Promise<void> {
    const st = this.state;
    st.phase = 'running';
    st.paused = false;
    st.round++;
    const round = st.round;
    this.pending.clear();
    this.expected.clear();
    this.statuses.clear();
    this.roundSeed = randomInt(0, 0xffff_ffff);
    this.rebalance();
    const teams = this.teamCount();
    st.teams.clear();
    for (let t = 0; t < teams; t++) {
      const view = new TeamView();
      view.index = t;
      view.name = teamName(t);
      st.teams.push(view);
    }
    await Promise.all([...this.students.values()].map((s) => this.shareMember(s)));
    const set = st.settings;
    await Promise.all(
      Array.from({ length: teams }, async (_, t) => {
        try {
          const room = await matchMaker.createRoom('cluster', {
            scenario: set.scenario, preset: set.preset, chaos: set.chaos, seed: this.roundSeed, roundSeconds: set.roundSeconds, private: true,
            lobbySeconds: 0, briefingSeconds: set.briefingSeconds, setupSeconds: set.setupSeconds, debriefSeconds: TEAM_DEBRIEF_SECONDS,
            session: { id: st.sessionId, secret: this.secret, team: t, round },
          });
          if (st.round === round) {
            st.teams[t]!.roomId = room.roomId;
            this.expected.add(t);
          }
        } catch (err) {
          console.error(`[session ${st.code}] team ${t + 1}'s room could not be created: ${(err as Error).message}`);
        }
      }),
    );
    if (st.round === round && this.expected.size === 0) {
      // Not one team room could be made: back to the lobby rather than waiting for nothing.
      st.phase = 'lobby';
      st.round--;
    }
  }

  private fromTeam(msg: SessionUp): void {
    const st = this.state;
    if (msg.type === 'status') {
      const s = msg.status;
      if (s.round !== st.round) return;
      this.statuses.set(s.team, s);
      const view = st.teams[s.team];
      if (view === undefined) return;
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
      return;
    }
    if (msg.round !== st.round || st.phase !== 'running') return;
    this.pending.set(msg.team, msg.result);
    const view = st.teams[msg.team];
    if (view !== undefined) view.phase = 'debrief';
    if ([...this.expected].every((t) => this.pending.has(t))) this.closeRound();
  }

  /** Every team has reported (or the wait after the host's end is over): the round's results. */
  private closeRound(): void {
    const st = this.state;
    const set = st.settings;
    this.rounds.push({
      round: st.round, scenario: set.scenario, preset: set.preset, chaos: set.chaos, seed: this.roundSeed,
      teams: [...this.pending.values()].sort((a, b) => a.team - b.team),
    });
    st.results = JSON.stringify(this.rounds);
    st.phase = 'results';
    st.paused = false;
  }

  // ---------------------------------------------------------------------------------
  // Students and teams

  private newStudent(player: string, rawNickname: string): string {
    const id = randomBytes(6).toString('base64url');
    const clean = cleanNickname(rawNickname);
    const nickname = uniqueNickname(clean !== '' ? clean : `Student ${this.students.size + 1}`, this.takenNames(''));
    const late = this.state.phase !== 'lobby';
    const sizes = new Array<number>(Math.max(this.teamCount(), this.state.teams.length)).fill(0);
    for (const s of this.students.values()) if (s.team < sizes.length) sizes[s.team]!++;
    const s: Student = { id, player, nickname, team: smallestTeam(sizes), pinned: false, client: null };
    this.students.set(id, s);
    this.byPlayer.set(player, id);
    if (late) void this.shareMember(s);
    this.sync(s);
    return id;
  }

  /** Tell the team rooms (through presence) who this student is and which team they are on. */
  private shareMember(s: Student): Promise<void> {
    return setMember(this.presence, this.state.sessionId, s.player, { team: s.team, nickname: s.nickname });
  }

  /** Balance the unpinned students over the teams (in the lobby; a running round keeps its teams). */
  private rebalance(): void {
    if (this.state.phase === 'running' && this.state.teams.length > 0) return;
    const ids = [...this.students.keys()];
    const current = new Map(ids.map((id) => [id, this.students.get(id)!.team]));
    const pinned = new Set(ids.filter((id) => this.students.get(id)!.pinned));
    const plan = balanceTeams(ids, this.teamCount(), current, pinned);
    for (const [id, team] of plan) {
      const s = this.students.get(id)!;
      if (s.team !== team) {
        s.team = team;
        this.sync(s);
      }
    }
  }

  private teamCount(): number {
    const set = this.state.settings;
    return teamCountFor(this.students.size, set.teamSize > 0 ? { teamSize: set.teamSize } : { teamCount: set.teamCount });
  }

  private sync(s: Student): void {
    const v = this.state.students.get(s.id) ?? new StudentView();
    v.id = s.id;
    v.nickname = s.nickname;
    v.team = s.team;
    v.connected = s.client !== null;
    v.pinned = s.pinned;
    if (!this.state.students.has(s.id)) this.state.students.set(s.id, v);
  }

  private takenNames(except: string): Set<string> {
    return new Set([...this.students.values()].filter((s) => s.id !== except).map((s) => s.nickname.toLowerCase()));
  }

  private applySettings(input: unknown): string | null {
    const f = fieldsOf(input, 'settings', null);
    if (f instanceof Problem) return f.error;
    const v = validateHostAction({ action: 'settings', settings: input });
    if (!v.ok) return v.error;
    if (v.value.action !== 'settings') return 'settings expected';
    const next: Partial<SessionSettings> = v.value.settings;
    const set = this.state.settings;
    const scenario = next.scenario ?? set.scenario;
    const preset = next.preset ?? (next.scenario !== undefined && !(set.preset in (getScenario(scenario)?.presets ?? {})) ? 'cp' : set.preset);
    const problem = checkPreset(scenario, preset);
    if (problem !== null) return problem;
    set.scenario = scenario;
    set.preset = preset;
    if (next.chaos !== undefined) set.chaos = next.chaos;
    if (next.roundSeconds !== undefined) set.roundSeconds = next.roundSeconds;
    if (next.teamCount !== undefined) set.teamCount = next.teamCount;
    if (next.teamSize !== undefined) set.teamSize = next.teamSize;
    if (next.briefingSeconds !== undefined) set.briefingSeconds = next.briefingSeconds;
    if (next.setupSeconds !== undefined) set.setupSeconds = next.setupSeconds;
    return null;
  }

  // ---------------------------------------------------------------------------------

  private publish(msg: SessionDown): void {
    this.presence.publish(downChannel(this.state.sessionId), msg);
  }

  private admit(client: Client): Member | null {
    const m = this.members.get(client.sessionId);
    if (m === undefined) return null;
    if (!takeToken(m.bucket, Date.now())) {
      this.refuse(client, 'too many messages: at most 10 a second', 'rate-limited');
      return null;
    }
    return m;
  }

  override onUncaughtException(error: Error, methodName: string): void {
    // A refused create or join is the client's answer; anything else is logged, and the class goes on.
    if (error.cause instanceof ServerError) return;
    console.error(`[session ${this.roomId}] ${methodName}: ${error.stack ?? error.message}`);
  }

  private refuse(client: Client, error: string, code: ErrorCode): void {
    client.send(MSG.error, { error, code } satisfies ErrorMessage);
  }

  /** The host closes the class: students are told, then everyone is let go and the code freed (onDispose). */
  private closeSession(): void {
    for (const s of this.students.values()) s.client?.send(SESSION_MSG.kicked, { reason: 'Your teacher has closed this class.' });
    this.publish({ type: 'close', round: Number.MAX_SAFE_INTEGER });
    this.clock.setTimeout(() => void this.disconnect(), 300);
  }

  private closeIfAbandoned(): void {
    if (this.clients.length > 0) {
      this.emptySince = 0;
      return;
    }
    if (this.emptySince === 0) this.emptySince = Date.now();
    else if (Date.now() - this.emptySince > EMPTY_CLOSE_MS) void this.disconnect();
  }
}
