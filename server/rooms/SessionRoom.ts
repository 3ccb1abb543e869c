// A `session` room: one classroom session. The host (a teacher, no account: a key kept in
// their browser) creates it and gets a join code; students join with the code and a
// nickname; the host splits them into teams and starts a round, and every team plays its
// own `cluster` room with the session's seed, scenario and chaos. The class's rules live in
// shared/session/flow.ts; this room is their adapter: Colyseus events become the model's
// inputs, and its effects become schema, messages, orders to the team rooms (through
// presence, server/sessions/bus.ts, so they may run in other processes) and timers.
// Scaled out, the class is also kept in presence a moment after each change
// (server/sessions/class-snapshot.ts): when this process dies, another one hosts the same
// session again from it (server/process-watch.ts), under the same room id and join code.

import { randomBytes, randomInt } from 'node:crypto';
import { LocalDriver, LocalPresence, matchMaker, Room, ServerError, type Client, type ClientPrivate } from '@colyseus/core';
import { MSG, type ErrorCode, type ErrorMessage } from '../../shared/protocol/messages.js';
import { PLAYER_KEY_PATTERN } from '../../shared/protocol/player.js';
import { SESSION_MSG, type SessionDown, type SessionSettings } from '../../shared/protocol/session.js';
import { handle, type ClassEffect, type ClassInput } from '../../shared/session/flow.js';
import { settingsAfter } from '../../shared/session/settings.js';
import { MAX_STUDENTS, newClassState, type ClassState } from '../../shared/session/state.js';
import { fieldsOf, Problem } from '../../shared/protocol/validate.js';
import { boundedLog } from './bounded-log.js';
import { FairUse } from './fair-use.js';
import { SessionState, TeamView, type SessionWelcome } from './session-schema.js';
import { projectClass, showTeamStatus } from './session-projection.js';
import { asMessage, claimJoinCode, downChannel, newSecret, playerKeyHash, pointJoinCode, registerSession, releaseJoinCode, sessionSecret, setMember, unregisterSession, upChannel, type SessionUp } from '../sessions/bus.js';
import { claimHosting, dropSnapshot, hostOf, loadSnapshot, SnapshotWriter, type SessionSnapshot } from '../sessions/class-snapshot.js';
import { refuseUnknownMessages } from './guard.js';

export { MAX_STUDENTS };

/** A session nobody is connected to closes after this long. */
const EMPTY_CLOSE_MS = 15 * 60_000;
/** A team's debrief stays open this long unless the host moves on. */
const TEAM_DEBRIEF_SECONDS = 3600;
/** How often the class model hears that time passed (it counts each team room's silence). */
const TIME_EVERY_MS = 1000;
/** The close code of a session room whose process stops and leaves the class to another one. */
export const CLASS_MOVING_CLOSE = 4101;
/** How often the room checks that it still hosts its session (another process may have taken it over). */
const HOST_CHECK_MS = 5000;

interface Member {
  role: 'host' | 'student';
  /** Set on join (a new student gets their id then, so a refused knock leaves no trace). */
  studentId: string;
  /** A student's player-key hash and the nickname they asked for. */
  player: string;
  nickname: string;
}

export class SessionRoom extends Room<SessionState> {
  /** Every session room alive in this process (tests). */
  static readonly live = new Set<SessionRoom>();
  /**
   * Set while this process shuts down scaled out: its sessions are left to another process
   * (their snapshots and codes stay) instead of being closed.
   */
  static handingOver = false;

  override maxClients = MAX_STUDENTS + 10;
  override autoDispose = false;

  private hostHash = '';
  private secret = '';
  private cls: ClassState = newClassState();
  private members = new Map<string, Member>();
  /** Each student's current connection, by student id. */
  private connections = new Map<string, Client>();
  private emptySince = 0;
  private log = boundedLog('[session]');
  private fairUse!: FairUse;
  private snapshots: SnapshotWriter | null = null;
  /** When the running round's results are due after the host ended it (kept for a process that takes over). */
  private resultsDue: { round: number; at: number } | null = null;
  /** Another process hosts this session now (this one was thought dead): close without ending the class. */
  private supplanted = false;
  /** Set once the room is closing: an async check still under way must not list it again. */
  private disposed = false;
  private readonly onUp = (data: unknown) => {
    const msg = asMessage<SessionUp>(data);
    if (msg !== null) this.fromTeam(msg);
  };

  override async onCreate(options: unknown): Promise<void> {
    const f = fieldsOf(options ?? {}, 'options', ['hostKey', 'settings', 'nickname', 'playerKey', 'restore']);
    if (f instanceof Problem) throw new ServerError(400, f.error);
    this.fairUse = new FairUse(this);
    this.state = new SessionState();
    if (f.has('restore')) await this.restore(f.get('restore'));
    else {
      const hostKey = f.get('hostKey');
      if (typeof hostKey !== 'string' || !PLAYER_KEY_PATTERN.test(hostKey)) throw new ServerError(400, 'hostKey must be 16-64 letters, digits, dashes or underscores');
      this.hostHash = playerKeyHash(hostKey);
      this.secret = newSecret();
      this.state.sessionId = randomBytes(12).toString('base64url');
      if (f.has('settings')) {
        const settings = settingsAfter(this.cls.settings, f.get('settings'));
        if (typeof settings === 'string') throw new ServerError(400, settings);
        this.cls.settings = settings;
      }
      this.cls.code = await claimJoinCode(this.presence, this.roomId);
      await registerSession(this.presence, this.state.sessionId, this.secret);
    }
    this.log = boundedLog(`[session ${this.roomId}]`);
    projectClass(this.cls, this.state);
    // Kept only where another process could take the class over (in-process presence dies with the process).
    if (!(this.presence instanceof LocalPresence)) {
      this.snapshots = new SnapshotWriter(this.presence, () => this.snapshot(), (m) => this.log(m));
      await this.snapshots.write();
    }
    await claimHosting(this.presence, this.state.sessionId, matchMaker.processId);
    await this.presence.subscribe(upChannel(this.state.sessionId), this.onUp);
    await this.setPrivate(true);
    this.onMessage(SESSION_MSG.host, (client, raw) => this.fromMember(client, (m) => ({ type: 'host', role: m.role, action: raw, seed: randomInt(0, 0xffff_ffff) })));
    this.onMessage(SESSION_MSG.answer, (client, raw) => this.fromMember(client, (m) => ({ type: 'answer', role: m.role, student: m.studentId, answer: raw })));
    refuseUnknownMessages(this, [SESSION_MSG.host, SESSION_MSG.answer]);
    this.clock.setInterval(() => this.closeIfAbandoned(), 30_000);
    this.clock.setInterval(() => this.apply({ type: 'time', ms: TIME_EVERY_MS }), TIME_EVERY_MS);
    this.clock.setInterval(() => void this.checkStillHost(), HOST_CHECK_MS);
    SessionRoom.live.add(this);
  }

  /**
   * Host again the session a dead process hosted: its snapshot under its old room id (the
   * clients' join code and kept room id lead here again). Only the server knows a session's
   * secret, so no client can take a class over this way. Everyone is away until they come back.
   */
  private async restore(raw: unknown): Promise<void> {
    const r = raw as { id?: unknown; secret?: unknown } | null;
    if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || typeof r.secret !== 'string') throw new ServerError(400, 'restore names a session and its secret');
    const known = await sessionSecret(this.presence, r.id);
    if (known === null || known !== r.secret) throw new ServerError(403, 'this class session does not exist or has ended');
    const snap = await loadSnapshot(this.presence, r.id);
    if (typeof snap === 'string') throw new ServerError(410, snap);
    if (snap.secret !== r.secret) throw new ServerError(403, 'this class session does not exist or has ended');
    this.roomId = snap.roomId;
    this.hostHash = snap.hostHash;
    this.secret = snap.secret;
    this.state.sessionId = snap.sessionId;
    this.cls = snap.cls;
    for (const s of this.cls.students.values()) s.connected = false;
    this.state.hostConnected = false;
    for (let t = 0; t < this.cls.teams.length; t++) this.state.teams.push(new TeamView());
    const due = snap.resultsDue;
    if (due !== null && due.round === this.cls.round && this.cls.phase === 'running') {
      this.resultsDue = due;
      this.clock.setTimeout(() => this.apply({ type: 'results-due', round: due.round }), Math.max(0, due.at - Date.now()));
    }
    await pointJoinCode(this.presence, this.cls.code, this.roomId);
  }

  /** What another process needs to host this session again. */
  private snapshot(): SessionSnapshot {
    return { v: 1, roomId: this.roomId, sessionId: this.state.sessionId, secret: this.secret, hostHash: this.hostHash, cls: this.cls, resultsDue: this.resultsDue };
  }

  /**
   * Still this session's host? A process thought dead (cut off from Redis too long) finds
   * another one took the class over: it closes its room without ending the class, and its
   * clients come back to the new host. The host that stays keeps its room listed (the
   * closing one's departure removes the listing both share).
   */
  private async checkStillHost(): Promise<void> {
    if (this.supplanted) return;
    let host: string | null;
    try {
      host = await hostOf(this.presence, this.state.sessionId);
    } catch {
      return;
    }
    // The room may have closed while this check waited on presence: its listing is gone then,
    // and saving it again would throw out of a timer.
    if (this.disposed) return;
    if (host === matchMaker.processId) {
      // A process on its own (the local driver): nobody else removes its listings, so a
      // missing one means this room is closing, not that another process swept it away.
      if (matchMaker.driver instanceof LocalDriver) return;
      const listed = await matchMaker.driver.findOne({ roomId: this.roomId });
      if (!this.disposed && listed?.processId !== matchMaker.processId) await this.listing.save();
      return;
    }
    if (host === null) return;
    this.supplanted = true;
    this.snapshots?.stop();
    this.log(`another server process (${host}) hosts this class now: closing this copy`);
    await this.disconnect();
  }

  override async onAuth(_client: Client, options: unknown): Promise<Member> {
    const f = fieldsOf(options ?? {}, 'options', ['hostKey', 'code', 'nickname', 'playerKey', 'settings']);
    if (f instanceof Problem) throw new ServerError(400, f.error);
    const hostKey = f.get('hostKey');
    if (typeof hostKey === 'string' && playerKeyHash(hostKey) === this.hostHash) return { role: 'host', studentId: '', player: '', nickname: '' };
    const key = f.get('playerKey');
    const player = typeof key === 'string' && PLAYER_KEY_PATTERN.test(key) ? playerKeyHash(key) : null;
    const raw = f.get('nickname');
    const answer = handle(this.cls, { type: 'knock', code: f.get('code'), player, nickname: raw })[0];
    if (answer?.type === 'turn-away') throw new ServerError(answer.status, answer.error);
    return { role: 'student', studentId: '', player: player ?? '', nickname: typeof raw === 'string' ? raw : '' };
  }

  override onJoin(client: Client, _options: unknown, member: Member): void {
    this.members.set(client.sessionId, member);
    this.emptySince = 0;
    if (member.role === 'host') this.state.hostConnected = true;
    else {
      const joined = this.apply({ type: 'join', player: member.player, nickname: member.nickname, newId: randomBytes(6).toString('base64url') });
      member.studentId = joined.find((e) => e.type === 'joined')?.student ?? '';
      // The same browser on a second tab or after a reload: the newest connection is the student.
      const before = this.connections.get(member.studentId);
      if (before !== undefined && before !== client) before.leave(4000);
      this.connections.set(member.studentId, client);
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
    const id = member.studentId;
    if (!this.cls.students.has(id) || this.connections.get(id) !== client) return;
    this.connections.delete(id);
    this.apply({ type: 'away', student: id });
    if (!consented) {
      try {
        const back = await this.allowReconnection(client, 60);
        this.members.set(back.sessionId, member);
        if (this.cls.students.has(id) && !this.connections.has(id)) {
          this.connections.set(id, back);
          this.apply({ type: 'here', student: id });
        }
      } catch {
        // They can still come back with their code: their player key finds their place.
      }
    }
  }

  override async onDispose(): Promise<void> {
    this.disposed = true;
    SessionRoom.live.delete(this);
    this.presence.unsubscribe(upChannel(this.state.sessionId), this.onUp);
    if (this.supplanted) return;
    if (SessionRoom.handingOver) {
      // This process is stopping: the class goes on in another one, from its latest snapshot.
      await this.snapshots?.write();
      this.snapshots?.stop();
      return;
    }
    this.snapshots?.stop();
    this.publish({ type: 'close', round: Number.MAX_SAFE_INTEGER });
    await releaseJoinCode(this.presence, this.state.code);
    await unregisterSession(this.presence, this.state.sessionId);
    await dropSnapshot(this.presence, this.state.sessionId);
  }

  override onUncaughtException(error: Error, methodName: string): void {
    // A refused create or join is the client's answer; anything else is logged, and the class goes on.
    if (error.cause instanceof ServerError) return;
    this.log(`${methodName}: ${error.stack ?? error.message}`);
  }

  /** Every frame a client sends meets the fair-use checks before Colyseus decodes it. */
  protected override _onMessage(client: Client & ClientPrivate, buffer: Buffer): void {
    if (this.fairUse.admit(client, buffer)) super._onMessage(client, buffer);
  }

  private fromTeam(msg: SessionUp): void {
    if (msg.type === 'result') return void this.apply({ type: 'result', round: msg.round, team: msg.team, result: msg.result });
    const s = msg.status;
    for (const e of this.apply({ type: 'status', report: s })) if (e.type === 'team-status') showTeamStatus(this.state.teams[e.team]!, s);
  }

  /** A member's message (fair-use.ts has already rate-limited it) as the model's input. */
  private fromMember(client: Client, input: (m: Member) => ClassInput): void {
    const m = this.members.get(client.sessionId);
    if (m !== undefined) this.apply(input(m), client);
  }

  /** Run one input through the model, carry out its effects and copy the class into the schema. */
  private apply(input: ClassInput, from?: Client): ClassEffect[] {
    const effects = handle(this.cls, input);
    const shared: Promise<void>[] = [];
    for (const e of effects) {
      switch (e.type) {
        case 'refuse':
          if (from !== undefined) this.refuse(from, e.error, e.code);
          break;
        case 'member':
          shared.push(setMember(this.presence, this.state.sessionId, e.player, e.membership));
          break;
        case 'down':
          this.publish(e.msg);
          break;
        case 'kicked': {
          const c = this.connections.get(e.student);
          c?.send(SESSION_MSG.kicked, { reason: e.reason });
          if (e.leave !== undefined) {
            c?.leave(e.leave);
            this.connections.delete(e.student);
          }
          break;
        }
        case 'card':
          this.broadcast(SESSION_MSG.card, { card: e.card });
          break;
        case 'new-teams':
          this.state.teams.clear();
          for (let t = 0; t < this.cls.teams.length; t++) this.state.teams.push(new TeamView());
          break;
        case 'make-team-rooms':
          void Promise.all(shared).then(() => this.makeTeamRooms(e.round, Array.from({ length: e.teams }, (_, t) => t), e.seed, e.settings));
          break;
        case 'remake-team-room':
          void this.makeTeamRooms(e.round, [e.team], e.seed, e.settings);
          break;
        case 'results-timer':
          this.resultsDue = { round: e.round, at: Date.now() + e.ms };
          this.clock.setTimeout(() => this.apply({ type: 'results-due', round: e.round }), e.ms);
          break;
        case 'close':
          this.clock.setTimeout(() => void this.disconnect(), 300);
          break;
      }
    }
    projectClass(this.cls, this.state);
    this.snapshots?.changed();
    return effects;
  }

  /** Make the cluster rooms of `teams` for `round` (a remade one: a single team, and the round goes on either way). */
  private async makeTeamRooms(round: number, teams: number[], seed: number, set: SessionSettings): Promise<void> {
    await Promise.all(
      teams.map(async (t) => {
        try {
          const room = await matchMaker.createRoom('cluster', {
            scenario: set.scenario, preset: set.preset, chaos: set.chaos, difficulty: set.difficulty, seed, roundSeconds: set.roundSeconds, private: true,
            lobbySeconds: 0, briefingSeconds: set.briefingSeconds, setupSeconds: set.setupSeconds, debriefSeconds: TEAM_DEBRIEF_SECONDS,
            session: { id: this.state.sessionId, secret: this.secret, team: t, round },
          });
          this.apply({ type: 'team-room', round, team: t, roomId: room.roomId });
        } catch (err) {
          console.error(`[session ${this.state.code}] team ${t + 1}'s room could not be created: ${(err as Error).message}`);
        }
      }),
    );
    this.apply({ type: 'team-rooms-made', round });
  }

  private publish(msg: SessionDown): void {
    this.presence.publish(downChannel(this.state.sessionId), msg);
  }

  private refuse(client: Client, error: string, code: ErrorCode): void {
    client.send(MSG.error, { error, code } satisfies ErrorMessage);
  }

  private closeIfAbandoned(): void {
    if (this.clients.length > 0) this.emptySince = 0;
    else if (this.emptySince === 0) this.emptySince = Date.now();
    else if (Date.now() - this.emptySince > EMPTY_CLOSE_MS) void this.disconnect();
  }
}
