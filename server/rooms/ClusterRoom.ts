// A `cluster` room: one team's round. The round itself — phases, seats, votes, the fixed
// step, the debrief — is shared/round/model.ts; this room is its adapter (ARCHITECTURE.md):
// the Colyseus lifecycle, message validation and the rate limit turn into the model's
// inputs, and its effects into schema, messages, the recording, the class's session and
// the room's listing.

import { Room, ServerError, type Client, type ClientPrivate } from '@colyseus/core';
import { MSG, refOfMessage, type RoomEventMessage } from '../../shared/protocol/messages.js';
import type { ClusterRoomMetadata } from '../../shared/protocol/room.js';
import { RECONNECT_SECONDS } from '../../shared/protocol/rejoin.js';
import { RoundModel, type RoundEffect, type RoundInput } from '../../shared/round/model.js';
import { TICK_MS } from '../../shared/round/runner.js';
import { teamName } from '../../shared/session/teams.js';
import type { Summary } from '../../shared/sim/summary.js';
import type { Sim } from '../../shared/sim/engine.js';
import { CHECKPOINT_EVERY_TICKS, checkpointHash, type Recording } from '../recording.js';
import { playerKeyHash, type SessionDown } from '../sessions/bus.js';
import { SESSION_CHECK_MS, TeamLink } from '../sessions/team-link.js';
import { boundedLog } from './bounded-log.js';
import { CLOSING_BUDGET_MS, ClosingSlices } from './closing-slices.js';
import { RoomCosts } from './costs.js';
import { FairUse } from './fair-use.js';
import { refuseUnknownMessages } from './guard.js';
import { matchKey, MATCH_FIELD } from './matching.js';
import { parseJoinOptions, parseRoomOptions, PLAYER_KEY_PATTERN, type RoomConfig } from './options.js';
import { createProjectionMemory } from './projection.js';
import { errorOf, inputOf, ROUND_MESSAGES } from './round-messages.js';
import { RoundRecorder } from './round-recorder.js';
import { showEffect } from './round-state.js';
import { ClusterState } from './schema.js';
import { teamResult, teamStatus } from './team-report.js';

/** A player whose connection drops keeps their seat this long (shared/protocol/rejoin.ts). */
export { RECONNECT_SECONDS };
/** A class's team room reports to its session this often (wall-clock ms). */
const STATUS_EVERY_MS = 1000;

/** The seed of a room created without one: a process-wide counter, never the clock. */
let seedCounter = 1;

export class ClusterRoom extends Room<ClusterState, ClusterRoomMetadata> {
  /** Every cluster room alive in this process (benchmark, tests, shutdown). */
  static readonly live = new Set<ClusterRoom>();

  override patchRate = 200;
  override maxClients = 1;

  cfg!: RoomConfig;
  round!: RoundModel;
  readonly recorder = new RoundRecorder();
  readonly costs = new RoomCosts();
  private readonly mem = createProjectionMemory();
  /** The reconnection token of each player away and expected back, by their key. */
  private readonly returnTokens = new Map<string, string>();
  private log = boundedLog('[cluster]');
  private fairUse!: FairUse;
  /** In a class: the tie to the session room (null for other rooms). */
  private team: TeamLink | null = null;
  private statusLeftMs = 0;
  private projectionMs = 0;
  /** Closing a round (heal, converge, judge, sum up) runs in slices of steps, one slice an interval. */
  private readonly closingSlices = new ClosingSlices();
  /**
   * Someone has taken a seat. Until then the round's clock stands still: its creator holds a
   * seat reservation but their socket may arrive a tick or more later, and a room with every
   * phase before live at 0 would otherwise go live (and lock) without them and refuse them.
   * A creator who never comes is not waited for: Colyseus drops the room with the reservation.
   */
  private arrived = false;

  get sim(): Sim {
    return this.round.sim;
  }
  get tick(): number {
    return this.round.tick;
  }
  get recording(): Recording | null {
    return this.recorder.recording;
  }
  get finalSummary(): Summary | null {
    return this.round.finalSummary;
  }

  override async onCreate(options: unknown): Promise<void> {
    const parsed = parseRoomOptions(options);
    if (!parsed.ok) throw new ServerError(400, parsed.error);
    const cfg = (this.cfg = parsed.value);
    this.log = boundedLog(`[cluster ${this.roomId}]`);
    this.fairUse = new FairUse(this, { refOf: refOfMessage });
    if (cfg.session !== null) this.team = await TeamLink.open(this.presence, cfg.session, (m) => this.onSessionOrder(m));
    const seed = cfg.seed ?? seedCounter++ % 0x1_0000_0000;
    this.round = new RoundModel({ ...cfg, seed, inClass: cfg.session !== null, checkpoints: { every: CHECKPOINT_EVERY_TICKS, fingerprint: checkpointHash } });
    this.state = new ClusterState();
    this.state.preset = cfg.preset;
    this.state.difficulty = cfg.difficulty;
    this.state.isPrivate = cfg.isPrivate;
    this.state.seats = this.maxClients = this.round.seatCount;
    if (cfg.session !== null) {
      // A class team may be larger than the cluster: the extra students watch and vote.
      this.maxClients = 64;
      // The class needs the room until the session closes it, its debrief ends or the session
      // is gone: not only while someone is in it (nobody may have joined yet, or a join was refused).
      this.autoDispose = false;
      this.clock.setInterval(() => void this.closeIfSessionGone(), SESSION_CHECK_MS);
      this.state.team = cfg.session.team;
      this.state.teamName = teamName(cfg.session.team);
    }
    // Quick play matches rooms by all their options (matching.ts): the listing names the
    // round as this room reads them, defaults filled in, so a player lands only in the round they asked for.
    (this.listing as unknown as Record<string, string>)[MATCH_FIELD] = matchKey(cfg);
    if (cfg.isPrivate) void this.setPrivate(true);
    this.input({ type: 'open' });
    for (const type of ROUND_MESSAGES) {
      this.onMessage(type, (client, raw) => {
        if (!this.admit(client)) return;
        const input = inputOf(type, client.sessionId, raw, cfg.scenario);
        if ('error' in input) client.send(MSG.error, input);
        else this.input(input);
      });
    }
    refuseUnknownMessages(this, [...ROUND_MESSAGES], (client) => this.admit(client));
    this.setSimulationInterval((delta) => this.update(delta), TICK_MS);
    ClusterRoom.live.add(this);
  }

  override async onDispose(): Promise<void> {
    ClusterRoom.live.delete(this);
    this.team?.close();
    // Shutdown waits for the recording's last writes.
    await this.recorder.settled();
  }

  /** A class's team room admits only its students, under the names the class knows them by. */
  override async onAuth(_client: Client, options: unknown): Promise<{ nickname: string } | true> {
    if (this.team === null) return true;
    const join = parseJoinOptions(options);
    if (!join.ok) throw new ServerError(400, join.error);
    return { nickname: await this.team.admit(join.value.playerKey) };
  }

  override onJoin(client: Client, options: unknown, auth?: { nickname: string } | true): void {
    const join = parseJoinOptions(options);
    if (!join.ok) throw new ServerError(400, join.error);
    const { bot, playerKey } = join.value;
    const effects = this.round.handle({ type: 'join', key: client.sessionId, nickname: typeof auth === 'object' ? auth.nickname : join.value.nickname, bot, playerKey });
    const refused = effects.find((e) => e.type === 'join-refused');
    if (refused !== undefined) throw new ServerError(409, refused.error);
    this.arrived = true;
    this.apply(effects);
  }

  override async onLeave(client: Client, consented: boolean): Promise<void> {
    const key = client.sessionId;
    if (!this.input({ type: 'away', key, consented }).some((e) => e.type === 'await-return')) return;
    const reconnection = this.allowReconnection(client, RECONNECT_SECONDS);
    // The token the seat is now reserved under: handed to this player's browser by its player key (returnTokenFor).
    this.returnTokens.set(key, client.reconnectionToken);
    try {
      await reconnection;
      this.input({ type: 'back', key });
    } catch {
      // Not back in time: the seat goes to a bot (or to the next player before the round).
      this.input({ type: 'leave', key });
    } finally {
      this.returnTokens.delete(key);
    }
  }

  /**
   * The way back into a locked round for a browser that lost its reconnection token: the
   * token of the seat kept for this player key (`roomId:token`); 'open' while a connection
   * with that key is still open here; null when nothing is kept. Called by the rejoin route
   * (server/rejoin.ts), through the matchmaker so from any process.
   */
  returnTokenFor(playerKey: unknown): string | 'open' | null {
    if (typeof playerKey !== 'string' || !PLAYER_KEY_PATTERN.test(playerKey)) return null;
    const key = this.round.keptFor(playerKey);
    const token = key === null ? undefined : this.returnTokens.get(key);
    if (token !== undefined) return `${this.roomId}:${token}`;
    return this.round.openFor(playerKey) ? 'open' : null;
  }

  override onBeforeShutdown(): void {
    // Tell everyone, end the round so it gets its debrief, then close once that is sent.
    const text = 'The server is restarting: this round ends now.';
    this.state.notice = text;
    this.broadcast(MSG.event, { kind: 'shutdown', text } satisfies RoomEventMessage);
    try {
      // A round whose time is up closes properly; one cut short is summed up as it stands.
      if (this.round.isClosing) this.closeSlice(Infinity);
      this.input({ type: 'shutdown' });
    } catch (err) {
      this.onUncaughtException(err as Error, 'onBeforeShutdown');
    }
    // A plain timer: the room clock only advances on the next tick, and ending the round may
    // have held the process for a second, which would fire a clock timeout at once.
    setTimeout(() => {
      this.broadcastPatch();
      void this.disconnect();
    }, 2 * this.patchRate + 300);
  }

  override onUncaughtException(error: Error, methodName: string): void {
    // A refused create or join (bad options, a full room) is the client's answer, not a fault.
    if (error.cause instanceof ServerError) return;
    this.log(`${methodName}: ${error.stack ?? error.message}`);
  }

  /** Every frame a client sends meets the fair-use checks before Colyseus decodes it. */
  protected override _onMessage(client: Client & ClientPrivate, buffer: Buffer): void {
    if (this.fairUse.admit(client, buffer)) super._onMessage(client, buffer);
  }

  /** The sender may send anything at all right now (joined and connected; fair-use.ts has already rate-limited them). */
  private admit(client: Client): boolean {
    return this.round.present(client.sessionId);
  }

  private update(delta: number): void {
    if (this.team !== null && (this.statusLeftMs -= delta) <= 0) {
      this.statusLeftMs = STATUS_EVERY_MS;
      this.team.status(teamStatus(this.cfg.session!, this.roomId, this.state, this.round));
    }
    if (this.round.isClosing) return this.closeSlice();
    // A class's team room keeps the class's time, whoever has arrived (the session drives it).
    if (!this.arrived && this.team === null) return;
    const t0 = performance.now();
    this.projectionMs = 0;
    const effects = this.input({ type: 'time', ms: delta });
    // The interval that ends the round is not a live interval.
    if (this.round.phase === 'live' && !this.round.isClosing) this.costs.liveInterval(performance.now() - t0, effects.filter((e) => e.type === 'stepped').length, this.projectionMs);
  }

  /** One slice of the closing, within `budgetMs` (closing-slices.ts); once it is done, the debrief. */
  private closeSlice(budgetMs = CLOSING_BUDGET_MS): void {
    const step = (): boolean => {
      this.input({ type: 'closing-step' });
      return this.round.isClosing;
    };
    this.costs.closingSlice(() => this.closingSlices.run(step, budgetMs));
  }

  /** A class's team room: the host's orders arrive through the session (server/sessions). */
  private onSessionOrder(m: SessionDown): void {
    switch (m.type) {
      case 'kick':
      case 'rename':
        for (const p of [...this.round.everyone]) {
          if (p.playerKey === null || playerKeyHash(p.playerKey) !== m.player) continue;
          this.input(m.type === 'rename' ? { type: 'rename', key: p.key, nickname: m.nickname } : { type: 'kick', key: p.key });
        }
        return;
      case 'close':
        if (this.cfg.session !== null && m.round >= this.cfg.session.round) void this.disconnect();
        return;
      default:
        this.input(m);
    }
  }

  private async closeIfSessionGone(): Promise<void> {
    if (this.team !== null && (await this.team.sessionGone(Date.now()))) await this.disconnect();
  }

  private input(i: RoundInput): RoundEffect[] {
    const effects = this.round.handle(i);
    this.apply(effects);
    return effects;
  }

  /** Carry out the round's effects, in order: on the schema (round-state), then what only the room can do. */
  private apply(effects: readonly RoundEffect[]): void {
    for (const e of effects) {
      const t0 = performance.now();
      showEffect(this.state, this.round.sim, this.mem, e);
      if (e.type === 'project') this.projectionMs += performance.now() - t0;
      switch (e.type) {
        case 'error':
          this.clients.getById(e.to)?.send(MSG.error, errorOf(e.ref, e.error, e.code));
          break;
        case 'disconnect':
          this.clients.getById(e.key)?.leave(e.code);
          break;
        case 'roster':
        case 'phase':
          void this.setMetadata({ scenario: this.cfg.scenario.id, title: this.cfg.scenario.title, difficulty: this.cfg.difficulty, phase: this.round.phase, humans: this.round.humans(), seats: this.state.seats });
          break;
        case 'lock':
          void this.lock();
          break;
        case 'close':
          void this.disconnect();
          break;
        case 'live':
          this.state.replayId = this.recorder.start(this.roomId, this.cfg, this.round, e.roster, e.settings);
          break;
        case 'debrief':
          if (this.cfg.session !== null) this.team?.result(teamResult(this.cfg.session, this.state.replayId, e.debrief, this.round));
          this.recorder.record(e);
          break;
        case 'applied':
        case 'stepped':
        case 'seat':
          this.recorder.record(e);
          break;
      }
    }
  }
}
