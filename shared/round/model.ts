// The round as a pure model: one team's round from the lobby to the debrief. The room feeds
// it inputs (people joining and leaving, their messages, wall-clock time passing, the
// class's orders) and carries out the effects it returns (errors to a sender, feed lines,
// roster rows, what to project and record). No clock, no randomness, no network: the same
// inputs give the same round, so tests drive it without a server.
//
// Phases (shared/round/phases.ts) run on wall-clock countdowns; the live phase runs the
// tick runner (shared/round/runner.ts) in fixed steps at the wall clock's pace: the time
// input is accumulated and spent in whole steps. Seats (seats.ts) pass to bots when their
// players leave and back when they return; the team's settings changes go through votes
// (votes.ts); requests served make contributions (contributions.ts); the end makes the
// debrief (debrief.ts).

import type { Command, CommandResult } from '../protocol/commands.js';
import { commandScope } from '../protocol/commands.js';
import type { ErrorCode } from '../protocol/messages.js';
import { applyCommand } from '../sim/commands.js';
import type { ChaosLevel } from '../sim/chaos-types.js';
import { createSim, finishSteps, type Sim } from '../sim/engine.js';
import type { ClusterSettings } from '../sim/settings.js';
import { summary as summarizeRound, type Summary } from '../sim/summary.js';
import type { Scenario, ScenarioId } from '../scenarios/types.js';
import { CHECKPOINT_EVERY_TICKS, checkpointHash, type RosterEntry } from '../replay/recording.js';
import { actorKey, botActor, botName, HOST, playerActor, TEAM, TUTORIAL, type Actor } from './actor.js';
import { creditServed, shareOf } from './contributions.js';
import { debriefOf, type AppliedCommand, type Debrief } from './debrief.js';
import { PHASE_TEXT, simClockRuns, type Phase, type PhaseSeconds } from './phases.js';
import { BOT_EVERY_TICKS, TICK_MS, TickRunner, type BotSeat, type TickOutcome } from './runner.js';
import { interruptedSummary, scoreNow } from './score.js';
import { botRow, freeSeat, newPerson, newSeat, newSeatBot, personRow, type OwnerRow, type Person, type PlayerRow, type Seat } from './seats.js';
import { TUTORIAL_FAULT_STEPS, tutorialChaos } from './tutorial.js';
import { describeChange, proposalJson, sameProposal, tally, type Vote } from './votes.js';

/** Project the simulation every this many steps (5 times a second). */
export const PROJECT_EVERY_TICKS = 4;
/** A round that falls behind catches up at most this many steps per time input, then lets go. */
export const MAX_CATCH_UP_STEPS = 10;

export interface RoundConfig extends PhaseSeconds {
  scenario: Scenario;
  preset: string;
  chaos: ChaosLevel;
  seed: number;
  roundSeconds: number;
  voteSeconds: number;
  /** One team of a class: the teacher keeps the time, and students join (and come back) live. */
  inClass: boolean;
  /** The name itself, or the name made unique among `taken` (lower case). */
  uniqueNickname: (name: string, taken: ReadonlySet<string>) => string;
}

export type RoundInput =
  | { type: 'open' }
  | { type: 'join'; key: string; nickname: string; bot: boolean; playerKey: string | null }
  /** The connection closed; `consented` when they left on purpose. */
  | { type: 'away'; key: string; consented: boolean }
  /** An away player reconnected in time. */
  | { type: 'back'; key: string }
  /** An away player did not come back: their seat goes. */
  | { type: 'leave'; key: string }
  | { type: 'ready'; key: string; phase: Phase | undefined }
  | { type: 'command'; key: string; command: Command; ref?: number }
  | { type: 'vote'; key: string; proposal: Partial<ClusterSettings>; agree: boolean; ref?: number }
  | { type: 'tutorial-step'; key: string; step: string }
  /** Wall-clock ms passed (paused rounds ignore it). */
  | { type: 'time'; ms: number }
  /** One slice of the closing (heal, converge, judge) once time is up. */
  | { type: 'closing-step' }
  // The class's orders (a class's team room).
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'end' }
  | { type: 'chaos'; atTick: number; command: Command }
  | { type: 'kick'; key: string }
  | { type: 'rename'; key: string; nickname: string }
  /** The server is stopping: the round ends now. */
  | { type: 'shutdown' };

/** What the open vote looks like on screens. */
export interface VoteRow {
  id: number;
  status: string;
  proposal: string;
  proposer: string;
  yes: number;
  no: number;
  electorate: number;
  needed: number;
  secondsLeft: number;
  ballots: Map<string, boolean>;
}

export type RoundEffect =
  | { type: 'error'; to: string; ref: number | undefined; error: string; code: ErrorCode }
  | { type: 'join-refused'; error: string }
  | { type: 'feed'; t: number; kind: string; text: string; node: number }
  | { type: 'phase'; phase: Phase; secondsLeft: number }
  | { type: 'clock'; secondsLeft: number }
  | { type: 'paused'; paused: boolean }
  | { type: 'player'; row: PlayerRow }
  | { type: 'player-gone'; id: string }
  | { type: 'owner'; node: number; owner: OwnerRow }
  | { type: 'vote'; view: VoteRow }
  /** Who is present changed (the room's listing). */
  | { type: 'roster' }
  /** A new simulation (setup's settings changed): show it from scratch. */
  | { type: 'simulation' }
  /** Copy the simulation's state to the screens. */
  | { type: 'project' }
  /** Nobody new may join. */
  | { type: 'lock' }
  /** The live phase begins: start the recording. `settings` null = the preset's. */
  | { type: 'live'; roster: RosterEntry[]; settings: ClusterSettings | null }
  | { type: 'applied'; tick: number; command: Command; by: Actor }
  /** A fixed step ended at `tick`; every CHECKPOINT_EVERY_TICKS, with the state's fingerprint then. */
  | { type: 'stepped'; tick: number; checkpoint: string | null }
  /** A seat changed hands in the live phase. */
  | { type: 'seat'; tick: number; entry: RosterEntry }
  | { type: 'debrief'; debrief: Debrief }
  /** Close this person's connection (4000: they came back elsewhere; 4003: removed by the teacher). */
  | { type: 'disconnect'; key: string; code: number }
  /** Keep this away player's seat for them for a while, then send `back` or `leave`. */
  | { type: 'await-return'; key: string }
  /** The round is done: close the room. */
  | { type: 'close' };

/** Where a queued command's refusal goes. */
interface Reply {
  replyTo: string;
  ref: number | undefined;
}

export class RoundModel {
  sim: Sim;
  /** The settings the round starts with (the team may change them in setup). */
  startSettings: ClusterSettings;
  phase: Phase = 'lobby';
  paused = false;
  finalSummary: Summary | null = null;
  /** Seats at creation: a room with this many players need not wait for its countdown. */
  readonly seatCount: number;
  /** The live phase's loop (null before it). */
  runner: TickRunner<Reply> | null = null;

  private readonly people = new Map<string, Person>();
  private readonly seats: Seat[] = [];
  /** The roster as screens show it, in the order it was filled. */
  private readonly rows = new Map<string, PlayerRow>();
  private vote: Vote | null = null;
  private voteCounter = 0;
  private readonly voteView: VoteRow = { id: 0, status: '', proposal: '', proposer: '', yes: 0, no: 0, electorate: 0, needed: 0, secondsLeft: 0, ballots: new Map() };
  private phaseLeftMs = 0;
  private secondsLeft = 0;
  private acc = 0;
  private projectedTick = 0;
  /** Nodes the screens have (projected so far): owners are shown only for those. */
  private shownNodes = 0;
  /** The host's chaos, waiting for the tick every team applies it at. */
  private hostChaos: { atTick: number; command: Command }[] = [];
  /** The round's closing, under way in slices (null before and after). */
  private closing: Generator<void, void, void> | null = null;
  private shuttingDown = false;
  private readonly applied: AppliedCommand[] = [];
  /** Who held each seat when the live phase began, and who the recording last saw there. */
  private startRoster: RosterEntry[] = [];
  private rosterSeen: string[] = [];
  private out: RoundEffect[] = [];

  constructor(readonly cfg: RoundConfig) {
    this.startSettings = { ...cfg.scenario.presets[cfg.preset]! };
    this.sim = this.createSimulation();
    this.seatCount = this.sim.S.nodes.length;
  }

  /** Steps done in the live phase: simulated time is tick × TICK_MS. */
  get tick(): number {
    return this.runner?.tick ?? 0;
  }

  /** Time is up and the round is closing (heal, converge, judge) in slices. */
  get isClosing(): boolean {
    return this.closing !== null;
  }

  /** Everyone who joined and has not left for good. */
  get everyone(): Iterable<Readonly<Person>> {
    return this.people.values();
  }

  /** The person may send messages now (joined and connected). */
  present(key: string): boolean {
    return this.people.get(key)?.connected === true;
  }

  /** Connected human players. */
  humans(): number {
    let n = 0;
    for (const p of this.people.values()) if (p.connected && !p.bot) n++;
    return n;
  }

  /** A connected person runs this node (else a bot does, or nobody). */
  humanAt(node: number): boolean {
    const seat = this.seats[node];
    return seat !== undefined && seat.holder !== null && this.people.get(seat.holder)?.connected === true;
  }

  handle(input: RoundInput): RoundEffect[] {
    this.out = [];
    this.dispatch(input);
    return this.out;
  }

  // ---------------------------------------------------------------------------------

  private dispatch(i: RoundInput): void {
    switch (i.type) {
      case 'open':
        this.showSimulation();
        return this.enterPhase('lobby', this.cfg.lobbySeconds);
      case 'join':
        return this.join(i.key, i.nickname, i.bot, i.playerKey);
      case 'away':
        return this.away(i.key, i.consented);
      case 'back':
        return this.back(i.key);
      case 'leave': {
        const person = this.people.get(i.key);
        if (person === undefined) return;
        this.releaseSeat(person);
        this.evaluateVote();
        return this.emit({ type: 'roster' });
      }
      case 'ready':
        return this.ready(i.key, i.phase);
      case 'command':
        return this.command(i.key, i.command, i.ref);
      case 'vote': {
        const person = this.people.get(i.key);
        if (person !== undefined) this.propose(person, i.proposal, i.agree, i.ref);
        return;
      }
      case 'tutorial-step':
        return this.tutorialStep(i.key, i.step);
      case 'time':
        return this.time(i.ms);
      case 'closing-step':
        return this.closingStep();
      case 'pause':
      case 'resume':
        this.setPaused(i.type === 'pause');
        return this.roomEvent('class', this.paused ? 'Your teacher paused the round' : 'The round goes on');
      case 'end':
        if (this.phase === 'debrief' || this.closing !== null) return;
        this.setPaused(false);
        if (this.phase !== 'live') this.startLive();
        return this.endRound(true);
      case 'chaos':
        // Only a live round takes chaos; every team strikes at the same tick (late teams at once).
        if (this.phase === 'live') this.hostChaos.push({ atTick: Math.max(i.atTick, this.tick), command: i.command });
        return;
      case 'kick': {
        const p = this.people.get(i.key);
        if (p === undefined) return;
        p.kicked = true;
        if (p.connected) this.emit({ type: 'disconnect', key: p.key, code: 4003 });
        return;
      }
      case 'rename': {
        const p = this.people.get(i.key);
        if (p === undefined) return;
        p.nickname = i.nickname;
        this.syncPerson(p);
        if (p.node >= 0) this.syncOwner(p.node);
        return;
      }
      case 'shutdown':
        // A round whose time is up closes properly; one cut short is summed up as it stands.
        this.shuttingDown = true;
        if (this.closing !== null) while (this.closing !== null) this.closingStep();
        else if (this.phase === 'live') this.endRound(true);
        return;
    }
  }

  private emit(e: RoundEffect): void {
    this.out.push(e);
  }

  private error(to: string, ref: number | undefined, error: string, code: ErrorCode): void {
    this.emit({ type: 'error', to, ref, error, code });
  }

  private roomEvent(kind: string, text: string, node = -1): void {
    this.emit({ type: 'feed', t: simClockRuns(this.phase) ? this.sim.S.now : 0, kind, text, node });
  }

  // ---------------------------------------------------------------------------------
  // People

  private join(key: string, wanted: string, bot: boolean, playerKey: string | null): void {
    // A student of a class who comes back (a reload, another device) gets their own node back.
    if (this.cfg.inClass && playerKey !== null && this.rejoin(key, playerKey, wanted)) return;
    if (!this.cfg.inClass && (this.phase === 'live' || this.phase === 'debrief')) return this.emit({ type: 'join-refused', error: 'this round has already started' });
    if (this.phase === 'debrief') return this.emit({ type: 'join-refused', error: 'this round is over' });
    const node = freeSeat(this.seats, this.sim.S);
    if (node < 0 && !this.cfg.inClass) return this.emit({ type: 'join-refused', error: 'every seat in this room is taken' });
    const taken = new Set([...this.people.values()].map((p) => p.nickname.toLowerCase()));
    const nickname = this.cfg.uniqueNickname(wanted !== '' ? wanted : `Player ${node + 1}`, taken);
    const person = newPerson(key, nickname, bot, playerKey);
    this.people.set(key, person);
    if (node < 0) {
      this.syncPerson(person);
      return this.roomEvent('player', `${nickname} joined; every node has an operator, so they watch and vote`);
    }
    this.takeSeat(node, person);
    this.roomEvent('player', `${nickname} joined and runs node ${node}`, node);
    this.evaluateVote();
    this.emit({ type: 'roster' });
    // A full room need not wait for the countdown.
    if (this.phase === 'lobby' && this.seats.slice(0, this.seatCount).every((s) => s.holder !== null)) this.nextPhase();
  }

  /** A student who left (or reloads) takes their person, and so their node, back. */
  private rejoin(key: string, playerKey: string, nickname: string): boolean {
    const person = [...this.people.values()].find((p) => p.playerKey === playerKey && !p.bot);
    if (person === undefined) return false;
    if (person.connected) this.emit({ type: 'disconnect', key: person.key, code: 4000 });
    const oldKey = person.key;
    this.people.delete(oldKey);
    this.dropRow(oldKey);
    person.key = key;
    person.connected = true;
    person.kicked = false;
    if (nickname !== '') person.nickname = nickname;
    this.people.set(key, person);
    for (const seat of this.seats) if (seat.holder === oldKey) seat.holder = key;
    if (person.node < 0) {
      const node = freeSeat(this.seats, this.sim.S);
      if (node >= 0) this.takeSeat(node, person);
    } else if (this.seats[person.node]?.holder !== key) {
      if (this.seats[person.node]?.holder === null) this.takeSeat(person.node, person);
      else person.node = -1;
    }
    this.syncPerson(person);
    if (person.node >= 0) this.syncOwner(person.node);
    this.roomEvent('player', `${person.nickname} is back${person.node >= 0 ? ` on node ${person.node}` : ''}`, person.node);
    this.emit({ type: 'roster' });
    return true;
  }

  private away(key: string, consented: boolean): void {
    const person = this.people.get(key);
    if (person === undefined) return;
    person.connected = false;
    person.ready = false;
    this.syncPerson(person);
    this.syncOwner(person.node);
    this.evaluateVote();
    this.emit({ type: 'roster' });
    if (!consented && !person.kicked && this.phase !== 'debrief' && !this.shuttingDown) {
      this.roomEvent('player', `${person.nickname} lost their connection; a bot runs node ${person.node} until they return`, person.node);
      return this.emit({ type: 'await-return', key });
    }
    this.releaseSeat(person);
    this.evaluateVote();
    this.emit({ type: 'roster' });
  }

  private back(key: string): void {
    const person = this.people.get(key);
    if (person === undefined) return;
    person.connected = true;
    this.syncPerson(person);
    this.syncOwner(person.node);
    this.roomEvent('player', `${person.nickname} is back on node ${person.node}`, person.node);
    this.evaluateVote();
    this.emit({ type: 'roster' });
  }

  /**
   * `ready`: this player is done waiting. When every connected player is, the phase ends
   * early. A `ready` naming a phase that is already over is stale and ignored.
   */
  private ready(key: string, phase: Phase | undefined): void {
    const person = this.people.get(key);
    if (person === undefined) return;
    if (this.cfg.inClass) return this.error(key, undefined, 'in a class the teacher keeps the time: the phase ends for every team together', 'phase');
    if (phase !== undefined && phase !== this.phase) return;
    if (this.phase === 'live' || this.phase === 'debrief') return this.error(key, undefined, `there is nothing to get ready for in the ${this.phase} phase`, 'phase');
    person.ready = true;
    const present = [...this.people.values()].filter((p) => p.connected);
    if (present.length > 0 && present.every((p) => p.ready)) this.nextPhase();
  }

  private command(key: string, command: Command, ref: number | undefined): void {
    const person = this.people.get(key);
    if (person === undefined) return;
    switch (commandScope(command)) {
      case 'host':
        return this.error(key, ref, `only the host may use '${command.type}'`, 'forbidden');
      case 'team':
        if (command.type !== 'configure') return;
        return this.propose(person, command.settings, true, ref);
      case 'node':
        if (!('node' in command)) return;
        if (command.node !== person.node) return this.error(key, ref, `node ${command.node} is not yours: you run node ${person.node}`, 'forbidden');
        break;
      case 'any':
        break;
    }
    if (this.phase !== 'live') return this.error(key, ref, `node actions wait for the live phase (now: ${this.phase})`, 'phase');
    this.runner!.enqueue(command, playerActor(key), { replyTo: key, ref });
  }

  /** The tutorial player reached a step: a step that shows a fault queues the simulation's chaos command. */
  private tutorialStep(key: string, step: string): void {
    const person = this.people.get(key);
    if (person === undefined || !TUTORIAL_FAULT_STEPS.includes(step)) return;
    if (this.phase !== 'live') return this.error(key, undefined, `the '${step}' step happens in the live phase (now: ${this.phase})`, 'phase');
    const runner = this.runner!;
    // A fault already queued for this step has not struck yet: do not queue another.
    if (runner.pending.some((p) => p.by.kind === 'tutorial')) return;
    const command = tutorialChaos(this.sim.S, step, person.node);
    if (command !== null) runner.enqueue(command, TUTORIAL);
  }

  // ---------------------------------------------------------------------------------
  // Votes

  private propose(person: Person, proposal: Partial<ClusterSettings>, agree: boolean, ref: number | undefined): void {
    const key = person.key;
    if (this.phase !== 'setup' && this.phase !== 'live') return this.error(key, ref, `settings are chosen in the setup and live phases (now: ${this.phase})`, 'phase');
    if (person.bot) return this.error(key, ref, 'bots do not vote: they keep the preset', 'forbidden');
    const vote = this.vote;
    if (vote !== null) {
      if (!sameProposal(vote.proposal, proposal)) return this.error(key, ref, `another vote is open (${proposalJson(vote.proposal)}): vote on it first`, 'invalid');
      vote.ballots.set(key, agree);
    } else {
      if (!agree) return this.error(key, ref, 'there is no open vote on this proposal to vote against', 'invalid');
      this.vote = { id: ++this.voteCounter, proposal, proposer: key, proposerRef: ref, ballots: new Map([[key, true]]), leftMs: this.cfg.voteSeconds * 1000 };
      this.roomEvent('vote', `${person.nickname} proposes ${describeChange(proposal)}`);
    }
    this.evaluateVote();
  }

  /** Who may vote: connected human players holding a seat. */
  private electorate(): Set<string> {
    const out = new Set<string>();
    for (const p of this.people.values()) if (p.connected && !p.bot && p.node >= 0) out.add(p.key);
    return out;
  }

  private evaluateVote(): void {
    const vote = this.vote;
    if (vote === null) return;
    const view = this.voteView;
    const t = tally(vote, this.electorate());
    view.id = vote.id;
    view.proposal = proposalJson(vote.proposal);
    view.proposer = this.people.get(vote.proposer)?.nickname ?? '';
    view.yes = t.yes;
    view.no = t.no;
    view.electorate = t.electorate;
    view.needed = t.needed;
    view.secondsLeft = Math.max(0, Math.ceil(vote.leftMs / 1000));
    view.ballots = new Map(vote.ballots);
    if (t.outcome === 'open') {
      view.status = 'open';
      return this.showVote();
    }
    this.vote = null;
    view.status = t.outcome;
    view.secondsLeft = 0;
    const what = describeChange(vote.proposal);
    if (t.outcome !== 'passed') {
      this.showVote();
      return this.roomEvent('vote', t.outcome === 'failed' ? `The team voted down ${what} (${t.yes} of ${t.electorate} agreed)` : `The vote on ${what} expired`);
    }
    this.roomEvent('vote', `The team agreed to ${what} (${t.yes} of ${t.electorate})`);
    const command: Command = { type: 'configure', settings: vote.proposal };
    if (this.phase === 'live') {
      this.showVote();
      return this.runner!.enqueue(command, TEAM, { replyTo: vote.proposer, ref: vote.proposerRef });
    }
    // Setup: the round has not begun, so the team's choice becomes its starting settings.
    // Applying it to the idle simulation checks it is possible with this cluster.
    const trial = applyCommand(this.sim, command);
    if (!trial.ok) {
      view.status = 'refused';
      this.showVote();
      this.roomEvent('vote', `The cluster cannot take ${what}: ${trial.error}`);
      return this.error(vote.proposer, vote.proposerRef, trial.error, errorCode(trial));
    }
    this.showVote();
    this.startSettings = { ...this.startSettings, ...vote.proposal };
    this.sim = this.createSimulation();
    this.showSimulation();
  }

  private showVote(): void {
    const v = this.voteView;
    this.emit({ type: 'vote', view: { ...v, ballots: new Map(v.ballots) } });
  }

  // ---------------------------------------------------------------------------------
  // Time, phases and the fixed step

  private time(ms: number): void {
    // Closing runs in its own slices; a paused class stands still (no phase clock, no vote clock).
    if (this.closing !== null || this.paused) return;
    if (this.vote !== null) {
      this.vote.leftMs -= ms;
      const left = Math.max(0, Math.ceil(this.vote.leftMs / 1000));
      if (left !== this.voteView.secondsLeft || this.vote.leftMs <= 0) this.evaluateVote();
    }
    if (this.phase === 'live') return this.liveTime(ms);
    this.phaseLeftMs -= ms;
    this.setSecondsLeft(Math.max(0, Math.ceil(this.phaseLeftMs / 1000)));
    if (this.phaseLeftMs <= 0) this.nextPhase();
  }

  private liveTime(ms: number): void {
    this.acc += ms;
    let steps = 0;
    while (this.acc >= TICK_MS && this.phase === 'live' && this.closing === null) {
      if (steps === MAX_CATCH_UP_STEPS) {
        // Too far behind: the round slows down rather than freezing the process.
        this.acc = 0;
        break;
      }
      this.step();
      this.acc -= TICK_MS;
      steps++;
    }
    if (this.phase !== 'live' || this.closing !== null) return;
    if (this.tick - this.projectedTick >= PROJECT_EVERY_TICKS) this.project();
  }

  /** One fixed step: the host's chaos due now joins the queue, then the runner steps. */
  private step(): void {
    const runner = this.runner!;
    if (this.hostChaos.length > 0) {
      const due = this.hostChaos.filter((c) => c.atTick <= runner.tick);
      this.hostChaos = this.hostChaos.filter((c) => c.atTick > runner.tick);
      for (const c of due) runner.enqueue(c.command, HOST);
    }
    runner.step();
    const tick = runner.tick;
    this.emit({ type: 'stepped', tick, checkpoint: tick % CHECKPOINT_EVERY_TICKS === 0 ? checkpointHash(this.sim.S) : null });
    if (runner.over) this.endRound(false);
  }

  private onOutcome(o: TickOutcome<Reply>): void {
    if (!o.result.ok) {
      if (o.meta !== undefined) this.error(o.meta.replyTo, o.meta.ref, o.result.error, errorCode(o.result));
      return;
    }
    this.applied.push({ tick: o.tick, command: o.command, by: o.by });
    this.emit({ type: 'applied', tick: o.tick, command: o.command, by: o.by });
    if (o.by.kind === 'player') {
      const person = this.people.get(o.by.id);
      if (person !== undefined) {
        person.actions++;
        this.syncPerson(person);
      }
    } else if (o.by.kind === 'bot') {
      const bot = this.seats[o.by.node]?.bot;
      if (bot !== undefined && bot !== null) bot.actions++;
    }
  }

  /** The nodes nobody runs now, for the runner's bots to look at (seating a bot where nobody sits). */
  private *botSeats(): Generator<BotSeat> {
    const { S } = this.sim;
    for (let id = 0; id < S.nodes.length; id++) {
      const seat = this.seat(id);
      const holder = seat.holder === null ? undefined : this.people.get(seat.holder);
      if (holder !== undefined && holder.connected) continue;
      if (holder === undefined) this.seatBot(id);
      // An away player's node is kept running by a stand-in bot that has no seat of its own.
      const bot = seat.bot ?? (seat.bot = newSeatBot(id));
      yield { node: id, memory: bot.memory, by: botActor(id) };
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
        return this.emit({ type: 'close' });
    }
  }

  private enterPhase(phase: Phase, seconds: number): void {
    this.phase = phase;
    this.phaseLeftMs = seconds * 1000;
    this.secondsLeft = seconds;
    this.emit({ type: 'phase', phase, secondsLeft: seconds });
    for (const p of this.people.values()) p.ready = false;
    if (phase !== 'lobby') this.roomEvent('phase', PHASE_TEXT[phase]);
  }

  private setSecondsLeft(s: number): void {
    if (s === this.secondsLeft) return;
    this.secondsLeft = s;
    this.emit({ type: 'clock', secondsLeft: s });
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.emit({ type: 'paused', paused });
  }

  private startLive(): void {
    // A class's team room stays open: late joiners and returning students come in live.
    if (!this.cfg.inClass) this.emit({ type: 'lock' });
    this.fillSeatsWithBots();
    const preset = this.cfg.scenario.presets[this.cfg.preset]!;
    this.startRoster = this.seats.map((seat, node) => {
      const p = seat.holder === null ? undefined : this.people.get(seat.holder);
      return p !== undefined ? { id: p.key, nickname: p.nickname, node, isBot: p.bot } : { id: botKey(node), nickname: botName(node), node, isBot: true };
    });
    this.rosterSeen = this.startRoster.map(rosterKey);
    this.runner = new TickRunner<Reply>(this.sim, { bots: () => this.botSeats(), onOutcome: (o) => this.onOutcome(o) });
    this.emit({ type: 'live', roster: this.startRoster.map((r) => ({ ...r })), settings: sameSettings(this.startSettings, preset) ? null : { ...this.startSettings } });
    this.acc = 0;
    this.projectedTick = 0;
    this.enterPhase('live', Math.ceil(this.sim.S.durationMs / 1000));
  }

  /** Close the round: heal, converge, judge (in slices); or, cut short, sum it up as it stands. */
  private endRound(interrupted: boolean): void {
    if (this.phase !== 'live' || this.closing !== null) return;
    if (!interrupted) {
      // finishSteps: a second or two of work that must not stall the other rooms of the
      // process (a class's teams all end at once), so the room runs it in slices.
      this.closing = finishSteps(this.sim);
      this.setSecondsLeft(0);
      return this.roomEvent('phase', 'Time is up: the faults heal, the cluster converges, and every write is checked');
    }
    // finishSim would first play out the rest of the round (minutes of traffic): an
    // interrupted round is summed up as it stands, its lost writes not judged.
    this.completeRound(interruptedSummary(this.sim), true);
  }

  private closingStep(): void {
    if (this.closing === null) return;
    if (this.closing.next().done !== true) return;
    this.closing = null;
    this.completeRound(summarizeRound(this.sim), false);
  }

  /** The round is over: its summary and debrief. */
  private completeRound(s: Summary, interrupted: boolean): void {
    this.finalSummary = s;
    this.credit();
    this.showProjection();
    this.updateContributions(s.score);
    if (this.vote !== null) {
      this.vote = null;
      this.voteView.status = 'expired';
      this.showVote();
    }
    const names = new Map<string, string>();
    for (const r of this.startRoster) names.set(r.id, r.nickname);
    for (const p of this.people.values()) names.set(p.key, p.nickname);
    const debrief = debriefOf({
      sim: this.sim, summary: s, interrupted, players: this.rows.values(), applied: this.applied,
      checkpoints: Math.floor(this.tick / CHECKPOINT_EVERY_TICKS), names,
    });
    this.emit({ type: 'debrief', debrief });
    this.enterPhase('debrief', this.cfg.debriefSeconds);
  }

  // ---------------------------------------------------------------------------------
  // The simulation on screens, and contributions

  private createSimulation(): Sim {
    const c = this.cfg;
    const custom = !sameSettings(this.startSettings, c.scenario.presets[c.preset]!);
    return createSim({
      scenario: c.scenario.id as ScenarioId, preset: c.preset, settings: custom ? this.startSettings : undefined,
      chaos: c.chaos, seed: c.seed, durationMs: c.roundSeconds * 1000, recordHistory: false,
    });
  }

  /** Show the (new) simulation as it will start, every node with its operator. */
  private showSimulation(): void {
    this.emit({ type: 'simulation' });
    this.shownNodes = Math.max(this.shownNodes, this.sim.S.nodes.length);
    const n = this.sim.S.nodes.length;
    for (let i = this.seats.length; i < n; i++) this.seats.push(newSeat(undefined));
    for (let i = 0; i < n; i++) this.syncOwner(i);
  }

  private showProjection(): void {
    this.emit({ type: 'project' });
    this.shownNodes = Math.max(this.shownNodes, this.sim.S.nodes.length);
  }

  private project(): void {
    const { S } = this.sim;
    this.projectedTick = this.tick;
    this.showProjection();
    this.setSecondsLeft(Math.max(0, Math.ceil((S.durationMs - S.now) / 1000)));
    // New nodes (scale-out) get a seat with a bot at once.
    for (let i = this.seats.length; i < S.nodes.length; i++) this.seat(i);
    for (let i = 0; i < S.nodes.length; i++) if (this.seats[i]!.holder === null && this.seats[i]!.bot === null) this.seatBot(i);
    // Credit served requests and refresh contributions once a simulated second.
    if (this.tick % BOT_EVERY_TICKS < PROJECT_EVERY_TICKS) {
      this.credit();
      this.updateContributions(scoreNow(this.sim));
    }
  }

  private credit(): void {
    for (let i = this.seats.length; i < this.sim.S.nodes.length; i++) this.seat(i);
    creditServed(this.sim.S, this.seats, this.people);
  }

  /** Refresh every player's contribution, and the seat bots' rows. */
  private updateContributions(score: number): void {
    const share = shareOf(score, this.people.values(), this.seats);
    for (const p of this.people.values()) {
      p.contribution = share(p.served);
      this.syncPerson(p);
    }
    for (const s of this.seats) {
      if (s.bot === null || s.holder !== null) continue;
      const v = this.rows.get(s.bot.key);
      if (v === undefined) continue;
      v.served = s.bot.served;
      v.anomalies = s.bot.anomalies;
      v.contribution = Math.min(65535, share(s.bot.served));
      v.actions = Math.min(65535, s.bot.actions);
      this.emit({ type: 'player', row: { ...v } });
    }
  }

  // ---------------------------------------------------------------------------------
  // Seats

  private seat(node: number): Seat {
    while (this.seats.length <= node) this.seats.push(newSeat(this.sim.S.nodes[this.seats.length]));
    return this.seats[node]!;
  }

  private takeSeat(node: number, person: Person): void {
    const seat = this.seat(node);
    if (seat.bot !== null) {
      this.dropRow(seat.bot.key);
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
      this.dropRow(person.key);
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
    this.putRow(botRow(seat.bot, node, this.rows.get(seat.bot.key)));
    this.syncOwner(node);
  }

  private syncPerson(p: Person): void {
    this.putRow(personRow(p, this.rows.get(p.key)));
  }

  private putRow(row: PlayerRow): void {
    if (!this.rows.has(row.id)) this.rows.set(row.id, row);
    this.emit({ type: 'player', row: { ...row } });
  }

  private dropRow(id: string): void {
    this.rows.delete(id);
    this.emit({ type: 'player-gone', id });
  }

  private syncOwner(node: number): void {
    if (node < 0 || node >= this.shownNodes) return;
    const seat = this.seat(node);
    const holder = seat.holder === null ? undefined : this.people.get(seat.holder);
    let owner: OwnerRow;
    if (holder !== undefined) owner = { ownerId: holder.key, owner: holder.nickname, botControlled: !holder.connected };
    else if (seat.bot !== null) owner = { ownerId: seat.bot.key, owner: botName(node), botControlled: true };
    else owner = { ownerId: '', owner: '', botControlled: true };
    this.emit({ type: 'owner', node, owner });
    this.recordSeat({ id: owner.ownerId, nickname: owner.owner, node, isBot: holder === undefined || holder.bot || !holder.connected });
  }

  /** A seat changing hands in the live phase goes into the recording (the replay names who ran each node when). */
  private recordSeat(entry: RosterEntry): void {
    if (this.phase !== 'live' || entry.id === '') return;
    const key = rosterKey(entry);
    if (this.rosterSeen[entry.node] === key) return;
    this.rosterSeen[entry.node] = key;
    this.emit({ type: 'seat', tick: this.tick, entry });
  }
}

function botKey(node: number): string {
  return actorKey(botActor(node));
}

function rosterKey(r: RosterEntry): string {
  return `${r.id}|${r.nickname}|${r.isBot ? 1 : 0}`;
}

function sameSettings(a: ClusterSettings, b: ClusterSettings): boolean {
  return (Object.keys(b) as (keyof ClusterSettings)[]).every((k) => a[k] === b[k]) && Object.keys(a).length === Object.keys(b).length;
}

/** The protocol's error code for a refusal from applyCommand. */
function errorCode(result: CommandResult & { ok: false }): ErrorCode {
  const error = result.error;
  if (error.includes('budget')) return 'budget';
  if (error.startsWith('there is no node')) return 'unknown-node';
  return 'invalid';
}
