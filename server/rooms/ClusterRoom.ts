// A `cluster` room: one team's round. The room is thin — lifecycle, validation, queueing,
// projection, recording (ARCHITECTURE.md); every rule of the game is in shared/.
//
//   lobby ──countdown──▶ briefing ──▶ setup ──▶ live ──▶ debrief ──▶ (room closes)
//
// The simulation advances only in the live phase, in fixed steps of TICK_MS simulated ms
// at the wall clock's pace: setSimulationInterval's varying delta is accumulated and
// spent in whole steps. Commands are queued as they arrive and applied at the next step
// boundary, where they are recorded with their tick.

import { Room, ServerError, type Client } from '@colyseus/core';
import { Encoder } from '@colyseus/schema';
import { MSG, refOfMessage, TUTORIAL_STEP_MSG, validateCommandMessage, validateVoteMessage, type ErrorCode, type ErrorMessage, type Phase, type RoomEventMessage } from '../../shared/protocol/messages.js';
import { commandScope, type Command } from '../../shared/protocol/commands.js';
import { botDecide, createBotMemory, type BotMemory } from '../../shared/bots/node-bot.js';
import { applyCommand } from '../../shared/sim/commands.js';
import { advance, createSim, finishSteps, type Sim } from '../../shared/sim/engine.js';
import { contribution, scoreParts, summary as summarizeRound, type Summary } from '../../shared/sim/summary.js';
import { summarize } from '../../shared/sim/metrics.js';
import { roundRecordOf } from '../../shared/lessons/record.js';
import { commandRecordText } from '../../shared/words/commands.js';
import { PHASE_WORDS } from '../../shared/words/phases.js';
import { proposalWords } from '../../shared/words/settings.js';
import type { RoundEvent } from '../../shared/lessons/pick.js';
import type { ClusterSettings } from '../../shared/scenarios/settings.js';
import { checkpointHash, currentRoundStore, finishRecording, maybeCheckpoint, recordCommand, recordProgress, recordRosterChange, startRecording, TICK_MS, type Recording, type RosterEntry } from '../recording.js';
import { newRoundId, RecordingWriter } from '../recording-writer.js';
import { parseJoinOptions, parseReadyMessage, parseRoomOptions, uniqueNickname, type RoomConfig } from './options.js';
import { createProjectionMemory, liveScore, projectFinalMeasures, projectSettings, projectSim, projectStatic, pushFeed, resetProjection, type ProjectionMemory } from './projection.js';
import { createBucket, takeToken, type TokenBucket } from './rate-limit.js';
import { ClusterState, PlayerView } from './schema.js';
import type { ClusterRoomMetadata, DebriefJson } from '../../shared/protocol/room.js';
import { proposalJson, sameProposal, tally, type Vote } from './votes.js';
import { TeamLink } from '../sessions/team-link.js';
import { refuseUnknownMessages } from './guard.js';
import { playerKeyHash, type SessionDown } from '../sessions/bus.js';
import { teamStatusOf, type TeamStatus } from '../../shared/view/team-status.js';
import { teamName } from '../../shared/session/teams.js';
import type { TeamResult } from '../../shared/session/results.js';
import { parseTutorialStep, TUTORIAL_FAULT_STEPS, tutorialChaos } from './tutorial.js';

/** Project the simulation into the schema every this many steps (5 times a second). */
const PROJECT_EVERY_TICKS = 4;
/** A room that falls behind catches up at most this many steps per interval, then lets go. */
const MAX_CATCH_UP_STEPS = 10;
/** Server bots look at their node once a simulated second, like the headless round's. */
const BOT_EVERY_TICKS = 1000 / TICK_MS;
/** A player whose connection drops keeps their seat this long. */
export const RECONNECT_SECONDS = 60;
/** Hand the recording to the store once a simulated (≈ wall-clock) second: a crash loses at most that. */
const FLUSH_EVERY_TICKS = 1000 / TICK_MS;
/** Closing a round (heal, converge, judge) runs in slices of at most about this much wall-clock time per interval. */
const CLOSING_BUDGET_MS = 20;
/** A class's team room reports to its session this often (wall-clock ms). */
const STATUS_EVERY_MS = 1000;
/** Keep this many per-interval tick costs for the benchmark and the monitor. */
const TICK_COST_SAMPLES = 20_000;

// The debrief's round record (every metric window of the round) makes the state a few tens
// of KB at the end of a round; a larger encode buffer spares a resize (and its warning).
Encoder.BUFFER_SIZE = Math.max(Encoder.BUFFER_SIZE, 64 * 1024);

/** Who the tutorial's scripted faults are recorded as (RecordedCommand.by). */
const TUTORIAL_BY = 'tutorial';

/** The seed of a room created without one: a process-wide counter, never the clock. */
let seedCounter = 1;

/** Someone connected to the room (a browser or a bot client). */
interface Person {
  key: string;
  client: Client | null;
  nickname: string;
  /** Joined as a scripted bot client. */
  bot: boolean;
  /** The browser's player key (lists this player's rounds), or null. */
  playerKey: string | null;
  node: number;
  connected: boolean;
  ready: boolean;
  bucket: TokenBucket;
  actions: number;
  served: number;
  contribution: number;
  /** Stale reads their node served while they ran it. */
  anomalies: number;
  /** Removed by the class's teacher: their seat is not kept for them. */
  kicked: boolean;
}

/** A server bot operating a seat nobody holds. */
interface SeatBot {
  key: string;
  memory: BotMemory;
  actions: number;
  served: number;
  anomalies: number;
}

interface Seat {
  /** The person holding the seat (connected, or away and expected back), or null. */
  holder: string | null;
  bot: SeatBot | null;
  /** node.served when last credited to whoever operated it. */
  servedSeen: number;
  /** node.staleServed likewise. */
  staleSeen: number;
}

interface Pending {
  command: Command;
  /** Player key, `bot-<node>`, 'team' for a passed vote, or 'tutorial' for a tutorial step's fault. */
  by: string;
  /** Where an error goes: the sender's key (the proposer's for a vote). */
  replyTo: string | null;
  ref: number | undefined;
}

export class ClusterRoom extends Room<ClusterState, ClusterRoomMetadata> {
  /** Every cluster room alive in this process (benchmark, tests, shutdown). */
  static readonly live = new Set<ClusterRoom>();

  override patchRate = 200;
  override maxClients = 1;

  cfg!: RoomConfig;
  sim!: Sim;
  /** The settings the round starts with (the team may change them in setup). */
  startSettings!: ClusterSettings;
  phase: Phase = 'lobby';
  recording: Recording | null = null;
  /** Writes the recording to the round store as the round goes (null: memory only). */
  writer: RecordingWriter | null = null;
  /** Who the recording last saw on each seat, to record only real changes. */
  private rosterSeen: string[] = [];
  finalSummary: Summary | null = null;
  /** Fixed steps done in the live phase: simulated time is tick × TICK_MS. */
  tick = 0;
  /**
   * Wall-clock ms, most recent TICK_COST_SAMPLES: each fixed simulation step (with its
   * commands and bots), each projection, and each simulation interval (its steps and projection).
   */
  readonly costs = { step: [] as number[], projection: [] as number[], interval: [] as number[] };
  /** Wall-clock ms spent closing the round (finishSim + summary), and its longest single slice. */
  endCostMs = 0;
  endLongestSliceMs = 0;
  /** The round's closing, under way in slices (null before and after). */
  private closing: Generator<void, void, void> | null = null;

  private seed = 0;
  private phaseLeftMs = 0;
  private acc = 0;
  private projectedTick = 0;
  private queue: Pending[] = [];
  private people = new Map<string, Person>();
  private seats: Seat[] = [];
  private vote: Vote | null = null;
  private voteCounter = 0;
  private mem: ProjectionMemory = createProjectionMemory();
  private shuttingDown = false;
  /** In a class: the tie to the session room (null for other rooms). */
  private team: TeamLink | null = null;
  /** Paused by the class's teacher: no step, no phase clock. */
  private paused = false;
  /** The host's chaos, waiting for the tick every team applies it at. */
  private hostChaos: { atTick: number; command: Command }[] = [];
  private statusLeftMs = 0;

  override async onCreate(options: unknown): Promise<void> {
    const parsed = parseRoomOptions(options);
    if (!parsed.ok) throw new ServerError(400, parsed.error);
    this.cfg = parsed.value;
    if (this.cfg.session !== null) this.team = await TeamLink.open(this.presence, this.cfg.session, (m) => this.onSessionOrder(m));
    this.seed = this.cfg.seed ?? seedCounter++ % 0x1_0000_0000;
    this.startSettings = { ...this.cfg.scenario.presets[this.cfg.preset]! };
    this.state = new ClusterState();
    this.state.preset = this.cfg.preset;
    this.state.isPrivate = this.cfg.isPrivate;
    this.newSimulation();
    this.state.seats = this.sim.S.nodes.length;
    this.maxClients = this.sim.S.nodes.length;
    if (this.cfg.session !== null) {
      // A class team may be larger than the cluster: the extra students watch and vote.
      this.maxClients = 64;
      this.state.team = this.cfg.session.team;
      this.state.teamName = teamName(this.cfg.session.team);
    }
    if (this.cfg.isPrivate) void this.setPrivate(true);
    this.enterPhase('lobby', this.cfg.lobbySeconds);
    this.onMessage(MSG.command, (client, raw) => this.onCommand(client, raw));
    this.onMessage(MSG.vote, (client, raw) => this.onVote(client, raw));
    this.onMessage(MSG.ready, (client, raw) => this.onReady(client, raw));
    this.onMessage(TUTORIAL_STEP_MSG, (client, raw) => this.onTutorialStep(client, raw));
    refuseUnknownMessages(this, [MSG.command, MSG.vote, MSG.ready, TUTORIAL_STEP_MSG], (client) => this.admit(client, undefined) !== null);
    this.setSimulationInterval((delta) => this.update(delta), TICK_MS);
    ClusterRoom.live.add(this);
  }

  override async onDispose(): Promise<void> {
    ClusterRoom.live.delete(this);
    this.team?.close();
    // Shutdown waits for the recording's last writes.
    await this.writer?.settled();
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
    if (typeof auth === 'object') join.value.nickname = auth.nickname;
    // A student of a class who comes back (a reload, another device) gets their own node back.
    if (this.team !== null && join.value.playerKey !== null && this.rejoin(client, join.value.playerKey, join.value.nickname)) return;
    if (this.team === null && (this.phase === 'live' || this.phase === 'debrief')) throw new ServerError(409, 'this round has already started');
    if (this.phase === 'debrief') throw new ServerError(409, 'this round is over');
    let node = this.seats.findIndex((s, i) => i < this.sim.S.nodes.length && s.holder === null && this.sim.S.nodes[i]!.status !== 'removed');
    if (node < 0 && this.team === null) throw new ServerError(409, 'every seat in this room is taken');
    const taken = new Set([...this.people.values()].map((p) => p.nickname.toLowerCase()));
    const nickname = uniqueNickname(join.value.nickname !== '' ? join.value.nickname : `Player ${node + 1}`, taken);
    const person: Person = {
      key: client.sessionId, client, nickname, bot: join.value.bot, playerKey: join.value.playerKey, node: -1, connected: true, ready: false,
      bucket: createBucket(Date.now()), actions: 0, served: 0, contribution: 0, anomalies: 0, kicked: false,
    };
    this.people.set(person.key, person);
    if (node >= 0) this.takeSeat(node, person);
    else {
      node = -1;
      this.syncPerson(person);
      this.roomEvent('player', `${nickname} joined; every node has an operator, so they watch and vote`);
      return;
    }
    this.roomEvent('player', `${nickname} joined and runs node ${node}`, node);
    this.evaluateVote();
    this.updateMetadata();
    // A full room need not wait for the countdown.
    if (this.phase === 'lobby' && this.seats.slice(0, this.state.seats).every((s) => s.holder !== null)) this.nextPhase();
  }

  override async onLeave(client: Client, consented: boolean): Promise<void> {
    const person = this.people.get(client.sessionId);
    if (person === undefined) return;
    person.connected = false;
    person.client = null;
    person.ready = false;
    this.syncPerson(person);
    this.syncOwner(person.node);
    this.evaluateVote();
    this.updateMetadata();
    if (!consented && !person.kicked && this.phase !== 'debrief' && !this.shuttingDown) {
      this.roomEvent('player', `${person.nickname} lost their connection; a bot runs node ${person.node} until they return`, person.node);
      try {
        const back = await this.allowReconnection(client, RECONNECT_SECONDS);
        person.client = back;
        person.connected = true;
        person.bucket = createBucket(Date.now());
        this.syncPerson(person);
        this.syncOwner(person.node);
        this.roomEvent('player', `${person.nickname} is back on node ${person.node}`, person.node);
        this.evaluateVote();
        this.updateMetadata();
        return;
      } catch {
        // Not back in time: the seat goes to a bot (or to the next player before the round).
      }
      // Unless they came back another way (a class student reloading takes their person over).
      if (person.key !== client.sessionId) return;
    }
    this.releaseSeat(person);
    this.evaluateVote();
    this.updateMetadata();
  }

  override onBeforeShutdown(): void {
    // Tell everyone, end the round so it gets its debrief, then close once that is sent.
    this.shuttingDown = true;
    const text = 'The server is restarting: this round ends now.';
    this.state.notice = text;
    this.broadcast(MSG.event, { kind: 'shutdown', text } satisfies RoomEventMessage);
    try {
      // A round whose time is up closes properly; one cut short is summed up as it stands.
      if (this.closing !== null) this.continueClosing(true);
      else if (this.phase === 'live') this.endRound(true);
    } catch (err) {
      this.onUncaughtException(err as Error, 'onBeforeShutdown');
    }
    // A plain timer: the room clock only advances on the next tick, and endRound may have
    // held the process for a second, which would fire a clock timeout at once.
    setTimeout(() => {
      this.broadcastPatch();
      void this.disconnect();
    }, 2 * this.patchRate + 300);
  }

  override onUncaughtException(error: Error, methodName: string): void {
    // A refused create or join (bad options, a full room) is the client's answer, not a fault.
    if (error.cause instanceof ServerError) return;
    console.error(`[cluster ${this.roomId}] ${methodName}: ${error.stack ?? error.message}`);
  }

  // ---------------------------------------------------------------------------------
  // Messages. Validation happens inside the handlers (a throwing validator would
  // disconnect the client); every refusal is an `error` message to that client only.

  private onCommand(client: Client, raw: unknown): void {
    const person = this.admit(client, raw);
    if (person === null) return;
    const v = validateCommandMessage(raw);
    if (!v.ok) return this.sendError(client, refOfMessage(raw), v.error, 'invalid');
    const { command, ref } = v.value;
    switch (commandScope(command)) {
      case 'host':
        return this.sendError(client, ref, `only the host may use '${command.type}'`, 'forbidden');
      case 'team':
        if (command.type !== 'configure') return;
        return this.propose(person, command.settings, true, ref);
      case 'node':
        if (!('node' in command)) return;
        if (command.node !== person.node) return this.sendError(client, ref, `node ${command.node} is not yours: you run node ${person.node}`, 'forbidden');
        break;
      case 'any':
        break;
    }
    if (this.phase !== 'live') return this.sendError(client, ref, `node actions wait for the live phase (now: ${this.phase})`, 'phase');
    this.queue.push({ command, by: person.key, replyTo: person.key, ref });
  }

  private onVote(client: Client, raw: unknown): void {
    const person = this.admit(client, raw);
    if (person === null) return;
    const v = validateVoteMessage(raw);
    if (!v.ok) return this.sendError(client, refOfMessage(raw), v.error, 'invalid');
    this.propose(person, v.value.proposal, v.value.agree, v.value.ref);
  }

  /**
   * `ready` ({} or { phase }): this player is done waiting. When every connected player is,
   * the phase ends early. A `ready` naming a phase that is already over is stale and ignored.
   */
  private onReady(client: Client, raw: unknown): void {
    const person = this.admit(client, raw);
    if (person === null) return;
    const v = parseReadyMessage(raw);
    if (!v.ok) return this.sendError(client, undefined, v.error, 'invalid');
    if (this.team !== null) return this.sendError(client, undefined, 'in a class the teacher keeps the time: the phase ends for every team together', 'phase');
    if (v.value !== undefined && v.value !== this.phase) return;
    if (this.phase === 'live' || this.phase === 'debrief') return this.sendError(client, undefined, `there is nothing to get ready for in the ${this.phase} phase`, 'phase');
    person.ready = true;
    const present = [...this.people.values()].filter((p) => p.connected);
    if (present.length > 0 && present.every((p) => p.ready)) this.nextPhase();
  }

  /**
   * `tutorial-step` { step }: the tutorial player reached a step. Steps that show a fault
   * (server/rooms/tutorial.ts) queue the simulation's chaos command, recorded like any other.
   */
  private onTutorialStep(client: Client, raw: unknown): void {
    const person = this.admit(client, raw);
    if (person === null) return;
    const v = parseTutorialStep(raw, this.cfg.scenario);
    if (!v.ok) return this.sendError(client, undefined, v.error, (this.cfg.scenario.tutorial ?? []).length === 0 ? 'forbidden' : 'invalid');
    if (!TUTORIAL_FAULT_STEPS.includes(v.value)) return;
    if (this.phase !== 'live') return this.sendError(client, undefined, `the '${v.value}' step happens in the live phase (now: ${this.phase})`, 'phase');
    // A fault already queued for this step has not struck yet: do not queue another.
    if (this.queue.some((p) => p.by === TUTORIAL_BY)) return;
    const command = tutorialChaos(this.sim.S, v.value, person.node);
    if (command !== null) this.queue.push({ command, by: TUTORIAL_BY, replyTo: null, ref: undefined });
  }

  /** The sender, if they may send anything at all right now (rate limit); else null. */
  private admit(client: Client, raw: unknown): Person | null {
    const person = this.people.get(client.sessionId);
    if (person === undefined || !person.connected) return null;
    if (!takeToken(person.bucket, Date.now())) {
      this.sendError(client, refOfMessage(raw), 'too many messages: at most 10 a second', 'rate-limited');
      return null;
    }
    return person;
  }

  private sendError(client: Client, ref: number | undefined, error: string, code: ErrorCode): void {
    const msg: ErrorMessage = { error, code };
    if (ref !== undefined) msg.ref = ref;
    client.send(MSG.error, msg);
  }

  private sendErrorTo(key: string | null, ref: number | undefined, error: string, code: ErrorCode): void {
    const client = key === null ? null : (this.people.get(key)?.client ?? null);
    if (client !== null) this.sendError(client, ref, error, code);
  }

  // ---------------------------------------------------------------------------------
  // Votes

  private propose(person: Person, proposal: Partial<ClusterSettings>, agree: boolean, ref: number | undefined): void {
    const client = person.client!;
    if (this.phase !== 'setup' && this.phase !== 'live') return this.sendError(client, ref, `settings are chosen in the setup and live phases (now: ${this.phase})`, 'phase');
    if (person.bot) return this.sendError(client, ref, 'bots do not vote: they keep the preset', 'forbidden');
    const vote = this.vote;
    if (vote !== null) {
      if (!sameProposal(vote.proposal, proposal)) return this.sendError(client, ref, `another vote is open (${proposalJson(vote.proposal)}): vote on it first`, 'invalid');
      vote.ballots.set(person.key, agree);
    } else {
      if (!agree) return this.sendError(client, ref, 'there is no open vote on this proposal to vote against', 'invalid');
      this.vote = {
        id: ++this.voteCounter, proposal, proposer: person.key, proposerRef: ref,
        ballots: new Map([[person.key, true]]), leftMs: this.cfg.voteSeconds * 1000,
      };
      this.roomEvent('vote', `${person.nickname} proposes ${proposalWords(proposal)}`);
    }
    this.evaluateVote();
  }

  private electorate(): Set<string> {
    const out = new Set<string>();
    for (const p of this.people.values()) if (p.connected && !p.bot && p.node >= 0) out.add(p.key);
    return out;
  }

  private evaluateVote(): void {
    const vote = this.vote;
    const view = this.state.vote;
    if (vote === null) return;
    const t = tally(vote, this.electorate());
    view.id = vote.id;
    view.proposal = proposalJson(vote.proposal);
    view.proposer = this.people.get(vote.proposer)?.nickname ?? '';
    view.yes = t.yes;
    view.no = t.no;
    view.electorate = t.electorate;
    view.needed = t.needed;
    view.secondsLeft = Math.max(0, Math.ceil(vote.leftMs / 1000));
    for (const [who, agree] of vote.ballots) if (view.ballots.get(who) !== agree) view.ballots.set(who, agree);
    for (const who of [...view.ballots.keys()]) if (!vote.ballots.has(who)) view.ballots.delete(who);
    if (t.outcome === 'open') {
      view.status = 'open';
      return;
    }
    this.vote = null;
    view.status = t.outcome;
    view.secondsLeft = 0;
    const what = proposalWords(vote.proposal);
    if (t.outcome !== 'passed') {
      this.roomEvent('vote', t.outcome === 'failed' ? `The team voted down ${what} (${t.yes} of ${t.electorate} agreed)` : `The vote on ${what} expired`);
      return;
    }
    this.roomEvent('vote', `The team agreed to ${what} (${t.yes} of ${t.electorate})`);
    const command: Command = { type: 'configure', settings: vote.proposal };
    if (this.phase === 'live') {
      this.queue.push({ command, by: 'team', replyTo: vote.proposer, ref: vote.proposerRef });
      return;
    }
    // Setup: the round has not begun, so the team's choice becomes its starting settings.
    // Applying it to the idle simulation checks it is possible with this cluster.
    const trial = applyCommand(this.sim, command);
    if (!trial.ok) {
      view.status = 'refused';
      this.roomEvent('vote', `The cluster cannot take ${what}: ${trial.error}`);
      this.sendErrorTo(vote.proposer, vote.proposerRef, trial.error, trial.code);
      return;
    }
    this.startSettings = { ...this.startSettings, ...vote.proposal };
    this.newSimulation();
  }

  // ---------------------------------------------------------------------------------
  // Phases and the fixed step

  private update(delta: number): void {
    if (this.team !== null) {
      this.statusLeftMs -= delta;
      if (this.statusLeftMs <= 0) {
        this.statusLeftMs = STATUS_EVERY_MS;
        this.team.status(this.teamStatus());
      }
    }
    if (this.closing !== null) {
      this.continueClosing();
      return;
    }
    // A paused class: nothing moves, not even the phase clock or an open vote.
    if (this.paused) return;
    if (this.vote !== null) {
      this.vote.leftMs -= delta;
      const left = Math.max(0, Math.ceil(this.vote.leftMs / 1000));
      if (left !== this.state.vote.secondsLeft || this.vote.leftMs <= 0) this.evaluateVote();
    }
    if (this.phase === 'live') {
      this.liveUpdate(delta);
      return;
    }
    this.phaseLeftMs -= delta;
    this.state.phaseSecondsLeft = Math.max(0, Math.ceil(this.phaseLeftMs / 1000));
    if (this.phaseLeftMs <= 0) this.nextPhase();
  }

  private liveUpdate(delta: number): void {
    const t0 = performance.now();
    this.acc += delta;
    let steps = 0;
    while (this.acc >= TICK_MS && this.phase === 'live' && this.closing === null) {
      if (steps === MAX_CATCH_UP_STEPS) {
        // Too far behind: the round slows down rather than freezing the process.
        this.acc = 0;
        break;
      }
      const s0 = performance.now();
      this.step();
      this.acc -= TICK_MS;
      steps++;
      if (this.phase === 'live') sample(this.costs.step, performance.now() - s0);
    }
    if (this.phase !== 'live' || this.closing !== null) return; // the round just ended: endCostMs has that interval
    if (this.tick - this.projectedTick >= PROJECT_EVERY_TICKS) {
      const p0 = performance.now();
      this.project();
      sample(this.costs.projection, performance.now() - p0);
    }
    if (steps > 0) sample(this.costs.interval, performance.now() - t0);
  }

  /** One fixed step: apply the queued commands at this tick, advance, let bots look. */
  private step(): void {
    const { sim } = this;
    if (this.hostChaos.length > 0) this.queueHostChaos();
    const queued = this.queue;
    this.queue = [];
    for (const p of queued) this.applyQueued(p);
    advance(sim, (this.tick + 1) * TICK_MS);
    this.tick++;
    if (this.recording !== null) {
      maybeCheckpoint(this.recording, this.tick, sim.S);
      recordProgress(this.recording, this.tick);
      if (this.tick % FLUSH_EVERY_TICKS === 0) this.writer?.flush();
    }
    if (sim.S.now >= sim.S.durationMs) {
      this.endRound(false);
      return;
    }
    if (this.tick % BOT_EVERY_TICKS === 0) this.botsDecide();
  }

  private applyQueued(p: Pending): void {
    const result = applyCommand(this.sim, p.command);
    if (!result.ok) {
      this.sendErrorTo(p.replyTo, p.ref, result.error, result.code);
      return;
    }
    if (this.recording !== null) recordCommand(this.recording, this.tick, p.command, p.by);
    const person = this.people.get(p.by);
    if (person !== undefined) {
      person.actions++;
      this.syncPerson(person);
    }
    const bot = p.by.startsWith('bot-') ? this.seats[Number(p.by.slice(4))]?.bot : undefined;
    if (bot !== undefined && bot !== null) bot.actions++;
  }

  private botsDecide(): void {
    const { S, sc } = this.sim;
    for (let id = 0; id < S.nodes.length; id++) {
      const seat = this.seat(id);
      const holder = seat.holder === null ? undefined : this.people.get(seat.holder);
      if (holder !== undefined && holder.connected) continue;
      if (holder === undefined) this.seatBot(id);
      // An away player's node is kept running by a stand-in bot that has no seat of its own.
      const bot = seat.bot ?? (seat.bot = newSeatBot(id));
      const cmd = botDecide(S, id, bot.memory, sc.budget.maxNodes);
      if (cmd !== null) this.queue.push({ command: cmd, by: bot.key, replyTo: null, ref: undefined });
    }
  }

  private nextPhase(): void {
    const c = this.cfg;
    switch (this.phase) {
      case 'lobby':
        this.fillSeatsWithBots();
        return this.enterPhase('briefing', c.briefingSeconds);
      case 'briefing':
        return this.enterPhase('setup', c.setupSeconds);
      case 'setup':
        return this.startLive();
      case 'live':
        return;
      case 'debrief':
        this.phaseLeftMs = Infinity;
        void this.disconnect();
        return;
    }
  }

  private enterPhase(phase: Phase, seconds: number): void {
    this.phase = phase;
    this.state.phase = phase;
    this.phaseLeftMs = seconds * 1000;
    this.state.phaseSecondsLeft = seconds;
    for (const p of this.people.values()) p.ready = false;
    if (this.state.feed.length > 0 || phase !== 'lobby') this.roomEvent('phase', PHASE_WORDS[phase].starts);
    this.updateMetadata();
  }

  private startLive(): void {
    // A class's team room stays open: late joiners and returning students come in live.
    if (this.team === null) void this.lock();
    this.fillSeatsWithBots();
    const { S } = this.sim;
    const preset = this.cfg.scenario.presets[this.cfg.preset]!;
    this.recording = startRecording({
      roomId: this.roomId,
      scenario: S.scenario,
      preset: this.cfg.preset,
      settings: sameSettings(this.startSettings, preset) ? null : { ...this.startSettings },
      chaos: S.chaosLevel,
      seed: S.seed,
      durationMs: S.durationMs,
      chaosEvents: S.chaosSchedule,
      startedAt: new Date().toISOString(),
      isPublic: !this.cfg.isPrivate,
      sessionId: this.cfg.session?.id ?? null,
      roster: this.seats.map((seat, node) => {
        const p = seat.holder === null ? undefined : this.people.get(seat.holder);
        return p !== undefined ? { id: p.key, nickname: p.nickname, node, isBot: p.bot } : { id: `bot-${node}`, nickname: botName(node), node, isBot: true };
      }),
    });
    this.rosterSeen = this.recording.roster.map(rosterKey);
    const store = currentRoundStore();
    if (store !== null) {
      const id = newRoundId();
      const keys = [...this.people.values()].flatMap((p) => (p.playerKey !== null && !p.bot ? [p.playerKey] : []));
      this.writer = new RecordingWriter(store, id, this.recording, [...new Set(keys)]);
      this.state.replayId = id;
    }
    this.tick = 0;
    this.acc = 0;
    this.projectedTick = 0;
    this.enterPhase('live', Math.ceil(S.durationMs / 1000));
  }

  /** Close the round: heal, converge, judge; show the debrief. */
  private endRound(interrupted: boolean): void {
    if (this.phase !== 'live' || this.closing !== null) return;
    if (!interrupted) {
      // Heal, converge and judge in slices (finishSteps): a second or two of work that must
      // not stall the other rooms of this process — a class's teams all end at once.
      this.closing = finishSteps(this.sim);
      this.state.phaseSecondsLeft = 0;
      this.roomEvent('phase', 'Time is up: the faults heal, the cluster converges, and every write is checked');
      return;
    }
    // finishSim would first play out the rest of the round (minutes of traffic): an
    // interrupted round is summed up as it stands, its lost writes not judged.
    const t0 = performance.now();
    this.completeRound(interruptedSummary(this.sim), true);
    this.endCostMs = performance.now() - t0;
  }

  /** Run the closing for at most CLOSING_BUDGET_MS (or to its end, when `all`), then the debrief. */
  private continueClosing(all = false): void {
    const t0 = performance.now();
    let done = false;
    while (!done && (all || performance.now() - t0 < CLOSING_BUDGET_MS)) done = this.closing!.next().done === true;
    if (done) {
      this.closing = null;
      const t1 = performance.now();
      this.completeRound(summarizeRound(this.sim), false);
      this.endLongestSliceMs = Math.max(this.endLongestSliceMs, performance.now() - t0);
      this.endCostMs += performance.now() - t1;
    } else this.endLongestSliceMs = Math.max(this.endLongestSliceMs, performance.now() - t0);
    this.endCostMs += performance.now() - t0;
  }

  /** The round is over: its summary to the players, the recording and the class. */
  private completeRound(s: Summary, interrupted: boolean): void {
    const { sim } = this;
    this.finalSummary = s;
    this.creditServed();
    projectSim(this.state, sim, this.mem);
    projectFinalMeasures(this.state.measures, s);
    this.updateContributions(s.score);
    if (this.vote !== null) {
      this.vote = null;
      this.state.vote.status = 'expired';
    }
    const debrief: DebriefJson = {
      summary: s,
      players: [...this.state.players.values()].map((p) => ({ id: p.id, nickname: p.nickname, node: p.node, isBot: p.isBot, actions: p.actions, served: p.served, contribution: p.contribution, anomalies: p.anomalies })),
      commands: this.recording?.commands.length ?? 0,
      checkpoints: this.recording?.checkpoints.length ?? 0,
      interrupted,
      record: this.roundRecord(s),
    };
    this.state.debrief = JSON.stringify(debrief);
    this.team?.result(this.teamResult(debrief));
    if (this.recording !== null) {
      finishRecording(this.recording, s, interrupted);
      void this.writer?.finish(s, interrupted);
    }
    this.enterPhase('debrief', this.cfg.debriefSeconds);
  }

  /**
   * The whole round for the debrief's concept cards: every metric window and chaos event
   * from the simulation, and every accepted command (the sim's feed keeps only its latest
   * entries) with the nickname of whoever sent it.
   */
  private roundRecord(s: Summary): DebriefJson['record'] {
    const rec = this.recording;
    const names = new Map<string, string>();
    for (const r of rec?.roster ?? []) names.set(r.id, r.nickname);
    for (const p of this.people.values()) names.set(p.key, p.nickname);
    const extra: RoundEvent[] = [];
    const limited = new Set<number>();
    for (const c of rec?.commands ?? []) {
      // Chaos is in the simulation's own schedule, with its duration.
      if (c.command.type === 'chaos') continue;
      const by = c.by === 'team' ? 'the team' : (names.get(c.by) ?? (c.by.startsWith('bot-') ? botName(Number(c.by.slice(4))) : c.by));
      // The simulation's own words replace this text when its feed still has the event.
      const cmd = c.command;
      const region = cmd.type === 'scale-out' ? this.cfg.scenario.topology.regions[cmd.region]?.name : undefined;
      // A rate-limit toggles; only accepted commands are recorded, so parity tells which way.
      let rateLimitOn: boolean | undefined;
      if (cmd.type === 'rate-limit') {
        rateLimitOn = !limited.has(cmd.node);
        if (rateLimitOn) limited.add(cmd.node);
        else limited.delete(cmd.node);
      }
      const e: RoundEvent = { t: c.tick * TICK_MS, kind: cmd.type, text: commandRecordText(by, cmd, { region, rateLimitOn }), by };
      if ('node' in c.command) e.node = c.command.node;
      extra.push(e);
    }
    const record = roundRecordOf(this.sim, extra);
    // The summary the room judged the round by (an interrupted round's is not the sim's final one).
    record.summary = s;
    // Rounded like the schema's windows: the record travels in the state as JSON.
    record.windows = record.windows.map((w) => ({ ...w, p99: Math.round(w.p99 * 10) / 10, throughput: Math.round(w.throughput * 10) / 10 }));
    return record;
  }

  // ---------------------------------------------------------------------------------
  // Projection

  private newSimulation(): void {
    const c = this.cfg;
    const preset = c.scenario.presets[c.preset]!;
    const custom = !sameSettings(this.startSettings, preset);
    this.sim = createSim({
      scenario: c.scenario.id, preset: c.preset, settings: custom ? this.startSettings : undefined,
      chaos: c.chaos, seed: this.seed, durationMs: c.roundSeconds * 1000, recordHistory: false,
    });
    resetProjection(this.state, this.mem);
    projectStatic(this.state, this.sim);
    // Setup shows the cluster as it will start; the event feed of the idle sim stays out.
    this.mem.lastFeed = this.sim.S.feed[this.sim.S.feed.length - 1] ?? null;
    projectSim(this.state, this.sim, this.mem);
    projectSettings(this.state.settings, this.sim.S.settings);
    for (let i = this.seats.length; i < this.sim.S.nodes.length; i++) this.seats.push({ holder: null, bot: null, servedSeen: 0, staleSeen: 0 });
    for (let i = 0; i < this.sim.S.nodes.length; i++) this.syncOwner(i);
  }

  private project(): void {
    this.projectedTick = this.tick;
    const { sim } = this;
    projectSim(this.state, sim, this.mem);
    this.state.phaseSecondsLeft = Math.max(0, Math.ceil((sim.S.durationMs - sim.S.now) / 1000));
    // New nodes (scale-out) get a seat with a bot at once.
    for (let i = this.seats.length; i < sim.S.nodes.length; i++) this.seat(i);
    for (let i = 0; i < sim.S.nodes.length; i++) if (this.seats[i]!.holder === null && this.seats[i]!.bot === null) this.seatBot(i);
    // Credit served requests and refresh contributions once a simulated second.
    if (this.tick % BOT_EVERY_TICKS < PROJECT_EVERY_TICKS) {
      this.creditServed();
      this.updateContributions(this.state.measures.score);
    }
  }

  /** Requests each node served since last time go to whoever operated it. */
  private creditServed(): void {
    const { S } = this.sim;
    for (let i = 0; i < S.nodes.length; i++) {
      const seat = this.seat(i);
      const node = S.nodes[i]!;
      const delta = node.served - seat.servedSeen;
      const stale = node.staleServed - seat.staleSeen;
      seat.servedSeen = node.served;
      seat.staleSeen = node.staleServed;
      if (delta <= 0 && stale <= 0) continue;
      const holder = seat.holder === null ? undefined : this.people.get(seat.holder);
      const who = holder !== undefined && holder.connected ? holder : holder === undefined ? seat.bot : null;
      if (who === null) continue;
      who.served += delta;
      who.anomalies += stale;
    }
  }

  /** Refresh every player's contribution (the rule is shared/sim/summary.ts contribution). */
  private updateContributions(score: number): void {
    let total = 0;
    for (const p of this.people.values()) total += p.served;
    for (const s of this.seats) if (s.bot !== null) total += s.bot.served;
    const share = (served: number) => contribution(score, served, total);
    for (const p of this.people.values()) {
      p.contribution = share(p.served);
      this.syncPerson(p);
    }
    for (const s of this.seats) {
      if (s.bot === null || s.holder !== null) continue;
      const v = this.state.players.get(s.bot.key);
      if (v === undefined) continue;
      v.served = s.bot.served;
      v.anomalies = s.bot.anomalies;
      v.contribution = Math.min(65535, share(s.bot.served));
      v.actions = Math.min(65535, s.bot.actions);
    }
  }

  // ---------------------------------------------------------------------------------
  // A class's team room: the host's orders arrive through the session (server/sessions)

  private onSessionOrder(m: SessionDown): void {
    switch (m.type) {
      case 'pause':
      case 'resume':
        this.paused = m.type === 'pause';
        this.state.paused = this.paused;
        this.roomEvent('class', this.paused ? 'Your teacher paused the round' : 'The round goes on');
        return;
      case 'end':
        if (this.phase === 'debrief' || this.closing !== null) return;
        this.paused = false;
        this.state.paused = false;
        if (this.phase !== 'live') this.startLive();
        this.endRound(true);
        return;
      case 'chaos':
        // Only a live round takes chaos; every team strikes at the same tick (late teams at once).
        if (this.phase === 'live') this.hostChaos.push({ atTick: Math.max(m.atTick, this.tick), command: m.command });
        return;
      case 'kick':
      case 'rename':
        for (const p of this.people.values()) {
          if (p.playerKey === null || playerKeyHash(p.playerKey) !== m.player) continue;
          if (m.type === 'rename') {
            p.nickname = m.nickname;
            this.syncPerson(p);
            if (p.node >= 0) this.syncOwner(p.node);
          } else {
            p.kicked = true;
            p.client?.leave(4003);
          }
        }
        return;
      case 'close':
        if (this.cfg.session !== null && m.round >= this.cfg.session.round) void this.disconnect();
        return;
    }
  }

  private queueHostChaos(): void {
    const due = this.hostChaos.filter((c) => c.atTick <= this.tick);
    if (due.length === 0) return;
    this.hostChaos = this.hostChaos.filter((c) => c.atTick > this.tick);
    for (const c of due) this.queue.push({ command: c.command, by: 'host', replyTo: null, ref: undefined });
  }

  /** A student who left (or reloads) takes their person, and so their node, back. */
  private rejoin(client: Client, playerKey: string, nickname: string): boolean {
    const person = [...this.people.values()].find((p) => p.playerKey === playerKey && !p.bot);
    if (person === undefined) return false;
    if (person.client !== null && person.connected) person.client.leave(4000);
    this.people.delete(person.key);
    this.state.players.delete(person.key);
    const oldKey = person.key;
    person.key = client.sessionId;
    person.client = client;
    person.connected = true;
    person.kicked = false;
    if (nickname !== '') person.nickname = nickname;
    person.bucket = createBucket(Date.now());
    this.people.set(person.key, person);
    for (const seat of this.seats) if (seat.holder === oldKey) seat.holder = person.key;
    if (person.node < 0) {
      const node = this.seats.findIndex((s, i) => i < this.sim.S.nodes.length && s.holder === null && this.sim.S.nodes[i]!.status !== 'removed');
      if (node >= 0) this.takeSeat(node, person);
    } else if (this.seats[person.node]?.holder !== person.key) {
      if (this.seats[person.node]?.holder === null) this.takeSeat(person.node, person);
      else person.node = -1;
    }
    this.syncPerson(person);
    if (person.node >= 0) this.syncOwner(person.node);
    this.roomEvent('player', `${person.nickname} is back${person.node >= 0 ? ` on node ${person.node}` : ''}`, person.node);
    this.updateMetadata();
    return true;
  }

  private teamStatus(): TeamStatus {
    const link = this.cfg.session!;
    return teamStatusOf(this.state, { team: link.team, round: link.round, roomId: this.roomId, tick: this.tick });
  }

  private teamResult(d: DebriefJson): TeamResult {
    const link = this.cfg.session!;
    const s = d.summary;
    return {
      team: link.team, name: teamName(link.team), replayId: this.state.replayId, interrupted: d.interrupted,
      score: s.score, availability: Math.round(s.availability * 1e6) / 1e6, p99: Math.round(s.p99 * 10) / 10, staleReads: s.staleReads, lostWrites: s.lostWrites, cost: s.cost, requests: s.requests,
      students: [...this.people.values()].filter((p) => !p.bot && !p.kicked).map((p) => ({
        nickname: p.nickname, team: link.team, node: p.node, score: p.contribution, actions: p.actions, served: p.served, anomalies: p.anomalies, connected: p.connected,
      })),
    };
  }

  // ---------------------------------------------------------------------------------
  // Seats and players

  private seat(node: number): Seat {
    while (this.seats.length <= node) {
      const n = this.sim.S.nodes[this.seats.length];
      this.seats.push({ holder: null, bot: null, servedSeen: n?.served ?? 0, staleSeen: n?.staleServed ?? 0 });
    }
    return this.seats[node]!;
  }

  private takeSeat(node: number, person: Person): void {
    const seat = this.seat(node);
    if (seat.bot !== null) {
      this.state.players.delete(seat.bot.key);
      seat.bot = null;
    }
    seat.holder = person.key;
    person.node = node;
    this.syncPerson(person);
    this.syncOwner(node);
  }

  /** The person leaves their seat for good: before the round it is free, after it a bot takes it. */
  private releaseSeat(person: Person): void {
    const node = person.node;
    if (node >= 0 && this.seats[node]?.holder === person.key) this.seats[node]!.holder = null;
    person.node = -1;
    if (this.phase === 'lobby') {
      this.people.delete(person.key);
      this.state.players.delete(person.key);
    } else {
      this.syncPerson(person);
      if (node >= 0 && this.phase !== 'debrief') this.roomEvent('player', `${person.nickname} left; a bot runs node ${node}`, node);
    }
    if (node >= 0) {
      // After the round nobody needs to operate the node any more.
      if (this.phase !== 'lobby' && this.phase !== 'debrief') this.seatBot(node);
      this.syncOwner(node);
    }
  }

  private fillSeatsWithBots(): void {
    for (let i = 0; i < this.sim.S.nodes.length; i++) if (this.seat(i).holder === null && this.seats[i]!.bot === null) this.seatBot(i);
  }

  private seatBot(node: number): void {
    const seat = this.seat(node);
    if (seat.holder !== null) return;
    if (seat.bot === null) seat.bot = newSeatBot(node);
    const v = this.state.players.get(seat.bot.key) ?? new PlayerView();
    v.id = seat.bot.key;
    v.nickname = botName(node);
    v.node = node;
    v.connected = true;
    v.isBot = true;
    v.actions = seat.bot.actions;
    v.served = seat.bot.served;
    v.anomalies = seat.bot.anomalies;
    if (!this.state.players.has(seat.bot.key)) this.state.players.set(seat.bot.key, v);
    this.syncOwner(node);
  }

  private syncPerson(p: Person): void {
    const v = this.state.players.get(p.key) ?? new PlayerView();
    v.id = p.key;
    v.nickname = p.nickname;
    v.node = p.node;
    v.connected = p.connected;
    v.isBot = p.bot;
    v.actions = Math.min(65535, p.actions);
    v.served = p.served;
    v.anomalies = p.anomalies;
    v.contribution = Math.min(65535, Math.max(0, p.contribution));
    if (!this.state.players.has(p.key)) this.state.players.set(p.key, v);
  }

  private syncOwner(node: number): void {
    const view = this.state.nodes[node];
    if (view === undefined || node < 0) return;
    const seat = this.seat(node);
    const holder = seat.holder === null ? undefined : this.people.get(seat.holder);
    if (holder !== undefined) {
      view.ownerId = holder.key;
      view.owner = holder.nickname;
      view.botControlled = !holder.connected;
    } else if (seat.bot !== null) {
      view.ownerId = seat.bot.key;
      view.owner = botName(node);
      view.botControlled = true;
    } else {
      view.ownerId = '';
      view.owner = '';
      view.botControlled = true;
    }
    this.recordRoster(node, { id: view.ownerId, nickname: view.owner, node, isBot: holder === undefined || holder.bot || !holder.connected });
  }

  /** A seat changing hands in the live phase goes into the recording (the replay names who ran each node when). */
  private recordRoster(node: number, entry: RosterEntry): void {
    const rec = this.recording;
    if (rec === null || this.phase !== 'live' || entry.id === '') return;
    const key = rosterKey(entry);
    if (this.rosterSeen[node] === key) return;
    this.rosterSeen[node] = key;
    recordRosterChange(rec, { ...entry, tick: this.tick });
  }

  private roomEvent(kind: string, text: string, node = -1): void {
    pushFeed(this.state, this.phase === 'live' || this.phase === 'debrief' ? this.sim.S.now : 0, kind, text, node);
  }

  private updateMetadata(): void {
    let humans = 0;
    for (const p of this.people.values()) if (p.connected && !p.bot) humans++;
    void this.setMetadata({ scenario: this.cfg.scenario.id, title: this.cfg.scenario.title, phase: this.phase, humans, seats: this.state.seats });
  }
}

function rosterKey(r: RosterEntry): string {
  return `${r.id}|${r.nickname}|${r.isBot ? 1 : 0}`;
}

/** The measures of a round cut short, without converging the cluster (lost writes unknown: 0). */
function interruptedSummary(sim: Sim): Summary {
  const { S, sc } = sim;
  const base = summarize(S.metrics, Math.max(1, S.now));
  return {
    scenario: S.scenario, preset: S.preset, chaos: S.chaosLevel, seed: S.seed, durationMs: Math.round(S.now), ...base,
    lostWrites: 0, conflicts: S.counters.conflicts, divergence: 0, cost: Math.round(S.cost * 100) / 100,
    score: liveScore(sc, base, S.cost), scoreParts: scoreParts(sc, base, 0, S.cost),
    elections: S.counters.elections, failovers: S.counters.failovers, refusedNoQuorum: S.counters.refusedNoQuorum,
    servedWithoutQuorum: S.counters.servedWithoutQuorum, stateHash: checkpointHash(S),
  };
}

function sample(into: number[], ms: number): void {
  into.push(ms);
  if (into.length > TICK_COST_SAMPLES) into.splice(0, into.length - TICK_COST_SAMPLES);
}

function newSeatBot(node: number): SeatBot {
  return { key: `bot-${node}`, memory: createBotMemory(), actions: 0, served: 0, anomalies: 0 };
}

function botName(node: number): string {
  return `Bot ${node}`;
}

function sameSettings(a: ClusterSettings, b: ClusterSettings): boolean {
  return (Object.keys(b) as (keyof ClusterSettings)[]).every((k) => a[k] === b[k]) && Object.keys(a).length === Object.keys(b).length;
}
